import type { DiagramGraph, GraphLink } from '../graph.js';
import { SIZE, type Side } from '../geometry.js';
import { otherEnd, type Plan } from './plan.js';

/**
 * Inside a namespace box. An interface with lines sits on the side facing where its lines
 * go: top towards the root and rows above, bottom towards rows below, left or right towards
 * the box beside it in the same row (one straight line); the rest sit inside.
 *
 *   ┌────o──────o───────────┐   top slots at x = P/2 + kP ("A" positions)
 *   │   eth0   eth1          │
 *   │        web-12          │   the namespace's name
 *   o x2     o lo   o dummy0 o   side slots; inside interfaces
 *   │            eth2        │
 *   └──────────o────────────┘   bottom slots at x = P + kP ("B" positions)
 *
 * Top and bottom slots sit on different pitches, so a line entering a box from above never
 * shares an x with one leaving the box above it downwards (route.ts relies on this).
 */

/** Horizontal pitch of interfaces in a box and of slots in a column. */
export const PITCH = 100;
const TOP_BAND = 30;
const NAME_BAND = 22;
const BODY_ROW = 48;
const BOTTOM_BAND = 26;
const SIDE_ALLOW = PITCH;

export interface BoxLayout {
  w: number;
  h: number;
  /** Interface centres relative to the box's top-left corner. */
  at: Map<string, { x: number; y: number; side: Side }>;
  /** The name's centre, relative to the top-left corner. */
  labelY: number;
  /** Where side slots start, before rows align them. */
  bodyTop: number;
}

export interface BoxSlots { top: string[]; bottom: string[]; left: string[]; right: string[]; inside: string[] }

/** Sides of every namespace interface (not the hub's), from where the other end of its first link is. */
export function assignSides(graph: DiagramGraph, plan: Plan): Map<string, BoxSlots> {
  const slots = new Map<string, BoxSlots>();
  const side = new Map<string, Side>();
  const cellOfIface = (id: string) => {
    const i = plan.ifaces.get(id);
    return i ? (i.ns === plan.hub ? undefined : plan.nsCell.get(i.ns)) : undefined;
  };
  const primary = (id: string): GraphLink | undefined => {
    const ls = plan.linksAt.get(id) ?? [];
    return ls.find((l) => l.role === 'veth') ?? ls.find((l) => l.role === 'parent' && l.a === id) ?? ls.find((l) => l.role === 'port' && l.a === id) ?? ls[0];
  };
  const deferred: string[] = [];
  for (const i of graph.interfaces) {
    if (i.ns === plan.hub) continue;
    const me = plan.nsCell.get(i.ns);
    const l = primary(i.id);
    if (!me) continue;
    if (!l) {
      side.set(i.id, 'inside');
      continue;
    }
    const far = otherEnd(l, i.id);
    const farIface = plan.ifaces.get(far);
    if (farIface?.ns === i.ns) {
      deferred.push(i.id);
      continue;
    }
    const there = cellOfIface(far);
    if (!there) side.set(i.id, 'top'); // the hub, above everything
    else if (there.row < me.row) side.set(i.id, 'top');
    else if (there.row > me.row) side.set(i.id, 'bottom');
    else if (there.col === me.col + 1) side.set(i.id, 'right');
    else if (there.col === me.col - 1) side.set(i.id, 'left');
    else side.set(i.id, 'top');
  }
  // Lines inside one namespace (a pair, a vlan on its own eth0, a bridge and its ports) leave
  // and re-enter the box on the side its other end already faces, or the top.
  for (let round = 0; round < 3; round++) {
    for (const id of deferred) {
      if (side.has(id)) continue;
      const l = primary(id);
      const far = l ? side.get(otherEnd(l, id)) : undefined;
      if (far || round === 2) side.set(id, far === 'left' || far === 'right' || !far ? 'top' : far);
    }
  }
  for (const ns of graph.namespaces) if (ns.id !== plan.hub) slots.set(ns.id, { top: [], bottom: [], left: [], right: [], inside: [] });
  const uplinkRank = new Map<string, number>();
  for (const ends of plan.uplinks.values()) ends.forEach((e, k) => uplinkRank.set(e, k));
  for (const i of graph.interfaces) {
    const s = side.get(i.id);
    const box = slots.get(i.ns);
    if (!s || !box) continue;
    box[s].push(i.id);
  }
  const col = (id: string): number => {
    const l = primary(id);
    const c = l ? cellOfIface(otherEnd(l, id)) : undefined;
    return c ? c.col : -1;
  };
  for (const box of slots.values()) {
    // Uplinks first in the order plan.ts gave their ports; then by where the line goes.
    box.top.sort((a, b) => (uplinkRank.get(a) ?? 1e9) - (uplinkRank.get(b) ?? 1e9) || col(a) - col(b) || (a < b ? -1 : 1));
    box.bottom.sort((a, b) => col(a) - col(b) || (a < b ? -1 : 1));
  }
  // A straight line between neighbours needs slot k on both facing sides: order both by link.
  const byLink = (a: string, b: string): number => ((primary(a)?.id ?? '') < (primary(b)?.id ?? '') ? -1 : 1);
  for (const box of slots.values()) {
    box.right.sort(byLink);
    box.left.sort(byLink);
  }
  return slots;
}

/** Width a box's name needs (an estimate: the canvas measures, the SVG cannot). */
export function nameWidth(label: string, root = false): number {
  return Math.min(260, Math.ceil(label.length * (root ? SIZE.rootFont : SIZE.namespaceFont) * 0.62) + 20);
}

/** The natural top of the body (side slots and inside interfaces) for these slots. */
export function bodyTopOf(s: BoxSlots): number {
  return (s.top.length > 0 ? TOP_BAND : 6) + NAME_BAND;
}

/** Box size and slot offsets; `bodyTop` aligns side slots across a row (straight lines). */
export function layoutBox(s: BoxSlots, label: string, bodyTop: number): BoxLayout {
  const leftAllow = s.left.length > 0 ? SIDE_ALLOW : 0;
  const rightAllow = s.right.length > 0 ? SIDE_ALLOW : 0;
  const insideCols = Math.max(1, Math.min(s.inside.length, Math.max(3, s.top.length)));
  const w = Math.max(s.top.length * PITCH, (s.bottom.length + 0.5) * PITCH, Math.min(s.inside.length, insideCols) * PITCH + leftAllow + rightAllow, nameWidth(label), PITCH);
  const at = new Map<string, { x: number; y: number; side: Side }>();
  s.top.forEach((id, k) => at.set(id, { x: PITCH / 2 + k * PITCH, y: 0, side: 'top' }));
  const bodyRows = Math.max(Math.ceil(s.inside.length / insideCols), s.left.length, s.right.length);
  s.left.forEach((id, k) => at.set(id, { x: 0, y: bodyTop + 16 + k * BODY_ROW, side: 'left' }));
  s.right.forEach((id, k) => at.set(id, { x: w, y: bodyTop + 16 + k * BODY_ROW, side: 'right' }));
  s.inside.forEach((id, k) => at.set(id, { x: leftAllow + PITCH / 2 + (k % insideCols) * PITCH, y: bodyTop + 16 + Math.floor(k / insideCols) * BODY_ROW, side: 'inside' }));
  let h = bodyTop + bodyRows * BODY_ROW;
  if (s.bottom.length > 0) {
    h += BOTTOM_BAND;
    s.bottom.forEach((id, k) => at.set(id, { x: PITCH + k * PITCH, y: h, side: 'bottom' }));
  } else {
    h += 6;
  }
  return { w, h: Math.max(h, 44), at, labelY: bodyTop - NAME_BAND / 2, bodyTop };
}
