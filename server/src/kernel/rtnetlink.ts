/**
 * rtnetlink messages: encoding the few requests vethmap makes and decoding replies and
 * events. Pure functions over Buffers, so recorded kernel output can be replayed in tests.
 * Layouts from include/uapi/linux/{netlink,rtnetlink,if_link,if_addr,net_namespace}.h.
 */

export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWNSID = 88;
export const RTM_DELNSID = 89;
export const RTM_GETNSID = 90;

const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;

/** Multicast groups (legacy bitmask) for link and address events. */
export const RTMGRP_LINK = 0x1;
export const RTMGRP_IPV4_IFADDR = 0x10;
export const RTMGRP_IPV6_IFADDR = 0x100;
/** RTNLGRP_NSID (28) has no legacy bit: joined with NETLINK_ADD_MEMBERSHIP. */
export const RTNLGRP_NSID = 28;

const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_LINK = 5;
const IFLA_MASTER = 10;
const IFLA_OPERSTATE = 16;
const IFLA_LINKINFO = 18;
const IFLA_EXT_MASK = 29;
const IFLA_LINK_NETNSID = 37;
/** Skips the per-link statistics (most of a dump's bytes): vethmap shows none. */
const RTEXT_FILTER_SKIP_STATS = 1 << 3;
const IFLA_INFO_KIND = 1;

const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;

const NETNSA_NSID = 1;
const NETNSA_FD = 3;

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const IFF_LOWER_UP = 0x10000;

const AF_INET = 2;
const AF_INET6 = 10;

/** IF_OPER_* in the order the kernel numbers them. */
const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

/** One link as RTM_NEWLINK describes it, before any cross-namespace resolving. */
export interface RawLink {
  ifindex: number;
  name: string;
  /** IFLA_INFO_KIND, or null for devices without rtnl_link_ops (physical NICs, lo). */
  infoKind: string | null;
  flags: number;
  adminUp: boolean;
  lowerUp: boolean;
  loopback: boolean;
  mtu: number;
  mac: string | null;
  operstate: string;
  /** IFLA_LINK. The kernel omits it when it equals ifindex (see resolve). */
  link: number | null;
  /** IFLA_LINK_NETNSID, in the numbering of the namespace this link was read in. */
  linkNetnsid: number | null;
  master: number | null;
}

export interface RawAddress {
  ifindex: number;
  family: 4 | 6;
  /** `addr/prefixlen`. */
  cidr: string;
}

export interface Message {
  type: number;
  flags: number;
  seq: number;
  payload: Buffer;
}

let seqCounter = Math.floor(Math.random() * 0x7fffffff);
export function nextSeq(): number {
  seqCounter = (seqCounter + 1) & 0x7fffffff;
  return seqCounter;
}

/** A zeroed netlink message of `length` bytes with its nlmsghdr filled in. */
export function header(length: number, type: number, flags: number, seq: number): Buffer {
  const b = Buffer.alloc(length);
  b.writeUInt32LE(length, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt32LE(seq, 8);
  return b;
}

/** `ip link show`: RTM_GETLINK dump with an empty ifinfomsg, statistics left out. */
export function linkDumpRequest(): Buffer {
  const b = header(16 + 16 + 8, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
  b.writeUInt16LE(8, 32);
  b.writeUInt16LE(IFLA_EXT_MASK, 34);
  b.writeUInt32LE(RTEXT_FILTER_SKIP_STATS, 36);
  return b;
}

/** `ip link show dev IFINDEX`: one link, statistics left out. */
export function linkGetRequest(ifindex: number): Buffer {
  const b = header(16 + 16 + 8, RTM_GETLINK, NLM_F_REQUEST, nextSeq());
  b.writeInt32LE(ifindex, 20);
  b.writeUInt16LE(8, 32);
  b.writeUInt16LE(IFLA_EXT_MASK, 34);
  b.writeUInt32LE(RTEXT_FILTER_SKIP_STATS, 36);
  return b;
}

/**
 * `ip link show dev NAME`: one link by IFLA_IFNAME (ifi_index 0), statistics left out.
 * The kernel answers ENODEV when there is none; a name over 15 bytes cannot exist (EINVAL).
 */
export function linkGetByNameRequest(name: string): Buffer {
  const value = Buffer.from(`${name}\0`, 'utf8');
  const attr = 4 + value.length;
  const b = header(16 + 16 + 8 + ((attr + 3) & ~3), RTM_GETLINK, NLM_F_REQUEST, nextSeq());
  b.writeUInt16LE(8, 32);
  b.writeUInt16LE(IFLA_EXT_MASK, 34);
  b.writeUInt32LE(RTEXT_FILTER_SKIP_STATS, 36);
  b.writeUInt16LE(attr, 40);
  b.writeUInt16LE(IFLA_IFNAME, 42);
  value.copy(b, 44);
  return b;
}

/**
 * `ip addr show [dev IFINDEX]`: RTM_GETADDR dump for every family, of one link when
 * `ifindex` is given (the kernel honours ifa_index only on a strict-checking socket).
 */
export function addrDumpRequest(ifindex = 0): Buffer {
  const b = header(16 + 8, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
  b.writeUInt32LE(ifindex, 20);
  return b;
}

/** `ip netns identify`-style question: the id this namespace gives the one open at `fd`. */
export function nsidRequest(fd: number): Buffer {
  const b = header(16 + 4 + 8, RTM_GETNSID, NLM_F_REQUEST, nextSeq());
  b.writeUInt16LE(8, 20); // nlattr length
  b.writeUInt16LE(NETNSA_FD, 22);
  b.writeUInt32LE(fd, 24);
  return b;
}

export class NetlinkError extends Error {
  constructor(readonly errno: number) {
    super(`netlink error ${errno}`);
    this.name = 'NetlinkError';
  }
}

/** Splits datagrams into messages; an NLMSG_ERROR with a non-zero code throws. */
export function parseMessages(data: Buffer, throwOnError = true): Message[] {
  const out: Message[] = [];
  let off = 0;
  while (off + 16 <= data.length) {
    const len = data.readUInt32LE(off);
    if (len < 16 || off + len > data.length) break; // truncated: never read past the end
    const type = data.readUInt16LE(off + 4);
    const msg = { type, flags: data.readUInt16LE(off + 6), seq: data.readUInt32LE(off + 8), payload: data.subarray(off + 16, off + len) };
    if (type === NLMSG_ERROR && throwOnError) {
      const code = msg.payload.readInt32LE(0);
      if (code !== 0) throw new NetlinkError(-code);
    }
    out.push(msg);
    off += (len + 3) & ~3;
  }
  return out;
}

/** The attributes (type without NLA_F_* bits, value) from `start` to the end of `buf`; stops at a malformed one. */
export function* attributes(buf: Buffer, start: number): Generator<[number, Buffer]> {
  let off = start;
  while (off + 4 <= buf.length) {
    const len = buf.readUInt16LE(off);
    if (len < 4 || off + len > buf.length) return;
    yield [buf.readUInt16LE(off + 2) & 0x3fff, buf.subarray(off + 4, off + len)];
    off += (len + 3) & ~3;
  }
}

export function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.toString('utf8', 0, end < 0 ? b.length : end);
}

/** The NUL-terminated string in `b` from `start` to at most `end`. */
function cStringAt(b: Buffer, start: number, end: number): string {
  let nul = start;
  while (nul < end && b[nul] !== 0) nul++;
  return b.toString('utf8', start, nul);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/*
 * Host-order (little-endian) reads for the decoders' loops, whose bounds are checked by the
 * loops themselves: Buffer's readUInt16LE validates its argument on every call, and a
 * snapshot decodes thousands of messages in code too cold to have that optimised away.
 */
export const u16 = (b: Buffer, o: number): number => b[o]! | (b[o + 1]! << 8);
export const i32 = (b: Buffer, o: number): number => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
export const u32 = (b: Buffer, o: number): number => i32(b, o) >>> 0;

export function macOf(b: Buffer): string | null {
  return b.length === 0 ? null : macAt(b, 0, b.length);
}

function macAt(b: Buffer, start: number, end: number): string | null {
  if (end <= start) return null;
  let s = HEX[b[start]!]!;
  for (let i = start + 1; i < end; i++) s += `:${HEX[b[i]!]!}`;
  return s;
}

/*
 * The decoders below walk attributes by offset instead of through `attributes()`: a
 * snapshot decodes every link of every namespace, and a tuple and a Buffer view per
 * attribute (a link carries ~40) is garbage for each. They read a message where it lies in
 * a bulk read's buffer (`linkAt`), not a view of it. A value shorter than its type's is
 * skipped, as a view's read would have thrown.
 */

/** Decodes an RTM_NEWLINK / RTM_DELLINK payload. */
export function parseLink(payload: Buffer): RawLink {
  return linkAt(payload, 0, payload.length);
}

/** `parseLink` of the payload at `payload[start, end)`. */
export function linkAt(payload: Buffer, start: number, end: number): RawLink {
  if (end - start < 16) throw new RangeError('an RTM_NEWLINK shorter than its ifinfomsg');
  const flags = u32(payload, start + 8);
  const link: RawLink = {
    ifindex: i32(payload, start + 4),
    name: '',
    infoKind: null,
    flags,
    adminUp: (flags & IFF_UP) !== 0,
    lowerUp: (flags & IFF_LOWER_UP) !== 0,
    loopback: (flags & IFF_LOOPBACK) !== 0,
    mtu: 0,
    mac: null,
    operstate: 'UNKNOWN',
    link: null,
    linkNetnsid: null,
    master: null,
  };
  for (let off = start + 16; off + 4 <= end; ) {
    const len = u16(payload, off);
    if (len < 4 || off + len > end) break;
    const v = off + 4;
    const four = len >= 8;
    switch (u16(payload, off + 2) & 0x3fff) {
      case IFLA_IFNAME: link.name = cStringAt(payload, v, off + len); break;
      case IFLA_MTU: if (four) link.mtu = u32(payload, v); break;
      case IFLA_ADDRESS: link.mac = macAt(payload, v, off + len); break;
      case IFLA_LINK: if (four) link.link = i32(payload, v); break;
      case IFLA_LINK_NETNSID: if (four) link.linkNetnsid = i32(payload, v); break;
      case IFLA_MASTER: if (four) link.master = u32(payload, v); break;
      case IFLA_OPERSTATE: if (len > 4) link.operstate = OPERSTATES[payload[v]!] ?? 'UNKNOWN'; break;
      case IFLA_LINKINFO:
        for (let i = v; i + 4 <= off + len; ) {
          const l = u16(payload, i);
          if (l < 4 || i + l > off + len) break;
          if ((u16(payload, i + 2) & 0x3fff) === IFLA_INFO_KIND) link.infoKind = cStringAt(payload, i + 4, i + l);
          i += (l + 3) & ~3;
        }
        break;
    }
    off += (len + 3) & ~3;
  }
  return link;
}

export function ipv6(b: Buffer): string {
  return ipv6At(b, 0);
}

function ipv6At(b: Buffer, start: number): string {
  // RFC 5952: compress the longest run (≥2) of zero groups, the first one on a tie.
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (b[start + 2 * i] !== 0 || b[start + 2 * i + 1] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && b[start + 2 * j] === 0 && b[start + 2 * j + 1] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += ((b[start + 2 * i]! << 8) | b[start + 2 * i + 1]!).toString(16);
  }
  return out;
}

/** ifaddrmsg.ifa_index of an RTM_NEWADDR / RTM_DELADDR payload, without decoding the rest. */
export function addressIfindex(payload: Buffer): number {
  return payload.readUInt32LE(4);
}

/** Decodes an RTM_NEWADDR / RTM_DELADDR payload; null for families other than IPv4/6. */
export function parseAddress(payload: Buffer): RawAddress | null {
  return addressAt(payload, 0, payload.length);
}

/** `parseAddress` of the payload at `payload[start, end)`. */
export function addressAt(payload: Buffer, start: number, end: number): RawAddress | null {
  if (end - start < 8) throw new RangeError('an RTM_NEWADDR shorter than its ifaddrmsg');
  const family = payload[start]!;
  const prefix = payload[start + 1]!;
  const ifindex = u32(payload, start + 4);
  const size = family === AF_INET ? 4 : family === AF_INET6 ? 16 : 0;
  if (size === 0) return null;
  let address = -1, local = -1;
  for (let off = start + 8; off + 4 <= end; ) {
    const len = u16(payload, off);
    if (len < 4 || off + len > end) break;
    const type = u16(payload, off + 2) & 0x3fff;
    // Shorter than the family's address: skipped (a view's read would have thrown).
    if (len - 4 >= size) {
      if (type === IFA_ADDRESS) address = off + 4;
      if (type === IFA_LOCAL) local = off + 4;
    }
    off += (len + 3) & ~3;
  }
  if (family === AF_INET) {
    // On point-to-point links IFA_ADDRESS is the far end; IFA_LOCAL is ours.
    const a = local >= 0 ? local : address;
    return a >= 0 ? { ifindex, family: 4, cidr: `${payload[a]}.${payload[a + 1]}.${payload[a + 2]}.${payload[a + 3]}/${prefix}` } : null;
  }
  return address >= 0 ? { ifindex, family: 6, cidr: `${ipv6At(payload, address)}/${prefix}` } : null;
}

/** The nsid from an RTM_NEWNSID reply; -1 (NETNSA_NSID_NOT_ASSIGNED) when there is none. */
export function parseNsid(payload: Buffer): number {
  for (const [type, value] of attributes(payload, 4)) {
    if (type === NETNSA_NSID) return value.readInt32LE(0);
  }
  return -1;
}
