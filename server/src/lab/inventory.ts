import { z } from 'zod';
import { ipJson } from './run.js';
import { isLabName } from './types.js';

/**
 * What the kernel says exists right now, read with `ip -j` and parsed at the edge.
 * Only fields the lab uses are declared; `ip` prints many more.
 */

const NetnsList = z.array(z.object({ name: z.string(), id: z.number().optional() }));
const LinkList = z.array(
  z.object({
    ifname: z.string(),
    linkinfo: z.object({ info_kind: z.string().optional() }).optional(),
  }),
);
const AddrList = z.array(
  z.object({
    ifname: z.string(),
    addr_info: z.array(z.object({ family: z.string().optional(), local: z.string().optional(), prefixlen: z.number().optional() })).default([]),
  }),
);
const RouteList = z.array(z.object({ dst: z.string(), dev: z.string().optional() }));

/** `ip netns list`: names in /var/run/netns. */
export async function netnsNames(): Promise<string[]> {
  return NetnsList.parse(await ipJson(['netns', 'list'])).map((n) => n.name);
}

/** `ip -d link show` in the root namespace: name and IFLA_INFO_KIND of each link. */
export async function rootLinks(): Promise<Array<{ name: string; kind: string }>> {
  return LinkList.parse(await ipJson(['-d', 'link', 'show'])).map((l) => ({ name: l.ifname, kind: l.linkinfo?.info_kind ?? 'device' }));
}

/**
 * IPv4 networks the host uses outside the lab: its addresses (`10.0.2.15/24`) and the
 * destinations of its main routing table. A lab address overlapping one is left out.
 */
export async function hostPrefixes(): Promise<string[]> {
  const addrs = AddrList.parse(await ipJson(['-4', 'addr', 'show']))
    .filter((l) => !isLabName(l.ifname))
    .flatMap((l) => l.addr_info.filter((a) => a.local !== undefined).map((a) => `${a.local}/${a.prefixlen ?? 32}`));
  const routes = RouteList.parse(await ipJson(['-4', 'route', 'show']))
    .filter((r) => r.dst !== 'default' && !(r.dev !== undefined && isLabName(r.dev)))
    .map((r) => r.dst);
  return [...addrs, ...routes];
}
