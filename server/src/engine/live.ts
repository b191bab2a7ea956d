import { EventEmitter } from 'node:events';
import { existsSync, watch as watchDir, type FSWatcher } from 'node:fs';
import { diffTopology, type Topology, type TopologyDiff } from '@vethmap/shared';
import type { Logger } from 'pino';
import { DEFAULT_SOURCES, watch, watchMounts, type KernelEvent, type ListScope, type NetnsSources, type Watch } from '../kernel/index.js';
import { HostState } from '../discover/host.js';
import type { ContainerLabeller } from './snapshot.js';
import { Settler } from './settle.js';
import { LabelKeeper } from './labelling.js';

export interface LiveOptions {
  sources?: NetnsSources;
  /** How often /proc is looked at for new processes (and namespaces held only by processes). */
  procIntervalMs?: number;
  /** How often every process and folder is listed again in full (the safety net). */
  fullListIntervalMs?: number;
  /** Optional labeller for container namespaces (Docker API or cgroup). */
  labelContainers?: ContainerLabeller;
  /** SO_RCVBUF of each event socket (tests shrink it to force lost events). */
  receiveBuffer?: number;
  log: Logger;
}

export interface LiveStats {
  events: number;
  resyncs: number;
  overflows: number;
  /** Links read again to settle a veth end that had no proven peer. */
  settleReads: number;
  lastScanMs: number;
  /** Scan durations not yet taken by /metrics (which drains it); capped, oldest dropped. */
  scanDurationsMs: number[];
}

/** New processes are looked for this often: a namespace held by one appears within it. */
export const DEFAULT_PROC_INTERVAL_MS = 500;
/** Everything is listed again this often, for processes that changed namespace late. */
export const DEFAULT_FULL_LIST_INTERVAL_MS = 30_000;
/**
 * While the mount table is watched, a namespace is named or unnamed only with a mount
 * change, which triggers its own listing: the named folders' periodic re-read is then only
 * a safety net, and rarer.
 */
export const WATCHED_NAMED_LIST_INTERVAL_MS = 300_000;

/**
 * The live topology: one netlink event socket inside every namespace (so namespaces
 * without an nsid in the root are watched too), folder watches for `ip netns add/del`,
 * and a cheap /proc re-list for process-held namespaces. It only schedules: what to read
 * and how to fold it in is HostState's. Each change re-reads only the namespaces it
 * touched and emits one versioned diff; veth ends left without a proven peer are read
 * again until they settle (see Settler).
 */
export class LiveTopology extends EventEmitter<{ diff: [TopologyDiff] }> {
  private readonly host: HostState;
  private readonly watches = new Map<number, Watch>();
  /** Namespaces to dump in full (new ones, and everything after lost events). */
  private readonly dirty = new Set<number>();
  /** Events read but not yet applied, per namespace, in arrival order. */
  private readonly pending = new Map<number, KernelEvent[]>();
  private readonly settler: Settler;
  private folderWatchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly labels: LabelKeeper | undefined;
  private flushQueued = false;
  /** What the next listing must read again; null: no listing queued. */
  private enumerateQueued: ListScope | null = null;
  private lastFullList = 0;
  private lastNamedList = 0;
  private mountWatch: Watch | undefined;
  private publishedRevision = -1;
  private resyncQueued = false;
  private stopped = false;
  private state: Topology;
  readonly stats: LiveStats = { events: 0, resyncs: 0, overflows: 0, settleReads: 0, lastScanMs: 0, scanDurationsMs: [] };

  constructor(private readonly options: LiveOptions) {
    super();
    this.host = new HostState(options.sources ?? DEFAULT_SOURCES);
    this.state = this.host.topology(0);
    this.settler = new Settler((ids) => this.settle(ids));
    const labeller = options.labelContainers;
    if (labeller) this.labels = new LabelKeeper(labeller, this.host, () => this.publish(), (err) => options.log.warn({ err }, 'container labelling failed'));
  }

  get topology(): Topology {
    return this.state;
  }

  /** A path that opens the namespace with this inode now, null when it is not known (gone). */
  pathOf(inode: number): string | null {
    return this.host.entry(inode)?.path ?? null;
  }

  start(): void {
    const t0 = performance.now();
    this.watchMounts();
    this.host.enumerate();
    this.lastFullList = this.lastNamedList = performance.now();
    for (const inode of this.host.inodes()) this.track(inode);
    this.host.collectAll();
    this.state = this.host.topology(1);
    this.recordScan(performance.now() - t0);
    this.options.log.info({ namespaces: this.state.namespaces.length, interfaces: this.state.interfaces.length, ms: Math.round(this.stats.lastScanMs) }, 'initial scan');
    this.watchFolders();
    this.timer = setInterval(() => this.tick(), this.options.procIntervalMs ?? DEFAULT_PROC_INTERVAL_MS);
    this.timer.unref();
    this.settler.consider(this.host.unmatchedVeths(), []);
    this.labels?.request();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.labels?.stop();
    this.settler.stop();
    this.mountWatch?.close();
    for (const w of this.folderWatchers) w.close();
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
  }

  /** Re-reads everything: after lost events, or when asked. */
  resync(): void {
    this.resyncQueued = true;
    this.queueFlush();
  }

  /** The periodic look at /proc: new processes only, and now and then everything. */
  private tick(): void {
    const now = performance.now();
    const fullEvery = this.options.fullListIntervalMs ?? DEFAULT_FULL_LIST_INTERVAL_MS;
    const namedEvery = this.mountWatch ? Math.max(fullEvery, WATCHED_NAMED_LIST_INTERVAL_MS) : fullEvery;
    this.queueEnumerate({ named: now - this.lastNamedList >= namedEvery, processes: now - this.lastFullList >= fullEvery ? 'all' : 'new' });
  }

  private watchMounts(): void {
    try {
      this.mountWatch = watchMounts(() => this.queueEnumerate({ named: true, processes: 'new' }));
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'cannot watch the mount table: named namespaces are re-read every 30 s instead');
    }
  }

  private recordScan(ms: number): void {
    this.stats.lastScanMs = ms;
    this.stats.scanDurationsMs.push(ms);
    // Nobody scraping /metrics must not mean unbounded memory.
    if (this.stats.scanDurationsMs.length > 1000) this.stats.scanDurationsMs.shift();
  }

  private track(inode: number): void {
    const entry = this.host.entry(inode);
    if (!entry || this.watches.has(inode)) return;
    try {
      this.watches.set(inode, watch(entry.path, (events, overflowed) => this.onEvents(inode, events, overflowed), this.options.receiveBuffer));
    } catch (err) {
      // Vanished between listing and opening, or not ours to enter: the next listing decides.
      this.options.log.debug({ inode, err: (err as Error).message }, 'cannot watch namespace');
    }
  }

  private untrack(inode: number): void {
    // Closing the socket matters: it pins the namespace (and the veths in it) while open.
    this.watches.get(inode)?.close();
    this.watches.delete(inode);
  }

  private onEvents(inode: number, events: KernelEvent[], overflowed: boolean): void {
    this.stats.events += events.length;
    if (overflowed) {
      // Only this namespace's socket lost events: re-read this namespace (a dump holds all
      // it would have said). What they hid elsewhere, a veth that left for another
      // namespace, shows there as a peer that no longer points back, which settling
      // re-reads. A full re-read instead took seconds at 1000 namespaces, long enough for a
      // busy host to overflow again: the engine never caught up.
      this.stats.overflows++;
      this.stats.resyncs++;
      this.options.log.warn({ inode }, 'netlink events lost (ENOBUFS): re-reading the namespace');
      this.pending.delete(inode);
      this.dirty.add(inode);
      this.queueEnumerate({ named: true, processes: 'new' });
      return;
    }
    if (this.dirty.has(inode)) return; // a dump is coming: it holds all of this
    // A namespace gave an id to another: a veth now joins it to one we may not know yet
    // (a container's namespace, before the /proc re-list would find it).
    if (events.some((e) => e.kind === 'nsid')) this.queueEnumerate({ named: true, processes: 'new' });
    const relevant = events.filter((e) => e.kind !== 'nsid');
    if (relevant.length === 0) return;
    let queue = this.pending.get(inode);
    if (!queue) this.pending.set(inode, (queue = []));
    queue.push(...relevant);
    this.queueFlush();
  }

  private watchFolders(): void {
    for (const { dir } of (this.options.sources ?? DEFAULT_SOURCES).namedDirs) {
      if (!existsSync(dir)) continue; // created by the first `ip netns add`: the /proc timer notices it
      try {
        this.folderWatchers.push(watchDir(dir, () => this.onFolderChange()));
      } catch (err) {
        this.options.log.warn({ dir, err: (err as Error).message }, 'cannot watch folder');
      }
    }
  }

  /**
   * `ip netns add` creates the file (this event) and only then bind-mounts the namespace
   * on it, which raises no folder event: the mount table's change brings the next look.
   * Without a mount-table watch, look again shortly after, or it waits for the timer.
   */
  private onFolderChange(): void {
    const scope: ListScope = { named: true, processes: 'new' };
    this.queueEnumerate(scope);
    if (this.mountWatch) return;
    for (const ms of [20, 100, 500]) setTimeout(() => this.queueEnumerate(scope), ms).unref();
  }

  private queueEnumerate(scope: ListScope): void {
    if (this.folderWatchers.length < (this.options.sources ?? DEFAULT_SOURCES).namedDirs.filter((d) => existsSync(d.dir)).length) {
      // A folder appeared (the first `ip netns add`): watch it, and read what it already holds.
      for (const w of this.folderWatchers) w.close();
      this.folderWatchers = [];
      this.watchFolders();
      scope = { ...scope, named: true };
    }
    const q = this.enumerateQueued;
    this.enumerateQueued = { named: scope.named || (q?.named ?? false), processes: scope.processes === 'all' || q?.processes === 'all' ? 'all' : 'new' };
    this.queueFlush();
  }

  private queueFlush(): void {
    if (this.flushQueued || this.stopped) return;
    this.flushQueued = true;
    // setImmediate: events that arrived in the same loop turn become one diff.
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.stopped) return;
    const t0 = performance.now();
    let labelsNeeded = false;
    if (this.resyncQueued) {
      this.resyncQueued = false;
      this.stats.resyncs++;
      this.enumerateQueued = { named: true, processes: 'all' };
      for (const inode of this.host.inodes()) this.dirty.add(inode);
    }
    if (this.enumerateQueued) {
      const scope = this.enumerateQueued;
      this.enumerateQueued = null;
      labelsNeeded = this.enumerate(scope);
    }
    // A dump taken now already holds every event read so far for this namespace.
    for (const inode of this.dirty) this.pending.delete(inode);
    this.collect([...this.dirty]);
    const redump = new Set<number>();
    for (const [inode, events] of this.pending) {
      const more = this.host.apply(inode, events);
      if (more === null) redump.add(inode);
      else for (const other of more) redump.add(other);
    }
    this.collect([...redump]);
    const touched = this.dirty.size + this.pending.size;
    this.dirty.clear();
    this.pending.clear();
    this.publish();
    if (this.host.takeRelistWanted()) this.queueEnumerate({ named: true, processes: 'all' });
    if (touched > 0) this.recordScan(performance.now() - t0);
    if (labelsNeeded) this.labels?.request();
  }

  /** Reads these namespaces again (one kernel call) and stops watching those that vanished. */
  private collect(inodes: number[]): void {
    const alive = this.host.collectMany(inodes);
    inodes.forEach((inode, i) => {
      if (!alive[i]) this.untrack(inode);
    });
  }

  /** Lists namespaces again; true when some appeared (their labels are wanted). */
  private enumerate(scope: ListScope): boolean {
    if (scope.processes === 'all') this.lastFullList = performance.now();
    if (scope.named) this.lastNamedList = performance.now();
    const change = this.host.enumerate(scope);
    for (const inode of change.removed) {
      this.untrack(inode);
      this.dirty.delete(inode);
      this.pending.delete(inode);
    }
    for (const e of change.added) {
      this.track(e.inode);
      this.dirty.add(e.inode);
    }
    return change.added.length > 0;
  }

  /**
   * One settling pass (the Settler decides when): read the unmatched veth ends and what
   * they point at again, list namespaces again if one is named that we do not know.
   */
  private settle(ids: string[]): void {
    if (this.stopped) return;
    const unsettled = this.host.unsettled(ids);
    // A namespace named by nsid that we do not know: a process may have made it long after
    // we first saw it, so look at every process, not only new ones.
    if (unsettled.unknownNamespace && this.enumerate({ named: true, processes: 'all' })) {
      this.collect([...this.dirty]);
      this.dirty.clear();
      this.labels?.request();
    }
    for (const [inode, ifindexes] of unsettled.reads) {
      this.stats.settleReads += ifindexes.size;
      if (!this.host.refresh(inode, ifindexes)) this.untrack(inode);
    }
    this.publish();
  }

  private publish(): void {
    // Nothing read since the last picture changed anything: no diff to look for (this is
    // what every idle /proc look-up ends with).
    if (this.host.revision === this.publishedRevision) return;
    this.publishedRevision = this.host.revision;
    const next = this.host.topology(this.state.version + 1);
    const diff = diffTopology(this.state, next);
    if (diff) {
      this.state = next;
      this.options.log.debug({ version: diff.version, interfaces: diff.interfaces.upsert.length + diff.interfaces.remove.length, namespaces: diff.namespaces.upsert.length + diff.namespaces.remove.length }, 'diff');
      this.emit('diff', diff);
    }
    this.settler.consider(this.host.unmatchedVeths(), diff ? diff.interfaces.upsert.map((i) => i.id) : []);
  }
}
