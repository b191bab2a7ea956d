/**
 * The kernel facade: the only door from vethmap to the system. Every verb says which
 * `ip` command it is equivalent to; nothing outside `server/src/kernel/` speaks netlink,
 * reads /proc or /var/run/netns, or knows an RTM_* number (ESLint enforces it).
 */
import { AddonMissingError } from './native.js';
import { inNamespace, NamespaceSocket, readNamespaces } from './rtnl.js';
import type { RawAddress, RawLink } from './rtnetlink.js';

export { AddonMissingError } from './native.js';
export { DEFAULT_SOURCES, NamespaceLister, namedNetns, netnsInodeAt, netnsList, processName, rootNetns, type ListScope, type NetnsEntry, type NetnsListing, type NetnsListOptions, type NetnsSources } from './netns.js';
export { findLinkByName, NsidAsker, readNamespaces, watch, type LinkByName, type NamespaceRead, type ReadTarget, type Watch } from './rtnl.js';
export { watchMounts } from './mounts.js';
export type { KernelEvent } from './events.js';
export type { RawAddress, RawLink } from './rtnetlink.js';
export { NamespaceInspector, type FirewallState, type LegacyTables, type RouteAnswer } from './inspect.js';
export { CountersReader, linkCounters } from './counters.js';
export type { NextHop, Route, RouteQuery, Rule } from './route.js';
export type { FdbEntry, Neighbour } from './neigh.js';
export type { BridgeOptions, BridgePort, PortVlan } from './bridge.js';
export type { LinkCounters } from './stats.js';
export type { NftChain, NftExpression, NftRule, Verdict } from './nftables.js';

/** Everything one namespace holds, as the kernel said it. */
export interface NamespaceDump {
  links: RawLink[];
  addrs: RawAddress[];
}

/** `ip -n NS -d addr show`: links and addresses of one namespace. Throws a KernelError-coded error. */
export function dump(nsPath: string | null): NamespaceDump {
  const [read] = readNamespaces([{ path: nsPath, inode: 0 }], null);
  if (!read?.ok) throw read && !read.moved ? read.error : new Error(`cannot read ${nsPath ?? 'this namespace'}`);
  return { links: read.links, addrs: read.addrs };
}

/** `ip -n NS -d link show dev IFINDEX`: one link, null when no link has that index. */
export function linkGet(nsPath: string | null, ifindex: number): RawLink | null {
  return inNamespace(nsPath, (s) => s.linkGet(ifindex));
}

/** `ip -n NS -d link show dev NAME`: one link by name, null when there is none. */
export function linkGetByName(nsPath: string | null, name: string): RawLink | null {
  return inNamespace(nsPath, (s) => s.linkGetByName(name));
}

/** `ip -n NS addr show [dev IFINDEX]`: the addresses of one namespace (or of one link in it), without its links. */
export function addrList(nsPath: string | null, ifindex?: number): RawAddress[] {
  return inNamespace(nsPath, (s) => s.addrList(ifindex));
}

/** `ip -n NS link show dev IFINDEX` for many links of one namespace, one socket. */
export function linksGet(nsPath: string | null, ifindexes: readonly number[]): Map<number, RawLink | null> {
  return inNamespace(nsPath, (s) => new Map(ifindexes.map((i) => [i, s.linkGet(i)])));
}

/** `ip -n NS addr show dev IFINDEX` for some links of one namespace, one socket. */
export function addressesOf(nsPath: string | null, ifindexes: readonly number[]): RawAddress[] {
  return inNamespace(nsPath, (s) => ifindexes.flatMap((i) => s.addrList(i)));
}

/** `ip netns list-id target-nsid`-style question through fresh sockets: the id `from` gives `to`, -1 for none. */
export function nsidOf(fromPath: string | null, toPath: string): number {
  const s = new NamespaceSocket(fromPath);
  try {
    return s.nsidOf(toPath);
  } finally {
    s.close();
  }
}

/** Why a read failed, in the user's words: the namespace went away, we may not enter it, or something else. */
export type FailureReason = 'vanished' | 'denied' | 'error';

const VANISHED = new Set(['ENOENT', 'ESRCH', 'EINVAL']);
const DENIED = new Set(['EPERM', 'EACCES']);

/** Classifies an error thrown by a verb; a missing addon is rethrown (nothing can be read: say so loudly). */
export function failureReason(err: unknown): FailureReason {
  if (err instanceof AddonMissingError) throw err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (VANISHED.has(code)) return 'vanished';
  if (DENIED.has(code)) return 'denied';
  return 'error';
}
