import { EventEmitter } from 'node:events';
import { timelineOf, TimelineIndex, type EventsResponse, type TimelineEntry, type TimelineStats, type Topology, type TopologyDiff } from '@vethmap/shared';

/** What a timeline is recorded from: the live engine, or nothing new for a capture. */
export interface DiffSource {
  readonly topology: Topology;
  on(event: 'diff', listener: (diff: TopologyDiff) => void): unknown;
  off?(event: 'diff', listener: (diff: TopologyDiff) => void): unknown;
}

export interface TimelineLimits {
  /** Entries kept at most; the oldest are dropped first. */
  maxEntries: number;
  /** Sum of the entries' JSON sizes kept at most (names can be long: netns names reach 255 bytes). */
  maxBytes: number;
}

/**
 * 5000 entries are a few minutes of a churning host (the churn bench makes ~150 events/s)
 * and hours of an ordinary one; 2 MiB is ~5000 entries of ~400 bytes.
 */
export const DEFAULT_TIMELINE_LIMITS: TimelineLimits = { maxEntries: 5000, maxBytes: 2 * 1024 * 1024 };

interface Kept { entry: TimelineEntry; bytes: number }

/**
 * The server's bounded, in-memory event timeline: every diff the source publishes becomes
 * entries (`timelineOf`), numbered 1, 2, 3, … and kept in a ring bounded by count and by
 * bytes. It emits `entries` with each diff's new ones; `since` answers `GET /api/events`.
 * A capture's recorded timeline can be given as history: it is served as is.
 */
export class Timeline extends EventEmitter<{ entries: [TimelineEntry[]] }> {
  private readonly ring: Kept[] = [];
  /** Index of the oldest kept entry in `ring` (dropping moves it; the array is compacted now and then). */
  private head = 0;
  private bytes = 0;
  private latest = 0;
  private dropped = 0;
  /** The topology the next diff starts from, by id, kept up to date diff by diff. */
  private index: TimelineIndex;
  private version: number;
  private readonly limits: TimelineLimits;
  private readonly listener = (diff: TopologyDiff): void => this.record(diff);

  constructor(private readonly source: DiffSource, options: { limits?: Partial<TimelineLimits>; history?: readonly TimelineEntry[] } = {}) {
    super();
    this.limits = { ...DEFAULT_TIMELINE_LIMITS, ...options.limits };
    this.index = new TimelineIndex(source.topology);
    this.version = source.topology.version;
    // A capture's entries, in order and once each (a hand-edited file may say otherwise).
    const history = [...(options.history ?? [])].sort((a, b) => a.seq - b.seq);
    for (const e of history) if (e.seq > this.latest) this.keep(e);
    source.on('diff', this.listener);
  }

  close(): void {
    this.source.off?.('diff', this.listener);
  }

  /**
   * Describes a diff against the topology it starts from. One that does not start where the
   * index is (diffs missed) is not described wrongly: the index is rebuilt from the source.
   */
  private record(diff: TopologyDiff): void {
    if (diff.fromVersion !== this.version) {
      this.index = new TimelineIndex(this.source.topology);
      this.version = this.source.topology.version;
      return;
    }
    const changes = timelineOf(this.index, diff);
    this.index.apply(diff);
    this.version = diff.version;
    const made: TimelineEntry[] = [];
    for (const change of changes) {
      const entry: TimelineEntry = { seq: this.latest + 1, at: diff.takenAt, version: diff.version, ...change };
      this.keep(entry);
      made.push(entry);
    }
    if (made.length > 0) this.emit('entries', made);
  }

  private keep(entry: TimelineEntry): void {
    const bytes = Buffer.byteLength(JSON.stringify(entry));
    this.ring.push({ entry, bytes });
    this.bytes += bytes;
    this.latest = Math.max(this.latest, entry.seq);
    while (this.ring.length - this.head > this.limits.maxEntries || (this.bytes > this.limits.maxBytes && this.ring.length > this.head)) {
      this.bytes -= this.ring[this.head]!.bytes;
      this.head++;
      this.dropped++;
    }
    // Compact once the dropped prefix is as long as what is kept: amortised O(1) per entry.
    if (this.head > 1024 && this.head * 2 > this.ring.length) {
      this.ring.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Entries after `since`, oldest first, at most `limit`. */
  since(since: number, limit: number): EventsResponse {
    const oldest = this.ring.length > this.head ? this.ring[this.head]!.entry.seq : this.latest + 1;
    // Binary search for the first entry after `since` (a capture's history may have holes).
    let lo = this.head;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ring[mid]!.entry.seq <= since) lo = mid + 1;
      else hi = mid;
    }
    const from = lo;
    const entries = this.ring.slice(from, from + limit).map((k) => k.entry);
    return {
      entries,
      latest: this.latest,
      gap: since < this.latest && since + 1 < oldest,
      more: from + limit < this.ring.length,
    };
  }

  /** The newest `n` entries (all of them by default), oldest first. */
  recent(n = Infinity): TimelineEntry[] {
    return this.ring.slice(Math.max(this.head, this.ring.length - n)).map((k) => k.entry);
  }

  stats(): TimelineStats {
    return {
      entries: this.ring.length - this.head,
      bytes: this.bytes,
      maxEntries: this.limits.maxEntries,
      maxBytes: this.limits.maxBytes,
      latest: this.latest,
      dropped: this.dropped,
    };
  }
}
