import type { KernelEvent, RawLink } from '../kernel/index.js';
import type { NamespaceScan } from './collect.js';

/**
 * Folds decoded kernel events, in the order the kernel sent them, into a namespace's scan.
 * The last message about a link or address wins. A link that leaves (deleted, or moved to
 * another namespace: RTM_DELLINK here, RTM_NEWLINK there) takes its addresses with it.
 * Returns the veths that left, as they were.
 */
export function applyEvents(scan: NamespaceScan, events: readonly KernelEvent[]): RawLink[] {
  const departedVeths: RawLink[] = [];
  for (const e of events) {
    if (e.kind === 'link' && e.op === 'new') {
      const i = scan.links.findIndex((l) => l.ifindex === e.link.ifindex);
      if (i >= 0) scan.links[i] = e.link;
      else scan.links.push(e.link);
    } else if (e.kind === 'link') {
      const ifindex = e.link.ifindex;
      const gone = scan.links.find((l) => l.ifindex === ifindex);
      if (gone?.infoKind === 'veth') departedVeths.push(gone);
      scan.links = scan.links.filter((l) => l.ifindex !== ifindex);
      scan.addrs = scan.addrs.filter((a) => a.ifindex !== ifindex);
    } else if (e.kind === 'address') {
      const a = e.address;
      const same = (x: { ifindex: number; cidr: string }): boolean => x.ifindex === a.ifindex && x.cidr === a.cidr;
      // NEWADDR also reports flag changes (IPv6 DAD done): keep one entry per address.
      if (e.op === 'new') {
        if (!scan.addrs.some(same)) scan.addrs.push(a);
      } else {
        scan.addrs = scan.addrs.filter((x) => !same(x));
      }
    }
  }
  return departedVeths;
}
