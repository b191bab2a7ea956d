import type { NamespaceScan } from './collect.js';
import {
  parseAddress, parseLink, RTM_DELADDR, RTM_DELLINK, RTM_NEWADDR, RTM_NEWLINK, type Message, type RawLink,
} from '../kernel/rtnetlink.js';

const AF_UNSPEC = 0;

/**
 * Folds rtnetlink events, in the order the kernel sent them, into a namespace's scan.
 * Order matters and is kept: the last message about a link or address wins. A link that
 * leaves (deleted, or moved to another namespace: RTM_DELLINK here, RTM_NEWLINK there)
 * takes its addresses with it. Returns the veths that left, as they were.
 */
export function applyEvents(scan: NamespaceScan, messages: readonly Message[]): RawLink[] {
  const departedVeths: RawLink[] = [];
  for (const m of messages) {
    // Kernel quirk: the bridge module announces port state on the same group as
    // RTM_NEWLINK/RTM_DELLINK with ifi_family AF_BRIDGE. Those carry bridge attributes,
    // not the link (no linkinfo, no IFLA_LINK), and a DELLINK there only means "no longer
    // a port". Only AF_UNSPEC link messages describe a link.
    if ((m.type === RTM_NEWLINK || m.type === RTM_DELLINK) && m.payload.readUInt8(0) !== AF_UNSPEC) continue;
    switch (m.type) {
      case RTM_NEWLINK: {
        const link = parseLink(m.payload);
        const i = scan.links.findIndex((l) => l.ifindex === link.ifindex);
        if (i >= 0) scan.links[i] = link;
        else scan.links.push(link);
        break;
      }
      case RTM_DELLINK: {
        const ifindex = m.payload.readInt32LE(4);
        const gone = scan.links.find((l) => l.ifindex === ifindex);
        if (gone?.infoKind === 'veth') departedVeths.push(gone);
        scan.links = scan.links.filter((l) => l.ifindex !== ifindex);
        scan.addrs = scan.addrs.filter((a) => a.ifindex !== ifindex);
        break;
      }
      case RTM_NEWADDR: {
        const a = parseAddress(m.payload);
        // NEWADDR also reports flag changes (IPv6 DAD done): keep one entry per address.
        if (a && !scan.addrs.some((x) => x.ifindex === a.ifindex && x.cidr === a.cidr)) scan.addrs.push(a);
        break;
      }
      case RTM_DELADDR: {
        const a = parseAddress(m.payload);
        if (a) scan.addrs = scan.addrs.filter((x) => !(x.ifindex === a.ifindex && x.cidr === a.cidr));
        break;
      }
    }
  }
  return departedVeths;
}
