/**
 * Neighbours and bridge forwarding entries (rtnetlink RTM_*NEIGH): the ARP/NDP cache of a
 * namespace (`ip neigh`) and, with family AF_BRIDGE, the bridges' forwarding databases
 * (`bridge fdb`). Pure codecs; layouts from include/uapi/linux/neighbour.h.
 */
import ipaddr from 'ipaddr.js';
import { attributes, header, macOf, nextSeq } from './rtnetlink.js';

export const RTM_NEWNEIGH = 28;
const RTM_GETNEIGH = 30;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;

const NDA_DST = 1;
const NDA_LLADDR = 2;
const NDA_VLAN = 5;
const NDA_MASTER = 9;

const AF_INET = 2;
const AF_BRIDGE = 7;
const AF_INET6 = 10;

const NTF_SELF = 0x02;

/** NUD_* bits, as `ip neigh` prints them. */
const NUD_STATES: Array<[number, string]> = [
  [0x01, 'INCOMPLETE'], [0x02, 'REACHABLE'], [0x04, 'STALE'], [0x08, 'DELAY'],
  [0x10, 'PROBE'], [0x20, 'FAILED'], [0x40, 'NOARP'], [0x80, 'PERMANENT'],
];

/** The state names of an ndm_state bit set (`NONE` for 0). */
export function nudStates(state: number): string[] {
  const out = NUD_STATES.filter(([bit]) => (state & bit) !== 0).map(([, name]) => name);
  return out.length ? out : ['NONE'];
}

/** One ARP/NDP cache entry (RTM_NEWNEIGH, family AF_INET/AF_INET6). */
export interface Neighbour {
  family: 4 | 6;
  /** ndm_ifindex: the interface the neighbour is reached through. */
  ifindex: number;
  /** NDA_DST. */
  address: string;
  /** NDA_LLADDR: the resolved MAC, null while unresolved. */
  mac: string | null;
  /** ndm_state as names: REACHABLE, STALE, DELAY, PROBE, INCOMPLETE, FAILED, PERMANENT, NOARP. */
  state: string[];
}

/** One bridge forwarding database entry (RTM_NEWNEIGH, family AF_BRIDGE), as `bridge fdb` shows it. */
export interface FdbEntry {
  /** ndm_ifindex: the port (or the bridge itself for `self` entries of the bridge device). */
  ifindex: number;
  /** NDA_MASTER: the bridge this port belongs to, when the entry is the bridge's (`master`). */
  master: number | null;
  /** NDA_LLADDR. */
  mac: string;
  /** NDA_VLAN, null without VLAN filtering. */
  vlan: number | null;
  /** NUD_PERMANENT: a local (the port's own) or static address, never aged out. */
  permanent: boolean;
  /** NTF_SELF: kept by the device itself (its own unicast/multicast filter), not by a bridge. */
  self: boolean;
}

/** `ip neigh show` (IPv4 and IPv6): RTM_GETNEIGH dump. */
export function neighDumpRequest(): Buffer {
  return header(16 + 12, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
}

/** `bridge fdb show`: RTM_GETNEIGH dump with family AF_BRIDGE (every bridge and port of the namespace). */
export function fdbDumpRequest(): Buffer {
  const b = header(16 + 12, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
  b.writeUInt8(AF_BRIDGE, 16);
  return b;
}

/** Decodes an RTM_NEWNEIGH payload of an IP family; null for others (bridge entries, proxies without address). */
export function parseNeighbour(payload: Buffer): Neighbour | null {
  const af = payload.readUInt8(0);
  if (af !== AF_INET && af !== AF_INET6) return null;
  let address: string | null = null;
  let mac: string | null = null;
  for (const [type, value] of attributes(payload, 12)) {
    if (type === NDA_DST) address = ipaddr.fromByteArray([...value]).toString();
    if (type === NDA_LLADDR) mac = macOf(value);
  }
  if (address === null) return null;
  return { family: af === AF_INET ? 4 : 6, ifindex: payload.readInt32LE(4), address, mac, state: nudStates(payload.readUInt16LE(8)) };
}

/** Decodes an RTM_NEWNEIGH payload of family AF_BRIDGE; null for others. */
export function parseFdb(payload: Buffer): FdbEntry | null {
  if (payload.readUInt8(0) !== AF_BRIDGE) return null;
  const flags = payload.readUInt8(10);
  const entry: FdbEntry = {
    ifindex: payload.readInt32LE(4),
    master: null,
    mac: '',
    vlan: null,
    permanent: (payload.readUInt16LE(8) & 0x80) !== 0,
    self: (flags & NTF_SELF) !== 0,
  };
  for (const [type, value] of attributes(payload, 12)) {
    if (type === NDA_LLADDR) entry.mac = macOf(value) ?? '';
    if (type === NDA_VLAN) entry.vlan = value.readUInt16LE(0);
    if (type === NDA_MASTER) entry.master = value.readUInt32LE(0);
  }
  return entry.mac ? entry : null;
}
