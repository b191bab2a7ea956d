import type { Interface, Topology } from '@vethmap/shared';
import type { Core } from 'cytoscape';
import { vethEdgeId } from './elements.js';

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
  const byId = new Map(topology.interfaces.map((i) => [i.id, i]));
  const me = byId.get(id);
  if (me && me.kind === 'bridge') {
    const ports = topology.interfaces.filter((i) => i.master === id);
    const far = ports.flatMap((p) => (p.peer ? [p.peer] : []));
    return {
      selected: id,
      peers: far,
      related: ports.map((p) => p.id),
      edges: ports.flatMap((p) => [`port:${p.id}`, ...(p.peer ? [vethEdgeId(p.id, p.peer)] : [])]),
    };
  }
  if (me) {
    const edges: string[] = [];
    const related: string[] = [];
    if (me.peer) edges.push(vethEdgeId(me.id, me.peer));
    if (me.parent) {
      related.push(me.parent);
      edges.push(`parent:${me.id}`);
    }
    for (const child of topology.interfaces.filter((i: Interface) => i.parent === id)) {
      related.push(child.id);
      edges.push(`parent:${child.id}`);
    }
    return { selected: id, peers: me.peer ? [me.peer] : [], related, edges };
  }
  if (topology.namespaces.some((n) => n.id === id)) {
    const mine = topology.interfaces.filter((i) => i.namespace === id);
    return {
      selected: id,
      peers: mine.flatMap((i) => (i.peer ? [i.peer] : [])),
      related: mine.map((i) => i.id),
      edges: mine.flatMap((i) => (i.peer ? [vethEdgeId(i.id, i.peer)] : [])),
    };
  }
  return null;
}

const HL_CLASSES = 'selected peer related highlight dimmed';

/**
 * Applies a highlight in one batch. Dimming is done by class on everything else because
 * cytoscape has no container-level selector; at 3000 nodes this costs a few milliseconds.
 */
export function applyHighlight(cy: Core, h: Highlight | null): void {
  cy.batch(() => {
    cy.elements('.selected, .peer, .related, .highlight, .dimmed').removeClass(HL_CLASSES);
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
    // Boxes holding something lit stay readable so the user sees which namespace it is in.
    const keep = lit.union(lit.nodes().ancestors());
    cy.elements().not(keep).addClass('dimmed');
  });
}
