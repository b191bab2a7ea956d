import type { Point } from '@vethmap/shared';
import type { Core, ElementDefinition } from 'cytoscape';
import type { ElementDef, NodeDef } from './elements.js';

/**
 * Per element id, the definition it was last brought to: the same object again means no
 * change, and its classes are the ones the patcher owns (highlight classes such as
 * selected, peer, dimmed are left alone). Kept outside cytoscape: setting an element's
 * scratch data restyles it.
 */
const applied = new WeakMap<Core, Map<string, ElementDef>>();
/** Keys of `data` that identify structure rather than appearance; changed through move/re-add. */
const STRUCTURAL = new Set(['id', 'source', 'target']);

export interface PatchStats { added: number; removed: number; changed: number; moved: number }

/** Where a node goes: its layout position, moved by however far the user moved it (or its box). */
export type Place = (def: NodeDef) => Point;

/**
 * Brings `cy` to exactly `next` with the fewest mutations: removes what is gone, adds what is
 * new, touches `data`/classes only where a value differs, and moves a node only when the
 * layout moved it (the routed lines are drawn for the layout's positions: a node left
 * behind would leave its lines pointing elsewhere). An unchanged `next` makes zero
 * cytoscape mutations, so a diff that does not concern what is shown costs no frame.
 */
export function patchGraph(cy: Core, next: readonly ElementDef[], place: Place): PatchStats {
  const stats: PatchStats = { added: 0, removed: 0, changed: 0, moved: 0 };
  const wanted = new Map(next.map((e) => [e.data.id, e]));
  let last = applied.get(cy);
  if (!last) applied.set(cy, (last = new Map()));
  const before = last;
  cy.batch(() => {
    const gone = cy.elements().filter((ele) => {
      const def = wanted.get(ele.id());
      if (!def) return true;
      // An edge whose ends changed (an end drawn or no longer drawn at this zoom) is re-created.
      return def.group === 'edges' && (ele.data('source') !== def.data.source || ele.data('target') !== def.data.target);
    });
    if (gone.nonempty()) {
      stats.removed = gone.length;
      gone.forEach((ele) => {
        before.delete(ele.id());
      });
      cy.remove(gone);
    }

    const toAdd: ElementDefinition[] = [];
    for (const def of next) {
      const ele = cy.getElementById(def.data.id);
      if (ele.empty()) {
        toAdd.push({ group: def.group, data: { ...def.data }, classes: def.classes, ...(def.group === 'nodes' ? { position: place(def) } : {}) });
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
      // A key the new definition no longer has (a bend-less route) is cleared.
      if (was) for (const k of Object.keys(was.data)) if (!(k in def.data)) {
        delta[k] = undefined;
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
      if (def.group === 'nodes' && (!was || was.group !== 'nodes' || was.position.x !== def.position.x || was.position.y !== def.position.y)) {
        const p = place(def);
        const q = ele.position();
        if (p.x !== q.x || p.y !== q.y) {
          ele.position(p);
          stats.moved++;
        }
      }
      if (changed) stats.changed++;
    }

    if (toAdd.length > 0) {
      const added = cy.add(toAdd);
      added.forEach((ele) => {
        const def = wanted.get(ele.id());
        if (def) before.set(ele.id(), def);
      });
      stats.added = added.length;
    }
  });
  return stats;
}
