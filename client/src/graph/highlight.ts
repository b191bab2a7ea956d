import { listOf, relationsOf, vethLinkId, type Topology } from '@vethmap/shared';
import type { Collection, Core, SingularElementArgument } from 'cytoscape';

/** What a click lights up. Ids are element ids; some may be filtered out of the view. */
export interface Highlight {
  selected: string;
  /** The far end(s): a veth's peer, or for a bridge the far sides of its ports. */
  peers: string[];
  /** Elements on the way: a bridge's ports, a vlan's lower device, a namespace's interfaces. */
  related: string[];
  edges: string[];
}

/** Pure: what selecting `id` highlights, from the topology (not from what is drawn). */
export function highlightFor(topology: Topology, id: string): Highlight | null {
  const rel = relationsOf(topology);
  const me = rel.interfaces.get(id);
  if (me && me.kind === 'bridge') {
    const ports = listOf(rel.ports, id);
    const far = ports.flatMap((p) => (p.peer ? [p.peer] : []));
    return {
      selected: id,
      peers: far,
      related: ports.map((p) => p.id),
      edges: ports.flatMap((p) => [`port:${p.id}`, ...(p.peer ? [vethLinkId(p.id, p.peer)] : [])]),
    };
  }
  if (me) {
    const edges: string[] = [];
    const related: string[] = [];
    if (me.peer) edges.push(vethLinkId(me.id, me.peer));
    if (me.parent) {
      related.push(me.parent);
      edges.push(`parent:${me.id}`);
    }
    for (const child of listOf(rel.children, id)) {
      related.push(child.id);
      edges.push(`parent:${child.id}`);
    }
    return { selected: id, peers: me.peer ? [me.peer] : [], related, edges };
  }
  if (rel.namespaces.has(id)) {
    const mine = listOf(rel.members, id);
    return {
      selected: id,
      peers: mine.flatMap((i) => (i.peer ? [i.peer] : [])),
      related: mine.map((i) => i.id),
      edges: mine.flatMap((i) => (i.peer ? [vethLinkId(i.id, i.peer)] : [])),
    };
  }
  return null;
}

const LIT_CLASSES = 'selected peer related highlight';

/** Elements per deferred fading step: about one short frame on a software canvas. */
const DIM_CHUNK = 600;

const pending = new WeakMap<Core, ReturnType<typeof setTimeout>>();
/**
 * Which highlight is the latest, per canvas. Clearing the pending timer is not enough: the
 * fade waits for two frames in between, and a fade of an older highlight that reached its
 * frames after Escape dimmed the whole map with nothing selected.
 */
const generation = new WeakMap<Core, number>();

function onScreen(cy: Core): (ele: SingularElementArgument) => boolean {
  const ext = cy.extent();
  return (ele) => {
    const b = ele.boundingBox();
    return b.x1 <= ext.x2 && ext.x1 <= b.x2 && b.y1 <= ext.y2 && ext.y1 <= b.y2;
  };
}

/**
 * Applies a highlight: the selected element, its peers and the path between them light up
 * at once; everything else fades. Fading is what costs: each class change restyles an
 * element (~50 µs) and re-measures it in the next frame, and even finding which elements
 * are on screen costs a bounding box each (10–40 ms at 1000 namespaces, measured). So the
 * click's own frame carries only the few lit elements; the fade follows it, elements on
 * screen first, in chunks, touching only those whose fade state really changes.
 */
export function applyHighlight(cy: Core, h: Highlight | null): void {
  clearTimeout(pending.get(cy));
  pending.delete(cy);
  const gen = (generation.get(cy) ?? 0) + 1;
  generation.set(cy, gen);
  const current = () => generation.get(cy) === gen;
  let keep: Collection = cy.collection();
  cy.batch(() => {
    cy.elements('.selected, .peer, .related, .highlight').removeClass(LIT_CLASSES);
    if (!h) return;
    const byIds = (ids: string[]) => {
      const c = cy.collection();
      for (const id of ids) c.merge(cy.getElementById(id));
      return c;
    };
    const selected = byIds([h.selected]);
    const peers = byIds(h.peers);
    const related = byIds(h.related);
    const edges = byIds(h.edges);
    selected.addClass('selected');
    peers.addClass('peer');
    related.addClass('related');
    edges.addClass('highlight');
    const lit = selected.union(peers).union(related).union(edges);
    // The boxes holding something lit stay readable so the user sees which namespace it is in;
    // lit elements lose any fade now, so the highlight never shows faded.
    keep = lit.union(byIds(lit.nodes().map((n) => String(n.data('ns') ?? n.id()))));
    keep.removeClass('dimmed');
  });
  const fade = (): void => {
    if (!current()) return;
    const dimmed = cy.elements('.dimmed');
    const dimNext = h ? cy.elements().not(keep) : cy.collection();
    const changes = [...dimNext.not(dimmed).map((e) => [e, true] as const), ...dimmed.not(dimNext).map((e) => [e, false] as const)];
    const visible = onScreen(cy);
    const queue = [...changes.filter(([e]) => visible(e)), ...changes.filter(([e]) => !visible(e))];
    const step = (): void => {
      if (!current()) return;
      cy.batch(() => {
        for (const [e, dim] of queue.splice(0, DIM_CHUNK)) {
          if (dim) e.addClass('dimmed');
          else e.removeClass('dimmed');
        }
      });
      if (queue.length > 0) pending.set(cy, setTimeout(step, 0));
      else pending.delete(cy);
    };
    step();
  };
  if (!h) {
    // Clearing: one batch, one frame. Spread over steps, every step would cost a full
    // frame of the whole graph and delay live diffs behind it.
    cy.batch(() => cy.elements('.dimmed').removeClass('dimmed'));
    return;
  }
  // Two frames: the first paints the highlight, the second confirms it reached the screen.
  const afterFrame = (fn: () => void) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => requestAnimationFrame(fn)) : fn());
  pending.set(cy, setTimeout(() => afterFrame(() => {
    if (current()) pending.set(cy, setTimeout(fade, 0));
  }), 0));
}

/** True while a fade is still being applied (for tests and benchmarks). */
export function highlightPending(cy: Core): boolean {
  return pending.has(cy);
}
