import type { Interface, Topology } from '../model.js';
import { isLoopback } from './graph.js';
import { listOf, relationsOf, type Relations } from './relations.js';

/**
 * What part of a topology a picture shows. Filters only remove things; the page keeps
 * everything else where it was, an export lays out what is left.
 */
export interface Scope {
  /** Loopbacks have no links and only add noise, so they are left out unless asked for. */
  showLo: boolean;
  /** Leave out interfaces that are administratively down (`ip link set X down`). */
  hideDown: boolean;
  /**
   * One namespace and its neighbours up to `depth` hops, a hop being a veth pair or a
   * vlan/macvlan link between two namespaces (a container is one hop from the root, two
   * from the containers on the same bridge). Namespaces nearer than `depth` are drawn
   * whole; those at `depth` only with the interfaces linked inwards, and their bridges.
   */
  around: { namespace: string; depth: number } | null;
  /** Only these interfaces (a selection and what it lights up), with the bridges of ports among them. */
  only: readonly string[] | null;
}

export const wholeTopology: Scope = { showLo: false, hideDown: false, around: null, only: null };

/** Hops of each namespace from `start` over veth and parent links, up to `depth`. */
export function namespaceDistances(rel: Relations, start: string, depth: number): Map<string, number> {
  const dist = new Map<string, number>([[start, 0]]);
  let frontier = [start];
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const ns of frontier) {
      for (const i of listOf(rel.members, ns)) {
        const far = [i.peer, i.parent, ...listOf(rel.children, i.id).map((c) => c.id)];
        for (const id of far) {
          const other = id ? rel.interfaces.get(id)?.namespace : undefined;
          if (other && !dist.has(other)) {
            dist.set(other, d);
            next.push(other);
          }
        }
      }
    }
    frontier = next;
  }
  return dist;
}

/** The ids of the interfaces `scope` lets through. */
export function scopedInterfaces(topology: Topology, scope: Scope): Set<string> {
  const rel = relationsOf(topology);
  const pass = (i: Interface): boolean => (scope.showLo || !isLoopback(i)) && (!scope.hideDown || i.adminUp);
  const out = new Set<string>();
  const add = (i: Interface | undefined): void => {
    if (!i || !pass(i)) return;
    out.add(i.id);
    // A port hangs from its bridge: draw the bridge with it.
    const master = i.master ? rel.interfaces.get(i.master) : undefined;
    if (master && pass(master)) out.add(master.id);
  };
  if (scope.only) {
    for (const id of scope.only) add(rel.interfaces.get(id));
    return out;
  }
  if (!scope.around) {
    for (const i of topology.interfaces) if (pass(i)) out.add(i.id);
    return out;
  }
  const { namespace, depth } = scope.around;
  const dist = namespaceDistances(rel, namespace, Math.max(0, depth));
  const inner = (ns: string): boolean => (dist.get(ns) ?? Infinity) < depth;
  for (const [ns, d] of dist) {
    if (d >= depth && ns !== namespace) continue;
    for (const i of listOf(rel.members, ns)) add(i);
  }
  // The boundary: interfaces of namespaces at `depth` linked to one drawn whole.
  for (const [ns, d] of dist) {
    if (d !== depth || ns === namespace) continue;
    for (const i of listOf(rel.members, ns)) {
      const far = [i.peer, i.parent, ...listOf(rel.children, i.id).map((c) => c.id)];
      if (far.some((id) => inner(rel.interfaces.get(id ?? '')?.namespace ?? ''))) add(i);
    }
  }
  return out;
}
