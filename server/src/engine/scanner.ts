import { hostname } from 'node:os';
import { interfaceId, type Interface, type Namespace, type Topology } from '@vethmap/shared';
import { DEFAULT_SOURCES, netnsList, type NetnsEntry, type NetnsSources } from '../kernel/netns.js';
import { NamespaceSocket } from '../kernel/rtnl.js';
import { collectNamespace, type NamespaceScan } from '../discover/collect.js';
import { toNamespace, type ContainerLabel } from '../discover/netns.js';
import { resolveRelations, sortNamespaces } from '../discover/topology.js';
import { applyEvents } from '../discover/events.js';
import type { Message } from '../kernel/rtnetlink.js';
import type { NsidLookup } from '../discover/veth.js';

export interface EnumerationChange {
  added: NetnsEntry[];
  removed: number[];
}

/**
 * Everything vethmap knows of the host between two reads: the namespaces, the raw links
 * and addresses of each, and the nsids proven so far. It reads the kernel only when told
 * to (enumerate, collect) so the live layer decides what to re-read.
 */
export class Scanner {
  private readonly entries = new Map<number, NetnsEntry>();
  private readonly scans = new Map<number, NamespaceScan>();
  private readonly unreadable = new Map<number, string>();
  private readonly nsids = new Map<string, number>();
  private readonly labels = new Map<number, ContainerLabel>();
  private listingWarnings: string[] = [];
  /** Sockets kept open for the nsid questions of one resolving pass, by asking namespace. */
  private askers: Map<number, NamespaceSocket> | null = null;
  private interfacesCache: Interface[] | null = null;
  /** Rebuilt only when the listing or the labels change: labels read /proc/PID/comm. */
  private namespacesCache: Namespace[] | null = null;

  constructor(private readonly sources: NetnsSources = DEFAULT_SOURCES) {}

  /** Re-lists namespaces (cheap: no netlink) and reports which appeared or went away. */
  enumerate(): EnumerationChange {
    const listing = netnsList(this.sources);
    this.listingWarnings = listing.warnings;
    const seen = new Set<number>();
    const added: NetnsEntry[] = [];
    for (const e of listing.entries) {
      seen.add(e.inode);
      const prev = this.entries.get(e.inode);
      if (!prev) added.push(e);
      if (!prev || prev.kind !== e.kind || prev.name !== e.name || prev.pids[0] !== e.pids[0]) this.namespacesCache = null;
      // Relations are proven through the paths (nsid questions): one that was unanswerable
      // through a dead path may be answerable now.
      if (prev && prev.path !== e.path) this.interfacesCache = null;
      this.entries.set(e.inode, e); // kind, name, pids and path may all have changed
    }
    const removed = [...this.entries.keys()].filter((inode) => !seen.has(inode));
    for (const inode of removed) this.forget(inode);
    return { added, removed };
  }

  entry(inode: number): NetnsEntry | undefined {
    return this.entries.get(inode);
  }

  inodes(): number[] {
    return [...this.entries.keys()];
  }

  /** Re-reads one namespace's links and addresses. False when it has vanished. */
  collect(inode: number): boolean {
    const entry = this.entries.get(inode);
    if (!entry) return false;
    this.interfacesCache = null;
    const result = collectNamespace(entry);
    if (result.ok) {
      this.scans.set(inode, result.scan);
      this.unreadable.delete(inode);
      return true;
    }
    if (result.reason === 'vanished') {
      this.forget(inode);
      return false;
    }
    // Seen but not readable (EPERM as non-root): keep the box, say why it is empty.
    this.scans.delete(inode);
    this.unreadable.set(inode, `cannot read namespace ${entry.name ?? entry.path}: ${result.message}`);
    return true;
  }

  /**
   * Applies link and address events read inside a namespace. They carry what a dump
   * would (same kernel fill function), so a flap costs one message, not a re-dump of a
   * root with thousands of links. Returns the namespaces that must be dumped in full
   * because of it, or null when this one was never read (dump it).
   *
   * Kernel quirk: when a veth end moves to another namespace, only the moved end is
   * announced (RTM_DELLINK here, RTM_NEWLINK there); its peer's IFLA_LINK and
   * IFLA_LINK_NETNSID change without an event. So a veth leaving sends us to re-read
   * the namespace of the peer it had.
   */
  apply(inode: number, messages: Message[]): number[] | null {
    const scan = this.scans.get(inode);
    if (!scan) return null;
    const resolvedBefore = this.interfacesCache;
    this.interfacesCache = null;
    const redump = new Set<number>();
    for (const veth of applyEvents(scan, messages)) {
      if (veth.linkNetnsid === null) {
        redump.add(inode); // its peer lives here
        continue;
      }
      const peerId = resolvedBefore?.find((i) => i.id === interfaceId(inode, veth.ifindex))?.peer;
      if (peerId) {
        redump.add(Number(peerId.split(':')[1]));
        continue;
      }
      // Not resolved yet (created and moved within one batch): find the namespace the
      // departed veth named, in this namespace's numbering.
      for (const other of this.scans.values()) {
        if (other !== scan && this.nsidLookup(scan, other) === veth.linkNetnsid) redump.add(other.entry.inode);
      }
    }
    return [...redump];
  }

  collectAll(): void {
    for (const inode of this.inodes()) this.collect(inode);
  }

  /** Namespaces a container engine might own: never the root or an `ip netns` one. */
  labelCandidates(): LabelCandidate[] {
    return [...this.entries.values()]
      .filter((e) => e.kind === 'process' || e.kind === 'docker')
      .map((e) => ({ inode: e.inode, pids: e.pids, kind: e.kind, name: e.name }));
  }

  setContainerLabels(labels: Map<number, ContainerLabel>): boolean {
    const before = JSON.stringify([...this.labels]);
    this.labels.clear();
    for (const [k, v] of labels) this.labels.set(k, v);
    const changed = before !== JSON.stringify([...this.labels]);
    if (changed) this.namespacesCache = null;
    return changed;
  }

  private forget(inode: number): void {
    this.entries.delete(inode);
    this.scans.delete(inode);
    this.unreadable.delete(inode);
    this.interfacesCache = null;
    this.namespacesCache = null;
    // nsids name live namespaces only; a dead one's id may be handed out again.
    for (const k of this.nsids.keys()) {
      const [from, to] = k.split('>');
      if (Number(from) === inode || Number(to) === inode) this.nsids.delete(k);
    }
  }

  /**
   * Asks through the paths the namespaces are listed under now, not those they were read
   * through: `ip netns add` is first seen through its own process (/proc/PID/ns/net, before
   * the bind mount), which exits a moment later; asked through that path, every nsid
   * question failed and the namespace's veths never got a peer (1 in 40–150 namespaces
   * added while serving, measured).
   */
  private readonly nsidLookup: NsidLookup = (fromScan, toScan) => {
    const from = this.entries.get(fromScan.entry.inode) ?? fromScan.entry;
    const to = this.entries.get(toScan.entry.inode) ?? toScan.entry;
    const k = `${from.inode}>${to.inode}`;
    const cached = this.nsids.get(k);
    if (cached !== undefined) return cached;
    let id = -1;
    try {
      let asker = this.askers?.get(from.inode);
      if (!asker) {
        asker = new NamespaceSocket(from.path);
        this.askers?.set(from.inode, asker);
      }
      id = asker.nsidOf(to.path);
      if (!this.askers) asker.close();
    } catch {
      return -1; // one of them vanished: the next event re-reads it
    }
    // An assigned id never changes while both live; "none yet" may change, so not cached.
    if (id >= 0) this.nsids.set(k, id);
    return id;
  };

  namespaces(): Namespace[] {
    this.namespacesCache ??= sortNamespaces([...this.entries.values()].map((e) => toNamespace(e, this.labels.get(e.inode) ?? null)));
    return this.namespacesCache;
  }

  interfaces(): Interface[] {
    if (this.interfacesCache) return this.interfacesCache;
    // One socket per asking namespace for the whole pass: the root asks about every other.
    this.askers = new Map();
    try {
      this.interfacesCache = resolveRelations([...this.scans.values()], this.nsidLookup);
    } finally {
      for (const s of this.askers.values()) s.close();
      this.askers = null;
    }
    return this.interfacesCache;
  }

  warnings(): string[] {
    return [...this.listingWarnings, ...this.unreadable.values()];
  }

  /** The whole picture at `version`. */
  topology(version: number, takenAt = new Date().toISOString()): Topology {
    return {
      version,
      host: hostname(),
      takenAt,
      live: true,
      namespaces: this.namespaces(),
      interfaces: this.interfaces(),
      warnings: this.warnings(),
    };
  }
}

export type ContainerLabeller = (namespaces: LabelCandidate[]) => Promise<Map<number, ContainerLabel>>;

export interface LabelCandidate {
  inode: number;
  pids: number[];
  kind: string;
  name: string | null;
}

/** One full read, for `vethmap snapshot` and `vethmap peer`: no watchers, nothing kept. */
export async function snapshotOnce(options: { sources?: NetnsSources; labelContainers?: ContainerLabeller } = {}): Promise<Topology> {
  const s = new Scanner(options.sources);
  s.enumerate();
  s.collectAll();
  if (options.labelContainers) s.setContainerLabels(await options.labelContainers(s.labelCandidates()));
  return s.topology(1);
}
