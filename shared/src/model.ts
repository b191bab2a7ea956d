import { z } from 'zod';

/**
 * How vethmap found a namespace: `root` is init's (/proc/1/ns/net); `named` an entry of
 * /var/run/netns (`ip netns add`); `docker` an entry of /var/run/docker/netns; `process`
 * a namespace reachable only through /proc/PID/ns/net (a container, a sandbox, `unshare`).
 */
export const NamespaceKind = z.enum(['root', 'named', 'docker', 'process']);
export type NamespaceKind = z.infer<typeof NamespaceKind>;

/** A network namespace. Identity is the nsfs inode: names and pids come and go. */
export const Namespace = z.object({
  /** `ns:<inode>`: stable for the namespace's lifetime. */
  id: z.string(),
  /** Inode of the namespace on nsfs (what `readlink /proc/PID/ns/net` shows as net:[INODE]). */
  inode: z.number().int().nonnegative(),
  kind: NamespaceKind,
  /** What a user calls it: the netns name, `root`, or `pid N (comm)` for process-held ones. */
  name: z.string(),
  /** Lowest pid whose /proc/PID/ns/net is this namespace, if any process lives in it. */
  pid: z.number().int().nullable(),
  /** Container name and image when a container engine said so (issue: containers by name). */
  container: z.object({ id: z.string(), name: z.string(), image: z.string().nullable() }).nullable(),
});
export type Namespace = z.infer<typeof Namespace>;

/**
 * A network interface. `namespace`, `master`, `peer` and `parent` are ids of this same
 * document, or null.
 */
export const Interface = z.object({
  /** `nif:<namespace inode>:<ifindex>`: ifindex alone is only unique inside one namespace. */
  id: z.string(),
  namespace: z.string(),
  /** ifinfomsg.ifi_index. */
  ifindex: z.number().int(),
  /** IFLA_IFNAME. Any bytes a user could give; render as text only. */
  name: z.string(),
  /** IFLA_INFO_KIND (veth, bridge, vxlan, macvlan, ...), `loopback`, or `device` when none. */
  kind: z.string(),
  /** IFLA_ADDRESS as aa:bb:..., null when the link has none. */
  mac: z.string().nullable(),
  /** IFLA_MTU. */
  mtu: z.number().int(),
  /** IFLA_OPERSTATE as the kernel names it: UP, DOWN, LOWERLAYERDOWN, UNKNOWN, DORMANT, ... */
  operstate: z.string(),
  /** IFF_UP: administratively up (`ip link set X up`). */
  adminUp: z.boolean(),
  /** IFF_LOWER_UP: carrier. On a veth it is false while the other end is down. */
  lowerUp: z.boolean(),
  /** IFLA_MASTER resolved in the same namespace: the bridge (or bond) this is a port of. */
  master: z.string().nullable(),
  /** The other end of a veth pair, resolved as (namespace, ifindex) and checked both ways. */
  peer: z.string().nullable(),
  /** The lower device of a vlan/macvlan/ipvlan (IFLA_LINK), when it can be resolved. */
  parent: z.string().nullable(),
  /** IFA_ADDRESS/IFA_LOCAL with prefix length, IPv4 then IPv6, e.g. `10.0.0.1/24`. */
  addresses: z.array(z.string()),
  /**
   * The kernel's own words, kept as evidence: IFLA_LINK (the peer's or parent's ifindex,
   * in the namespace given by linkNetnsid) and IFLA_LINK_NETNSID (an id in *this*
   * interface's namespace's numbering; null when the other end is in the same namespace).
   */
  link: z.object({ ifindex: z.number().int().nullable(), netnsid: z.number().int().nullable() }),
});
export type Interface = z.infer<typeof Interface>;

/** The whole picture at one version. What `GET /api/topology` returns. */
export const Topology = z.object({
  /** Increases by one with every change; a diff goes from `version - 1` to `version`. */
  version: z.number().int().nonnegative(),
  /** Host name of the machine the topology was read from. */
  host: z.string(),
  /** ISO time of the last change applied. */
  takenAt: z.string(),
  /** false when served from a capture file (`vethmap serve --from`). */
  live: z.boolean(),
  namespaces: z.array(Namespace),
  interfaces: z.array(Interface),
  /** What the scan could not see and why (not root, a namespace that refused to open). */
  warnings: z.array(z.string()),
});
export type Topology = z.infer<typeof Topology>;

/** One step from `fromVersion` to `version`: replaced or added entities, removed ids. */
export const TopologyDiff = z.object({
  fromVersion: z.number().int().nonnegative(),
  version: z.number().int().positive(),
  takenAt: z.string(),
  namespaces: z.object({ upsert: z.array(Namespace), remove: z.array(z.string()) }),
  interfaces: z.object({ upsert: z.array(Interface), remove: z.array(z.string()) }),
  warnings: z.array(z.string()).nullable(),
});
export type TopologyDiff = z.infer<typeof TopologyDiff>;

/** How much the server's bounded event timeline holds (it drops the oldest beyond either limit). */
export const TimelineStats = z.object({
  entries: z.number().int().nonnegative(),
  /** Sum of the entries' JSON sizes in bytes. */
  bytes: z.number().int().nonnegative(),
  maxEntries: z.number().int().positive(),
  maxBytes: z.number().int().positive(),
  /** Seq of the newest entry (0: none yet). */
  latest: z.number().int().nonnegative(),
  /** Entries dropped so far to stay within the limits. */
  dropped: z.number().int().nonnegative(),
});
export type TimelineStats = z.infer<typeof TimelineStats>;

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.number().int(),
  namespaces: z.number().int(),
  interfaces: z.number().int(),
  live: z.boolean(),
  warnings: z.array(z.string()),
  /** The event timeline's size (absent on servers without one). */
  timeline: TimelineStats.optional(),
});
export type Health = z.infer<typeof Health>;

/** What `GET /api/health` says to a request without the token (a healthcheck): up or not. */
export const PublicHealth = Health.pick({ status: true });
export type PublicHealth = z.infer<typeof PublicHealth>;
