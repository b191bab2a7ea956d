import type { GraphLink } from '../graph.js';

/**
 * Orthogonal routing in the channels between grid cells. Boxes and interfaces sit in
 * cells; lines run only in the channels between them (vertical channel k left of column k,
 * horizontal channel j above row j) and leave an interface straight into the channel its
 * side faces. So no line can cross a box or an interface it does not end at: the only
 * things it meets in a channel are other lines, and those it crosses at right angles on
 * their own tracks.
 *
 * Positions along a channel are ordinals (band · BIG + offset: bands alternate channel,
 * cell, channel, …) because the channels' widths are only known once their tracks are.
 * Where a line turns into another channel its position is that whole channel band: two
 * lines are given different tracks whenever they might meet (conservative, never wrong).
 */

export type Axis = 'H' | 'V';
export type Dir = 'up' | 'down' | 'left' | 'right';

export const BIG = 1e6;

/** Where a line leaves an interface: into which channel, at which ordinal position. */
export interface Exit {
  axis: Axis;
  /** H: channel above row `index`; V: channel left of column `index`. */
  index: number;
  pos: number;
  /** The interface's own column and row (which side of the channel it is on). */
  col: number;
  row: number;
}

/** A range along a channel: exact (lo = hi) at a stub, a whole band where a line turns. */
interface Range { lo: number; hi: number }

export interface Seg {
  axis: Axis;
  index: number;
  net: string;
  from: Range;
  to: Range;
  /** The track assigned, filled in by assignTracks. */
  track: number;
}

export interface Route {
  link: GraphLink;
  /** Where the line leaves `link.a`'s end of this route and where it enters the other end. */
  a: Exit;
  b: Exit;
  /** Empty: the two stubs meet head on (a straight line between the interfaces). */
  segs: Seg[];
}

export function exitOf(dir: Dir, col: number, row: number, xOrd: number, yOrd: number): Exit {
  switch (dir) {
    case 'up': return { axis: 'H', index: row, pos: xOrd, col, row };
    case 'down': return { axis: 'H', index: row + 1, pos: xOrd, col, row };
    case 'left': return { axis: 'V', index: col, pos: yOrd, col, row };
    case 'right': return { axis: 'V', index: col + 1, pos: yOrd, col, row };
  }
}

const exact = (p: number): Range => ({ lo: p, hi: p });
/** The band of channel `k` (H: the band of horizontal channel k along y; V along x). */
const band = (k: number): Range => ({ lo: 2 * k * BIG, hi: 2 * k * BIG + BIG - 1 });
const mid = (r: Range): number => (r.lo + r.hi) / 2;

/**
 * Which channel a line from cell `c1` to cell `c2` turns in (channel k lies before cell k):
 * the one just before the far end's cell, or just after it when the line comes from beyond,
 * so the last leg enters from the side it came from.
 */
function channelNear(c1: number, c2: number): number {
  return c1 <= c2 ? c2 : c2 + 1;
}

/**
 * The channels a line from exit `a` to exit `b` runs in: one when both stubs enter the same
 * channel, else an L (one turn) or a Z (two turns) through a channel next to `b`.
 */
export function routeBetween(link: GraphLink, net: string, a: Exit, b: Exit): Route {
  const seg = (axis: Axis, index: number, from: Range, to: Range): Seg => ({ axis, index, net, from, to, track: 0 });
  if (a.axis === b.axis && a.index === b.index) {
    return { link, a, b, segs: a.pos === b.pos ? [] : [seg(a.axis, a.index, exact(a.pos), exact(b.pos))] };
  }
  if (a.axis === 'H' && b.axis === 'H') {
    // Turn next to the lower end: the long run is then taken at the upper one, inside the
    // root for a line to the root, where it meets only thin bus lines.
    const v = a.row > b.row ? channelNear(b.col, a.col) : channelNear(a.col, b.col);
    return { link, a, b, segs: [seg('H', a.index, exact(a.pos), band(v)), seg('V', v, band(a.index), band(b.index)), seg('H', b.index, band(v), exact(b.pos))] };
  }
  if (a.axis === 'V' && b.axis === 'V') {
    const h = channelNear(a.row, b.row);
    return { link, a, b, segs: [seg('V', a.index, exact(a.pos), band(h)), seg('H', h, band(a.index), band(b.index)), seg('V', b.index, band(h), exact(b.pos))] };
  }
  if (a.axis === 'H') return { link, a, b, segs: [seg('H', a.index, exact(a.pos), band(b.index)), seg('V', b.index, band(a.index), exact(b.pos))] };
  return { link, a, b, segs: [seg('V', a.index, exact(a.pos), band(b.index)), seg('H', b.index, band(a.index), exact(b.pos))] };
}

/** One net's stretch of one channel: what gets a track. */
interface Item {
  net: string;
  lo: number;
  hi: number;
  segs: Seg[];
  /** −1 where the net leaves towards lower x (V) or y (H), +1 towards higher, at each end and stub. */
  taps: Array<{ pos: number; dir: -1 | 1; exact: boolean }>;
}

/**
 * Gives every segment a track in its channel: one net's overlapping stretches share a
 * track (a bridge's bus), different nets that might meet never do. Tracks are ordered so
 * that nested lines do not cross: a line leaving to the right at both ends goes inside
 * (further right) of a longer one doing the same, as in
 *
 *    ──┐ ┌─ port of the deepest namespace
 *      │ │┌ port of the next
 *      │ └┼─► [ns row 1]
 *      └──┼─► [ns row 2]
 *
 * and stubs facing each other at one position are kept apart by their order. Returns the
 * number of tracks per channel (`H:j` / `V:k`).
 */
export function assignTracks(routes: Route[]): Map<string, number> {
  const channels = new Map<string, Item[]>();
  for (const r of routes) {
    r.segs.forEach((s, k) => {
      const key = `${s.axis}:${s.index}`;
      const taps: Item['taps'] = [];
      const at = (end: 'from' | 'to'): void => {
        const e = end === 'from' ? (k === 0 ? r.a : undefined) : (k === r.segs.length - 1 ? r.b : undefined);
        const range = s[end];
        if (e) {
          // A stub: the interface is before the channel (−1) or after it (+1).
          const before = s.axis === 'V' ? e.col < s.index : e.row < s.index;
          taps.push({ pos: range.lo, dir: before ? -1 : 1, exact: true });
          return;
        }
        const next = end === 'to' ? r.segs[k + 1] : r.segs[k - 1];
        if (!next) return;
        const far = end === 'to' ? next.to : next.from;
        const near = end === 'to' ? next.from : next.to;
        taps.push({ pos: mid(range), dir: mid(far) < mid(near) ? -1 : 1, exact: false });
      };
      at('from');
      at('to');
      const lo = Math.min(s.from.lo, s.to.lo);
      const hi = Math.max(s.from.hi, s.to.hi);
      const list = channels.get(key);
      const item: Item = { net: s.net, lo, hi, segs: [s], taps };
      if (list) list.push(item);
      else channels.set(key, [item]);
    });
  }
  const counts = new Map<string, number>();
  for (const [key, raw] of channels) {
    const items = mergeNets(raw);
    const order = orderItems(items);
    const tracks: number[] = [];
    let max = 0;
    order.forEach((it, k) => {
      let t = 0;
      for (let j = 0; j < k; j++) {
        const o = order[j] as Item;
        if (o.lo <= it.hi && it.lo <= o.hi) t = Math.max(t, (tracks[j] ?? 0) + 1);
      }
      tracks.push(t);
      max = Math.max(max, t + 1);
      for (const s of it.segs) s.track = t;
    });
    counts.set(key, max);
  }
  return counts;
}

/** One net's overlapping stretches in a channel become one item. */
function mergeNets(items: Item[]): Item[] {
  const byNet = new Map<string, Item[]>();
  for (const it of items) push(byNet, it.net, it);
  const out: Item[] = [];
  for (const list of byNet.values()) {
    list.sort((a, b) => a.lo - b.lo);
    let cur: Item | undefined;
    for (const it of list) {
      if (cur && it.lo <= cur.hi) {
        cur.hi = Math.max(cur.hi, it.hi);
        cur.segs.push(...it.segs);
        cur.taps.push(...it.taps);
      } else {
        cur = { ...it, segs: [...it.segs], taps: [...it.taps] };
        out.push(cur);
      }
    }
  }
  return out;
}

/**
 * Order in which items take tracks (first = nearest the channel's low side). By preference:
 * items leaving mostly towards the low side first, longer ones outside; and a hard rule:
 * two stubs at one exact position from opposite sides, the one from the low side first.
 */
function orderItems(items: Item[]): Item[] {
  const span = Math.max(1, ...items.map((i) => i.hi - i.lo));
  const key = (it: Item): number => {
    const mean = it.taps.reduce((a, t) => a + t.dir, 0) / Math.max(1, it.taps.length);
    const len = (it.hi - it.lo) / span;
    return mean - Math.sign(mean) * 0.5 * len;
  };
  const keys = new Map(items.map((it) => [it, key(it)]));
  const sorted = [...items].sort((a, b) => (keys.get(a) ?? 0) - (keys.get(b) ?? 0) || a.lo - b.lo || (a.net < b.net ? -1 : 1));
  // Hard constraints: low-side stub before high-side stub at the same position.
  const before = new Map<Item, Set<Item>>();
  const lowStubs = new Map<number, Item[]>();
  for (const it of sorted) for (const t of it.taps) if (t.exact && t.dir === -1) push(lowStubs, t.pos, it);
  let constrained = false;
  for (const it of sorted) {
    for (const t of it.taps) {
      if (!t.exact || t.dir !== 1) continue;
      for (const low of lowStubs.get(t.pos) ?? []) {
        if (low === it || low.net === it.net) continue;
        const set = before.get(it) ?? new Set<Item>();
        set.add(low);
        before.set(it, set);
        constrained = true;
      }
    }
  }
  if (!constrained) return sorted;
  // Kahn's algorithm, taking the best-keyed ready item each time; a cycle falls back to key order.
  const out: Item[] = [];
  const done = new Set<Item>();
  const pending = [...sorted];
  while (pending.length > 0) {
    let k = pending.findIndex((it) => [...(before.get(it) ?? [])].every((b) => done.has(b)));
    if (k < 0) k = 0;
    const [it] = pending.splice(k, 1);
    if (!it) break;
    out.push(it);
    done.add(it);
  }
  return out;
}

/** Appends to the list under `key`, making it if needed. */
function push<K, V>(m: Map<K, V[]>, key: K, v: V): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}
