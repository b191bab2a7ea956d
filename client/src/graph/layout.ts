import type { EdgeDef, ElementDef, NodeDef } from './elements.js';

/**
 * A deterministic preset layout built from structure, because force layouts take seconds
 * at 2000 nodes and scatter `lo` and bridge ports (see FRONTEND-NOTES):
 *
 *   ┌ root ─────────────────────────────────────────────┐
 *   │ other root interfaces (eth0, dummies, ...)         │
 *   │        [docker0]                [br0]              │
 *   │  port port port port      port port                │   ports in the column of
 *   │  port port                                         │   the namespace they reach
 *   └────────────────────────────────────────────────────┘
 *    [ns][ns][ns][ns]          [ns][ns]        [ns-ns chains]
 *    [ns][ns]
 *
 * Namespaces are grouped under the bridge their veths reach (or "direct" when they reach
 * a plain root veth, or "other" when they do not reach root at all), in a grid whose
 * column count only changes at powers of two, ordered by namespace inode (creation order),
 * so adding a namespace appends a cell and moves nothing else in the common case.
 */

export interface Point { x: number; y: number }
export type Positions = Map<string, Point>;
/** A namespace box: centre and size in model pixels. */
export interface Rect { x: number; y: number; w: number; h: number }

/** Where everything goes: interfaces by position, namespaces as boxes around their members. */
export interface Geometry { positions: Positions; boxes: Map<string, Rect> }

/** How far a box reaches around its members' centres: the node, its label below, a margin. */
export const BOX_INSET = { x: 44, top: 24, bottom: 30 };

/** Interface pitch inside a box; node labels are ellipsised to fit (style.ts). */
export const IF_W = 110;
export const IF_H = 62;
const BOX_COLS = 3;
const BOX_PAD = 50; // namespace label above the box plus cytoscape's compound padding
const GAP_X = 40;
const GAP_Y = 40;
const GROUP_GAP = 120;
const HUB_GAP = 60;

interface Box { id: string; members: string[]; cols: number; w: number; h: number }

function inodeOf(nsId: string): number {
  const n = Number(nsId.slice(nsId.indexOf(':') + 1));
  return Number.isFinite(n) ? n : 0;
}

function byInode(a: string, b: string): number {
  return inodeOf(a) - inodeOf(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Grid width that changes only at 1, 2, 4, 8, ... so one more namespace rarely reflows. */
export function gridColumns(count: number): number {
  if (count <= 1) return 1;
  return 2 ** Math.ceil(Math.log2(Math.sqrt(count)));
}

/**
 * Everything the layout depends on, as one string: a live diff that only changes state
 * (a link going down) keeps the key, so the layout (30–40 ms at 1000 namespaces) is reused.
 */
export function layoutKey(elements: readonly ElementDef[]): string {
  const parts: string[] = [];
  for (const e of elements) {
    if (e.group === 'nodes') parts.push(`${e.data.id}\u0000${e.data.parent ?? ''}\u0000${e.data.label}\u0000${e.data.role}\u0000${e.data.kind}`);
    else parts.push(`${e.data.id}\u0000${e.data.source}\u0000${e.data.target}\u0000${e.data.role}`);
  }
  return parts.join('\u0001');
}

/**
 * Where interfaces are, or would be drawn: the layout spot, moved as far as the user moved
 * its box (`boxAt`: where that box is now, if it is drawn), plus however far the user dragged
 * the interface itself (`offsetOf`). Each box's shift is read once per locator.
 */
export function interfaceLocator(
  geometry: Geometry,
  nsOf: (id: string) => string | undefined,
  boxAt: (ns: string) => Point | undefined,
  offsetOf: (id: string) => Point | undefined,
): (id: string) => Point | undefined {
  const shifts = new Map<string, Point>();
  return (id) => {
    const l = geometry.positions.get(id);
    const ns = nsOf(id);
    if (!l || !ns) return undefined;
    let s = shifts.get(ns);
    if (!s) {
      const r = geometry.boxes.get(ns);
      const at = boxAt(ns);
      s = r && at ? { x: at.x - r.x, y: at.y - r.y } : { x: 0, y: 0 };
      shifts.set(ns, s);
    }
    const o = offsetOf(id);
    return { x: l.x + s.x + (o?.x ?? 0), y: l.y + s.y + (o?.y ?? 0) };
  };
}

export function layoutPositions(elements: readonly ElementDef[]): Positions {
  return layoutGeometry(elements).positions;
}

export function layoutGeometry(elements: readonly ElementDef[]): Geometry {
  const nodes = elements.filter((e): e is NodeDef => e.group === 'nodes');
  const edges = elements.filter((e): e is EdgeDef => e.group === 'edges');
  const namespaces = nodes.filter((n) => n.data.role === 'namespace').map((n) => n.data.id).sort(byInode);
  const hub = nodes.find((n) => n.data.role === 'namespace' && n.data.kind === 'root')?.data.id;
  const nsOf = new Map<string, string>();
  const label = new Map<string, string>();
  const members = new Map<string, string[]>(namespaces.map((id) => [id, []]));
  for (const n of nodes) {
    if (n.data.role === 'namespace' || !n.data.parent) continue;
    nsOf.set(n.data.id, n.data.parent);
    label.set(n.data.id, n.data.label);
    members.get(n.data.parent)?.push(n.data.id);
  }
  const peers = new Map<string, string[]>();
  const masterOf = new Map<string, string>();
  for (const e of edges) {
    if (e.data.role === 'port') masterOf.set(e.data.source, e.data.target);
    if (e.data.role !== 'veth') continue;
    peers.set(e.data.source, [...(peers.get(e.data.source) ?? []), e.data.target]);
    peers.set(e.data.target, [...(peers.get(e.data.target) ?? []), e.data.source]);
  }
  const isBridge = new Set(nodes.filter((n) => n.data.role === 'bridge').map((n) => n.data.id));
  const hubBridges = (hub ? members.get(hub) ?? [] : []).filter((id) => isBridge.has(id));
  hubBridges.sort((a, b) => (label.get(a) ?? '').localeCompare(label.get(b) ?? '') || (a < b ? -1 : 1));

  // Which group each non-root namespace hangs off: the bridge most of its veths reach.
  const groupKeys = [...hubBridges, 'direct', 'other'];
  const groups = new Map<string, string[]>(groupKeys.map((k) => [k, []]));
  for (const ns of namespaces) {
    if (ns === hub) continue;
    const votes = new Map<string, number>();
    for (const i of members.get(ns) ?? []) {
      for (const p of peers.get(i) ?? []) {
        if (nsOf.get(p) !== hub) continue;
        const key = masterOf.get(p) && isBridge.has(masterOf.get(p) ?? '') ? (masterOf.get(p) ?? 'direct') : 'direct';
        votes.set(key, (votes.get(key) ?? 0) + 1);
      }
    }
    let best = 'other';
    let bestVotes = 0;
    for (const k of groupKeys) {
      const v = votes.get(k) ?? 0;
      if (v > bestVotes) [best, bestVotes] = [k, v];
    }
    groups.get(best)?.push(ns);
  }
  groups.set('other', chainOrder(groups.get('other') ?? [], members, peers, nsOf));

  // Inside a box: uplinks (veths whose peer is in root) first, loopback last.
  const boxes = new Map<string, Box>();
  for (const ns of namespaces) {
    const list = [...(members.get(ns) ?? [])];
    const rank = (id: string): number => ((peers.get(id) ?? []).some((p) => nsOf.get(p) === hub) ? 0 : label.get(id) === 'lo' ? 2 : 1);
    list.sort((a, b) => rank(a) - rank(b) || (label.get(a) ?? '').localeCompare(label.get(b) ?? '') || (a < b ? -1 : 1));
    const cols = Math.max(1, Math.min(BOX_COLS, list.length));
    const rows = Math.max(1, Math.ceil(list.length / cols));
    boxes.set(ns, { id: ns, members: list, cols, w: cols * IF_W, h: rows * IF_H });
  }

  const pos: Positions = new Map();
  const emptyAt = new Map<string, Point>();
  const placeBox = (box: Box, cx: number, top: number): void => {
    if (box.members.length === 0) emptyAt.set(box.id, { x: cx, y: top + IF_H / 2 });
    box.members.forEach((id, j) => {
      pos.set(id, { x: cx - box.w / 2 + ((j % box.cols) + 0.5) * IF_W, y: top + (Math.floor(j / box.cols) + 0.5) * IF_H });
    });
  };

  // Horizontal spans of each group, and the column centre of each namespace in it.
  interface Span { key: string; left: number; width: number; cellW: number; cols: number; rows: number[] }
  const spans: Span[] = [];
  const cellOf = new Map<string, { span: Span; col: number; row: number }>();
  let x = 0;
  for (const key of groupKeys) {
    const list = groups.get(key) ?? [];
    const isHubBridge = key !== 'direct' && key !== 'other';
    if (list.length === 0 && !isHubBridge) continue;
    const cols = Math.max(1, Math.min(gridColumns(list.length), list.length));
    const cellW = Math.max(IF_W, ...list.map((ns) => boxes.get(ns)?.w ?? IF_W)) + GAP_X;
    const rowCount = Math.ceil(list.length / cols);
    const rows = Array.from({ length: rowCount }, (_, r) =>
      Math.max(...list.slice(r * cols, r * cols + cols).map((ns) => boxes.get(ns)?.h ?? IF_H)) + BOX_PAD + GAP_Y);
    const span: Span = { key, left: x, width: cols * cellW, cellW, cols, rows };
    spans.push(span);
    list.forEach((ns, k) => cellOf.set(ns, { span, col: k % cols, row: Math.floor(k / cols) }));
    x += span.width + GROUP_GAP;
  }
  const totalWidth = Math.max(IF_W, x - GROUP_GAP);

  // The root box grows upwards: y = 0 is its lowest port row, so adding a row of ports
  // (one more namespace) never pushes the namespaces below it down. Only the bridges and
  // the root's other interfaces above the ports move up.
  if (hub) {
    const placed = new Set<string>();
    const hubMembers = members.get(hub) ?? [];
    const portsOf = (span: Span): string[] => {
      const bridge = isBridge.has(span.key) ? span.key : undefined;
      return hubMembers.filter((id) => (bridge ? masterOf.get(id) === bridge : !masterOf.has(id) && !isBridge.has(id)));
    };
    let topRow = 0; // rows used above y = 0, in units of IF_H
    const looseBySpan = new Map<Span, string[]>();
    for (const span of spans) {
      // Ports leading to a namespace of this group sit in that namespace's column, the
      // bottom port row serving the top namespace row.
      const used = new Map<string, number>();
      const loose: string[] = [];
      for (const p of portsOf(span)) {
        const cell = nsCell(p);
        if (!cell || cell.span !== span) {
          if (isBridge.has(span.key)) loose.push(p);
          continue;
        }
        const key = `${cell.col}:${cell.row}`;
        const j = used.get(key) ?? 0;
        used.set(key, j + 1);
        pos.set(p, { x: span.left + (cell.col + 0.5) * span.cellW + j * IF_W * 0.5, y: -cell.row * IF_H });
        placed.add(p);
        topRow = Math.max(topRow, cell.row);
      }
      looseBySpan.set(span, loose);
    }
    // Ports leading nowhere visible (a physical NIC in a bridge): rows under their bridge.
    let looseRows = 0;
    for (const [span, loose] of looseBySpan) {
      const perRow = Math.max(1, Math.floor(span.width / IF_W));
      looseRows = Math.max(looseRows, Math.ceil(loose.length / perRow));
      loose.forEach((p, k) => {
        pos.set(p, { x: span.left + ((k % perRow) + 0.5) * IF_W, y: -(topRow + 1 + Math.floor(k / perRow)) * IF_H });
        placed.add(p);
      });
    }
    const bridgeY = -(topRow + looseRows + 1.3) * IF_H;
    for (const span of spans) {
      if (!isBridge.has(span.key)) continue;
      pos.set(span.key, { x: span.left + span.width / 2, y: bridgeY });
      placed.add(span.key);
    }
    // Root interfaces that are neither bridges nor ports leading somewhere: a top band.
    const rest = hubMembers.filter((id) => !placed.has(id));
    const perRow = Math.max(1, Math.floor(totalWidth / IF_W));
    const restTop = bridgeY - (Math.ceil(rest.length / perRow) + 0.3) * IF_H;
    rest.forEach((id, k) => pos.set(id, { x: ((k % perRow) + 0.5) * IF_W, y: restTop + Math.floor(k / perRow) * IF_H }));
  }

  function nsCell(port: string): { span: Span; col: number; row: number } | undefined {
    for (const p of peers.get(port) ?? []) {
      const ns = nsOf.get(p);
      const cell = ns ? cellOf.get(ns) : undefined;
      if (cell) return cell;
    }
    return undefined;
  }

  const top0 = hub ? IF_H / 2 + HUB_GAP : 0;
  for (const [ns, cell] of cellOf) {
    const box = boxes.get(ns);
    if (!box) continue;
    const top = top0 + cell.span.rows.slice(0, cell.row).reduce((a, b) => a + b, 0) + BOX_PAD;
    placeBox(box, cell.span.left + (cell.col + 0.5) * cell.span.cellW, top);
  }
  return { positions: pos, boxes: boxRects(namespaces, members, pos, emptyAt) };
}

/** Each namespace's box: its members' extent plus the inset, or a small box where an empty one sits. */
function boxRects(namespaces: string[], members: Map<string, string[]>, pos: Positions, emptyAt: Map<string, Point>): Map<string, Rect> {
  const out = new Map<string, Rect>();
  for (const ns of namespaces) {
    let x1 = Infinity;
    let x2 = -Infinity;
    let y1 = Infinity;
    let y2 = -Infinity;
    for (const id of members.get(ns) ?? []) {
      const p = pos.get(id);
      if (!p) continue;
      x1 = Math.min(x1, p.x);
      x2 = Math.max(x2, p.x);
      y1 = Math.min(y1, p.y);
      y2 = Math.max(y2, p.y);
    }
    if (x1 === Infinity) {
      const c = emptyAt.get(ns) ?? { x: 0, y: 0 };
      out.set(ns, { x: c.x, y: c.y, w: 2 * BOX_INSET.x, h: BOX_INSET.top + BOX_INSET.bottom });
      continue;
    }
    x1 -= BOX_INSET.x;
    x2 += BOX_INSET.x;
    y1 -= BOX_INSET.top;
    y2 += BOX_INSET.bottom;
    out.set(ns, { x: (x1 + x2) / 2, y: (y1 + y2) / 2, w: x2 - x1, h: y2 - y1 });
  }
  return out;
}

/** Orders namespaces not reaching root so that ns-to-ns veth chains sit side by side. */
function chainOrder(list: string[], members: Map<string, string[]>, peers: Map<string, string[]>, nsOf: Map<string, string>): string[] {
  const inList = new Set(list);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const start of list) {
    if (seen.has(start)) continue;
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const ns = queue.shift() as string;
      out.push(ns);
      const next = new Set<string>();
      for (const i of members.get(ns) ?? []) for (const p of peers.get(i) ?? []) {
        const other = nsOf.get(p);
        if (other && inList.has(other) && !seen.has(other)) next.add(other);
      }
      for (const n of [...next].sort(byInode)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return out;
}
