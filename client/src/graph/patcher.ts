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
 * layout would put it, shifted by however far that namespace was dragged; a new namespace
 * goes to its layout cell (the layout is stable, so that cell is free in the common case).
 */
export function placeNear(cy: Core, layout: Positions): PlaceNew {
  return (nodes) => {
    const out: Positions = new Map();
    const shiftOf = new Map<string, Point>();
    for (const node of nodes) {
      const target = layout.get(node.id);
      if (!target) continue;
      // Only a namespace already on screen can have been dragged away from its layout cell.
      const parent = node.parent && cy.getElementById(node.parent).nonempty() ? node.parent : undefined;
      let shift = parent ? shiftOf.get(parent) : undefined;
      if (parent && !shift) {
        shift = namespaceShift(cy, parent, layout);
        shiftOf.set(parent, shift);
      }
      out.set(node.id, { x: target.x + (shift?.x ?? 0), y: target.y + (shift?.y ?? 0) });
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
