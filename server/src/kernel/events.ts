import {
  parseAddress, parseLink, RTM_DELADDR, RTM_DELLINK, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNSID, RTM_DELNSID,
  type Message, type RawAddress, type RawLink,
} from './rtnetlink.js';

/**
 * What a namespace's event socket reports, decoded: the link and address changes
 * `ip monitor link address` would print, and a notice that events were lost.
 */
export type KernelEvent =
  /** RTM_NEWLINK (created or changed: the whole link, as a dump would show it) / RTM_DELLINK (deleted, or moved away). */
  | { kind: 'link'; op: 'new' | 'del'; link: RawLink }
  /** RTM_NEWADDR (also sent when flags change, e.g. IPv6 DAD done) / RTM_DELADDR. */
  | { kind: 'address'; op: 'new' | 'del'; address: RawAddress }
  /** RTM_NEWNSID / RTM_DELNSID: this namespace gave (or dropped) an id for another one. */
  | { kind: 'nsid'; op: 'new' | 'del' };

const AF_UNSPEC = 0;

/**
 * Decodes event datagrams in the order the kernel sent them (order matters: the last
 * message about a link or address wins).
 *
 * Kernel quirk: the bridge module announces port state on the link group as RTM_NEWLINK /
 * RTM_DELLINK with ifi_family AF_BRIDGE. Those carry bridge attributes, not the link (no
 * linkinfo, no IFLA_LINK), and a DELLINK there only means "no longer a port": applied as
 * links they turned bridge ports into peerless devices. Only AF_UNSPEC messages describe a link.
 */
export function decodeEvents(messages: readonly Message[]): KernelEvent[] {
  const out: KernelEvent[] = [];
  for (const m of messages) {
    switch (m.type) {
      case RTM_NEWLINK:
      case RTM_DELLINK:
        if (m.payload.length < 16 || m.payload.readUInt8(0) !== AF_UNSPEC) break;
        out.push({ kind: 'link', op: m.type === RTM_NEWLINK ? 'new' : 'del', link: parseLink(m.payload) });
        break;
      case RTM_NEWADDR:
      case RTM_DELADDR: {
        const address = m.payload.length >= 8 ? parseAddress(m.payload) : null;
        if (address) out.push({ kind: 'address', op: m.type === RTM_NEWADDR ? 'new' : 'del', address });
        break;
      }
      case RTM_NEWNSID:
      case RTM_DELNSID:
        out.push({ kind: 'nsid', op: m.type === RTM_NEWNSID ? 'new' : 'del' });
        break;
    }
  }
  return out;
}
