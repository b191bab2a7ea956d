import { interfaceId, namespaceId, type Interface, type Namespace } from '@vethmap/shared';
import type { NamespaceScan } from './collect.js';
import type { RawAddress, RawLink } from '../kernel/index.js';
import { resolveMasters, resolveParents } from './bridge.js';
import { resolveVethPeers, type NsidLookup, type PairMemo } from './veth.js';

function kindOf(l: RawLink): string {
  if (l.infoKind) return l.infoKind;
  return l.loopback ? 'loopback' : 'device';
}

/**
 * Phase two of discovery: the raw links of every namespace, related to each other.
 * Pure given `nsid`; the output order is stable (namespace inode, then ifindex).
 */
export function resolveRelations(scans: readonly NamespaceScan[], nsid: NsidLookup): Interface[] {
  return resolveRelationsReusing(scans, nsid, new Map()).interfaces;
}

/**
 * `resolveRelations`, reusing what was built before for namespaces whose scan has not
 * changed: `previous` holds, by namespace inode, the interfaces built from the scan as it
 * still is (the caller drops a namespace from it when its scan changes). Their peers,
 * masters and parents are resolved again (another namespace's change moves them), and an
 * interface whose relations are unchanged is the very same object: a diff of two pictures
 * then skips it at once. At 2000 namespaces this took an event from ~150 ms to a few.
 */
export function resolveRelationsReusing(
  scans: readonly NamespaceScan[],
  nsid: NsidLookup,
  previous: ReadonlyMap<number, readonly Interface[]>,
  memo: RelationMemo = newRelationMemo(),
): { interfaces: Interface[]; byNamespace: Map<number, Interface[]> } {
  const peers = resolveVethPeers(scans, nsid, memo.pairs);
  const masters = resolveMasters(scans);
  const parents = resolveParents(scans, nsid);
  const out: Interface[] = [];
  const byNamespace = new Map<number, Interface[]>();
  const ordered = [...scans].sort((a, b) => a.entry.inode - b.entry.inode);
  for (const scan of ordered) {
    const before = previous.get(scan.entry.inode);
    const built = before
      ? before.map((i) => relate(i, peers.get(i.id) ?? null, masters.get(i.id) ?? null, parents.get(i.id) ?? null))
      : build(scan, peers, masters, parents, memo.byLink);
    byNamespace.set(scan.entry.inode, built);
    for (const i of built) out.push(i);
  }
  return { interfaces: out, byNamespace };
}

function relate(i: Interface, peer: string | null, master: string | null, parent: string | null): Interface {
  return i.peer === peer && i.master === master && i.parent === parent ? i : { ...i, peer, master, parent };
}

/**
 * The interface last built from each raw link object. Events replace a changed link's
 * object and leave the others as they were, so within a namespace whose scan changed (the
 * root, at one port's carrier change) only the changed links are built again; the rest
 * stay the same objects and a diff skips them at once. Weak: a link gone is forgotten.
 */
export type LinkMemo = WeakMap<RawLink, Interface>;

/** What one resolve keeps for the next, by raw link object (see LinkMemo and PairMemo). */
export interface RelationMemo {
  byLink: LinkMemo;
  pairs: PairMemo;
}

export const newRelationMemo = (): RelationMemo => ({ byLink: new WeakMap(), pairs: new WeakMap() });

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function build(scan: NamespaceScan, peers: Map<string, string>, masters: Map<string, string>, parents: Map<string, string>, byLink: LinkMemo): Interface[] {
  const ns = namespaceId(scan.entry.inode);
  const addrsOf = new Map<number, RawAddress[]>();
  for (const a of scan.addrs) {
    let list = addrsOf.get(a.ifindex);
    if (!list) addrsOf.set(a.ifindex, (list = []));
    list.push(a);
  }
  // IPv4 before IPv6, each in numeric order: events and dumps list addresses in
  // different orders, and the live picture must equal a fresh scan. Sorted per link: a
  // root with 1000 ports holds 1000 link-local addresses, and sorting them all as one list
  // (keys parsed on every comparison) was most of an event's time at 1000 namespaces.
  const addrs = new Map<number, string[]>();
  for (const [ifindex, list] of addrsOf) addrs.set(ifindex, (list.length > 1 ? list.sort(compareAddresses) : list).map((a) => a.cidr));
  const out: Interface[] = [];
  for (const l of [...scan.links].sort((a, b) => a.ifindex - b.ifindex)) {
    const addresses = addrs.get(l.ifindex) ?? [];
    const before = byLink.get(l);
    if (before && sameStrings(before.addresses, addresses)) {
      const related = relate(before, peers.get(before.id) ?? null, masters.get(before.id) ?? null, parents.get(before.id) ?? null);
      if (related !== before) byLink.set(l, related);
      out.push(related);
      continue;
    }
    const id = interfaceId(scan.entry.inode, l.ifindex);
    const made: Interface = {
      id,
      namespace: ns,
      ifindex: l.ifindex,
      name: l.name,
      kind: kindOf(l),
      mac: l.loopback ? null : l.mac,
      mtu: l.mtu,
      operstate: l.operstate,
      adminUp: l.adminUp,
      lowerUp: l.lowerUp,
      master: masters.get(id) ?? null,
      peer: peers.get(id) ?? null,
      parent: parents.get(id) ?? null,
      addresses,
      link: { ifindex: l.link, netnsid: l.linkNetnsid },
    };
    byLink.set(l, made);
    out.push(made);
  }
  return out;
}

/** The 16-bit groups of an IPv6 address or the octets of an IPv4 one, for ordering. */
function addressKey(cidr: string): number[] {
  const addr = cidr.slice(0, cidr.lastIndexOf('/'));
  if (!addr.includes(':')) return addr.split('.').map(Number);
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16));
}

function compareAddresses(a: RawAddress, b: RawAddress): number {
  if (a.family !== b.family) return a.family - b.family;
  const ka = addressKey(a.cidr);
  const kb = addressKey(b.cidr);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] ?? 0) - (kb[i] ?? 0);
  return Number(a.cidr.split('/')[1]) - Number(b.cidr.split('/')[1]);
}

/**
 * Root, named, Docker's, then process-held namespaces, each by name in code-unit order
 * (as the diagrams order names): the same on every host whatever its locale, and a
 * `vethmap snapshot` does not pay ICU's collator start-up (5 ms of a 300-namespace one).
 */
export function sortNamespaces(list: Namespace[]): Namespace[] {
  const rank = { root: 0, named: 1, docker: 2, process: 3 } as const;
  return [...list].sort((a, b) => rank[a.kind] - rank[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.inode - b.inode);
}
