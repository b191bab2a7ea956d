import type { Topology } from './model.js';

/** What `validateTopology` found: the first few problems, in words, and how many in all. */
export interface TopologyProblems {
  /** Up to `limit` descriptions, in document order, naming the ids involved. */
  first: string[];
  /** Every problem found (the list above is cut at `limit`). */
  count: number;
}

/**
 * The references a Topology's schema cannot check: every interface lives in a namespace
 * of the document, ids are unique, `peer`, `master` and `parent` name interfaces of the
 * document, and a veth's peer names it back (vethmap only records a peer it proved both
 * ways, so a one-way pair is a forged or damaged file). The schema checks shapes; this
 * checks that the picture holds together, so a capture that would draw dangling edges is
 * refused at the door rather than half-drawn.
 */
export function validateTopology(t: Topology, limit = 5): TopologyProblems {
  const first: string[] = [];
  let count = 0;
  const problem = (text: string): void => {
    count++;
    if (first.length < limit) first.push(text);
  };

  const namespaces = new Set<string>();
  for (const ns of t.namespaces) {
    if (namespaces.has(ns.id)) problem(`namespace id ${JSON.stringify(ns.id)} appears twice`);
    namespaces.add(ns.id);
  }
  const interfaces = new Map<string, Topology['interfaces'][number]>();
  for (const i of t.interfaces) {
    if (interfaces.has(i.id)) problem(`interface id ${JSON.stringify(i.id)} appears twice`);
    interfaces.set(i.id, i);
  }
  for (const i of t.interfaces) {
    const who = `interface ${JSON.stringify(i.id)}`;
    if (!namespaces.has(i.namespace)) problem(`${who} is in namespace ${JSON.stringify(i.namespace)}, which is not in the document`);
    for (const field of ['master', 'parent'] as const) {
      const ref = i[field];
      if (ref !== null && !interfaces.has(ref)) problem(`${who}: ${field} ${JSON.stringify(ref)} is not in the document`);
    }
    if (i.peer === null) continue;
    const peer = interfaces.get(i.peer);
    if (!peer) problem(`${who}: peer ${JSON.stringify(i.peer)} is not in the document`);
    else if (peer.id === i.id) problem(`${who} is its own peer`);
    else if (peer.peer !== i.id) problem(`${who}: peer ${JSON.stringify(i.peer)} does not point back (its peer is ${JSON.stringify(peer.peer)})`);
  }
  return { first, count };
}
