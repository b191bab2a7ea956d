import type { Core, ElementDefinition } from 'cytoscape';
import type { ElementDef, NodeData } from './elements.js';
import { IF_H, IF_W, interfaceLocator, type Geometry, type Point, type Positions } from './layout.js';

/**
 * Per element id, the definition it was last brought to: the same object again means no
 * change, and its classes are the ones the patcher owns (highlight classes such as
 * selected, peer, dimmed are left alone). Kept outside cytoscape: setting an element's
 * scratch data restyles it.
 */
const applied = new WeakMap<Core, Map<string, ElementDef>>();
/** Keys of `data` that identify structure rather than appearance; changed through move/re-add. */
const STRUCTURAL = new Set(['id', 'source', 'target']);

export interface PatchStats { added: number; removed: number; changed: number }

/**
 * Where new nodes go: given the nodes about to be added, their positions. Existing
 * nodes are never moved by a patch, so nothing the user dragged jumps on a live event.
 */
export type PlaceNew = (newNodes: NodeData[]) => Positions;

/**
 * Brings `cy` to exactly `next` with the fewest mutations: removes what is gone, adds what is
 * new, touches `data`/classes only where a value differs. An unchanged `next` makes zero
 * cytoscape mutations, so a diff that does not concern what is shown costs no frame.
 */
export function patchGraph(cy: Core, next: readonly ElementDef[], place: PlaceNew): PatchStats {
  const stats: PatchStats = { added: 0, removed: 0, changed: 0 };
  const wanted = new Map(next.map((e) => [e.data.id, e]));
  let last = applied.get(cy);
  if (!last) applied.set(cy, (last = new Map()));
  const before = last;
  cy.batch(() => {
    const gone = cy.elements().filter((ele) => {
      const def = wanted.get(ele.id());
      if (!def) return true;
      // An edge whose ends changed (a port moved to another bridge, an end drawn or no
      // longer drawn at this zoom) is re-created.
      return def.group === 'edges' && (ele.data('source') !== def.data.source || ele.data('target') !== def.data.target);
    });
    if (gone.nonempty()) {
      stats.removed = gone.length;
      gone.forEach((ele) => {
        before.delete(ele.id());
      });
      cy.remove(gone);
    }

    const toAdd: ElementDef[] = [];
    for (const def of next) {
      const ele = cy.getElementById(def.data.id);
      if (ele.empty()) {
        toAdd.push(def);
        continue;
      }
      const was = before.get(def.data.id);
      if (was === def) continue;
      before.set(def.data.id, def);
      let changed = false;
      const delta: Record<string, unknown> = {};
      let any = false;
      for (const [k, v] of Object.entries(def.data)) {
        if (STRUCTURAL.has(k) || ele.data(k) === v) continue;
        delta[k] = v;
        any = true;
      }
      if (any) {
        ele.data(delta);
        changed = true;
      }
      if (was?.classes !== def.classes) {
        if (was) ele.removeClass(was.classes);
        ele.addClass(def.classes);
        changed = true;
      }
      if (changed) stats.changed++;
    }

    if (toAdd.length > 0) {
      const newNodes = toAdd.flatMap((d) => (d.group === 'nodes' ? [d.data] : []));
      const positions = newNodes.length > 0 ? place(newNodes) : new Map<string, Point>();
      const defs: ElementDefinition[] = toAdd.map((d) => {
        const p = positions.get(d.data.id);
        return { group: d.group, data: { ...d.data }, classes: d.classes, ...(p ? { position: { x: p.x, y: p.y } } : {}) };
      });
      const added = cy.add(defs);
      added.forEach((ele) => {
        const def = wanted.get(ele.id());
        if (def) before.set(ele.id(), def);
      });
      stats.added = added.length;
    }
  });
  return stats;
}

/**
 * Placement for nodes entering the canvas (a live addition, or an interface drawn again
 * because the user looks at it): a box goes to its layout cell, or below everything when
 * that cell is taken (the layout reflows at grid-size thresholds; the screen must not); an
 * interface goes where the layout puts it in its box, moved as far as the user moved that
 * box, plus however far the user dragged the interface itself (`offsetOf`), and sideways if
 * that spot is taken by an interface already drawn.
 */
export function placeNew(cy: Core, geometry: Geometry, offsetOf: (id: string) => Point | undefined): PlaceNew {
  return (nodes) => {
    const out: Positions = new Map();
    let bottom: number | undefined;
    const boxes = nodes.filter((n) => n.role === 'namespace');
    const drawnBoxes = boxes.length > 0 ? cy.nodes('.namespace').map((b) => b.boundingBox({ includeLabels: false, includeOverlays: false })) : [];
    for (const n of boxes) {
      const r = geometry.boxes.get(n.id);
      if (!r) continue;
      const p = { x: r.x, y: r.y };
      const clash = drawnBoxes.some((b) => b.x1 < r.x + r.w / 2 && r.x - r.w / 2 < b.x2 && b.y1 < r.y + r.h / 2 && r.y - r.h / 2 < b.y2);
      if (clash) {
        bottom ??= cy.elements().boundingBox({ includeLabels: false, includeOverlays: false }).y2;
        p.y = bottom + 80 + r.h / 2;
        bottom += 80 + r.h;
      }
      drawnBoxes.push({ x1: p.x - r.w / 2, x2: p.x + r.w / 2, y1: p.y - r.h / 2, y2: p.y + r.h / 2, w: r.w, h: r.h });
      out.set(n.id, p);
    }
    const ifaces = nodes.filter((n) => n.role !== 'namespace');
    if (ifaces.length === 0) return out;
    const nsOf = new Map(ifaces.map((n) => [n.id, n.ns]));
    const where = interfaceLocator(geometry, (id) => nsOf.get(id), (ns) => {
      const box = cy.getElementById(ns);
      return out.get(ns) ?? (box.nonempty() ? box.position() : undefined);
    }, offsetOf);
    // Spots taken by interfaces already drawn, per namespace, for the nudge below.
    const wanted = new Set(ifaces.map((n) => n.ns ?? ''));
    const taken = new Map<string, Point[]>();
    cy.nodes('.iface').forEach((n) => {
      const ns = n.data('ns') as string | undefined;
      if (ns && wanted.has(ns)) taken.set(ns, [...(taken.get(ns) ?? []), n.position()]);
    });
    for (const n of ifaces) {
      const p = where(n.id);
      if (!p) continue;
      const list = taken.get(n.ns ?? '') ?? [];
      for (let tries = 0; tries < 100 && list.some((t) => Math.abs(t.x - p.x) < IF_W / 3 && Math.abs(t.y - p.y) < IF_H / 3); tries++) p.x += IF_W;
      list.push(p);
      taken.set(n.ns ?? '', list);
      out.set(n.id, p);
    }
    return out;
  };
}
