import { interfaceId } from '@vethmap/shared';
import type { NamespaceScan } from './collect.js';
import type { RawLink } from '../kernel/index.js';

/**
 * The id namespace `from` gives namespace `to` (RTM_GETNSID), or -1 when none.
 * Injected so relation resolving stays pure and replayable from recorded output.
 */
export type NsidLookup = (from: NamespaceScan, to: NamespaceScan) => number;

/**
 * Where a veth says its peer is. Kernel quirk: IFLA_LINK is omitted when the peer's
 * ifindex equals the veth's own (possible across namespaces), so absent means "same
 * number as mine"; IFLA_LINK = 0 means the peer is gone.
 */
export function peerIfindex(link: RawLink): number {
  return link.link ?? link.ifindex;
}

/** Cross-namespace veth ends by ifindex, then by the ifindex they point at: numbers, not strings (thousands of ends per event). */
type Candidates = Map<number, Map<number, Array<{ scan: NamespaceScan; link: RawLink }>>>;

/**
 * Veth peers as exact (namespace, ifindex) pairs, checked both ways: a candidate w in Y
 * for v in X must have w.ifindex = v's IFLA_LINK, w's IFLA_LINK = v.ifindex, and X must
 * call Y by v's IFLA_LINK_NETNSID while Y calls X by w's. Matching by ifindex or name
 * alone is wrong: every namespace has an ifindex 2.
 * Returns peer ids by interface id; a veth without a proven peer is absent.
 */
export function resolveVethPeers(scans: readonly NamespaceScan[], nsid: NsidLookup): Map<string, string> {
  const crossNs: Candidates = new Map();
  for (const scan of scans) {
    for (const link of scan.links) {
      if (link.infoKind !== 'veth' || link.linkNetnsid === null) continue;
      let byTarget = crossNs.get(link.ifindex);
      if (!byTarget) crossNs.set(link.ifindex, (byTarget = new Map()));
      const target = peerIfindex(link);
      let list = byTarget.get(target);
      if (!list) byTarget.set(target, (list = []));
      list.push({ scan, link });
    }
  }

  const peers = new Map<string, string>();
  for (const scan of scans) {
    for (const v of scan.links) {
      if (v.infoKind !== 'veth') continue;
      const vId = interfaceId(scan.entry.inode, v.ifindex);
      if (peers.has(vId)) continue;
      const target = peerIfindex(v);
      if (target <= 0) continue;

      if (v.linkNetnsid === null) {
        // Both ends in this namespace: the ifindex is unique here.
        const w = scan.links.find((l) => l.ifindex === target && l.infoKind === 'veth' && l.linkNetnsid === null && peerIfindex(l) === v.ifindex);
        if (w && w !== v) {
          const wId = interfaceId(scan.entry.inode, w.ifindex);
          peers.set(vId, wId);
          peers.set(wId, vId);
        }
        continue;
      }
      if (v.linkNetnsid < 0) continue; // the kernel could not name the peer's namespace

      const matches = (crossNs.get(target)?.get(v.ifindex) ?? []).filter(
        (c) =>
          c.scan !== scan &&
          c.link.linkNetnsid !== null &&
          nsid(scan, c.scan) === v.linkNetnsid &&
          nsid(c.scan, scan) === c.link.linkNetnsid,
      );
      const only = matches.length === 1 ? matches[0] : undefined;
      if (!only) continue; // none visible (or, impossibly, two): no peer beats a wrong one
      const wId = interfaceId(only.scan.entry.inode, only.link.ifindex);
      peers.set(vId, wId);
      peers.set(wId, vId);
    }
  }
  return peers;
}
