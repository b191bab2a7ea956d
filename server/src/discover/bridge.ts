import { interfaceId } from '@vethmap/shared';
import type { NamespaceScan } from './collect.js';
import type { NsidLookup } from './veth.js';

/** IFLA_MASTER is an ifindex in the port's own namespace: the bridge (or bond) it is enslaved to. */
export function resolveMasters(scans: readonly NamespaceScan[]): Map<string, string> {
  const masters = new Map<string, string>();
  for (const scan of scans) {
    const present = new Set(scan.links.map((l) => l.ifindex));
    for (const l of scan.links) {
      if (l.master !== null && l.master > 0 && present.has(l.master)) {
        masters.set(interfaceId(scan.entry.inode, l.ifindex), interfaceId(scan.entry.inode, l.master));
      }
    }
  }
  return masters;
}

/** Kinds whose IFLA_LINK names a lower device rather than a peer. */
const STACKED = new Set(['macvlan', 'macvtap', 'ipvlan', 'ipvtap', 'vlan', 'vxlan']);

/**
 * The lower device of a macvlan/vlan/ipvlan. It may live in another namespace (a
 * macvlan moved into a container): then IFLA_LINK_NETNSID names it in this namespace's
 * numbering, and since the lower device does not point back we ask the kernel which
 * namespace has that id here.
 */
export function resolveParents(scans: readonly NamespaceScan[], nsid: NsidLookup): Map<string, string> {
  const parents = new Map<string, string>();
  const hasIndex = (scan: NamespaceScan, ifindex: number): boolean => scan.links.some((l) => l.ifindex === ifindex);
  for (const scan of scans) {
    for (const l of scan.links) {
      if (!l.infoKind || !STACKED.has(l.infoKind) || l.link === null || l.link <= 0) continue;
      let owner: NamespaceScan | undefined;
      if (l.linkNetnsid === null) owner = scan;
      else if (l.linkNetnsid >= 0) owner = scans.find((other) => other !== scan && nsid(scan, other) === l.linkNetnsid);
      if (owner && hasIndex(owner, l.link)) {
        parents.set(interfaceId(scan.entry.inode, l.ifindex), interfaceId(owner.entry.inode, l.link));
      }
    }
  }
  return parents;
}
