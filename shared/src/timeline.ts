import { z } from 'zod';
import { NamespaceKind } from './model.js';

/**
 * The event timeline: what changed, when, in the words the page uses. Entries are derived
 * from the engine's versioned diffs (`timelineOf` in timeline-diff.ts), kept in a bounded
 * ring by the server, and sent over `GET /api/events`, socket.io (`timeline`) and
 * `vethmap events`. Every reference carries the id (to locate the element) *and* the name
 * it had at that moment (the element may be gone when the entry is read).
 */

/** A namespace as the page shows it: `name` is the netns name, `root`, `pid N (comm)` or the container's name. */
export const NamespaceRef = z.object({ id: z.string(), name: z.string(), kind: NamespaceKind });
export type NamespaceRef = z.infer<typeof NamespaceRef>;

/** An interface (IFLA_IFNAME, IFLA_INFO_KIND) in its namespace, at the moment of the entry. */
export const LinkRef = z.object({ id: z.string(), name: z.string(), kind: z.string(), namespace: NamespaceRef });
export type LinkRef = z.infer<typeof LinkRef>;

/** `linkState()` of shared/state.ts: admin down, no carrier (IFF_LOWER_UP clear), or up. */
export const LinkStateName = z.enum(['up', 'down', 'no-carrier']);

const at = {
  /** Position in this server's timeline: 1, 2, 3, … (restarts with the server). */
  seq: z.number().int().positive(),
  /** ISO time of the change (the diff's takenAt). */
  at: z.string(),
  /** Topology version the change produced. */
  version: z.number().int().nonnegative(),
};

const entry = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ ...at, kind: z.literal(kind), ...shape });

/** Every kind of entry; the `kind` string is what filters and `--json` consumers match on. */
export const TimelineEntry = z.discriminatedUnion('kind', [
  /** A namespace appeared (`ip netns add`, a container, a process that unshared). `interfaces`: how many it held then. */
  entry('namespace-added', { namespace: NamespaceRef, interfaces: z.number().int().nonnegative() }),
  /** A namespace vanished, with the interfaces it still held (not listed one by one). */
  entry('namespace-removed', { namespace: NamespaceRef, interfaces: z.number().int().nonnegative() }),
  /** Its label changed: a container name arrived, or the lowest pid in it changed. `namespace.name` is the new one. */
  entry('namespace-renamed', { namespace: NamespaceRef, from: z.string() }),
  /** An interface appeared; `peer` when its veth peer was already proven. */
  entry('link-added', { link: LinkRef, state: LinkStateName, peer: LinkRef.nullable() }),
  /** An interface vanished; `peer` is the peer it had. */
  entry('link-removed', { link: LinkRef, peer: LinkRef.nullable() }),
  /** Same interface (same namespace and ifindex), new IFLA_IFNAME. */
  entry('link-renamed', { link: LinkRef, from: z.string() }),
  /**
   * `ip link set X netns Y`: gone from one namespace and come in another with the same MAC
   * and kind. `from` is where it was (its old id: the ifindex may change too).
   */
  entry('link-moved', { link: LinkRef, from: LinkRef }),
  /** Up, down (admin), or no carrier (for a veth: its peer is down). */
  entry('link-state', { link: LinkRef, from: LinkStateName, to: LinkStateName }),
  entry('address-added', { link: LinkRef, address: z.string() }),
  entry('address-removed', { link: LinkRef, address: z.string() }),
  /** IFLA_MASTER changed: joined, left or changed bridge (or bond). */
  entry('master-changed', { link: LinkRef, from: LinkRef.nullable(), to: LinkRef.nullable() }),
  /** A veth end's peer is now proven (IFLA_LINK and IFLA_LINK_NETNSID checked both ways). */
  entry('peer-resolved', { link: LinkRef, peer: LinkRef }),
  /** A veth end whose peer is no longer visible (it still exists; its peer does not, or cannot be proven). */
  entry('peer-lost', { link: LinkRef, peer: LinkRef }),
]);
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export type TimelineKind = TimelineEntry['kind'];

export const TIMELINE_KINDS: readonly TimelineKind[] = TimelineEntry.options.map((o) => o.shape.kind.value);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An entry before the server numbers it and stamps it with the diff's time and version. */
export type TimelineChange = DistributiveOmit<TimelineEntry, 'seq' | 'at' | 'version'>;

/** The namespace an entry is about (a move: where the interface is now). */
export function entryNamespace(e: TimelineEntry | TimelineChange): NamespaceRef {
  return 'namespace' in e ? e.namespace : e.link.namespace;
}

/** Every element id an entry mentions, the main one first (what "locate" looks for). */
export function entryIds(e: TimelineEntry | TimelineChange): string[] {
  if ('namespace' in e) return [e.namespace.id];
  const ids = [e.link.id];
  if ('peer' in e && e.peer) ids.push(e.peer.id);
  if (e.kind === 'master-changed') for (const m of [e.to, e.from]) if (m) ids.push(m.id);
  return ids;
}

/** `GET /api/events?since=SEQ&limit=N`: entries after `since`, oldest first. */
export const EventsQuery = z.object({
  since: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const EventsResponse = z.object({
  entries: z.array(TimelineEntry),
  /** Seq of the newest entry the server holds (0: none yet). Below `since`: the server restarted. */
  latest: z.number().int().nonnegative(),
  /** True when entries after `since` were already dropped from the bounded timeline. */
  gap: z.boolean(),
  /** True when `limit` cut the answer: ask again with `since` = the last seq returned. */
  more: z.boolean(),
});
export type EventsResponse = z.infer<typeof EventsResponse>;

/** socket.io `timeline`: new entries as they happen, or (`replay`) the recent ones on connect. */
export const TimelineBatch = z.object({ replay: z.boolean(), entries: z.array(TimelineEntry) });
export type TimelineBatch = z.infer<typeof TimelineBatch>;
