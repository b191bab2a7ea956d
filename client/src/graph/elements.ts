import { linkState, pairState, type Interface, type LinkState, type Topology } from '@vethmap/shared';
import { memo, type MemoCache } from './memo.js';

/** What the user chose to see. Filters only remove elements; they never move anything. */
export interface ViewOptions {
  /** Loopbacks have no edges and only add noise, so they are hidden unless asked for. */
  showLo: boolean;
  /** Hide interfaces that are administratively down (`ip link set X down`). */
  hideDown: boolean;
  /** Show only this namespace, the interfaces it is wired to and their bridges. */
  focusNamespace: string | null;
  /** Up to this many interfaces all are drawn at every zoom; above, only those in view (detail.ts). */
  detailAll: number;
}

/** The default for `detailAll`: where a frame on a software canvas stays under ~50 ms. */
export const DETAIL_ALL_MAX = 800;

export const defaultViewOptions: ViewOptions = { showLo: false, hideDown: false, focusNamespace: null, detailAll: DETAIL_ALL_MAX };

/** A namespace box, an interface, or a bridge (an interface drawn differently). */
export interface NodeData {
  id: string;
  /** The namespace box an interface sits in. */
  parent?: string;
  label: string;
  role: 'namespace' | 'interface' | 'bridge';
  /** Namespace kind (root, named, docker, process) or interface kind (veth, bridge, ...). */
  kind: string;
  /** Link state of an interface; absent on namespaces. */
  state?: LinkState;
  /** On the canvas (detail.ts): the namespace of an interface, which is drawn on its box, not inside a compound parent. */
  ns?: string;
  /** On the canvas: a namespace box's size from the layout. */
  w?: number;
  h?: number;
  /** On the canvas: how wide a box's label may be before it is ellipsised. */
  lw?: number;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  /** veth: the two ends of a pair; port: a bridge port to its bridge; parent: vlan/macvlan to its lower device. */
  role: 'veth' | 'port' | 'parent';
  state: LinkState;
  /** On the canvas: the interfaces the edge really joins, when an end is drawn as its box or bridge (detail.ts). */
  a?: string;
  b?: string;
}

export interface NodeDef { group: 'nodes'; data: NodeData; classes: string }
export interface EdgeDef { group: 'edges'; data: EdgeData; classes: string }
export type ElementDef = NodeDef | EdgeDef;

/** One id per pair whatever end we meet first, so a pair is drawn once. */
export function vethEdgeId(a: string, b: string): string {
  return a < b ? `veth:${a}|${b}` : `veth:${b}|${a}`;
}

/**
 * A named namespace (`ip netns add`) is the common case and a process-held one is already
 * called `pid N (comm)`: their names say it all on a small box. Root and containers say so.
 */
export function namespaceLabel(name: string, kind: string): string {
  if (kind === 'named' || kind === 'process') return name;
  return kind === 'root' ? `${name} / host` : `${name} / ${kind}`;
}

function isLoopback(i: Interface): boolean {
  return i.kind === 'loopback' || i.name === 'lo';
}

function interfaceClasses(i: Interface): string {
  if (i.kind === 'bridge') return 'iface bridge';
  if (isLoopback(i)) return 'iface lo';
  if (i.kind === 'veth') return 'iface veth';
  return 'iface other';
}

/** Interfaces the options let through; the focus filter needs the veth/port/parent links. */
function visibleInterfaces(topology: Topology, options: ViewOptions, byId: Map<string, Interface>): Set<string> {
  const pass = (i: Interface): boolean => (options.showLo || !isLoopback(i)) && (!options.hideDown || i.adminUp);
  const visible = new Set<string>();
  const focus = options.focusNamespace;
  if (!focus) {
    for (const i of topology.interfaces) if (pass(i)) visible.add(i.id);
    return visible;
  }
  const inFocus = topology.interfaces.filter((i) => i.namespace === focus);
  for (const i of inFocus) if (pass(i)) visible.add(i.id);
  // Neighbours: the far ends of this namespace's links, and the bridges those ends are ports of.
  const addNeighbour = (id: string | null): void => {
    const n = id ? byId.get(id) : undefined;
    if (!n || !pass(n)) return;
    visible.add(n.id);
    const master = n.master ? byId.get(n.master) : undefined;
    if (master && pass(master)) visible.add(master.id);
  };
  for (const i of inFocus) {
    addNeighbour(i.peer);
    addNeighbour(i.parent);
  }
  // Interfaces elsewhere that hang off something in focus (a macvlan on our eth0).
  for (const i of topology.interfaces) {
    const p = i.parent ? byId.get(i.parent) : undefined;
    if (p?.namespace === focus && pass(i)) visible.add(i.id);
  }
  return visible;
}

/*
 * Definitions are memoised on the topology's own objects, which never change: a diff
 * replaces the objects it changes and keeps the rest. So an unchanged interface yields the
 * very same definition object, and the patcher skips it without reading cytoscape (a live
 * diff at 1000 namespaces compared 2000 elements field by field for one change).
 */
const namespaceDefs: MemoCache<NodeDef> = new WeakMap();
const interfaceDefs: MemoCache<NodeDef> = new WeakMap();
const vethDefs: MemoCache<EdgeDef> = new WeakMap();
const portDefs: MemoCache<EdgeDef> = new WeakMap();
const parentDefs: MemoCache<EdgeDef> = new WeakMap();

/**
 * The cytoscape elements for a topology: pure, deterministic, ids equal to the API's ids
 * so tests and links (`?select=nif:…`) address the same things the server names.
 */
export function toElements(topology: Topology, options: ViewOptions = defaultViewOptions): ElementDef[] {
  const byId = new Map(topology.interfaces.map((i) => [i.id, i]));
  const visible = visibleInterfaces(topology, options, byId);
  const usedNamespaces = new Set<string>();
  for (const id of visible) {
    const i = byId.get(id);
    if (i) usedNamespaces.add(i.namespace);
  }
  const out: ElementDef[] = [];
  for (const ns of topology.namespaces) {
    // A focused view drops namespaces that contribute nothing; an unfocused one keeps empty boxes.
    if (options.focusNamespace && !usedNamespaces.has(ns.id)) continue;
    out.push(memo(namespaceDefs, ns, ns, () => ({
      group: 'nodes',
      data: { id: ns.id, label: namespaceLabel(ns.name, ns.kind), role: 'namespace', kind: ns.kind },
      classes: ns.kind === 'root' ? 'namespace root' : 'namespace',
    })));
  }
  const namespaceIds = new Set(out.map((e) => e.data.id));
  const edges: EdgeDef[] = [];
  const seenPairs = new Set<string>();
  for (const i of topology.interfaces) {
    if (!visible.has(i.id) || !namespaceIds.has(i.namespace)) continue;
    out.push(memo(interfaceDefs, i, i, () => ({
      group: 'nodes',
      data: {
        id: i.id,
        parent: i.namespace,
        label: i.name,
        role: i.kind === 'bridge' ? 'bridge' : 'interface',
        kind: i.kind,
        state: linkState(i),
      },
      classes: interfaceClasses(i),
    })));
    const peer = i.peer ? byId.get(i.peer) : undefined;
    if (peer && visible.has(peer.id) && namespaceIds.has(peer.namespace)) {
      const id = vethEdgeId(i.id, peer.id);
      if (!seenPairs.has(id)) {
        seenPairs.add(id);
        const [source, target] = i.id < peer.id ? [i.id, peer.id] : [peer.id, i.id];
        edges.push(memo(vethDefs, i, peer, () => ({ group: 'edges', data: { id, source, target, role: 'veth', state: pairState(i, peer) }, classes: 'veth' })));
      }
    }
    const master = i.master;
    if (master && visible.has(master)) {
      edges.push(memo(portDefs, i, master, () => ({ group: 'edges', data: { id: `port:${i.id}`, source: i.id, target: master, role: 'port', state: linkState(i) }, classes: 'port' })));
    }
    const parent = i.parent;
    if (parent && visible.has(parent)) {
      edges.push(memo(parentDefs, i, parent, () => ({ group: 'edges', data: { id: `parent:${i.id}`, source: i.id, target: parent, role: 'parent', state: linkState(i) }, classes: 'parent' })));
    }
  }
  // Edges last: cytoscape needs both ends to exist when an edge is added.
  return out.concat(edges);
}
