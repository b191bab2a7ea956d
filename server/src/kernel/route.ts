/**
 * Routes and policy rules (rtnetlink RTM_*ROUTE, RTM_*RULE): encoding the questions and
 * decoding the answers. Pure functions over Buffers, replayed from recorded bytes in tests.
 * Layouts from include/uapi/linux/{rtnetlink,fib_rules}.h.
 */
import ipaddr from 'ipaddr.js';
import { attributes, cString, header, nextSeq } from './rtnetlink.js';

export const RTM_NEWROUTE = 24;
const RTM_GETROUTE = 26;
export const RTM_NEWRULE = 32;
const RTM_GETRULE = 34;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;

const RTA_DST = 1;
const RTA_SRC = 2;
const RTA_IIF = 3;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_PREFSRC = 7;
const RTA_MULTIPATH = 9;
const RTA_TABLE = 15;
const RTA_MARK = 16;
const RTNH_F_ONLINK = 4;
const RTM_F_FIB_MATCH = 0x2000;

const FRA_DST = 1;
const FRA_SRC = 2;
const FRA_IIFNAME = 3;
const FRA_GOTO = 4;
const FRA_PRIORITY = 6;
const FRA_FWMARK = 10;
const FRA_TABLE = 15;
const FRA_FWMASK = 16;
const FRA_OIFNAME = 17;
const FIB_RULE_INVERT = 0x2;

const AF_INET = 2;
const AF_INET6 = 10;

/** rtm_type, as `ip route` prints it. */
const ROUTE_TYPES = ['unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];
/** fib_rule_hdr.action, as `ip rule` prints it. */
const RULE_ACTIONS = ['unspec', 'lookup', 'goto', 'nop', 'res3', 'res4', 'blackhole', 'unreachable', 'prohibit'];
const SCOPES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };
const TABLES: Record<number, string> = { 253: 'default', 254: 'main', 255: 'local' };

/** A table number as `ip` names it (`main`, `local`, or the number). */
export function tableName(table: number): string {
  return TABLES[table] ?? String(table);
}

/** One next hop of a route: RTA_OIF + RTA_GATEWAY, or one rtnexthop of RTA_MULTIPATH. */
export interface NextHop {
  /** Output interface (ifindex in the namespace that answered). */
  oif: number | null;
  /** RTA_GATEWAY, null for an on-link (directly connected) destination. */
  gateway: string | null;
  /** RTNH_F_ONLINK: the gateway is declared on-link, whatever the addresses say. */
  onlink: boolean;
}

/** A route as RTM_NEWROUTE describes it (a dump entry, or the answer to a route get). */
export interface Route {
  family: 4 | 6;
  /** rtm_type: unicast, local, blackhole, unreachable, prohibit, ... */
  type: string;
  /** RTA_TABLE (or rtm_table): main, local, or a number. */
  table: string;
  /** RTA_DST/rtm_dst_len as a CIDR; `default` for /0. */
  dst: string;
  /** rtm_scope: global, link, host, ... */
  scope: string;
  /** RTA_PREFSRC: the source address the kernel picks. */
  prefsrc: string | null;
  /** RTA_PRIORITY (the metric). */
  metric: number | null;
  /** RTA_IIF, only in answers to a route get with an input interface. */
  iif: number | null;
  nexthops: NextHop[];
}

/** A policy routing rule as RTM_NEWRULE describes it (`ip rule`). */
export interface Rule {
  family: 4 | 6;
  /** FRA_PRIORITY. */
  priority: number;
  /** fib_rule_hdr.action: lookup, goto, blackhole, unreachable, prohibit, nop. */
  action: string;
  /** FRA_TABLE (or the header's table) for `lookup`. */
  table: string | null;
  /** FRA_SRC / FRA_DST as CIDRs, null for `all`. */
  from: string | null;
  to: string | null;
  iif: string | null;
  oif: string | null;
  /** FRA_FWMARK / FRA_FWMASK. */
  fwmark: number | null;
  fwmask: number | null;
  /** FIB_RULE_INVERT: `not`. */
  invert: boolean;
  /** FRA_GOTO target priority. */
  goto: number | null;
}

function familyOf(af: number): 4 | 6 | null {
  return af === AF_INET ? 4 : af === AF_INET6 ? 6 : null;
}

function addressOf(b: Buffer): string {
  return ipaddr.fromByteArray([...b]).toString();
}

/** What to ask the kernel: `ip route get TO [from FROM] [iif DEV] [oif DEV] [mark M]`. */
export interface RouteQuery {
  to: string;
  from?: string;
  /** Input interface: asks for the route a packet arriving there would take (forwarding, rp_filter). */
  iif?: number;
  oif?: number;
  mark?: number;
  /** RTM_F_FIB_MATCH (`ip route get fibmatch`): answer with the table entry that matched, not the resulting dst. */
  fibMatch?: boolean;
}

function attr(type: number, value: Buffer): Buffer {
  const b = Buffer.alloc(4 + ((value.length + 3) & ~3));
  b.writeUInt16LE(4 + value.length, 0);
  b.writeUInt16LE(type, 2);
  value.copy(b, 4);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

/**
 * `ip route get`: RTM_GETROUTE without NLM_F_DUMP. The kernel runs its own lookup (policy
 * rules, tables, input checks such as forwarding and rp_filter when `iif` is given) and
 * answers with the route it would use, or an error (ENETUNREACH, EHOSTUNREACH, EACCES, EINVAL, EXDEV).
 */
export function routeGetRequest(q: RouteQuery): Buffer {
  const to = ipaddr.parse(q.to);
  const family = to.kind() === 'ipv4' ? AF_INET : AF_INET6;
  const bits = family === AF_INET ? 32 : 128;
  const attrs = [attr(RTA_DST, Buffer.from(to.toByteArray()))];
  if (q.from !== undefined) attrs.push(attr(RTA_SRC, Buffer.from(ipaddr.parse(q.from).toByteArray())));
  if (q.iif !== undefined) attrs.push(attr(RTA_IIF, u32(q.iif)));
  if (q.oif !== undefined) attrs.push(attr(RTA_OIF, u32(q.oif)));
  if (q.mark !== undefined) attrs.push(attr(RTA_MARK, u32(q.mark)));
  const body = Buffer.concat(attrs);
  const b = header(16 + 12, RTM_GETROUTE, NLM_F_REQUEST, nextSeq());
  b.writeUInt8(family, 16);
  b.writeUInt8(bits, 17); // rtm_dst_len
  if (q.from !== undefined) b.writeUInt8(bits, 18); // rtm_src_len
  if (q.fibMatch) b.writeUInt32LE(RTM_F_FIB_MATCH, 24);
  const out = Buffer.concat([b, body]);
  out.writeUInt32LE(out.length, 0);
  return out;
}

/** `ip route show table all` (both families): RTM_GETROUTE dump. */
export function routeDumpRequest(): Buffer {
  return header(16 + 12, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
}

/** `ip rule show` (both families): RTM_GETRULE dump. */
export function ruleDumpRequest(): Buffer {
  return header(16 + 12, RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
}

function multipath(b: Buffer, family: 4 | 6): NextHop[] {
  const out: NextHop[] = [];
  let off = 0;
  while (off + 8 <= b.length) {
    const len = b.readUInt16LE(off);
    if (len < 8 || off + len > b.length) break;
    const hop: NextHop = { oif: b.readInt32LE(off + 4), gateway: null, onlink: (b.readUInt8(off + 2) & RTNH_F_ONLINK) !== 0 };
    for (const [type, value] of attributes(b.subarray(off, off + len), 8)) {
      if (type === RTA_GATEWAY && value.length === (family === 4 ? 4 : 16)) hop.gateway = addressOf(value);
    }
    out.push(hop);
    off += (len + 3) & ~3;
  }
  return out;
}

/** Decodes an RTM_NEWROUTE payload; null for families other than IPv4/IPv6. */
export function parseRoute(payload: Buffer): Route | null {
  const family = familyOf(payload.readUInt8(0));
  if (family === null) return null;
  const dstLen = payload.readUInt8(1);
  const flags = payload.readUInt32LE(8);
  const route: Route = {
    family,
    type: ROUTE_TYPES[payload.readUInt8(7)] ?? String(payload.readUInt8(7)),
    table: tableName(payload.readUInt8(4)),
    dst: dstLen === 0 ? 'default' : '',
    scope: SCOPES[payload.readUInt8(6)] ?? String(payload.readUInt8(6)),
    prefsrc: null,
    metric: null,
    iif: null,
    nexthops: [],
  };
  const first: NextHop = { oif: null, gateway: null, onlink: (flags & RTNH_F_ONLINK) !== 0 };
  let hasFirst = false;
  for (const [type, value] of attributes(payload, 12)) {
    switch (type) {
      case RTA_DST: if (dstLen > 0) route.dst = `${addressOf(value)}/${dstLen}`; break;
      case RTA_TABLE: route.table = tableName(value.readUInt32LE(0)); break;
      case RTA_PREFSRC: route.prefsrc = addressOf(value); break;
      case RTA_PRIORITY: route.metric = value.readUInt32LE(0); break;
      case RTA_IIF: route.iif = value.readUInt32LE(0); break;
      case RTA_OIF: first.oif = value.readUInt32LE(0); hasFirst = true; break;
      case RTA_GATEWAY: first.gateway = addressOf(value); hasFirst = true; break;
      case RTA_MULTIPATH: route.nexthops.push(...multipath(value, family)); break;
    }
  }
  if (hasFirst) route.nexthops.unshift(first);
  return route;
}

/** Decodes an RTM_NEWRULE payload; null for families other than IPv4/IPv6. */
export function parseRule(payload: Buffer): Rule | null {
  const family = familyOf(payload.readUInt8(0));
  if (family === null) return null;
  const dstLen = payload.readUInt8(1);
  const srcLen = payload.readUInt8(2);
  const headerTable = payload.readUInt8(4);
  const rule: Rule = {
    family,
    priority: 0,
    action: RULE_ACTIONS[payload.readUInt8(7)] ?? String(payload.readUInt8(7)),
    table: headerTable === 0 ? null : tableName(headerTable),
    from: null,
    to: null,
    iif: null,
    oif: null,
    fwmark: null,
    fwmask: null,
    invert: (payload.readUInt32LE(8) & FIB_RULE_INVERT) !== 0,
    goto: null,
  };
  for (const [type, value] of attributes(payload, 12)) {
    switch (type) {
      case FRA_PRIORITY: rule.priority = value.readUInt32LE(0); break;
      case FRA_TABLE: rule.table = tableName(value.readUInt32LE(0)); break;
      case FRA_SRC: rule.from = `${addressOf(value)}/${srcLen}`; break;
      case FRA_DST: rule.to = `${addressOf(value)}/${dstLen}`; break;
      case FRA_IIFNAME: rule.iif = cString(value); break;
      case FRA_OIFNAME: rule.oif = cString(value); break;
      case FRA_FWMARK: rule.fwmark = value.readUInt32LE(0); break;
      case FRA_FWMASK: rule.fwmask = value.readUInt32LE(0); break;
      case FRA_GOTO: rule.goto = value.readUInt32LE(0); break;
    }
  }
  return rule;
}
