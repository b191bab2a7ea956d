import { printable, relationsOf, type GraphLink, type Point } from '@vethmap/shared';
import type { EdgeDef, ElementDef, NodeDef } from './elements.js';
import type { Model } from './model.js';

/**
 * Level of detail. On a software canvas every element costs in every frame, hit test and
 * z-sort, and at 1000 namespaces (~5000 elements) a frame took 200–600 ms. So on a big
 * host the canvas holds every namespace as one box, the bridges and one edge per veth pair,
 * and draws the interfaces only where the user looks: those near the viewport once zoomed
 * in far enough to read them, plus the selection and its peers wherever they are. A pair
 * whose end is not drawn still follows its routed line, on to that end's bridge (through
 * where its port is) or to the point where it meets that end's box.
 *
 * Namespace boxes are plain nodes sized from the layout, not compound parents: cytoscape
 * re-measures compound bounds (and re-projects their edges) far more often than plain
 * nodes, and a box must not change size when its interfaces come and go.
 */

/** Below this zoom an interface is under 13 px with an unreadable label: boxes only. */
export const DETAIL_MIN_ZOOM = 0.6;
/** Interfaces this far beyond the viewport (a fraction of its size) are drawn too, so a short pan shows them at once. */
export const DETAIL_MARGIN = 0.25;

export interface Extent { x1: number; y1: number; x2: number; y2: number }

export interface View {
  /** The visible model area, or null when nothing is on screen yet. */
  extent: Extent | null;
  zoom: number;
  /** Draw everything regardless (exports, tests). */
  all: boolean;
  /** Up to this many interfaces everything is drawn, at every zoom (ViewOptions.detailAll). */
  allUpTo: number;
}

/**
 * The interfaces to draw: all on a small host or when asked; otherwise bridges, the
 * pinned ones (selection, peers, search match) and, when zoomed in enough, those whose
 * position lies within the viewport plus a margin. `where` gives an interface's position on
 * the canvas (its layout position moved with its box and by the user).
 */
export function shownInterfaces(model: Model, view: View, pinned: Iterable<string>, where: (id: string) => Point | undefined): Set<string> {
  if (view.all || model.interfaces.length <= view.allUpTo) return new Set(model.interfaces.map((n) => n.id));
  const shown = new Set<string>(model.bridges);
  for (const id of pinned) if (model.nsOf.has(id)) shown.add(id);
  const e = view.extent;
  if (!e || view.zoom < DETAIL_MIN_ZOOM) return shown;
  const mx = (e.x2 - e.x1) * DETAIL_MARGIN;
  const my = (e.y2 - e.y1) * DETAIL_MARGIN;
  const inView: string[] = [];
  for (const n of model.interfaces) {
    const p = where(n.id);
    if (p && p.x >= e.x1 - mx && p.x <= e.x2 + mx && p.y >= e.y1 - my && p.y <= e.y2 + my) inView.push(n.id);
  }
  // And the far ends of what is in view, so each edge leaving the view runs to its real
  // end (a bridge port far above) instead of to a stand-in somewhere else.
  for (const id of inView) {
    shown.add(id);
    for (const other of model.linked.get(id) ?? []) shown.add(other);
  }
  return shown;
}

/**
 * What goes on the canvas for a set of shown interfaces: every namespace as a box sized by
 * the layout, the shown interfaces (their namespace in `ns`, not a compound `parent`), and
 * the edges re-attached to the nearest drawn thing, along their routes. Edge ids stay the
 * API-derived ids whichever ends they are attached to, so a highlight finds them in either
 * mode. Zoomed in (`overview` false), a pair with neither end drawn is left out.
 */
export function sceneElements(model: Model, shown: ReadonlySet<string>, overview = true): ElementDef[] {
  const out: ElementDef[] = [];
  const positions = new Map<string, Point>();
  for (const n of model.namespaces) {
    const box = model.boxes.get(n.id);
    if (!box) continue;
    const def = memoOn(boxDefs, n, box, () => {
      const { x1, y1, x2, y2 } = box.rect;
      const centre = { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
      return {
        group: 'nodes',
        data: { id: n.id, label: n.label, role: 'namespace', kind: n.kind, w: round(x2 - x1), h: round(y2 - y1), lw: round(x2 - x1 - 12), ly: round(box.labelAt.y - centre.y) },
        classes: box.hub ? 'namespace root' : 'namespace',
        position: centre,
      };
    });
    positions.set(n.id, def.position);
    out.push(def);
  }
  for (const n of model.interfaces) {
    const at = model.at.get(n.id);
    if (!at || !shown.has(n.id)) continue;
    const def = memoOn(ifaceDefs, n, at, () => ({
      group: 'nodes',
      data: { id: n.id, label: n.label, role: n.look === 'bridge' ? 'bridge' : 'interface', kind: n.kind, state: n.state, ns: n.ns, ...(at.w ? { w: at.w } : {}), ...addressesOf(model, n.id, n.label) },
      classes: `iface ${n.look} label-${at.labelSide}`,
      position: at.at,
    }));
    positions.set(n.id, def.position);
    out.push(def);
  }
  const rep = (id: string): string | undefined => {
    if (shown.has(id)) return id;
    const master = model.masterOf.get(id);
    if (master && shown.has(master)) return master;
    return model.nsOf.get(id);
  };
  for (const l of model.links) {
    // A port edge without its port drawn says nothing: the port's veth already ends on the bridge.
    if (l.role === 'port' && !shown.has(l.a)) continue;
    if (!overview && !shown.has(l.a) && !shown.has(l.b)) continue;
    const source = rep(l.a);
    const target = rep(l.b);
    const route = model.routes.get(l.id);
    if (!source || !target || source === target || !route) continue;
    const s = positions.get(source);
    const t = positions.get(target);
    if (!s || !t) continue;
    out.push(memoEdge(l, `${source}\u0000${target}`, route, () => edgeDef(model, l, source, target, route, s, t)));
  }
  return out;
}

/** An interface's addresses for its label (ViewOptions.showAddresses), when it has any. */
function addressesOf(model: Model, id: string, label: string): { addr: string; full: string } | Record<string, never> {
  const list = relationsOf(model.topology).interfaces.get(id)?.addresses ?? [];
  if (list.length === 0) return {};
  const addr = list.map(printable).join('\n');
  return { addr, full: `${label}\n${addr}` };
}

function edgeDef(model: Model, l: GraphLink, source: string, target: string, route: Point[], s: Point, t: Point): EdgeDef {
  // A pair drawn to a bridge goes on along its port's line, through where the port is.
  let points = route;
  if (source !== l.a && source === model.masterOf.get(l.a)) points = [...[...(model.routes.get(`port:${l.a}`) ?? [])].reverse(), ...points.slice(1)];
  if (target !== l.b && target === model.masterOf.get(l.b)) points = [...points.slice(0, -1), ...(model.routes.get(`port:${l.b}`) ?? [])];
  const collapsed = source !== l.a || target !== l.b;
  const first = points[0] as Point;
  let last = points[points.length - 1] as Point;
  // An arrow must end on its device's outline, not under it.
  if (l.role === 'parent' && !collapsed) last = pullBack(points, model.at.get(l.b)?.look === 'bridge' ? 13 : 11);
  const data: EdgeDef['data'] = { id: l.id, source, target, role: l.role, state: l.state, a: l.a, b: l.b, se: `${round(first.x - s.x)}px ${round(first.y - s.y)}px`, te: `${round(last.x - t.x)}px ${round(last.y - t.y)}px` };
  const bends = points.slice(1, -1);
  if (bends.length > 0) {
    const dx = last.x - first.x;
    const dy = last.y - first.y;
    const len2 = dx * dx + dy * dy || 1;
    const len = Math.sqrt(len2);
    // cytoscape (edge-distances: endpoints): bend = A + w·(B − A) + d·(−dy, dx)/|B − A|.
    data.sw = bends.map((p) => round(((p.x - first.x) * dx + (p.y - first.y) * dy) / len2, 5)).join(' ');
    data.sd = bends.map((p) => round(((p.x - first.x) * -dy + (p.y - first.y) * dx) / len, 3)).join(' ');
  }
  return { group: 'edges', data, classes: `${l.role}${collapsed ? ' collapsed' : ''}${bends.length === 0 ? ' straight' : ''}` };
}

/** The last point of a line moved back along its last segment by `r`. */
function pullBack(points: Point[], r: number): Point {
  const b = points[points.length - 1] as Point;
  const a = points[points.length - 2] as Point;
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const k = Math.min(r, len - 1) / len;
  return { x: b.x - (b.x - a.x) * k, y: b.y - (b.y - a.y) * k };
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/*
 * Canvas definitions memoised on the model's objects (the shared graph's, which are
 * memoised on the topology's, and the layout's): an unchanged element yields the very same
 * definition, which the patcher skips without reading cytoscape.
 */
const boxDefs = new WeakMap<object, { with: unknown; value: NodeDef }>();
const ifaceDefs = new WeakMap<object, { with: unknown; value: NodeDef }>();
const edgeDefs = new WeakMap<object, { key: string; route: Point[]; value: EdgeDef }>();

function memoOn(cache: WeakMap<object, { with: unknown; value: NodeDef }>, key: object, also: unknown, make: () => NodeDef): NodeDef {
  const hit = cache.get(key);
  if (hit && hit.with === also) return hit.value;
  const value = make();
  cache.set(key, { with: also, value });
  return value;
}

function memoEdge(l: GraphLink, key: string, route: Point[], make: () => EdgeDef): EdgeDef {
  const hit = edgeDefs.get(l);
  if (hit && hit.key === key && hit.route === route) return hit.value;
  const value = make();
  edgeDefs.set(l, { key, route, value });
  return value;
}
