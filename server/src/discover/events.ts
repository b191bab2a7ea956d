import type { KernelEvent, RawLink } from '../kernel/index.js';
import type { NamespaceScan } from './collect.js';

/** What folding events in changed beyond the scan itself. */
export interface Applied {
  /** Veths that left (deleted, or moved away), as they were: their peers changed silently. */
  departedVeths: RawLink[];
  /** Links that started or stopped running (up, carrier, operstate up): see applyEvents. */
  runningChanged: number[];
  /** Bridges (masters) one of whose ports came, went, or started or stopped running: see applyEvents. */
  mastersTouched: number[];
}

/**
 * The kernel's own test before it gives a link IPv6 addresses (addrconf_link_ready:
 * netif_oper_up): up, carrier, and operstate UP or UNKNOWN. Operstate follows carrier a
 * moment later (linkwatch), so `ip link set X up` first announces UP + LOWER_UP with
 * operstate DOWN, and only the next message, operstate UP, comes after the address exists.
 */
const running = (l: RawLink | undefined): boolean => !!l && l.adminUp && l.lowerUp && (l.operstate === 'UP' || l.operstate === 'UNKNOWN');

/**
 * Folds decoded kernel events, in the order the kernel sent them, into a namespace's scan.
 * The last message about a link or address wins. A link that leaves (deleted, or moved to
 * another namespace: RTM_DELLINK here, RTM_NEWLINK there) takes its addresses with it.
 *
 * Kernel quirk: when a link starts running, IPv6 gives it a link-local address at once,
 * tentative, but announces it only after duplicate address detection (~1-2 s later),
 * while a dump lists it right away. So links whose running state changed are reported:
 * their addresses must be read again.
 *
 * Kernel quirk: a bridge's carrier follows its ports at once (the last forwarding port gone,
 * carrier off), but the bridge's own message waits for linkwatch, up to a second later,
 * while a dump shows it right away. So bridges whose ports changed are reported: their
 * links must be read again.
 */
export function applyEvents(scan: NamespaceScan, events: readonly KernelEvent[]): Applied {
  const departedVeths: RawLink[] = [];
  const runningChanged = new Set<number>();
  const mastersTouched = new Set<number>();
  const touch = (master: number | null | undefined): void => {
    if (master) mastersTouched.add(master);
  };
  for (const e of events) {
    if (e.kind === 'link' && e.op === 'new') {
      const i = scan.links.findIndex((l) => l.ifindex === e.link.ifindex);
      const before = scan.links[i];
      if (running(before) !== running(e.link)) runningChanged.add(e.link.ifindex);
      if (running(before) !== running(e.link) || before?.master !== e.link.master) {
        touch(before?.master);
        touch(e.link.master);
      }
      if (i >= 0) scan.links[i] = e.link;
      else scan.links.push(e.link);
    } else if (e.kind === 'link') {
      const ifindex = e.link.ifindex;
      const gone = scan.links.find((l) => l.ifindex === ifindex);
      if (gone?.infoKind === 'veth') departedVeths.push(gone);
      touch(gone?.master);
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
  const present = (i: number): boolean => scan.links.some((l) => l.ifindex === i);
  return { departedVeths, runningChanged: [...runningChanged].filter(present), mastersTouched: [...mastersTouched].filter(present) };
}
