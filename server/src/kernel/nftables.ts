/**
 * nf_tables over NETLINK_NETFILTER: chain and rule dumps (what `nft list ruleset` reads,
 * and what iptables-nft writes). Pure codec: integers inside nf_tables attributes are big
 * endian; the nlattr headers are not. Layouts from include/uapi/linux/netfilter/{nfnetlink,nf_tables}.h.
 *
 * Expressions are decoded only where vethmap can interpret them (meta, cmp, payload,
 * bitwise, immediate, counter); every other one is kept by name, so a reader can say
 * "not interpreted" instead of guessing.
 */
import { attributes, cString, header, nextSeq } from './rtnetlink.js';

export const NETLINK_NETFILTER = 12;
const NFNL_SUBSYS_NFTABLES = 10;
const NFT_MSG_NEWCHAIN = 3;
const NFT_MSG_GETCHAIN = 4;
const NFT_MSG_NEWRULE = 6;
const NFT_MSG_GETRULE = 7;
export const NFT_NEWCHAIN = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWCHAIN;
export const NFT_NEWRULE = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;

/** NFPROTO_* as nft names the families. */
const FAMILIES: Record<number, string> = { 1: 'inet', 2: 'ip', 3: 'arp', 5: 'netdev', 7: 'bridge', 10: 'ip6' };
/** NF_INET_* hook numbers (the bridge family uses the same numbers); netdev's 0 is ingress. */
const HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting'];
/** NFT_META_* keys by number, named as nft names them (only the ones worth naming). */
const META_KEYS: Record<number, string> = {
  0: 'len', 1: 'protocol', 2: 'priority', 3: 'mark', 4: 'iif', 5: 'oif', 6: 'iifname', 7: 'oifname', 8: 'iiftype', 9: 'oiftype',
  15: 'nfproto', 16: 'l4proto', 17: 'bri_iifname', 18: 'bri_oifname', 19: 'pkttype',
};
const CMP_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'];
const PAYLOAD_BASES = ['ll', 'network', 'transport', 'inner'];
const BITWISE_OPS = ['bool', 'lshift', 'rshift'];

/** A nf_tables chain (NFT_MSG_NEWCHAIN). Base chains have a hook, a type and a policy. */
export interface NftChain {
  /** nfgenmsg.nfgen_family: ip, ip6, inet, bridge, arp, netdev. */
  family: string;
  /** NFTA_CHAIN_TABLE. */
  table: string;
  /** NFTA_CHAIN_NAME. */
  name: string;
  /** NFTA_CHAIN_HOOK/NFTA_HOOK_HOOKNUM as a name (prerouting, input, forward, output, postrouting; ingress for netdev); null for a regular chain. */
  hook: string | null;
  /** NFTA_HOOK_PRIORITY: lower runs first. */
  priority: number | null;
  /** NFTA_HOOK_DEV: the device of a netdev chain. */
  device: string | null;
  /** NFTA_CHAIN_TYPE: filter, nat, route. */
  type: string | null;
  /** NFTA_CHAIN_POLICY: what happens to a packet no rule decided on (base chains). */
  policy: 'accept' | 'drop' | null;
  /** NFTA_CHAIN_COUNTERS: packets and bytes that met the policy (base chains with counters). */
  counters: { packets: bigint; bytes: bigint } | null;
}

export type Verdict = { code: 'accept' | 'drop' | 'continue' | 'return' | 'break' | 'queue' | 'stolen' } | { code: 'jump' | 'goto'; chain: string };

/** One expression of a rule, decoded when vethmap can interpret it. */
export type NftExpression =
  /** Loads a packet property (NFT_META_*, by nft's name: iifname, oifname, l4proto, ...) into a register. */
  | { kind: 'meta'; key: string; dreg: number | null }
  /** Compares a register with data: eq, neq, lt, lte, gt, gte. */
  | { kind: 'cmp'; sreg: number; op: string; data: Buffer }
  /** Loads packet bytes: base ll, network or transport header, at offset, len bytes. */
  | { kind: 'payload'; dreg: number | null; base: string; offset: number; len: number }
  /** (sreg & mask) ^ xor into dreg; op `bool` is the only one interpreted (shifts are not). */
  | { kind: 'bitwise'; sreg: number; dreg: number; len: number; mask: Buffer | null; xor: Buffer | null; op: string }
  | { kind: 'immediate'; dreg: number; verdict: Verdict | null; data: Buffer | null }
  | { kind: 'counter'; packets: bigint; bytes: bigint }
  /** Any other expression (ct, lookup, xt match/target, nat, ...): its name and what otherDetail says of it. */
  | { kind: 'other'; name: string; detail: string | null };

/** A rule (NFT_MSG_NEWRULE): where it is, its handle, expressions and comment. */
export interface NftRule {
  family: string;
  table: string;
  chain: string;
  /** NFTA_RULE_HANDLE (`nft -a list ruleset`). */
  handle: bigint;
  expressions: NftExpression[];
  /** The comment in NFTA_RULE_USERDATA (nft `comment`, iptables `-m comment`). */
  comment: string | null;
}

function dumpRequest(msg: number): Buffer {
  const b = header(16 + 4, (NFNL_SUBSYS_NFTABLES << 8) | msg, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
  b.writeUInt8(0, 16); // NFPROTO_UNSPEC: every family
  return b;
}

/** `nft list chains`: every chain of every table and family. */
export function chainDumpRequest(): Buffer {
  return dumpRequest(NFT_MSG_GETCHAIN);
}

/** `nft list ruleset` (rules only): every rule of every chain. */
export function ruleDumpRequest(): Buffer {
  return dumpRequest(NFT_MSG_GETRULE);
}

const be32 = (b: Buffer): number => b.readUInt32BE(0);
const familyName = (payload: Buffer): string => FAMILIES[payload.readUInt8(0)] ?? String(payload.readUInt8(0));

function counters(b: Buffer): { packets: bigint; bytes: bigint } {
  const out = { packets: 0n, bytes: 0n };
  for (const [t, v] of attributes(b, 0)) {
    if (t === 1) out.bytes = v.readBigUInt64BE(0);
    if (t === 2) out.packets = v.readBigUInt64BE(0);
  }
  return out;
}

/** Decodes an NFT_MSG_NEWCHAIN payload. */
export function parseChain(payload: Buffer): NftChain {
  const chain: NftChain = { family: familyName(payload), table: '', name: '', hook: null, priority: null, device: null, type: null, policy: null, counters: null };
  for (const [t, v] of attributes(payload, 4)) {
    switch (t) {
      case 1: chain.table = cString(v); break;
      case 3: chain.name = cString(v); break;
      case 4:
        for (const [ht, hv] of attributes(v, 0)) {
          if (ht === 1) chain.hook = chain.family === 'netdev' ? 'ingress' : HOOKS[be32(hv)] ?? String(be32(hv));
          if (ht === 2) chain.priority = hv.readInt32BE(0);
          if (ht === 3) chain.device = cString(hv);
        }
        break;
      case 5: chain.policy = be32(v) === 1 ? 'accept' : 'drop';  break;
      case 7: chain.type = cString(v); break;
      case 8: chain.counters = counters(v); break;
    }
  }
  return chain;
}

const VERDICTS: Record<number, Verdict['code']> = { 0: 'drop', 1: 'accept', 2: 'stolen', 3: 'queue', [-1]: 'continue', [-2]: 'break', [-3]: 'jump', [-4]: 'goto', [-5]: 'return' };

/** NFTA_DATA_VALUE (raw bytes) or NFTA_DATA_VERDICT (code and chain). */
function data(b: Buffer): { value: Buffer | null; verdict: Verdict | null } {
  let value: Buffer | null = null;
  let verdict: Verdict | null = null;
  for (const [t, v] of attributes(b, 0)) {
    if (t === 1) value = Buffer.from(v);
    if (t === 2) {
      let code = 0, chain = '';
      for (const [vt, vv] of attributes(v, 0)) {
        if (vt === 1) code = vv.readInt32BE(0);
        if (vt === 2) chain = cString(vv);
      }
      const name = VERDICTS[code] ?? 'drop';
      verdict = name === 'jump' || name === 'goto' ? { code: name, chain } : { code: name };
    }
  }
  return { value, verdict };
}

function expression(name: string, d: Buffer | null): NftExpression {
  const a = new Map<number, Buffer>();
  for (const [t, v] of d ? attributes(d, 0) : []) a.set(t, v);
  const n = (t: number): number | null => (a.has(t) ? be32(a.get(t)!) : null);
  switch (name) {
    case 'meta':
      // A meta with a source register sets something (mark, priority): a side effect, not a match.
      if (a.has(3) || n(2) === null) break;
      return { kind: 'meta', key: META_KEYS[n(2)!] ?? `key ${n(2)}`, dreg: n(1) };
    case 'cmp':
      if (n(1) === null || n(2) === null || !a.has(3)) break;
      return { kind: 'cmp', sreg: n(1)!, op: CMP_OPS[n(2)!] ?? `op ${n(2)}`, data: data(a.get(3)!).value ?? Buffer.alloc(0) };
    case 'payload':
      if (a.has(5) || n(2) === null || n(3) === null || n(4) === null) break; // NFTA_PAYLOAD_SREG: a rewrite
      return { kind: 'payload', dreg: n(1), base: PAYLOAD_BASES[n(2)!] ?? `base ${n(2)}`, offset: n(3)!, len: n(4)! };
    case 'bitwise':
      if (n(1) === null || n(2) === null || n(3) === null) break;
      return { kind: 'bitwise', sreg: n(1)!, dreg: n(2)!, len: n(3)!, mask: a.has(4) ? data(a.get(4)!).value : null, xor: a.has(5) ? data(a.get(5)!).value : null, op: BITWISE_OPS[n(6) ?? 0] ?? `op ${n(6)}` };
    case 'immediate': {
      if (n(1) === null || !a.has(2)) break;
      const v = data(a.get(2)!);
      return { kind: 'immediate', dreg: n(1)!, verdict: v.verdict, data: v.value };
    }
    case 'counter': {
      const c = counters(d ?? Buffer.alloc(0));
      return { kind: 'counter', packets: c.packets, bytes: c.bytes };
    }
  }
  return { kind: 'other', name, detail: otherDetail(name, a) };
}

/**
 * What a reader needs to know of an expression vethmap does not interpret: the iptables
 * extension of an xt `match`/`target`; `set` for a ct that writes (NFTA_CT_SREG) rather
 * than reads; `vmap` for a lookup whose result is a verdict (NFTA_LOOKUP_DREG 0), `map`
 * for one that loads data.
 */
function otherDetail(name: string, a: Map<number, Buffer>): string | null {
  if ((name === 'match' || name === 'target') && a.has(1)) return cString(a.get(1)!);
  if (name === 'ct') return a.has(4) ? 'set' : 'get';
  if (name === 'lookup' && a.has(3)) return be32(a.get(3)!) === 0 ? 'vmap' : 'map';
  return null;
}

/** The comment TLV (NFTNL_UDATA_RULE_COMMENT = 0) of NFTA_RULE_USERDATA. */
function comment(u: Buffer): string | null {
  let off = 0;
  while (off + 2 <= u.length) {
    const type = u.readUInt8(off);
    const len = u.readUInt8(off + 1);
    if (off + 2 + len > u.length) return null;
    if (type === 0) return cString(u.subarray(off + 2, off + 2 + len));
    off += 2 + len;
  }
  return null;
}

/** Decodes an NFT_MSG_NEWRULE payload. */
export function parseRule(payload: Buffer): NftRule {
  const rule: NftRule = { family: familyName(payload), table: '', chain: '', handle: 0n, expressions: [], comment: null };
  for (const [t, v] of attributes(payload, 4)) {
    switch (t) {
      case 1: rule.table = cString(v); break;
      case 2: rule.chain = cString(v); break;
      case 3: rule.handle = v.readBigUInt64BE(0); break;
      case 4:
        for (const [et, ev] of attributes(v, 0)) {
          if (et !== 1) continue; // NFTA_LIST_ELEM
          let name = '', d: Buffer | null = null;
          for (const [xt, xv] of attributes(ev, 0)) {
            if (xt === 1) name = cString(xv);
            if (xt === 2) d = xv;
          }
          rule.expressions.push(expression(name, d));
        }
        break;
      case 7: rule.comment = comment(v); break;
    }
  }
  return rule;
}
