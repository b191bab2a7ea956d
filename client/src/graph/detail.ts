import type { EdgeDef, ElementDef, NodeDef } from './elements.js';
import { memo, type MemoCache } from './memo.js';
import type { Geometry, Point } from './layout.js';

/**
 * Level of detail. On a software canvas every element costs in every frame, hit test and
 * z-sort, and at 1000 namespaces (~5000 elements) a frame took 200–600 ms. So on a big
 * host the canvas holds every namespace as one box, the bridges and one edge per veth pair,
 * and draws the interfaces only where the user looks: those near the viewport once zoomed
 * in far enough to read them, plus the selection and its peers wherever they are. A veth
 * whose end is not drawn ends on that end's bridge or namespace box instead.
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

/** The full-detail elements and what the scene needs to know about them, computed once per topology. */
export interface Model {
  elements: ElementDef[];
  geometry: Geometry;
  interfaces: NodeDef[];
  namespaces: NodeDef[];
  edges: EdgeDef[];
  nsOf: Map<string, string>;
  masterOf: Map<string, string>;
  /** The other end of each veth and vlan/macvlan link, both ways. */
  linked: Map<string, string[]>;
  bridges: Set<string>;
}

export function buildModel(elements: ElementDef[], geometry: Geometry): Model {
  const nodes = elements.filter((e): e is NodeDef => e.group === 'nodes');
  const edges = elements.filter((e): e is EdgeDef => e.group === 'edges');
  const interfaces = nodes.filter((n) => n.data.role !== 'namespace');
  const nsOf = new Map(interfaces.map((n) => [n.data.id, n.data.parent ?? '']));
  const masterOf = new Map(edges.filter((e) => e.data.role === 'port').map((e) => [e.data.source, e.data.target]));
  const bridges = new Set(interfaces.filter((n) => n.data.role === 'bridge').map((n) => n.data.id));
  const linked = new Map<string, string[]>();
  for (const e of edges) {
    if (e.data.role === 'port') continue;
    linked.set(e.data.source, [...(linked.get(e.data.source) ?? []), e.data.target]);
    linked.set(e.data.target, [...(linked.get(e.data.target) ?? []), e.data.source]);
  }
  return { elements, geometry, interfaces, namespaces: nodes.filter((n) => n.data.role === 'namespace'), edges, nsOf, masterOf, linked, bridges };
}

export interface View {
  /** The visible model area, or null when nothing is on screen yet. */
  extent: Extent | null;
  zoom: number;
  /** Draw everything regardless (exports). */
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
  if (view.all || model.interfaces.length <= view.allUpTo) return new Set(model.interfaces.map((n) => n.data.id));
  const shown = new Set<string>(model.bridges);
  for (const id of pinned) if (model.nsOf.has(id)) shown.add(id);
  const e = view.extent;
  if (!e || view.zoom < DETAIL_MIN_ZOOM) return shown;
  const mx = (e.x2 - e.x1) * DETAIL_MARGIN;
  const my = (e.y2 - e.y1) * DETAIL_MARGIN;
  const inView: string[] = [];
  for (const n of model.interfaces) {
    const p = where(n.data.id);
    if (p && p.x >= e.x1 - mx && p.x <= e.x2 + mx && p.y >= e.y1 - my && p.y <= e.y2 + my) inView.push(n.data.id);
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
 * the edges re-attached to the nearest drawn thing. Edge ids stay the API-derived ids
 * whichever ends they are attached to, so a highlight finds them in either mode. Zoomed in
 * (`overview` false), a pair with neither end drawn is left out: re-attached to stand-ins
 * it would cross the view along a line the real pair does not take.
 */
export function sceneElements(model: Model, shown: ReadonlySet<string>, overview = true): ElementDef[] {
  const out: ElementDef[] = [];
  for (const n of model.namespaces) {
    const box = model.geometry.boxes.get(n.data.id);
    const w = Math.round(box?.w ?? 88);
    const h = Math.round(box?.h ?? 54);
    // The label may overhang the box into the gap beside it, not into the next label.
    out.push(memo(boxDefs, n, `${w}x${h}`, () => ({ group: 'nodes', data: { ...n.data, w, h, lw: w + 50 }, classes: n.classes })));
  }
  for (const n of model.interfaces) {
    if (!shown.has(n.data.id)) continue;
    out.push(memo(onBoxDefs, n, null, () => {
      const { parent, ...data } = n.data;
      return { group: 'nodes', data: { ...data, ns: parent }, classes: n.classes };
    }));
  }
  const rep = (id: string): string | undefined => {
    if (shown.has(id)) return id;
    const master = model.masterOf.get(id);
    if (master && shown.has(master)) return master;
    return model.nsOf.get(id);
  };
  for (const e of model.edges) {
    // A port edge without its port drawn says nothing: the port's veth already ends on the bridge.
    if (e.data.role === 'port' && !shown.has(e.data.source)) continue;
    if (!overview && !shown.has(e.data.source) && !shown.has(e.data.target)) continue;
    const source = rep(e.data.source);
    const target = rep(e.data.target);
    if (!source || !target || source === target) continue;
    out.push(memo(attachedDefs, e, `${source}\u0000${target}`, () => {
      const collapsed = source !== e.data.source || target !== e.data.target;
      return { group: 'edges', data: { ...e.data, source, target, a: e.data.source, b: e.data.target }, classes: collapsed ? `${e.classes} collapsed` : e.classes };
    }));
  }
  return out;
}

/** Canvas definitions memoised on the model's (elements.ts says why). */
const boxDefs: MemoCache<ElementDef> = new WeakMap();
const onBoxDefs: MemoCache<ElementDef> = new WeakMap();
const attachedDefs: MemoCache<ElementDef> = new WeakMap();
