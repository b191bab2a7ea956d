import { EventEmitter } from 'node:events';
import { existsSync, watch as watchDir, type FSWatcher } from 'node:fs';
import { diffTopology, type Topology, type TopologyDiff } from '@vethmap/shared';
import type { Logger } from 'pino';
import { DEFAULT_SOURCES, type NetnsSources } from '../kernel/netns.js';
import { watch, type Watch } from '../kernel/rtnl.js';
import { RTM_DELADDR, RTM_DELLINK, RTM_NEWADDR, RTM_NEWLINK, type Message } from '../kernel/rtnetlink.js';
import { Scanner, type ContainerLabeller } from './scanner.js';

export interface LiveOptions {
  sources?: NetnsSources;
  /** How often /proc is re-listed for namespaces held only by processes. */
  procIntervalMs?: number;
  /** Optional labeller for container namespaces (Docker API or cgroup). */
  labelContainers?: ContainerLabeller;
  log: Logger;
}

export interface LiveStats {
  events: number;
  resyncs: number;
  overflows: number;
  lastScanMs: number;
  /** Scan durations not yet taken by /metrics (which drains it); capped, oldest dropped. */
  scanDurationsMs: number[];
}

const RELEVANT = new Set([RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR]);

/**
 * The live topology: one netlink event socket inside every namespace (so namespaces
 * without an nsid in the root are watched too), folder watches for `ip netns add/del`,
 * and a cheap /proc re-list for process-held namespaces. Each change re-reads only the
 * namespaces it touched and emits one versioned diff.
 */
export class LiveTopology extends EventEmitter<{ diff: [TopologyDiff] }> {
  private readonly scanner: Scanner;
  private readonly watches = new Map<number, Watch>();
  /** Namespaces to dump in full (new ones, and everything after lost events). */
  private readonly dirty = new Set<number>();
  /** Events read but not yet applied, per namespace, in arrival order. */
  private readonly pending = new Map<number, Message[]>();
  private folderWatchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushQueued = false;
  private enumerateQueued = false;
  private resyncQueued = false;
  private stopped = false;
  private state: Topology;
  readonly stats: LiveStats = { events: 0, resyncs: 0, overflows: 0, lastScanMs: 0, scanDurationsMs: [] };

  constructor(private readonly options: LiveOptions) {
    super();
    this.scanner = new Scanner(options.sources ?? DEFAULT_SOURCES);
    this.state = this.scanner.topology(0);
  }

  get topology(): Topology {
    return this.state;
  }

  start(): void {
    const t0 = performance.now();
    this.scanner.enumerate();
    for (const inode of this.scanner.inodes()) this.track(inode);
    this.scanner.collectAll();
    this.state = this.scanner.topology(1);
    this.recordScan(performance.now() - t0);
    this.options.log.info({ namespaces: this.state.namespaces.length, interfaces: this.state.interfaces.length, ms: Math.round(this.stats.lastScanMs) }, 'initial scan');
    this.watchFolders();
    this.timer = setInterval(() => this.queueEnumerate(), this.options.procIntervalMs ?? 2000);
    this.timer.unref();
    void this.refreshLabels();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.folderWatchers) w.close();
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
  }

  /** Re-reads everything: after lost events, or when asked. */
  resync(): void {
    this.resyncQueued = true;
    this.queueFlush();
  }

  private recordScan(ms: number): void {
    this.stats.lastScanMs = ms;
    this.stats.scanDurationsMs.push(ms);
    // Nobody scraping /metrics must not mean unbounded memory.
    if (this.stats.scanDurationsMs.length > 1000) this.stats.scanDurationsMs.shift();
  }

  private track(inode: number): void {
    const entry = this.scanner.entry(inode);
    if (!entry || this.watches.has(inode)) return;
    try {
      this.watches.set(inode, watch(entry.path, (messages, overflowed) => this.onEvent(inode, messages, overflowed)));
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

  private onEvent(inode: number, messages: Message[], overflowed: boolean): void {
    this.stats.events += messages.length;
    if (overflowed) {
      this.stats.overflows++;
      this.options.log.warn({ inode }, 'netlink events lost (ENOBUFS): full resync');
      this.resync();
      return;
    }
    const relevant = messages.filter((m) => RELEVANT.has(m.type));
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
   * on it, which raises no event: look again shortly after, or it waits for the timer.
   */
  private onFolderChange(): void {
    this.queueEnumerate();
    for (const ms of [20, 100, 500]) setTimeout(() => this.queueEnumerate(), ms).unref();
  }

  private queueEnumerate(): void {
    if (this.folderWatchers.length < (this.options.sources ?? DEFAULT_SOURCES).namedDirs.filter((d) => existsSync(d.dir)).length) {
      for (const w of this.folderWatchers) w.close();
      this.folderWatchers = [];
      this.watchFolders();
    }
    this.enumerateQueued = true;
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
      this.enumerateQueued = true;
      for (const inode of this.scanner.inodes()) this.dirty.add(inode);
    }
    if (this.enumerateQueued) {
      this.enumerateQueued = false;
      const change = this.scanner.enumerate();
      for (const inode of change.removed) {
        this.untrack(inode);
        this.dirty.delete(inode);
        this.pending.delete(inode);
      }
      for (const e of change.added) {
        this.track(e.inode);
        this.dirty.add(e.inode);
      }
      labelsNeeded = change.added.length > 0;
    }
    for (const inode of this.dirty) {
      // A dump taken now already holds every event read so far for this namespace.
      this.pending.delete(inode);
      if (!this.scanner.collect(inode)) this.untrack(inode);
    }
    const redump = new Set<number>();
    for (const [inode, messages] of this.pending) {
      const more = this.scanner.apply(inode, messages);
      if (more === null) redump.add(inode);
      else for (const other of more) redump.add(other);
    }
    for (const inode of redump) {
      if (!this.scanner.collect(inode)) this.untrack(inode);
    }
    const touched = this.dirty.size + this.pending.size;
    this.dirty.clear();
    this.pending.clear();
    this.publish();
    if (touched > 0) this.recordScan(performance.now() - t0);
    if (labelsNeeded) void this.refreshLabels();
  }

  private publish(): void {
    const next = this.scanner.topology(this.state.version + 1);
    const diff = diffTopology(this.state, next);
    if (!diff) return;
    this.state = next;
    this.options.log.debug({ version: diff.version, interfaces: diff.interfaces.upsert.length + diff.interfaces.remove.length, namespaces: diff.namespaces.upsert.length + diff.namespaces.remove.length }, 'diff');
    this.emit('diff', diff);
  }

  private async refreshLabels(): Promise<void> {
    const labeller = this.options.labelContainers;
    if (!labeller) return;
    try {
      const labels = await labeller(this.scanner.labelCandidates());
      if (!this.stopped && this.scanner.setContainerLabels(labels)) this.publish();
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'container labelling failed');
    }
  }
}
