import { dump, netnsList } from '../kernel/index.js';
import { ip } from './run.js';
import { isLabName } from './types.js';

/**
 * What the kernel says exists right now. Read over netlink and from the file system, not
 * by parsing `ip -j`: iproute2 prints invalid JSON for a name holding a control byte, and
 * any user may have made one (the lab must work on such a host).
 */

/** `ip netns list`: names in /var/run/netns. */
export function netnsNames(): string[] {
  return netnsList().entries.filter((e) => e.kind === 'named' && e.name !== null).map((e) => e.name!);
}

/** `ip -d link show` in the root namespace: name and IFLA_INFO_KIND of each link. */
export function rootLinks(): Array<{ name: string; kind: string }> {
  return dump(null).links.map((l) => ({ name: l.name, kind: l.infoKind ?? 'device' }));
}

/**
 * IPv4 networks the host uses outside the lab: its addresses (`10.0.2.15/24`) and the
 * destinations of its main routing table. A lab address overlapping one is left out.
 */
export async function hostPrefixes(): Promise<string[]> {
  const { links, addrs } = dump(null);
  const nameOf = new Map(links.map((l) => [l.ifindex, l.name]));
  const fromAddresses = addrs.filter((a) => a.family === 4 && !isLabName(nameOf.get(a.ifindex) ?? '')).map((a) => a.cidr);
  // `ip -4 route show` as text: one route a line, destination first, `dev NAME` later;
  // interface names hold no white space, so splitting on it is safe where JSON is not.
  const { stdout } = await ip(['-4', 'route', 'show', 'table', 'main']);
  const routes: string[] = [];
  for (const line of stdout.split('\n')) {
    const words = line.trim().split(/\s+/);
    const dst = words[0];
    if (!dst || dst === 'default') continue;
    const dev = words[words.indexOf('dev') + 1];
    if (words.includes('dev') && dev !== undefined && isLabName(dev)) continue;
    routes.push(dst.includes('/') ? dst : `${dst}/32`);
  }
  return [...fromAddresses, ...routes];
}
