/**
 * Addresses and subnets: which address a trace uses for each end, whether the source has
 * one at all, and whether two ends that share a wire share a subnet.
 */
import ipaddr from 'ipaddr.js';
import type { Interface } from '@vethmap/shared';
import type { TraceContext } from './context.js';
import { Commands } from './commands.js';
import type { HopDraft } from './hops.js';

export type Family = 4 | 6;

/** One address of an interface: `10.0.0.1/24` split. */
export interface Cidr {
  ip: string;
  prefix: number;
  family: Family;
  text: string;
}

export function parseCidr(text: string): Cidr | null {
  try {
    const [addr, prefix] = ipaddr.parseCIDR(text);
    return { ip: addr.toString(), prefix, family: addr.kind() === 'ipv4' ? 4 : 6, text };
  } catch {
    return null;
  }
}

export function familyOf(ip: string): Family {
  return ipaddr.parse(ip).kind() === 'ipv4' ? 4 : 6;
}

/** True when `ip` lies in the subnet of `cidr`. */
export function inSubnet(ip: string, cidr: Cidr): boolean {
  const a = ipaddr.parse(ip);
  if (a.kind() !== (cidr.family === 4 ? 'ipv4' : 'ipv6')) return false;
  return a.match(ipaddr.parse(cidr.ip), cidr.prefix);
}

/** The subnet of a cidr as text: 10.0.0.1/24 → 10.0.0.0/24. */
export function subnetOf(c: Cidr): string {
  const net = c.family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(c.text) : ipaddr.IPv6.networkAddressFromCIDR(c.text);
  return `${net.toString()}/${c.prefix}`;
}

/** Usable addresses of an interface for a family: IPv6 link-local ones are left out (they need a scope). */
export function addressesOf(i: Interface, family?: Family): Cidr[] {
  return i.addresses
    .map(parseCidr)
    .filter((c): c is Cidr => c !== null && (family === undefined || c.family === family))
    .filter((c) => !(c.family === 6 && c.ip.startsWith('fe80:')));
}

/** Interfaces of a namespace that may carry traffic to others: everything but loopback. */
export function nonLoopback(ctx: TraceContext, ns: string): Interface[] {
  return ctx.interfacesOf(ns).filter((i) => i.kind !== 'loopback');
}

/**
 * The address to trace to in a destination namespace or interface: one in a subnet the
 * source has (what a user pinging "the other one" means), else the first IPv4, else IPv6.
 */
export function chooseDestination(candidates: readonly Interface[], sourceCidrs: readonly Cidr[]): { ip: string; owner: Interface } | null {
  const all = candidates.flatMap((i) => addressesOf(i).map((c) => ({ c, i })));
  const same = all.find(({ c }) => sourceCidrs.some((s) => inSubnet(c.ip, s)));
  const pick = same ?? all.find(({ c }) => c.family === 4) ?? all[0];
  return pick ? { ip: pick.c.ip, owner: pick.i } : null;
}

/** ✗ hop: an end that has no address to trace with. */
export function missingAddressHop(ctx: TraceContext, where: Interface[] | string, role: 'source' | 'destination', family: Family | null, nsId: string): HopDraft {
  const cmds = new Commands(ctx.namespace(nsId)!, ctx.kernel.pathOf(nsId));
  const ifaces = typeof where === 'string' ? [] : where;
  const name = ifaces.length === 1 ? ifaces[0]!.name : null;
  const fam = family === 6 ? 'IPv6' : family === 4 ? 'IPv4' : 'IP';
  const listed = ifaces.map((i) => `${i.name}: ${i.addresses.length ? i.addresses.join(', ') : 'no addresses'}`).join('; ') || 'no interfaces besides lo';
  return {
    ok: false,
    concern: 'address',
    where: name ? `${ctx.nsName(nsId)} / ${name}` : ctx.nsName(nsId),
    what: `the ${role} has no ${fam} address${name ? ` on ${name}` : ''}: there is nothing to send ${role === 'source' ? 'from' : 'to'}`,
    evidence: `RTM_GETADDR: ${listed}`,
    confirm: name ? cmds.ip('addr', 'show', 'dev', name) : cmds.ip('addr', 'show'),
    fix: `${cmds.ip('addr', 'add', '<address>/<prefix>', 'dev', name ?? '<interface>')} (an address in the subnet of the other end)`,
    ids: ifaces.length ? ifaces.map((i) => i.id) : [nsId],
  };
}

/**
 * When the source has no route to an address that sits on the same wire, the usual reason
 * is two subnets on one segment: says which, from the addresses of both ends.
 */
export function subnetMismatch(sourceCidrs: readonly Cidr[], destination: string, destinationOwner: Interface | null): string | null {
  if (sourceCidrs.length === 0 || sourceCidrs.some((c) => inSubnet(destination, c))) return null;
  const dstCidr = destinationOwner ? addressesOf(destinationOwner).find((c) => c.ip === destination) : undefined;
  const theirs = dstCidr ? ` (${dstCidr.text}, subnet ${subnetOf(dstCidr)})` : '';
  return `${destination}${theirs} is in none of the source's subnets (${sourceCidrs.map(subnetOf).join(', ')})`;
}
