/**
 * The firewall where a packet crosses a namespace: every nf_tables base chain on the hooks
 * it passes (in priority order), judged by nft-eval, and what cannot be read said plainly
 * (iptables-legacy tables, a ruleset that could not be dumped).
 */
import type { Interface } from '@vethmap/shared';
import type { NftChain } from '../kernel/index.js';
import type { TraceContext } from './context.js';
import { Commands } from './commands.js';
import type { HopDraft } from './hops.js';
import { ChainJudge, describeChain, type Outcome, type PacketFacts, type Reason } from './nft-eval.js';

export type Hook = 'ingress' | 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

/** One hook a packet passes, with the devices it sees there. */
export interface HookPass {
  hook: Hook;
  /** nf_tables families whose chains on this hook see the packet: ip/inet, ip6/inet, bridge, netdev. */
  families: string[];
  iif: Interface | null;
  oif: Interface | null;
}

/** How a packet crosses one namespace, for the firewall. */
export interface Crossing {
  ns: string;
  /** `sent`, `forwarded`, `bridged by br0 (br_netfilter)`, `delivered`... */
  how: string;
  hooks: HookPass[];
  /** Whether x_tables (iptables-legacy) hooks can see this packet here. */
  legacyApplies: boolean;
  ids: string[];
}

/** The hooks of each way through a namespace (nf_hook order). */
export function ipFamilies(family: 4 | 6): string[] {
  return family === 4 ? ['ip', 'inet'] : ['ip6', 'inet'];
}

type Facts = Omit<PacketFacts, 'iif' | 'oif'>;

const dev = (i: Interface | null): PacketFacts['iif'] => (i ? { name: i.name, ifindex: i.ifindex } : null);

interface ChainResult {
  pass: HookPass;
  chain: NftChain;
  outcomes: Map<Outcome, Reason>;
}

function outcomeText(r: ChainResult): string {
  const c = r.chain;
  const head = `${r.pass.hook}: ${describeChain(c)} (type ${c.type ?? '?'}, priority ${c.priority ?? '?'}, policy ${c.policy ?? 'accept'}${c.counters ? `, ${c.counters.packets} packets met the policy` : ''})`;
  const parts = [...r.outcomes].map(([o, why]) => `${o} by ${why.text}`);
  return `${head}: ${parts.join('; or ')}`;
}

/** The usual fix for a drop: accept this traffic where it is dropped (iptables words for iptables-nft chains). */
function fixFor(cmds: Commands, r: ChainResult, bridgedBy: Interface | null, chains: NftChain[]): string {
  const iif = r.pass.iif?.name;
  const oif = r.pass.oif?.name;
  const why = r.outcomes.get('drop');
  const c = r.chain;
  const iptablesStyle = c.family === 'ip' && ['filter', 'nat', 'mangle', 'raw'].includes(c.table) && c.name === c.name.toUpperCase();
  let fix: string;
  if (why?.rule) {
    fix = `${cmds.run('nft', '-a', 'list', 'chain', why.rule.family, why.rule.table, why.rule.chain)} then remove or narrow rule handle ${why.rule.handle}`;
  } else if (iptablesStyle) {
    const docker = chains.some((x) => x.family === 'ip' && x.table === 'filter' && x.name === 'DOCKER-USER');
    const args = ['iptables', '-I', docker && c.name === 'FORWARD' ? 'DOCKER-USER' : c.name];
    if (iif) args.push('-i', iif);
    if (oif) args.push('-o', oif);
    fix = cmds.run(...args, '-j', 'ACCEPT');
  } else {
    const args = ['nft', 'insert', 'rule', c.family, c.table, c.name];
    if (iif) args.push('iifname', iif);
    if (oif) args.push('oifname', oif);
    fix = cmds.run(...args, 'accept');
  }
  if (bridgedBy && c.family !== 'bridge') fix += `\nor keep bridged traffic out of iptables: ${cmds.run('sysctl', '-w', 'net.bridge.bridge-nf-call-iptables=0')}`;
  return fix;
}

/** The firewall hop of one crossing. `bridgedBy`: the bridge, when the ip hooks see bridged traffic (br_netfilter). */
export function firewallHop(ctx: TraceContext, crossing: Crossing, facts: Facts, bridgedBy: Interface | null = null): HopDraft {
  const ns = crossing.ns;
  const cmds = new Commands(ctx.namespace(ns)!, ctx.kernel.pathOf(ns));
  const name = ctx.nsName(ns);
  const base = { concern: 'firewall' as const, where: name, ids: crossing.ids, confirm: cmds.run('nft', 'list', 'ruleset') };
  const fw = ctx.kernel.firewall(ns);
  if (!fw.readable) {
    return { ...base, ok: null, what: `cannot tell whether the firewall in ${name} lets it through: ${fw.reason}`, evidence: fw.reason, fix: null };
  }
  const results: ChainResult[] = [];
  const state = new Set<Outcome | 'pass'>(['pass']);
  for (const pass of crossing.hooks) {
    const judge = new ChainJudge(fw.rules, { ...facts, iif: dev(pass.iif), oif: dev(pass.oif) });
    const chains = fw.chains
      .filter((c) => c.hook === pass.hook && pass.families.includes(c.family) && (c.family !== 'netdev' || c.device === pass.iif?.name))
      .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    for (const chain of chains) {
      const outcomes = judge.base(chain);
      results.push({ pass, chain, outcomes });
      if (!state.has('pass')) continue; // dropped earlier: later chains never see it
      state.delete('pass');
      for (const o of outcomes.keys()) state.add(o === 'accept' ? 'pass' : o);
    }
  }
  const hooks = crossing.hooks.map((h) => `${h.hook}${h.families.includes('bridge') ? ' (bridge family)' : ''}`).join(', ');
  const legacy = crossing.legacyApplies ? ctx.kernel.legacyTables(ns) : { ipv4: [], ipv6: [] };
  const legacyNames = facts.family === 4 ? legacy.ipv4 : legacy.ipv6;
  const lines = results.length ? results.map(outcomeText) : [`no nf_tables chain on the hooks this packet passes (${hooks})`];
  if (legacyNames.length) lines.push(`iptables-legacy tables exist here (${legacyNames.join(', ')}): x_tables rules cannot be read over netlink; vethmap does not interpret them`);
  if (crossing.hooks.some((h) => h.families.includes('bridge'))) lines.push('legacy ebtables (x_tables) cannot be listed from /proc: not read');
  const evidence = lines.join('\n');
  const dropped = results.find((r) => r.outcomes.size === 1 && r.outcomes.has('drop'));
  if (state.size === 1 && state.has('drop') && dropped) {
    const why = dropped.outcomes.get('drop')!;
    const confirm = cmds.run('nft', 'list', 'chain', dropped.chain.family, dropped.chain.table, dropped.chain.name);
    return { ...base, ok: false, confirm, what: `the firewall in ${name} drops it (${crossing.how}): ${why.text}`, evidence, fix: fixFor(cmds, dropped, bridgedBy, fw.chains) };
  }
  if (state.size === 1 && state.has('pass')) {
    if (legacyNames.length) return { ...base, ok: null, what: `nftables lets it through in ${name} (${crossing.how}), but iptables-legacy tables exist here that vethmap cannot read`, evidence, confirm: cmds.run('iptables-legacy', '-L', '-v', '-n'), fix: null };
    return { ...base, ok: true, what: results.length ? `the firewall in ${name} lets it through (${crossing.how}; hooks ${hooks})` : `no firewall chains in ${name} on its way (${crossing.how})`, evidence, fix: null };
  }
  const open = results.find((r) => r.outcomes.size > 1 || r.outcomes.has('unknown'));
  return {
    ...base,
    ok: null,
    what: `cannot tell whether the firewall in ${name} lets it through (${crossing.how}): ${open ? [...open.outcomes].map(([o, w]) => `${o} by ${w.text}`).join('; or ') : 'rules not interpreted'}`,
    evidence: `${evidence}\nvethmap judges the first packet of a new flow; conntrack state, sets, marks and xt matches are not interpreted`,
    fix: null,
  };
}
