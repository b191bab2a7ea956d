import type { Interface, NamespaceKind, Topology } from '../model.js';
import { linkState, pairState, type LinkState } from '../state.js';
import { memo, type MemoCache } from './memo.js';
import { namespaceLabel, printable } from './names.js';
import { relationsOf, vethLinkId } from './relations.js';
import { scopedInterfaces, type Scope } from './scope.js';

/** How an interface is drawn: bridges as bars, loopbacks small, veths round, the rest as diamonds. */
export type Look = 'veth' | 'bridge' | 'lo' | 'other';

/** A namespace box. */
export interface GraphNamespace {
  /** The API id, `ns:<inode>`. */
  id: string;
  /** Printable name with its kind where that helps (`root / host`, `web / docker`). */
  label: string;
  kind: NamespaceKind;
}

/** An interface drawn in its namespace's box. */
export interface GraphInterface {
  /** The API id, `nif:<inode>:<ifindex>`. */
  id: string;
  /** Its namespace's id. */
  ns: string;
  /** IFLA_IFNAME, printable. */
  label: string;
  /** IFLA_INFO_KIND, `loopback` or `device`. */
  kind: string;
  look: Look;
  /** From IFF_UP and IFF_LOWER_UP (shared/state.ts). */
  state: LinkState;
}

/**
 * A line between two interfaces. `veth`: the two ends of a pair (id `veth:<a>|<b>`, sorted);
 * `port`: a bridge port `a` to its bridge `b` (IFLA_MASTER; id `port:<a>`); `parent`: a
 * vlan/macvlan `a` to its lower device `b` (IFLA_LINK; id `parent:<a>`).
 */
export interface GraphLink {
  id: string;
  role: 'veth' | 'port' | 'parent';
  a: string;
  b: string;
  /** A pair carries traffic only when both ends are up (pairState); a port or child its own. */
  state: LinkState;
}

/** What is drawn: the namespaces, interfaces and links in scope, in the topology's order. */
export interface DiagramGraph {
  namespaces: GraphNamespace[];
  interfaces: GraphInterface[];
  links: GraphLink[];
}

export function isLoopback(i: Pick<Interface, 'kind' | 'name'>): boolean {
  return i.kind === 'loopback' || i.name === 'lo';
}

function lookOf(i: Interface): Look {
  if (i.kind === 'bridge') return 'bridge';
  if (isLoopback(i)) return 'lo';
  return i.kind === 'veth' ? 'veth' : 'other';
}

const namespaceNodes: MemoCache<GraphNamespace> = new WeakMap();
const interfaceNodes: MemoCache<GraphInterface> = new WeakMap();
const vethLinks: MemoCache<GraphLink> = new WeakMap();
const portLinks: MemoCache<GraphLink> = new WeakMap();
const parentLinks: MemoCache<GraphLink> = new WeakMap();

/**
 * The graph of `topology` within `scope`: pure and deterministic, ids equal to the API's.
 * Objects are memoised on the topology's own, so what a diff did not change is the very
 * same object here too.
 */
export function diagramGraph(topology: Topology, scope: Scope): DiagramGraph {
  const rel = relationsOf(topology);
  const inScope = scopedInterfaces(topology, scope);
  const used = new Set<string>();
  for (const id of inScope) {
    const i = rel.interfaces.get(id);
    if (i) used.add(i.namespace);
  }
  const namespaces: GraphNamespace[] = [];
  for (const ns of topology.namespaces) {
    // A scoped picture drops namespaces that contribute nothing (but the one it is about);
    // the whole one keeps empty boxes.
    if ((scope.around || scope.only) && !used.has(ns.id) && ns.id !== scope.around?.namespace) continue;
    namespaces.push(memo(namespaceNodes, ns, null, () => ({ id: ns.id, label: namespaceLabel(ns.name, ns.kind), kind: ns.kind })));
  }
  const drawn = new Set(namespaces.map((n) => n.id));
  const interfaces: GraphInterface[] = [];
  const links: GraphLink[] = [];
  const seen = new Set<string>();
  const shown = (id: string | null): id is string => !!id && inScope.has(id) && drawn.has(rel.interfaces.get(id)?.namespace ?? '');
  for (const i of topology.interfaces) {
    if (!shown(i.id)) continue;
    interfaces.push(memo(interfaceNodes, i, null, () => ({ id: i.id, ns: i.namespace, label: printable(i.name), kind: i.kind, look: lookOf(i), state: linkState(i) })));
    const peer = i.peer ? rel.interfaces.get(i.peer) : undefined;
    if (peer && shown(peer.id)) {
      const id = vethLinkId(i.id, peer.id);
      if (!seen.has(id)) {
        seen.add(id);
        const [a, b] = i.id < peer.id ? [i.id, peer.id] : [peer.id, i.id];
        links.push(memo(vethLinks, i, peer, () => ({ id, role: 'veth', a, b, state: pairState(i, peer) })));
      }
    }
    const master = i.master;
    if (shown(master)) links.push(memo(portLinks, i, master, () => ({ id: `port:${i.id}`, role: 'port', a: i.id, b: master, state: linkState(i) })));
    const parent = i.parent;
    if (shown(parent)) links.push(memo(parentLinks, i, parent, () => ({ id: `parent:${i.id}`, role: 'parent', a: i.id, b: parent, state: linkState(i) })));
  }
  return { namespaces, interfaces, links };
}
