/**
 * The per-namespace switches that decide a path: forwarding (ip_forward), the reverse
 * path filter (rp_filter) and br_netfilter's bridge-nf-call-iptables. Read inside each
 * namespace (/proc/sys/net is per namespace).
 */
import type { Interface } from '@vethmap/shared';
import type { BridgeOptions } from '../kernel/index.js';
import type { TraceContext } from './context.js';
import type { Family } from './address.js';

/** A sysctl as read, with its name for the evidence (`net.ipv4.ip_forward = 0`). */
export interface SysctlFact {
  name: string;
  value: string | null;
}

export const factText = (f: SysctlFact): string => `${f.name} = ${f.value ?? '(absent)'}`;

function read(ctx: TraceContext, ns: string, parts: string[]): SysctlFact {
  return { name: parts.join('.'), value: ctx.kernel.sysctl(ns, parts) };
}

/**
 * Whether a namespace forwards packets arriving on `iif`: IPv4 checks the input device's
 * conf.IIF.forwarding (which net.ipv4.ip_forward sets for all), IPv6 conf.all.forwarding.
 */
export function forwarding(ctx: TraceContext, ns: string, iif: Interface, family: Family): { on: boolean | null; facts: SysctlFact[] } {
  if (family === 6) {
    const all = read(ctx, ns, ['net', 'ipv6', 'conf', 'all', 'forwarding']);
    return { on: all.value === null ? null : all.value !== '0', facts: [all] };
  }
  const global = read(ctx, ns, ['net', 'ipv4', 'ip_forward']);
  const dev = read(ctx, ns, ['net', 'ipv4', 'conf', iif.name, 'forwarding']);
  const v = dev.value ?? global.value;
  return { on: v === null ? null : v !== '0', facts: [global, dev] };
}

/** rp_filter on `iif`: the kernel uses the larger of conf.all and conf.IIF (0 off, 1 strict, 2 loose). */
export function rpFilter(ctx: TraceContext, ns: string, iif: Interface): { mode: number | null; facts: SysctlFact[] } {
  const all = read(ctx, ns, ['net', 'ipv4', 'conf', 'all', 'rp_filter']);
  const dev = read(ctx, ns, ['net', 'ipv4', 'conf', iif.name, 'rp_filter']);
  const values = [all.value, dev.value].filter((v): v is string => v !== null).map(Number);
  return { mode: values.length ? Math.max(...values) : null, facts: [all, dev] };
}

/**
 * Whether bridged packets of this family go through the ip/ip6 hooks (br_netfilter): the
 * namespace's bridge-nf-call-iptables, or the bridge's own nf_call_iptables option. The
 * sysctl exists only while br_netfilter is loaded.
 */
export function bridgeNetfilter(ctx: TraceContext, ns: string, options: BridgeOptions | null, family: Family): { on: boolean; facts: SysctlFact[]; loaded: boolean } {
  const fact = read(ctx, ns, ['net', 'bridge', family === 4 ? 'bridge-nf-call-iptables' : 'bridge-nf-call-ip6tables']);
  const own = family === 4 ? options?.nfCallIptables : options?.nfCallIp6tables;
  const facts = [fact, { name: `${options?.name ?? 'bridge'} nf_call_${family === 4 ? 'iptables' : 'ip6tables'} (IFLA_BR_NF_CALL_${family === 4 ? 'IPTABLES' : 'IP6TABLES'})`, value: own === undefined || own === null ? null : own ? '1' : '0' }];
  const loaded = fact.value !== null;
  return { on: loaded && (fact.value === '1' || own === true), facts, loaded };
}
