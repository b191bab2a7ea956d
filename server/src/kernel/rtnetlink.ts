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

export function macOf(b: Buffer): string | null {
  if (b.length === 0) return null;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Decodes an RTM_NEWLINK / RTM_DELLINK payload. */
export function parseLink(payload: Buffer): RawLink {
  const flags = payload.readUInt32LE(8);
  const link: RawLink = {
    ifindex: payload.readInt32LE(4),
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
  for (const [type, value] of attributes(payload, 16)) {
    switch (type) {
      case IFLA_IFNAME: link.name = cString(value); break;
      case IFLA_MTU: link.mtu = value.readUInt32LE(0); break;
      case IFLA_ADDRESS: link.mac = macOf(value); break;
      case IFLA_LINK: link.link = value.readInt32LE(0); break;
      case IFLA_LINK_NETNSID: link.linkNetnsid = value.readInt32LE(0); break;
      case IFLA_MASTER: link.master = value.readUInt32LE(0); break;
      case IFLA_OPERSTATE: link.operstate = OPERSTATES[value.readUInt8(0)] ?? 'UNKNOWN'; break;
      case IFLA_LINKINFO:
        for (const [infoType, infoValue] of attributes(value, 0)) {
          if (infoType === IFLA_INFO_KIND) link.infoKind = cString(infoValue);
        }
        break;
    }
  }
  return link;
}

export function ipv6(b: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  // RFC 5952: compress the longest run (≥2) of zero groups, the first one on a tie.
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** ifaddrmsg.ifa_index of an RTM_NEWADDR / RTM_DELADDR payload, without decoding the rest. */
export function addressIfindex(payload: Buffer): number {
  return payload.readUInt32LE(4);
}

/** Decodes an RTM_NEWADDR / RTM_DELADDR payload; null for families other than IPv4/6. */
export function parseAddress(payload: Buffer): RawAddress | null {
  const family = payload.readUInt8(0);
  const prefix = payload.readUInt8(1);
  const ifindex = addressIfindex(payload);
  let address: Buffer | undefined, local: Buffer | undefined;
  for (const [type, value] of attributes(payload, 8)) {
    if (type === IFA_ADDRESS) address = value;
    if (type === IFA_LOCAL) local = value;
  }
  if (family === AF_INET) {
    // On point-to-point links IFA_ADDRESS is the far end; IFA_LOCAL is ours.
    const a = local ?? address;
    return a ? { ifindex, family: 4, cidr: `${[...a].join('.')}/${prefix}` } : null;
  }
  if (family === AF_INET6 && address) return { ifindex, family: 6, cidr: `${ipv6(address)}/${prefix}` };
  return null;
}

/** The nsid from an RTM_NEWNSID reply; -1 (NETNSA_NSID_NOT_ASSIGNED) when there is none. */
export function parseNsid(payload: Buffer): number {
  for (const [type, value] of attributes(payload, 4)) {
    if (type === NETNSA_NSID) return value.readInt32LE(0);
  }
  return -1;
}
