import { interfaceRect, type Diagram, type PlacedLink, type Point, type Rect } from './geometry.js';

/**
 * The geometric check: every segment of every line against every box and every interface.
 * A line may touch only the interfaces it ends at and the boxes of their namespaces; two
 * lines may cross but never run along each other unless they belong to one net (a bridge's
 * ports share its bus, a device's vlans share theirs). Anything else is a picture that says
 * something the kernel does not, and is reported.
 */
export interface Problem {
  link: string;
  kind: 'box' | 'interface' | 'overlap' | 'ends';
  /** The box, interface or line it meets. */
  other: string;
  at: Point;
}

export interface CheckResult {
  problems: Problem[];
  /** Right-angle crossings between lines of different nets: allowed, counted as a measure of clarity. */
  lineCrossings: number;
  segments: number;
}

interface Seg { k: number; link: PlacedLink; net: string; a: Point; b: Point }

/** Shrinks a rectangle so that touching its outline is not crossing it. */
const inset = (r: Rect, d: number): Rect => ({ x1: r.x1 + d, y1: r.y1 + d, x2: r.x2 - d, y2: r.y2 - d });

/** Liang–Barsky: does segment a→b pass through the open rectangle r? */
export function segmentHitsRect(a: Point, b: Point, r: Rect): boolean {
  if (r.x1 >= r.x2 || r.y1 >= r.y2) return false;
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const edges: Array<[number, number]> = [[-dx, a.x - r.x1], [dx, r.x2 - a.x], [-dy, a.y - r.y1], [dy, r.y2 - a.y]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return t1 - t0 > 1e-9;
}

function netOf(l: PlacedLink): string {
  return l.role === 'veth' ? l.id : `${l.role}:${l.b}`;
}

/** Buckets of a uniform grid, so each segment meets only what is near it. */
class Buckets<T> {
  private readonly cells = new Map<string, T[]>();
  constructor(private readonly size: number) {}
  private *keys(r: Rect): Generator<string> {
    const s = this.size;
    for (let i = Math.floor(r.x1 / s); i <= Math.floor(r.x2 / s); i++) for (let j = Math.floor(r.y1 / s); j <= Math.floor(r.y2 / s); j++) yield `${i},${j}`;
  }
  add(r: Rect, v: T): void {
    for (const k of this.keys(r)) {
      const list = this.cells.get(k);
      if (list) list.push(v);
      else this.cells.set(k, [v]);
    }
  }
  near(r: Rect): Set<T> {
    const out = new Set<T>();
    for (const k of this.keys(r)) for (const v of this.cells.get(k) ?? []) out.add(v);
    return out;
  }
}

const bbox = (a: Point, b: Point): Rect => ({ x1: Math.min(a.x, b.x), y1: Math.min(a.y, b.y), x2: Math.max(a.x, b.x), y2: Math.max(a.y, b.y) });

export function checkDiagram(d: Diagram): CheckResult {
  const problems: Problem[] = [];
  const ifaceById = new Map(d.interfaces.map((i) => [i.id, i]));
  const boxes = new Buckets<{ id: string; rect: Rect }>(400);
  for (const b of d.boxes) boxes.add(b.rect, { id: b.id, rect: inset(b.rect, 0.5) });
  const ifaces = new Buckets<{ id: string; rect: Rect }>(200);
  for (const i of d.interfaces) {
    const r = interfaceRect(i);
    ifaces.add(r, { id: i.id, rect: inset(r, 0.5) });
  }
  const segs: Seg[] = [];
  for (const l of d.links) {
    const a = ifaceById.get(l.a);
    const b = ifaceById.get(l.b);
    const first = l.points[0];
    const last = l.points[l.points.length - 1];
    if (!a || !b || !first || !last || Math.hypot(first.x - a.at.x, first.y - a.at.y) > 0.01 || Math.hypot(last.x - b.at.x, last.y - b.at.y) > 0.01) {
      problems.push({ link: l.id, kind: 'ends', other: `${l.a} ${l.b}`, at: first ?? { x: 0, y: 0 } });
      continue;
    }
    const mine = new Set([a.ns, b.ns]);
    for (let k = 1; k < l.points.length; k++) {
      const p = l.points[k - 1] as Point;
      const q = l.points[k] as Point;
      segs.push({ k: segs.length, link: l, net: netOf(l), a: p, b: q });
      const area = bbox(p, q);
      for (const box of boxes.near(area)) {
        if (!mine.has(box.id) && segmentHitsRect(p, q, box.rect)) problems.push({ link: l.id, kind: 'box', other: box.id, at: p });
      }
      for (const i of ifaces.near(area)) {
        if (i.id !== l.a && i.id !== l.b && segmentHitsRect(p, q, i.rect)) problems.push({ link: l.id, kind: 'interface', other: i.id, at: p });
      }
    }
  }
  // Lines against lines: overlaps (a problem) and crossings (a measure).
  const lines = new Buckets<Seg>(200);
  for (const s of segs) lines.add(bbox(s.a, s.b), s);
  let lineCrossings = 0;
  for (const s of segs) {
    for (const o of lines.near(bbox(s.a, s.b))) {
      // Each pair once: from its lower-numbered segment.
      if (o.k <= s.k || o.net === s.net) continue;
      const overlap = collinearOverlap(s, o);
      if (overlap > 0.5) problems.push({ link: s.link.id, kind: 'overlap', other: o.link.id, at: s.a });
      else if (properCrossing(s, o)) lineCrossings++;
    }
  }
  return { problems, lineCrossings, segments: segs.length };
}

/** Length along which two segments lie on one line. */
function collinearOverlap(s: Seg, o: Seg): number {
  const cross = (p: Point, q: Point, r: Point): number => (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  if (Math.abs(cross(s.a, s.b, o.a)) > 1e-6 || Math.abs(cross(s.a, s.b, o.b)) > 1e-6) return 0;
  const len = Math.hypot(s.b.x - s.a.x, s.b.y - s.a.y);
  if (len === 0) return 0;
  const ux = (s.b.x - s.a.x) / len;
  const uy = (s.b.y - s.a.y) / len;
  const t = (p: Point): number => (p.x - s.a.x) * ux + (p.y - s.a.y) * uy;
  const lo = Math.max(0, Math.min(t(o.a), t(o.b)));
  const hi = Math.min(len, Math.max(t(o.a), t(o.b)));
  return hi - lo;
}

/** Do the two segments cross at a point inside both (not at an end)? */
function properCrossing(s: Seg, o: Seg): boolean {
  const d = (p: Point, q: Point, r: Point): number => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return d(s.a, s.b, o.a) * d(s.a, s.b, o.b) < 0 && d(o.a, o.b, s.a) * d(o.a, o.b, s.b) < 0;
}
