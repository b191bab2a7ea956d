/**
 * Judging one packet against nf_tables chains, only as far as it can be done right.
 *
 * A rule is evaluated expression by expression over a register file whose bytes are
 * either known (loaded from facts of the packet we trace: interfaces, addresses, protocol,
 * ICMP type) or unknown (everything else: conntrack state, marks, sets, xt matches). A
 * comparison on an unknown byte makes the rule's match unknown; a known mismatch anywhere
 * rules it out. The outcome of a chain is then the *set* of verdicts the packet could get
 * (accept, drop, continue, unknown): when it is one verdict, the firewall's answer is
 * known; otherwise vethmap says it cannot tell and names the rules it did not interpret.
 */
import { isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { NftChain, NftExpression, NftRule } from '../kernel/index.js';

/** What is known of the traced packet at one hook. */
export interface PacketFacts {
  family: 4 | 6;
  saddr: string;
  daddr: string;
  /** ICMP (1) or ICMPv6 (58): vethmap traces an echo request and its reply. */
  l4proto: number;
  /** ICMP type: 8/0 echo request/reply (IPv4), 128/129 (IPv6). */
  icmpType: number;
  /** Input / output device as the hook sees it, null where there is none (output / input hooks). */
  iif: { name: string; ifindex: number } | null;
  oif: { name: string; ifindex: number } | null;
}

export type Outcome = 'accept' | 'drop' | 'continue' | 'unknown';

/** Why a packet gets an outcome: a rule, a chain's policy, or what was not interpreted. */
export interface Reason {
  text: string;
  rule?: NftRule;
  policy?: NftChain;
}

/** Possible outcomes, each with the first reason found for it. */
export type Outcomes = Map<Outcome, Reason>;

/** Expressions that only load or test (no verdict, no side effect on the packet's fate). */
const CONDITIONS = new Set(['match', 'limit', 'quota', 'connlimit', 'socket', 'fib', 'rt', 'exthdr', 'osf', 'xfrm', 'hash', 'numgen', 'range', 'byteorder', 'dynset', 'last', 'meta', 'payload', 'inner', 'tunnel']);
/** Expressions with no effect on the verdict. */
const NO_EFFECT = new Set(['log', 'counter', 'notrack']);

/** Expressions that load a value into a register for a later comparison. */
const LOADS = new Set(['ct', 'fib', 'rt', 'exthdr', 'hash', 'numgen', 'socket', 'osf', 'xfrm']);

const REGISTER_BYTES = 64;

/** Byte offset of register `r` in the 64-byte data area: NFT_REG_1..4 are 16 bytes, NFT_REG32_00..15 are 4. */
function regOffset(r: number): number | null {
  if (r >= 1 && r <= 4) return (r - 1) * 16;
  if (r >= 8 && r <= 23) return (r - 8) * 4;
  return null;
}

class Registers {
  private readonly value = new Uint8Array(REGISTER_BYTES);
  private readonly known = new Array<boolean>(REGISTER_BYTES).fill(false);

  set(reg: number, bytes: ReadonlyArray<number | null>): void {
    const off = regOffset(reg);
    if (off === null) return;
    bytes.forEach((b, i) => {
      if (off + i >= REGISTER_BYTES) return;
      this.known[off + i] = b !== null;
      this.value[off + i] = b ?? 0;
    });
  }

  get(reg: number, len: number): Array<number | null> {
    const off = regOffset(reg);
    if (off === null || off + len > REGISTER_BYTES) return new Array<number | null>(len).fill(null);
    return Array.from({ length: len }, (_, i) => (this.known[off + i] ? this.value[off + i]! : null));
  }
}

const ifname = (name: string | undefined): number[] => {
  const b = Buffer.alloc(16); // IFNAMSIZ, zero padded: what meta iifname loads
  if (name !== undefined) b.write(name.slice(0, 15), 'utf8');
  return [...b];
};
const u32le = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** NFT_META_* loads vethmap can answer for the traced packet; null for the unknowable. */
function metaValue(key: string, p: PacketFacts): number[] | null {
  switch (key) {
    case 'iifname': return ifname(p.iif?.name);
    case 'oifname': return ifname(p.oif?.name);
    case 'iif': return u32le(p.iif?.ifindex ?? 0);
    case 'oif': return u32le(p.oif?.ifindex ?? 0);
    case 'l4proto': return [p.l4proto];
    case 'nfproto': return [p.family === 4 ? 2 : 10];
    case 'protocol': return p.family === 4 ? [0x08, 0x00] : [0x86, 0xdd];
    default: return null; // mark, priority, skuid, ...: not facts of the path
  }
}

/** The header bytes vethmap knows: IPv4/IPv6 version, protocol and addresses; ICMP type and code. */
function payloadValue(base: string, offset: number, len: number, p: PacketFacts): Array<number | null> {
  const known = new Map<number, number>();
  if (base === 'network') {
    const s = ipaddr.parse(p.saddr).toByteArray();
    const d = ipaddr.parse(p.daddr).toByteArray();
    if (p.family === 4) {
      known.set(0, 0x45); // version 4, no options: what ping sends
      known.set(9, p.l4proto);
      s.forEach((b, i) => known.set(12 + i, b));
      d.forEach((b, i) => known.set(16 + i, b));
    } else {
      known.set(6, p.l4proto);
      s.forEach((b, i) => known.set(8 + i, b));
      d.forEach((b, i) => known.set(24 + i, b));
    }
  } else if (base === 'transport') {
    known.set(0, p.icmpType);
    known.set(1, 0);
  }
  return Array.from({ length: len }, (_, i) => known.get(offset + i) ?? null);
}

/** memcmp of known bytes; null when a byte is unknown. */
function compare(a: Array<number | null>, b: Buffer): number | null {
  for (let i = 0; i < b.length; i++) {
    const x = a[i];
    if (x === null || x === undefined) return null;
    if (x !== b[i]) return x < b[i]! ? -1 : 1;
  }
  return 0;
}

function cmpHolds(op: string, d: number): boolean | null {
  switch (op) {
    case 'eq': return d === 0;
    case 'neq': return d !== 0;
    case 'lt': return d < 0;
    case 'lte': return d <= 0;
    case 'gt': return d > 0;
    case 'gte': return d >= 0;
    default: return null;
  }
}

/** What one rule does to the packet. */
export interface RuleResult {
  /** true / false, or null when a condition could not be evaluated. */
  match: boolean | null;
  /** The verdict of a matching rule (null: no verdict, go on), or 'unknown' when an effect was not interpreted. */
  verdict: NftRuleVerdict | null | 'unknown';
  /** Expressions that were not interpreted. */
  uninterpreted: string[];
}

export type NftRuleVerdict = { code: 'accept' | 'drop' | 'return' | 'continue' } | { code: 'jump' | 'goto'; chain: string };

/** Evaluates one rule's expressions in order. */
export function evaluateRule(rule: NftRule, p: PacketFacts): RuleResult {
  const regs = new Registers();
  let uncertain = false;
  let verdict: RuleResult['verdict'] = null;
  const uninterpreted: string[] = [];
  for (const e of rule.expressions) {
    switch (e.kind) {
      case 'meta': {
        const v = metaValue(e.key, p);
        if (v === null) uninterpreted.push(`meta ${e.key}`);
        if (e.dreg !== null) regs.set(e.dreg, v ?? new Array<null>(16).fill(null));
        break;
      }
      case 'payload':
        if (e.dreg !== null) regs.set(e.dreg, payloadValue(e.base, e.offset, e.len, p));
        break;
      case 'bitwise': {
        if (e.op !== 'bool') {
          regs.set(e.dreg, new Array<null>(e.len).fill(null));
          break;
        }
        const src = regs.get(e.sreg, e.len);
        regs.set(e.dreg, src.map((b, i) => {
          const mask = e.mask?.[i] ?? 0xff;
          const xor = e.xor?.[i] ?? 0;
          if (mask === 0) return xor; // known whatever the input
          return b === null ? null : (b & mask) ^ xor;
        }));
        break;
      }
      case 'cmp': {
        const d = compare(regs.get(e.sreg, e.data.length), e.data);
        const holds = d === null ? null : cmpHolds(e.op, d);
        if (holds === false) return { match: false, verdict: null, uninterpreted };
        if (holds === null) uncertain = true;
        break;
      }
      case 'immediate':
        if (e.dreg === 0 && e.verdict) {
          const c = e.verdict.code;
          if (c === 'jump' || c === 'goto') verdict = e.verdict;
          else if (c === 'accept' || c === 'drop' || c === 'return' || c === 'continue') verdict = { code: c };
          else verdict = 'unknown'; // queue, stolen, break
        } else if (e.data) {
          regs.set(e.dreg, [...e.data]);
        }
        break;
      case 'counter':
        break;
      case 'other':
        if (e.name === 'reject') {
          verdict = { code: 'drop' }; // reject = drop and tell the sender
        } else if (NO_EFFECT.has(e.name) || (e.name === 'match' && e.detail === 'comment')) {
          // no effect on the verdict
        } else if (CONDITIONS.has(e.name) || (e.name === 'ct' && e.detail === 'get') || (e.name === 'lookup' && e.detail !== 'vmap')) {
          uncertain = true; // loads or tests what vethmap cannot know: later comparisons are unknown
          uninterpreted.push(e.detail ? `${e.name} ${e.detail}` : e.name);
        } else {
          verdict = 'unknown';
          uninterpreted.push(e.detail ? `${e.name} ${e.detail}` : e.name);
        }
        break;
    }
  }
  return { match: uncertain ? null : true, verdict, uninterpreted };
}

/** Evaluates chains of one table family set for one packet. */
export class ChainJudge {
  private readonly rulesByChain = new Map<string, NftRule[]>();
  private readonly memo = new Map<string, Outcomes>();

  constructor(rules: readonly NftRule[], private readonly p: PacketFacts) {
    for (const r of rules) {
      const k = key(r.family, r.table, r.chain);
      const list = this.rulesByChain.get(k) ?? [];
      list.push(r);
      this.rulesByChain.set(k, list);
    }
  }

  /** The outcomes of a base chain, with its policy applied where the packet falls off the end. */
  base(chain: NftChain): Outcomes {
    const out: Outcomes = new Map();
    for (const [o, why] of this.chain(chain.family, chain.table, chain.name, 0)) {
      if (o === 'continue') add(out, chain.policy ?? 'accept', { text: `policy ${chain.policy ?? 'accept'} of ${describeChain(chain)}${policyCounter(chain)}`, policy: chain });
      else add(out, o, why);
    }
    return out;
  }

  private chain(family: string, table: string, name: string, depth: number): Outcomes {
    const k = key(family, table, name);
    const cached = this.memo.get(k);
    if (cached) return cached;
    if (depth > 16) return new Map([['unknown', { text: `jumps deeper than 16 at chain ${name}` }]]); // the kernel refuses such rulesets
    const rules = this.rulesByChain.get(k) ?? [];
    const rest = new Map<number, Outcomes>();
    const from = (i: number): Outcomes => {
      const hit = rest.get(i);
      if (hit) return hit;
      const out: Outcomes = new Map();
      if (i >= rules.length) {
        out.set('continue', { text: `end of chain ${name}` });
      } else {
        const r = evaluateRule(rules[i]!, this.p);
        if (r.match === false) {
          merge(out, from(i + 1));
        } else {
          merge(out, this.verdictOutcomes(rules[i]!, r, () => from(i + 1), family, table, depth));
          if (r.match === null) merge(out, from(i + 1));
        }
      }
      rest.set(i, out);
      return out;
    };
    const result = from(0);
    this.memo.set(k, result);
    return result;
  }

  private verdictOutcomes(rule: NftRule, r: RuleResult, next: () => Outcomes, family: string, table: string, depth: number): Outcomes {
    const label = `rule handle ${rule.handle} in ${rule.family} ${rule.table} ${rule.chain} (${describeRule(rule)})`;
    const v = r.verdict;
    if (v === 'unknown') {
      const out: Outcomes = new Map([['unknown', { text: `${label}: ${r.uninterpreted.join(', ') || 'verdict'} not interpreted`, rule }]]);
      return merge(out, next());
    }
    if (v === null || v.code === 'continue') return next();
    if (v.code === 'accept' || v.code === 'drop') return new Map([[v.code, { text: label, rule }]]);
    if (v.code === 'return') return new Map([['continue', { text: label, rule }]]);
    if (!('chain' in v)) return next();
    const target = this.chain(family, table, v.chain, depth + 1);
    if (v.code === 'goto') return target;
    const out: Outcomes = new Map();
    for (const [o, why] of target) if (o !== 'continue') add(out, o, why);
    if (target.has('continue')) merge(out, next());
    return out;
  }
}

function key(family: string, table: string, chain: string): string {
  return `${family}\u0000${table}\u0000${chain}`;
}

function add(out: Outcomes, o: Outcome, why: Reason): void {
  if (!out.has(o)) out.set(o, why);
}

function merge(out: Outcomes, more: Outcomes): Outcomes {
  for (const [o, why] of more) add(out, o, why);
  return out;
}

export function describeChain(c: NftChain): string {
  return `${c.family} ${c.table} ${c.name}`;
}

function policyCounter(c: NftChain): string {
  return c.counters ? ` (${c.counters.packets} packets, ${c.counters.bytes} bytes met it)` : '';
}

function formatValue(data: Buffer, loaded: string): string {
  if (loaded.endsWith('ifname')) return JSON.stringify(data.toString('utf8').replace(/\0+$/, ''));
  if ((data.length === 4 || data.length === 16) && loaded.includes('addr')) {
    const a = ipaddr.fromByteArray([...data]).toString();
    return isIPv4(a) || data.length === 16 ? a : data.toString('hex');
  }
  if (data.length === 1) return String(data[0]);
  return `0x${data.toString('hex')}`;
}

const PAYLOAD_NAMES: Record<string, string> = {
  'network:12:4': 'ip saddr', 'network:16:4': 'ip daddr', 'network:9:1': 'ip protocol',
  'network:8:16': 'ip6 saddr', 'network:24:16': 'ip6 daddr', 'network:6:1': 'ip6 nexthdr',
  'transport:0:1': 'icmp type',
};

/** A rule in nft's words, as far as vethmap reads them (`meta oifname "docker0" counter accept`). */
export function describeRule(rule: NftRule): string {
  const words: string[] = [];
  let loaded = '';
  for (const e of rule.expressions as NftExpression[]) {
    switch (e.kind) {
      case 'meta': loaded = `meta ${e.key}`; break;
      case 'payload': loaded = PAYLOAD_NAMES[`${e.base}:${e.offset}:${e.len}`] ?? `@${e.base},${e.offset * 8},${e.len * 8}`; break;
      case 'bitwise': if (e.mask) loaded = `${loaded} & 0x${e.mask.toString('hex')}`; break;
      case 'cmp': words.push(`${loaded} ${e.op === 'eq' ? '' : `${e.op} `}${formatValue(e.data, loaded)}`.replace(/ {2,}/g, ' ')); break;
      case 'counter': words.push(`counter packets ${e.packets}`); break;
      case 'immediate':
        if (e.verdict) words.push('chain' in e.verdict ? `${e.verdict.code} ${e.verdict.chain}` : e.verdict.code);
        break;
      case 'other':
        // Loads (ct, fib, rt, ...) are followed by a comparison that prints them; tests and statements print themselves.
        if (LOADS.has(e.name) && e.detail !== 'set') loaded = e.detail && e.name !== 'ct' ? `${e.name} ${e.detail}` : e.name;
        else words.push(e.detail ? `${e.name} ${e.detail}` : e.name);
        break;
    }
  }
  if (rule.comment) words.push(`comment ${JSON.stringify(rule.comment)}`);
  return words.join(' ');
}
