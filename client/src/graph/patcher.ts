import type { Core, ElementDefinition, NodeSingular, SingularElementReturnValue } from 'cytoscape';
import type { ElementDef, NodeData } from './elements.js';
import type { Point, Positions } from './layout.js';

/** Classes the patcher owns; highlight classes (selected, peer, dimmed...) are left alone. */
const BASE = '_vethmapBase';
/** Keys of `data` that identify structure rather than appearance; changed through move/re-add. */
const STRUCTURAL = new Set(['id', 'parent', 'source', 'target']);

export interface PatchStats { added: number; removed: number; changed: number }

/**
 * Where new nodes go: given the nodes about to be added, their positions. Existing
 * nodes are never moved by a patch, so nothing the user dragged jumps on a live event.
 */
export type PlaceNew = (newNodes: NodeData[]) => Positions;

function sameBase(ele: SingularElementReturnValue, classes: string): boolean {
  return ele.scratch(BASE) === classes;
}

/**
 * Brings `cy` to exactly `next` with the fewest mutations: removes what is gone, adds what is
 * new, touches `data`/classes only where a value differs. An unchanged `next` makes zero
 * cytoscape mutations, so a diff that does not concern what is shown costs no frame.
 */
export function patchGraph(cy: Core, next: readonly ElementDef[], place: PlaceNew): PatchStats {
  const stats: PatchStats = { added: 0, removed: 0, changed: 0 };
  const wanted = new Map(next.map((e) => [e.data.id, e]));
  cy.batch(() => {
    const gone = cy.elements().filter((ele) => {
      const def = wanted.get(ele.id());
      if (!def) return true;
      // An edge whose ends changed (a port moved to another bridge) is re-created.
      return def.group === 'edges' && (ele.data('source') !== def.data.source || ele.data('target') !== def.data.target);
    });
    if (gone.nonempty()) {
      stats.removed = gone.length;
      cy.remove(gone);
    }

    const toAdd: ElementDef[] = [];
    for (const def of next) {
      const ele = cy.getElementById(def.data.id);
      if (ele.empty()) {
        toAdd.push(def);
        continue;
      }
      let changed = false;
      if (def.group === 'nodes' && (ele.data('parent') ?? undefined) !== def.data.parent) {
        (ele as NodeSingular).move({ parent: def.data.parent ?? null });
        changed = true;
      }
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
      if (!sameBase(ele, def.classes)) {
        const old = ele.scratch(BASE) as string | undefined;
        if (old) ele.removeClass(old);
        ele.addClass(def.classes);
        ele.scratch(BASE, def.classes);
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
        ele.scratch(BASE, wanted.get(ele.id())?.classes ?? '');
      });
      stats.added = added.length;
    }
  });
  return stats;
}

/**
 * Placement for live additions: a new interface in an existing namespace goes where the
 * layout would put it, shifted by however far that namespace was dragged, and sideways if
 * that spot is taken; a new namespace goes to its layout cell, or below everything when
 * that cell is taken (the layout reflows at grid-size thresholds; the screen must not).
 */
export function placeNear(cy: Core, layout: Positions): PlaceNew {
  return (nodes) => {
    const out: Positions = new Map();
    const byParent = new Map<string, NodeData[]>();
    for (const n of nodes) {
      if (!n.parent) continue;
      byParent.set(n.parent, [...(byParent.get(n.parent) ?? []), n]);
    }
    for (const [parent, kids] of byParent) {
      const existing = cy.getElementById(parent);
      if (existing.nonempty()) {
        const shift = namespaceShift(cy, parent, layout);
        const taken = (existing as NodeSingular).children().map((c) => c.position());
        for (const kid of kids) {
          const l = layout.get(kid.id);
          if (!l) continue;
          const p = { x: l.x + shift.x, y: l.y + shift.y };
          for (let tries = 0; tries < 100 && taken.some((t) => Math.abs(t.x - p.x) < 30 && Math.abs(t.y - p.y) < 30); tries++) p.x += 110;
          taken.push(p);
          out.set(kid.id, p);
        }
        continue;
      }
      const pts = kids.flatMap((k) => {
        const l = layout.get(k.id);
        return l ? [[k.id, l] as const] : [];
      });
      if (pts.length === 0) continue;
      const box = { x1: Math.min(...pts.map(([, p]) => p.x)) - 60, x2: Math.max(...pts.map(([, p]) => p.x)) + 60, y1: Math.min(...pts.map(([, p]) => p.y)) - 60, y2: Math.max(...pts.map(([, p]) => p.y)) + 40 };
      const clash = cy.nodes('.namespace').some((n) => {
        const b = n.boundingBox();
        return b.x1 < box.x2 && box.x1 < b.x2 && b.y1 < box.y2 && box.y1 < b.y2;
      });
      const dy = clash ? cy.elements().boundingBox().y2 + 80 - box.y1 : 0;
      for (const [id, p] of pts) out.set(id, { x: p.x, y: p.y + dy });
    }
    return out;
  };
}

/** Mean displacement of a few existing children from their layout positions. */
function namespaceShift(cy: Core, nsId: string, layout: Positions): Point {
  const kids = (cy.getElementById(nsId) as NodeSingular).children();
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let k = 0; k < kids.length && n < 16; k++) {
    const kid = kids[k] as NodeSingular;
    const l = layout.get(kid.id());
    if (!l) continue;
    const p = kid.position();
    sx += p.x - l.x;
    sy += p.y - l.y;
    n++;
  }
  return n === 0 ? { x: 0, y: 0 } : { x: sx / n, y: sy / n };
}
