import type { Interface, Namespace, Topology } from '../model.js';

/**
 * Who is related to whom in one topology, built once per topology object and shared by
 * everything that asks (the scene, the layout, the level of detail, the highlight, the
 * side panel). A live diff makes a new topology object, so a new index; the old one is
 * dropped with it.
 */
export interface Relations {
  readonly topology: Topology;
  /** Interfaces by id. */
  readonly interfaces: ReadonlyMap<string, Interface>;
  /** Namespaces by id. */
  readonly namespaces: ReadonlyMap<string, Namespace>;
  /** The interfaces of each namespace, in the topology's order. */
  readonly members: ReadonlyMap<string, readonly Interface[]>;
  /** The ports of each bridge (IFLA_MASTER pointing at it). */
  readonly ports: ReadonlyMap<string, readonly Interface[]>;
  /** The vlans, macvlans and ipvlans on each lower device (their IFLA_LINK resolved as `parent`). */
  readonly children: ReadonlyMap<string, readonly Interface[]>;
  /** The root namespace (init's), when it is in the topology. */
  readonly root: Namespace | undefined;
}

const NONE: readonly Interface[] = [];
const cache = new WeakMap<Topology, Relations>();

function push<K>(m: Map<K, Interface[]>, k: K, i: Interface): void {
  const list = m.get(k);
  if (list) list.push(i);
  else m.set(k, [i]);
}

/** The index of `topology`, built on first use and kept as long as the topology object lives. */
export function relationsOf(topology: Topology): Relations {
  const hit = cache.get(topology);
  if (hit) return hit;
  const interfaces = new Map<string, Interface>();
  const members = new Map<string, Interface[]>();
  const ports = new Map<string, Interface[]>();
  const children = new Map<string, Interface[]>();
  for (const i of topology.interfaces) {
    interfaces.set(i.id, i);
    push(members, i.namespace, i);
    if (i.master) push(ports, i.master, i);
    if (i.parent) push(children, i.parent, i);
  }
  const r: Relations = {
    topology,
    interfaces,
    namespaces: new Map(topology.namespaces.map((n) => [n.id, n])),
    members,
    ports,
    children,
    root: topology.namespaces.find((n) => n.kind === 'root'),
  };
  cache.set(topology, r);
  return r;
}

/** The list under `key`, or an empty one. */
export function listOf(m: ReadonlyMap<string, readonly Interface[]>, key: string | null | undefined): readonly Interface[] {
  return (key ? m.get(key) : undefined) ?? NONE;
}

/** One id per veth pair whatever end is met first, so a pair is drawn once. */
export function vethLinkId(a: string, b: string): string {
  return a < b ? `veth:${a}|${b}` : `veth:${b}|${a}`;
}
