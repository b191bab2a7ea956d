/**
 * Live traffic for the page: rates of the interfaces pages say they show, from the
 * kernel's 64-bit link counters, sampled only while at least one page watches something
 * and only for what is watched. With no watcher there is no timer and no socket: zero work.
 */
import type { InterfaceRates, StatsUpdate } from '@vethmap/shared';
import { CountersReader, type LinkCounters } from '../kernel/index.js';

export interface TrafficOptions {
  /** Time between samples. */
  intervalMs?: number;
  /** A path that opens the namespace with this inode, null when it is gone. */
  pathOf(inode: number): string | null;
  /** Opens a reader (tests and benches may count); defaults to the kernel's. */
  open?: (path: string) => Pick<CountersReader, 'read' | 'close'>;
}

interface Watcher {
  ids: Set<string>;
  send(update: StatsUpdate): void;
}

/** `nif:<inode>:<ifindex>` → its parts; null for anything else. */
function parseId(id: string): { inode: number; ifindex: number } | null {
  const m = /^nif:(\d+):(\d+)$/.exec(id);
  return m ? { inode: Number(m[1]), ifindex: Number(m[2]) } : null;
}

/**
 * Rates between two readings of one interface `seconds` apart; null when a counter went
 * backwards (a new interface under the same index) or no time passed. Plain arithmetic:
 * it runs for every watched interface every second.
 */
export function rates(a: LinkCounters, b: LinkCounters, seconds: number): InterfaceRates | null {
  if (seconds <= 0 || b.rxBytes < a.rxBytes || b.txBytes < a.txBytes || b.rxPackets < a.rxPackets || b.txPackets < a.txPackets ||
    b.rxDropped < a.rxDropped || b.txDropped < a.txDropped || b.rxErrors < a.rxErrors || b.txErrors < a.txErrors) return null;
  return {
    rxBytes: (b.rxBytes - a.rxBytes) / seconds,
    txBytes: (b.txBytes - a.txBytes) / seconds,
    rxPackets: (b.rxPackets - a.rxPackets) / seconds,
    txPackets: (b.txPackets - a.txPackets) / seconds,
    rxDropped: (b.rxDropped - a.rxDropped) / seconds,
    txDropped: (b.txDropped - a.txDropped) / seconds,
    rxErrors: (b.rxErrors - a.rxErrors) / seconds,
    txErrors: (b.txErrors - a.txErrors) / seconds,
    droppedTotal: b.rxDropped + b.txDropped,
    errorsTotal: b.rxErrors + b.txErrors,
  };
}

export class TrafficSampler {
  private readonly watchers = new Map<string, Watcher>();
  private readonly readers = new Map<number, Pick<CountersReader, 'read' | 'close'>>();
  /** The previous reading of each interface (by namespace inode, then ifindex) and when it was taken. */
  private last = new Map<number, Map<number, LinkCounters>>();
  private lastAt = 0;
  /** What the watchers want, by namespace inode: recomputed only when a watch changes. */
  private wanted: Map<number, number[]> | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** Samples taken (for tests and metrics). */
  samples = 0;

  constructor(private readonly options: TrafficOptions) {}

  get intervalMs(): number {
    return this.options.intervalMs ?? 1000;
  }

  /** Replaces what `client` watches; an empty list stops it. Ids that are not interface ids are ignored. */
  watch(client: string, ids: readonly string[], send: (update: StatsUpdate) => void): void {
    const valid = new Set(ids.filter((id) => parseId(id) !== null));
    if (valid.size === 0) return this.unwatch(client);
    this.watchers.set(client, { ids: valid, send });
    this.wanted = null;
    if (!this.timer) {
      this.sample(); // the first rates come one interval after watching starts
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
  }

  unwatch(client: string): void {
    this.watchers.delete(client);
    this.wanted = null;
    if (this.watchers.size === 0) this.stop();
  }

  /** Stops sampling and releases every socket (they pin namespaces). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const r of this.readers.values()) r.close();
    this.readers.clear();
    this.last = new Map();
    this.lastAt = 0;
  }

  get active(): boolean {
    return this.timer !== undefined;
  }

  private reader(inode: number): Pick<CountersReader, 'read' | 'close'> | null {
    let r = this.readers.get(inode);
    if (r) return r;
    const path = this.options.pathOf(inode);
    if (path === null) return null;
    try {
      r = (this.options.open ?? ((p: string) => new CountersReader(p)))(path);
    } catch {
      return null; // vanished between listing and opening: its ids just get no rates
    }
    this.readers.set(inode, r);
    return r;
  }

  private wantedNow(): Map<number, number[]> {
    if (this.wanted) return this.wanted;
    const sets = new Map<number, Set<number>>();
    for (const w of this.watchers.values()) {
      for (const id of w.ids) {
        const p = parseId(id)!;
        let set = sets.get(p.inode);
        if (!set) sets.set(p.inode, (set = new Set()));
        set.add(p.ifindex);
      }
    }
    this.wanted = new Map([...sets].map(([inode, set]) => [inode, [...set]]));
    return this.wanted;
  }

  /** One sample of everything watched; each watcher gets the rates of its own ids. */
  sample(): void {
    this.samples++;
    const wanted = this.wantedNow();
    // Release what nobody watches any more, and namespaces the engine no longer knows: the
    // socket would otherwise keep a deleted namespace alive until the page stopped asking.
    for (const [inode, r] of this.readers) {
      if (!wanted.has(inode) || this.options.pathOf(inode) === null) {
        r.close();
        this.readers.delete(inode);
      }
    }
    const now = Date.now();
    const seconds = (now - this.lastAt) / 1000;
    const current = new Map<number, Map<number, LinkCounters>>();
    const fresh = new Map<string, InterfaceRates>();
    for (const [inode, ifindexes] of wanted) {
      const r = this.reader(inode);
      if (!r) continue;
      let read: Map<number, LinkCounters>;
      try {
        read = r.read(ifindexes);
      } catch {
        r.close(); // the namespace is gone (or refuses): drop the socket, try again next time
        this.readers.delete(inode);
        continue;
      }
      current.set(inode, read);
      const before = this.last.get(inode);
      if (!before) continue;
      for (const [ifindex, counters] of read) {
        const prev = before.get(ifindex);
        const rate = prev ? rates(prev, counters, seconds) : null;
        if (rate) fresh.set(`nif:${inode}:${ifindex}`, rate);
      }
    }
    this.last = current;
    this.lastAt = now;
    if (fresh.size === 0) return;
    const at = new Date(now).toISOString();
    for (const w of this.watchers.values()) {
      const mine: Record<string, InterfaceRates> = {};
      let any = false;
      for (const id of w.ids) {
        const r = fresh.get(id);
        if (r) {
          mine[id] = r;
          any = true;
        }
      }
      if (any) w.send({ at, intervalMs: this.intervalMs, rates: mine });
    }
  }
}
