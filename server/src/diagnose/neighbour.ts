/**
 * The next hop's link-layer address: what the sending namespace's neighbour cache (ARP or
 * NDP) holds for it, and whether that MAC is the one of the interface that owns the address.
 */
import type { Interface } from '@vethmap/shared';
import type { TraceContext } from './context.js';
import { Commands } from './commands.js';
import type { HopDraft } from './hops.js';

const RESOLVED = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT', 'NOARP']);

/** The neighbour entry for `nexthop` on `oif` in namespace `ns`, judged against the owner found on the segment. */
export function neighbourHop(ctx: TraceContext, ns: string, oif: Interface, nexthop: string, owner: Interface | null): HopDraft {
  const c = new Commands(ctx.namespace(ns)!, ctx.kernel.pathOf(ns));
  const entry = ctx.kernel.neighbours(ns).find((n) => n.ifindex === oif.ifindex && n.address === nexthop);
  const proto = nexthop.includes(':') ? 'NDP' : 'ARP';
  const base = { concern: 'neighbour' as const, where: ctx.where(oif), confirm: c.ip('neigh', 'show', nexthop, 'dev', oif.name), ids: owner ? [oif.id, owner.id] : [oif.id] };
  if (!entry) {
    return { ...base, ok: true, what: `${nexthop} is not in the neighbour cache yet: ${proto} resolves it with the first packet`, evidence: `RTM_GETNEIGH: no entry for ${nexthop} on ${oif.name}`, fix: null };
  }
  const state = entry.state.join(',');
  const evidence = `RTM_GETNEIGH: ${nexthop} dev ${oif.name}${entry.mac ? ` lladdr ${entry.mac}` : ''} ${state}${owner?.mac ? `\n${ctx.where(owner)} has MAC ${owner.mac}` : ''}`;
  if (entry.state.some((s) => RESOLVED.has(s)) && entry.mac) {
    if (owner?.mac && owner.mac !== entry.mac) {
      return { ...base, ok: false, what: `the neighbour cache maps ${nexthop} to ${entry.mac}, but ${owner.name} (which has that address) has MAC ${owner.mac}: frames go to the wrong MAC`, evidence, fix: c.ip('neigh', 'del', nexthop, 'dev', oif.name) };
    }
    return { ...base, ok: true, what: `${nexthop} is resolved to ${entry.mac} (${state})`, evidence, fix: null };
  }
  // FAILED / INCOMPLETE: the last resolution got no answer. If the hops above explain it, so be
  // it; if not, the reason is something vethmap does not read (arp_ignore, arptables, timing).
  return {
    ...base,
    ok: null,
    what: `the last ${proto} resolution of ${nexthop} got no answer (${state}); the kernel asks again with the next packet`,
    evidence,
    fix: null,
  };
}
