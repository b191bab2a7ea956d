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
 * Pairs proven before, by the raw link objects they were proven from. Events replace a
 * changed link's object and leave the others, so a pair whose two objects are both still
 * current is proven by the same facts as before (the nsids of two namespaces do not change
 * while both live; the caller starts a new memo when a namespace's path changed). At 1000
 * namespaces an event then proves one pair again, not 1000. Weak: links gone are forgotten.
 */
export type PairMemo = WeakMap<RawLink, { peer: RawLink; id: string; peerId: string }>;

/**
 * Veth peers as exact (namespace, ifindex) pairs, checked both ways: a candidate w in Y
 * for v in X must have w.ifindex = v's IFLA_LINK, w's IFLA_LINK = v.ifindex, and X must
 * call Y by v's IFLA_LINK_NETNSID while Y calls X by w's. Matching by ifindex or name
 * alone is wrong: every namespace has an ifindex 2.
 * Returns peer ids by interface id; a veth without a proven peer is absent.
 */
export function resolveVethPeers(scans: readonly NamespaceScan[], nsid: NsidLookup, memo: PairMemo = new WeakMap()): Map<string, string> {
  const veths: Array<{ scan: NamespaceScan; link: RawLink }> = [];
  const current = new Set<RawLink>();
  for (const scan of scans) {
    for (const link of scan.links) {
      if (link.infoKind !== 'veth') continue;
      veths.push({ scan, link });
      current.add(link);
    }
  }

  const peers = new Map<string, string>();
  const pending: Array<{ scan: NamespaceScan; link: RawLink }> = [];
  for (const v of veths) {
    const m = memo.get(v.link);
    if (m && current.has(m.peer) && memo.get(m.peer)?.peer === v.link) peers.set(m.id, m.peerId);
    else pending.push(v);
  }
  if (pending.length === 0) return peers;

  const crossNs: Candidates = new Map();
  for (const { scan, link } of veths) {
    if (link.linkNetnsid === null) continue;
    let byTarget = crossNs.get(link.ifindex);
    if (!byTarget) crossNs.set(link.ifindex, (byTarget = new Map()));
    const target = peerIfindex(link);
    let list = byTarget.get(target);
    if (!list) byTarget.set(target, (list = []));
    list.push({ scan, link });
  }
  const pair = (v: RawLink, vId: string, w: RawLink, wId: string): void => {
    peers.set(vId, wId);
    peers.set(wId, vId);
    memo.set(v, { peer: w, id: vId, peerId: wId });
    memo.set(w, { peer: v, id: wId, peerId: vId });
  };

  for (const { scan, link: v } of pending) {
    const vId = interfaceId(scan.entry.inode, v.ifindex);
    if (peers.has(vId)) continue;
    const target = peerIfindex(v);
    if (target <= 0) continue;

    if (v.linkNetnsid === null) {
      // Both ends in this namespace: the ifindex is unique here.
      const w = scan.links.find((l) => l.ifindex === target && l.infoKind === 'veth' && l.linkNetnsid === null && peerIfindex(l) === v.ifindex);
      if (w && w !== v) pair(v, vId, w, interfaceId(scan.entry.inode, w.ifindex));
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
    pair(v, vId, only.link, interfaceId(only.scan.entry.inode, only.link.ifindex));
  }
  return peers;
}
