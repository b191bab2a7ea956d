import { hostname } from 'node:os';
import { interfaceId, namespaceId, type Interface, type Namespace, type Topology } from '@vethmap/shared';
import {
  addressesOf, DEFAULT_SOURCES, failureReason, linksGet, NamespaceLister,
  type KernelEvent, type ListScope, type NetnsEntry, type NetnsListing, type NetnsSources, type RawAddress, type RawLink,
} from '../kernel/index.js';
import { collectNamespaces, type CollectResult, type NamespaceScan } from './collect.js';
import { applyEvents } from './events.js';
import { toNamespace, type ContainerLabel } from './netns.js';
import { NsidBook } from './nsids.js';
import { newRelationMemo, resolveRelationsReusing, sortNamespaces, type RelationMemo } from './topology.js';
import { peerIfindex } from './veth.js';

export interface EnumerationChange {
  added: NetnsEntry[];
  removed: number[];
}

/** A namespace that may belong to a container engine: never the root or an `ip netns` one. */
export interface LabelCandidate {
  inode: number;
  pids: number[];
  kind: string;
  name: string | null;
}

/** Links to read again, by namespace inode, to settle veth ends that have no proven peer. */
export interface Unsettled {
  /** Namespace inode → ifindexes: the unmatched ends and the links they point at. */
  reads: Map<number, Set<number>>;
  /** Some end names a namespace (by nsid) that is not among the known ones: list again. */
  unknownNamespace: boolean;
}

/**
 * What vethmap knows of the host between two reads: the namespaces, the raw links and
 * addresses of each, the nsids proven so far and the container labels, assembled into a
 * Topology on demand. It reads the kernel only when told to (enumerate, collect, refresh),
 * so the engine decides what to re-read and when.
 */
export class HostState {
  private readonly entries = new Map<number, NetnsEntry>();
  private readonly scans = new Map<number, NamespaceScan>();
  private readonly unreadable = new Map<number, string>();
  private readonly nsids = new NsidBook((inode) => this.entries.get(inode));
  /** The root namespace's entry, as last listed. */
  private root: NetnsEntry | undefined;
  private readonly labels = new Map<number, ContainerLabel>();
  private listingWarnings: string[] = [];
  private lastListing: NetnsListing | null = null;
  /** Bumped whenever what `topology()` would say may have changed (the engine skips a diff otherwise). */
  private changes = 0;
  private relistWanted = false;
  private interfacesCache: Interface[] | null = null;
  /** Interfaces built from each namespace's scan as it is now (see resolveRelationsReusing). */
  private built = new Map<number, Interface[]>();
  /** Interfaces and proven pairs by the raw links they came from (see RelationMemo). */
  private memo: RelationMemo = newRelationMemo();
  /** Rebuilt only when the listing or the labels change: labels read /proc/PID/comm. */
  private namespacesCache: Namespace[] | null = null;

  private readonly lister: NamespaceLister;

  constructor(sources: NetnsSources = DEFAULT_SOURCES) {
    this.lister = new NamespaceLister(sources);
  }

  /** A number that changes whenever the picture may have changed since it was last read. */
  get revision(): number {
    return this.changes;
  }

  /** The picture's interfaces must be resolved again; `inode`: that namespace's scan changed too. */
  private forgetInterfaces(inode?: number): void {
    this.interfacesCache = null;
    if (inode !== undefined) this.built.delete(inode);
    // A path changed: nsid answers through it may differ, so prove every pair again.
    else this.memo = newRelationMemo();
    this.changes++;
  }

  private forgetNamespaces(): void {
    this.namespacesCache = null;
    this.changes++;
  }

  /**
   * Re-lists namespaces (no netlink) and reports which appeared or went away. `scope` says
   * what to read again (default: everything); the rest is what the last listing found.
   */
  enumerate(scope?: ListScope): EnumerationChange {
    const listing = this.lister.list(scope);
    // The lister hands back its last listing when nothing it read differs: nothing to compare.
    if (listing === this.lastListing) return { added: [], removed: [] };
    this.lastListing = listing;
    if (listing.warnings.join('\n') !== this.listingWarnings.join('\n')) this.changes++;
    this.listingWarnings = listing.warnings;
    const seen = new Set<number>();
    const added: NetnsEntry[] = [];
    for (const e of listing.entries) {
      seen.add(e.inode);
      const prev = this.entries.get(e.inode);
      if (!prev) added.push(e);
      if (!prev || prev.kind !== e.kind || prev.name !== e.name || prev.pids[0] !== e.pids[0] || prev.comm !== e.comm) this.forgetNamespaces();
      // Relations are proven through the paths (nsid questions): one that was unanswerable
      // through a dead path may be answerable now.
      if (prev && prev.path !== e.path) this.forgetInterfaces();
      this.entries.set(e.inode, e); // kind, name, pids and path may all have changed
      if (e.kind === 'root') this.root = e;
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
    return this.collectMany([inode])[0]!;
  }

  /**
   * Re-reads these namespaces' links and addresses, in one kernel call (the facade shares it
   * between threads). Per inode, false when it has vanished (or was never listed).
   */
  collectMany(inodes: readonly number[]): boolean[] {
    const listed = inodes.map((inode) => this.entries.get(inode));
    const entries = listed.filter((e): e is NetnsEntry => e !== undefined);
    // The nsids between each namespace and the root, asked by the same call: the resolving
    // pass would otherwise ask them one socket at a time (most of its time).
    const results = collectNamespaces(entries, this.root ?? null);
    const done = new Map<number, boolean>();
    entries.forEach((entry, i) => done.set(entry.inode, this.take(entry, results[i]!)));
    return listed.map((e) => (e ? done.get(e.inode)! : false));
  }

  /** Folds one namespace's read in; false when it has vanished. */
  private take(entry: NetnsEntry, result: CollectResult): boolean {
    const inode = entry.inode;
    this.forgetInterfaces(inode);
    if (result.ok) {
      const root = this.root;
      if (root && root.inode !== inode) {
        if (result.nsidToRoot !== undefined) this.nsids.record(inode, root.inode, result.nsidToRoot);
        if (result.nsidFromRoot !== undefined) this.nsids.record(root.inode, inode, result.nsidFromRoot);
      }
      this.scans.set(inode, result.scan);
      this.unreadable.delete(inode);
      return true;
    }
    if (result.reason === 'vanished' || result.reason === 'moved') {
      // Moved: the listing is stale; the namespace comes back, through a path that leads
      // to it, with the next full listing, which the engine asks for at once.
      if (result.reason === 'moved') this.relistWanted = true;
      this.forget(inode);
      return false;
    }
    // Seen but not readable (EPERM as non-root): keep the box, say why it is empty.
    this.scans.delete(inode);
    this.unreadable.set(inode, `cannot read namespace ${entry.name ?? entry.path}: ${result.message}`);
    return true;
  }

  /** True once (then false) when a read found the listing stale: list everything again. */
  takeRelistWanted(): boolean {
    const wanted = this.relistWanted;
    this.relistWanted = false;
    return wanted;
  }

  collectAll(): void {
    this.collectMany(this.inodes());
  }

  /**
   * Applies decoded events read inside a namespace. They carry what a dump would (same
   * kernel fill function), so a flap costs one message, not a re-dump of a root with
   * thousands of links. Returns the namespaces that must be dumped in full because of it,
   * or null when this one was never read (dump it).
   *
   * Kernel quirk: when a veth end moves to another namespace, only the moved end is
   * announced (RTM_DELLINK here, RTM_NEWLINK there); its peer's IFLA_LINK and
   * IFLA_LINK_NETNSID change without an event. So a veth leaving sends us to re-read
   * the namespace of the peer it had.
   */
  apply(inode: number, events: readonly KernelEvent[]): number[] | null {
    const scan = this.scans.get(inode);
    if (!scan) return null;
    const resolvedBefore = this.interfacesCache;
    this.forgetInterfaces(inode);
    const redump = new Set<number>();
    const applied = applyEvents(scan, events);
    if (applied.runningChanged.length > 0) this.rereadAddresses(scan, applied.runningChanged);
    // A bridge's carrier changed with its ports, announced up to a second later: read it now.
    if (applied.mastersTouched.length > 0 && !this.refresh(inode, applied.mastersTouched, false)) return []; // vanished meanwhile
    for (const veth of applied.departedVeths) {
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
        if (other !== scan && this.nsids.lookup(scan, other) === veth.linkNetnsid) redump.add(other.entry.inode);
      }
    }
    return [...redump];
  }

  /** Replaces what is known of some links' addresses with a fresh read (`ip addr show dev N`). */
  private rereadAddresses(scan: NamespaceScan, ifindexes: number[]): void {
    const entry = this.entries.get(scan.entry.inode) ?? scan.entry;
    let fresh: RawAddress[];
    try {
      fresh = addressesOf(entry.path, ifindexes);
    } catch {
      return; // vanished or refused: the namespace's own events or listing will say so
    }
    const which = new Set(ifindexes);
    scan.addrs = [...scan.addrs.filter((a) => !which.has(a.ifindex)), ...fresh];
  }

  /**
   * Reads single links again (`ip link show dev N` each) and folds them in like events:
   * a link that is gone is removed. A bridge whose port changed with it is read too, as
   * `apply` does (its carrier follows the port at once, its message comes later). False
   * when the namespace itself has vanished.
   */
  refresh(inode: number, ifindexes: Iterable<number>, withMasters = true): boolean {
    const scan = this.scans.get(inode);
    const entry = this.entries.get(inode);
    if (!scan || !entry) return false;
    const asked = [...ifindexes];
    let read: Map<number, RawLink | null>;
    try {
      read = linksGet(entry.path, asked);
    } catch (err) {
      if (failureReason(err) === 'vanished') {
        this.forget(inode);
        return false;
      }
      return true; // refused: the namespace's box already says why
    }
    const events: KernelEvent[] = [];
    for (const [ifindex, link] of read) {
      if (link) events.push({ kind: 'link', op: 'new', link });
      else {
        const known = scan.links.find((l) => l.ifindex === ifindex);
        if (known) events.push({ kind: 'link', op: 'del', link: known });
      }
    }
    this.forgetInterfaces(inode);
    const applied = applyEvents(scan, events);
    if (applied.runningChanged.length > 0) this.rereadAddresses(scan, applied.runningChanged);
    // One level: a bridge read here is not itself a port whose master needs reading.
    const masters = applied.mastersTouched.filter((m) => !asked.includes(m));
    return !withMasters || masters.length === 0 || this.refresh(inode, masters, false);
  }

  /**
   * Veth ends without a proven peer, and what to read again to settle them: a veth is never
   * without a peer for long (deleting one end deletes both), so an unmatched end is either
   * news we read half-way (the kernel announces a new pair's first end before the two are
   * tied: IFLA_LINK 0, and no later event comes) or a peer in a namespace not seen yet.
   */
  unsettled(ids: readonly string[]): Unsettled {
    return this.nsids.session(() => this.findUnsettled(new Set(ids)));
  }

  /** Ids of the veth ends that have no proven peer now (cheap: no kernel question). */
  unmatchedVeths(): string[] {
    return this.interfaces().filter((i) => i.kind === 'veth' && i.peer === null).map((i) => i.id);
  }

  private findUnsettled(ids: ReadonlySet<string>): Unsettled {
    const out: Unsettled = { reads: new Map(), unknownNamespace: false };
    const want = (inode: number, ifindex: number): void => {
      let set = out.reads.get(inode);
      if (!set) out.reads.set(inode, (set = new Set()));
      set.add(ifindex);
    };
    const byId = new Map<string, NamespaceScan>();
    for (const scan of this.scans.values()) byId.set(namespaceId(scan.entry.inode), scan);
    for (const i of this.interfaces()) {
      if (i.kind !== 'veth' || i.peer !== null || !ids.has(i.id)) continue;
      const scan = byId.get(i.namespace);
      const raw = scan?.links.find((l) => l.ifindex === i.ifindex);
      if (!scan || !raw) continue;
      want(scan.entry.inode, raw.ifindex);
      const target = peerIfindex(raw);
      if (target <= 0) continue; // not tied yet: reading this end again is what helps
      if (raw.linkNetnsid === null) {
        want(scan.entry.inode, target);
        continue;
      }
      if (raw.linkNetnsid < 0) continue;
      const owner = [...this.scans.values()].find((other) => other !== scan && this.nsids.lookup(scan, other) === raw.linkNetnsid);
      if (owner) want(owner.entry.inode, target);
      else out.unknownNamespace = true;
    }
    return out;
  }

  labelCandidates(): LabelCandidate[] {
    return [...this.entries.values()]
      .filter((e) => e.kind === 'process' || e.kind === 'docker')
      .map((e) => ({ inode: e.inode, pids: e.pids, kind: e.kind, name: e.name }));
  }

  containerLabels(): ReadonlyMap<number, ContainerLabel> {
    return this.labels;
  }

  setContainerLabels(labels: Map<number, ContainerLabel>): boolean {
    const before = JSON.stringify([...this.labels]);
    this.labels.clear();
    for (const [k, v] of labels) this.labels.set(k, v);
    const changed = before !== JSON.stringify([...this.labels]);
    if (changed) this.forgetNamespaces();
    return changed;
  }

  private forget(inode: number): void {
    this.entries.delete(inode);
    this.scans.delete(inode);
    this.unreadable.delete(inode);
    this.forgetInterfaces(inode);
    this.forgetNamespaces();
    this.nsids.forget(inode);
    if (this.root?.inode === inode) this.root = undefined;
  }

  namespaces(): Namespace[] {
    this.namespacesCache ??= sortNamespaces([...this.entries.values()].map((e) => toNamespace(e, this.labels.get(e.inode) ?? null)));
    return this.namespacesCache;
  }

  interfaces(): Interface[] {
    if (!this.interfacesCache) {
      const { interfaces, byNamespace } = this.nsids.session(() => resolveRelationsReusing([...this.scans.values()], this.nsids.lookup, this.built, this.memo));
      this.interfacesCache = interfaces;
      this.built = byNamespace;
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
