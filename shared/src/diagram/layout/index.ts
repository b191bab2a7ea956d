import type { DiagramGraph, GraphLink } from '../graph.js';
import { bridgeWidth, SIZE, type Diagram, type LabelSide, type PlacedBox, type PlacedInterface, type PlacedLink, type Point, type Rect } from '../geometry.js';
import { assignSides, bodyTopOf, layoutBox, nameWidth, PITCH, type BoxLayout } from './boxes.js';
import { makePlan, type Plan } from './plan.js';
import { assignTracks, BIG, exitOf, routeBetween, type Dir, type Exit, type Route, type Seg } from './route.js';

export { gridColumns, groupColumns } from './plan.js';
export { PITCH } from './boxes.js';

/** Track pitch in a channel, and the clearance between a channel's outer tracks and its cells. */
export const TRACK = 6;
const MARGIN = 14;
/** Room above the root's first row for its name, and around its bands. */
const HUB_LABEL = 26;
const HUB_PAD = 10;
const ROW_HEIGHT = { misc: 50, linked: 50, bridges: 44, ports: 46 } as const;

interface Terminal { col: number; row: number; dx: number; dy: number; hub: 'misc' | 'bridge' | 'port' | null; side: PlacedInterface['side'] }

/**
 * The layout of a picture: boxes in a grid, interfaces on the side of their box that faces
 * where their lines go, bridge ports hanging from their bridge, every line routed
 * orthogonally in the channels between cells (plan.ts, boxes.ts, route.ts say how). Pure and
 * deterministic: the page, the exports and `vethmap export` all draw what this returns.
 */
export function layoutDiagram(graph: DiagramGraph): Diagram {
  const plan = makePlan(graph);
  const slots = assignSides(graph, plan);
  const boxes = boxLayouts(graph, plan, slots);
  const { colW, rowH } = cellSizes(graph, plan, boxes);
  const terms = terminals(graph, plan, boxes, rowH);
  const topPortRow = plan.rows.indexOf('ports');
  const routes: Route[] = [];
  const dirsAt = new Map<string, Map<Dir, Map<string, number>>>();
  for (const l of graph.links) {
    const ta = terms.get(l.a);
    const tb = terms.get(l.b);
    if (!ta || !tb) continue;
    const ea = exitFor(l, l.a, ta, plan, topPortRow, dirsAt);
    const eb = exitFor(l, l.b, tb, plan, topPortRow, dirsAt);
    routes.push(routeBetween(l, netOf(l), ea, eb));
  }
  const counts = assignTracks(routes);
  // A straight line between neighbours gets room to be seen between their interfaces.
  const sideBy = new Set(routes.filter((r) => r.segs.length === 0 && r.a.axis === 'V').map((r) => r.a.index));

  // Coordinates: channel, cell, channel, … along both axes.
  const chW = Array.from({ length: plan.columns + 1 }, (_, k) => 2 * MARGIN + (counts.get(`V:${k}`) ?? 0) * TRACK + (sideBy.has(k) ? 36 : 0));
  const chH = Array.from({ length: plan.rows.length + 1 }, (_, j) => 2 * MARGIN + (counts.get(`H:${j}`) ?? 0) * TRACK + (plan.hub && j === plan.nsRow0 ? 2 * HUB_PAD : 0));
  const chX: number[] = [];
  const colX: number[] = [];
  let x = 0;
  for (let k = 0; k <= plan.columns; k++) {
    chX.push(x);
    x += chW[k] ?? 0;
    colX.push(x);
    x += colW[k] ?? 0;
  }
  const chY: number[] = [];
  const rowY: number[] = [];
  let y = 0;
  for (let j = 0; j <= plan.rows.length; j++) {
    chY.push(y);
    y += chH[j] ?? 0;
    rowY.push(y);
    y += rowH[j] ?? 0;
  }
  const hubPadBelow = (j: number): number => (plan.hub && j === plan.nsRow0 ? 2 * HUB_PAD : 0);
  const trackX = (k: number, t: number): number => (chX[k] ?? 0) + MARGIN + (t + 0.5) * TRACK;
  const trackY = (j: number, t: number): number => (chY[j] ?? 0) + MARGIN + hubPadBelow(j) + (t + 0.5) * TRACK;
  const centre = (t: Terminal): Point => ({ x: (colX[t.col] ?? 0) + t.dx, y: (rowY[t.row] ?? 0) + t.dy });

  const links: PlacedLink[] = routes.map((r) => ({ ...r.link, points: polyline(r, centre, trackX, trackY, terms, colX, rowY) }));

  const placedBoxes: PlacedBox[] = [];
  for (const ns of graph.namespaces) {
    if (ns.id === plan.hub) {
      const last = plan.nsRow0 - 1;
      const rect = { x1: chX[0] ?? 0, y1: (rowY[0] ?? 0) - HUB_PAD, x2: (chX[plan.columns] ?? 0) + (chW[plan.columns] ?? 0), y2: (rowY[last] ?? 0) + (rowH[last] ?? 0) + HUB_PAD };
      placedBoxes.push({ id: ns.id, label: ns.label, kind: ns.kind, hub: true, rect, labelAt: { x: (rect.x1 + rect.x2) / 2, y: rect.y1 + HUB_PAD + HUB_LABEL / 2 } });
      continue;
    }
    const cell = plan.nsCell.get(ns.id);
    const b = boxes.get(ns.id);
    if (!cell || !b) continue;
    const x1 = colX[cell.col] ?? 0;
    const y1 = rowY[cell.row] ?? 0;
    placedBoxes.push({ id: ns.id, label: ns.label, kind: ns.kind, hub: false, rect: { x1, y1, x2: x1 + b.w, y2: y1 + b.h }, labelAt: { x: x1 + b.w / 2, y: y1 + b.labelY } });
  }
  const interfaces: PlacedInterface[] = [];
  for (const i of graph.interfaces) {
    const t = terms.get(i.id);
    if (!t) continue;
    const labelSide = i.look === 'bridge' ? 'center' : labelSideOf(t, dirsAt.get(i.id));
    interfaces.push({ id: i.id, ns: i.ns, label: i.label, kind: i.kind, look: i.look, state: i.state, at: centre(t), side: t.side, labelSide, ...(i.look === 'bridge' ? { w: bridgeWidth(i.label) } : {}) });
  }
  return { boxes: placedBoxes, interfaces, links, bounds: boundsOf(placedBoxes, interfaces) };
}

const SIDE_LABEL: Record<PlacedInterface['side'], LabelSide> = { top: 'below', bottom: 'above', left: 'below-right', right: 'below-left', inside: 'below' };

/** A label where no line leaves: in a box away from the side; in the root beside a line going down. */
function labelSideOf(t: Terminal, dirs: Map<Dir, unknown> | undefined): LabelSide {
  if (!t.hub) return SIDE_LABEL[t.side];
  if (!dirs?.has('down')) return 'below';
  if (t.hub === 'port') return dirs.has('right') ? 'above-right' : 'right';
  return 'above';
}

/** A bridge's ports share their bus; a lower device's vlans share theirs; a pair is its own. */
function netOf(l: GraphLink): string {
  return l.role === 'veth' ? l.id : `${l.role}:${l.b}`;
}

function boxLayouts(graph: DiagramGraph, plan: Plan, slots: ReturnType<typeof assignSides>): Map<string, BoxLayout> {
  // Side slots face a neighbour's in one straight line: align them across the row.
  const rowTop = new Map<number, number>();
  for (const [ns, s] of slots) {
    const cell = plan.nsCell.get(ns);
    if (!cell || (s.left.length === 0 && s.right.length === 0)) continue;
    rowTop.set(cell.row, Math.max(rowTop.get(cell.row) ?? 0, bodyTopOf(s)));
  }
  const out = new Map<string, BoxLayout>();
  for (const ns of graph.namespaces) {
    const s = slots.get(ns.id);
    const cell = plan.nsCell.get(ns.id);
    if (!s || !cell) continue;
    const aligned = s.left.length > 0 || s.right.length > 0 ? rowTop.get(cell.row) : undefined;
    out.set(ns.id, layoutBox(s, ns.label, aligned ?? bodyTopOf(s)));
  }
  return out;
}

function cellSizes(graph: DiagramGraph, plan: Plan, boxes: Map<string, BoxLayout>): { colW: number[]; rowH: number[] } {
  const colW = new Array<number>(plan.columns).fill(PITCH);
  const rowH: number[] = plan.rows.map((k) => (k === 'ns' ? 0 : ROW_HEIGHT[k]));
  if (plan.hub) rowH[0] = (rowH[0] ?? 0) + HUB_LABEL;
  for (const [ns, b] of boxes) {
    const c = plan.nsCell.get(ns);
    if (!c) continue;
    colW[c.col] = Math.max(colW[c.col] ?? 0, b.w);
    rowH[c.row] = Math.max(rowH[c.row] ?? 0, b.h);
  }
  for (const [id, c] of plan.hubCell) {
    const i = plan.ifaces.get(id);
    // A port with a line straight down has its label beside it: room for the label.
    const beside = plan.straight.has(id) ? PITCH / 2 + c.slot * PITCH + SIZE.iface / 2 + 8 + Math.min(SIZE.labelMax, (i?.label.length ?? 0) * SIZE.ifaceFont * 0.62) : 0;
    const need = c.half ? PITCH + c.slot * PITCH + bridgeWidth(i?.label ?? '') / 2 + 8 : Math.max((c.slot + 1) * PITCH, beside);
    colW[c.col] = Math.max(colW[c.col] ?? 0, need);
  }
  // The root's name must fit across its width.
  const hub = graph.namespaces.find((n) => n.id === plan.hub);
  if (hub) {
    const total = colW.reduce((a, b) => a + b, 0);
    const need = nameWidth(hub.label, true) - total;
    if (need > 0) colW[colW.length - 1] = (colW[colW.length - 1] ?? 0) + need;
  }
  return { colW, rowH };
}

function terminals(graph: DiagramGraph, plan: Plan, boxes: Map<string, BoxLayout>, rowH: number[]): Map<string, Terminal> {
  const out = new Map<string, Terminal>();
  for (const i of graph.interfaces) {
    if (i.ns === plan.hub) {
      const c = plan.hubCell.get(i.id);
      if (!c) continue;
      const kind = plan.rows[c.row];
      const dy = (rowH[c.row] ?? 0) / 2 + (c.row === 0 ? HUB_LABEL / 2 : 0);
      out.set(i.id, { col: c.col, row: c.row, dx: c.half ? PITCH + c.slot * PITCH : PITCH / 2 + c.slot * PITCH, dy, hub: kind === 'bridges' ? 'bridge' : kind === 'ports' ? 'port' : 'misc', side: 'inside' });
      continue;
    }
    const cell = plan.nsCell.get(i.ns);
    const at = boxes.get(i.ns)?.at.get(i.id);
    if (!cell || !at) continue;
    out.set(i.id, { col: cell.col, row: cell.row, dx: at.x, dy: at.y, hub: null, side: at.side });
  }
  return out;
}

const SIDE_DIR: Record<string, Dir> = { top: 'up', bottom: 'down', left: 'left', right: 'right', inside: 'up' };

/**
 * Where line `l` leaves interface `id`. Box interfaces leave from their side. In the root:
 * bridges and the rest downwards; a port's pair leaves left into the channel of its column
 * (or straight down when its namespace sits right below), its bus right (or up from the
 * highest port row). Several lines leaving one interface the same way are set apart.
 */
function exitFor(l: GraphLink, id: string, t: Terminal, plan: Plan, topPortRow: number, dirsAt: Map<string, Map<Dir, Map<string, number>>>): Exit {
  let dir: Dir;
  if (t.hub === 'port') {
    if (l.role === 'veth') dir = plan.straight.get(id) ? 'down' : 'left';
    else if (l.role === 'port' && l.a === id) dir = t.row === topPortRow ? 'up' : 'right';
    else dir = 'right';
  } else if (t.hub) dir = 'down';
  else dir = SIDE_DIR[t.side] ?? 'up';
  let byDir = dirsAt.get(id);
  if (!byDir) dirsAt.set(id, (byDir = new Map()));
  let nets = byDir.get(dir);
  if (!nets) byDir.set(dir, (nets = new Map()));
  // The first net keeps the centre; the lines of other nets alternate 6 px either side.
  const net = netOf(l);
  const n = nets.get(net) ?? nets.size;
  nets.set(net, n);
  const off = n === 0 ? 0 : (n % 2 === 1 ? 1 : -1) * 6 * Math.ceil(n / 2);
  const horizontal = dir === 'up' || dir === 'down';
  const xOrd = (2 * t.col + 1) * BIG + t.dx + (horizontal ? off : 0);
  const yOrd = (2 * t.row + 1) * BIG + t.dy + (horizontal ? 0 : off);
  return exitOf(dir, t.col, t.row, xOrd, yOrd);
}

/** The drawn line of a route: centre, stub, turns, stub, centre; no repeated or collinear points. */
function polyline(r: Route, centre: (t: Terminal) => Point, trackX: (k: number, t: number) => number, trackY: (j: number, t: number) => number, terms: Map<string, Terminal>, colX: number[], rowY: number[]): Point[] {
  const ta = terms.get(r.link.a) as Terminal;
  const tb = terms.get(r.link.b) as Terminal;
  const a = centre(ta);
  const b = centre(tb);
  const stubAt = (e: Exit): Point => ({ x: (colX[e.col] ?? 0) + e.pos - (2 * e.col + 1) * BIG, y: (rowY[e.row] ?? 0) + e.pos - (2 * e.row + 1) * BIG });
  const pts: Point[] = [a];
  const along = (s: Seg): number => (s.axis === 'H' ? trackY(s.index, s.track) : trackX(s.index, s.track));
  const first = r.segs[0];
  const last = r.segs[r.segs.length - 1];
  if (first && last) {
    const sa = stubAt(r.a);
    pts.push(first.axis === 'H' ? { x: sa.x, y: along(first) } : { x: along(first), y: sa.y });
    for (let k = 1; k < r.segs.length; k++) {
      const prev = r.segs[k - 1] as Seg;
      const s = r.segs[k] as Seg;
      pts.push(prev.axis === 'H' ? { x: along(s), y: along(prev) } : { x: along(prev), y: along(s) });
    }
    const sb = stubAt(r.b);
    pts.push(last.axis === 'H' ? { x: sb.x, y: along(last) } : { x: along(last), y: sb.y });
  }
  pts.push(b);
  return simplify(pts);
}

function simplify(pts: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of pts) {
    const q = out[out.length - 1];
    if (q && Math.abs(q.x - p.x) < 1e-6 && Math.abs(q.y - p.y) < 1e-6) continue;
    const o = out[out.length - 2];
    if (o && q && ((Math.abs(o.x - q.x) < 1e-6 && Math.abs(q.x - p.x) < 1e-6) || (Math.abs(o.y - q.y) < 1e-6 && Math.abs(q.y - p.y) < 1e-6))) out.pop();
    out.push(p);
  }
  return out;
}

/** Everything drawn, with room for labels under interfaces and beside boxes. */
function boundsOf(boxes: PlacedBox[], interfaces: PlacedInterface[]): Rect {
  const r: Rect = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  const grow = (x1: number, y1: number, x2: number, y2: number): void => {
    r.x1 = Math.min(r.x1, x1);
    r.y1 = Math.min(r.y1, y1);
    r.x2 = Math.max(r.x2, x2);
    r.y2 = Math.max(r.y2, y2);
  };
  for (const b of boxes) grow(b.rect.x1, b.rect.y1, b.rect.x2, b.rect.y2);
  for (const i of interfaces) grow(i.at.x - 50, i.at.y - 15, i.at.x + 50, i.at.y + 30);
  return Number.isFinite(r.x1) ? r : { x1: 0, y1: 0, x2: 200, y2: 100 };
}
