import { interfaceId, namespaceId, type Interface, type Namespace } from '@vethmap/shared';
import type { NamespaceScan } from './collect.js';
import type { RawLink } from '../kernel/index.js';
import { resolveMasters, resolveParents } from './bridge.js';
import { resolveVethPeers, type NsidLookup } from './veth.js';

function kindOf(l: RawLink): string {
  if (l.infoKind) return l.infoKind;
  return l.loopback ? 'loopback' : 'device';
}

/**
 * Phase two of discovery: the raw links of every namespace, related to each other.
 * Pure given `nsid`; the output order is stable (namespace inode, then ifindex).
 */
export function resolveRelations(scans: readonly NamespaceScan[], nsid: NsidLookup): Interface[] {
  const peers = resolveVethPeers(scans, nsid);
  const masters = resolveMasters(scans);
  const parents = resolveParents(scans, nsid);
  const out: Interface[] = [];
  const ordered = [...scans].sort((a, b) => a.entry.inode - b.entry.inode);
  for (const scan of ordered) {
    const ns = namespaceId(scan.entry.inode);
    const addrs = new Map<number, string[]>();
    // IPv4 before IPv6, each in the kernel's order.
    for (const family of [4, 6] as const) {
      for (const a of scan.addrs) {
        if (a.family !== family) continue;
        let list = addrs.get(a.ifindex);
        if (!list) addrs.set(a.ifindex, (list = []));
        list.push(a.cidr);
      }
    }
    for (const l of [...scan.links].sort((a, b) => a.ifindex - b.ifindex)) {
      const id = interfaceId(scan.entry.inode, l.ifindex);
      out.push({
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
        addresses: addrs.get(l.ifindex) ?? [],
        link: { ifindex: l.link, netnsid: l.linkNetnsid },
      });
    }
  }
  return out;
}

export function sortNamespaces(list: Namespace[]): Namespace[] {
  const rank = { root: 0, named: 1, docker: 2, process: 3 } as const;
  return [...list].sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name) || a.inode - b.inode);
}
