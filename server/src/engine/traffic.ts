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

interface Sample {
  at: number;
  counters: LinkCounters;
}

/** `nif:<inode>:<ifindex>` → its parts; null for anything else. */
function parseId(id: string): { inode: number; ifindex: number } | null {
  const m = /^nif:(\d+):(\d+)$/.exec(id);
  return m ? { inode: Number(m[1]), ifindex: Number(m[2]) } : null;
}

const perSecond = (now: bigint, before: bigint, seconds: number): number => Number(now - before) / seconds;

/** Rates between two samples of one interface; null when a counter went backwards (a new interface under the same index). */
export function rates(prev: Sample, cur: Sample): InterfaceRates | null {
  const s = (cur.at - prev.at) / 1000;
  const a = prev.counters;
  const b = cur.counters;
  const keys = ['rxBytes', 'txBytes', 'rxPackets', 'txPackets', 'rxDropped', 'txDropped', 'rxErrors', 'txErrors'] as const;
  if (s <= 0 || keys.some((k) => b[k] < a[k])) return null;
  const out = Object.fromEntries(keys.map((k) => [k, perSecond(b[k], a[k], s)])) as Record<(typeof keys)[number], number>;
  return { ...out, droppedTotal: Number(b.rxDropped + b.txDropped), errorsTotal: Number(b.rxErrors + b.txErrors) };
}

export class TrafficSampler {
  private readonly watchers = new Map<string, Watcher>();
  private readonly readers = new Map<number, Pick<CountersReader, 'read' | 'close'>>();
  private readonly last = new Map<string, Sample>();
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
    if (!this.timer) {
      this.sample(); // the first rates come one interval after watching starts
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
  }

  unwatch(client: string): void {
    this.watchers.delete(client);
    if (this.watchers.size === 0) this.stop();
  }

  /** Stops sampling and releases every socket (they pin namespaces). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const r of this.readers.values()) r.close();
    this.readers.clear();
    this.last.clear();
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

  /** One sample of everything watched; each watcher gets the rates of its own ids. */
  sample(): void {
    this.samples++;
    const wanted = new Map<number, Set<number>>();
    for (const w of this.watchers.values()) {
      for (const id of w.ids) {
        const p = parseId(id)!;
        const set = wanted.get(p.inode) ?? new Set<number>();
        set.add(p.ifindex);
        wanted.set(p.inode, set);
      }
    }
    for (const [inode, r] of this.readers) {
      if (!wanted.has(inode)) {
        r.close();
        this.readers.delete(inode);
      }
    }
    const now = Date.now();
    const fresh = new Map<string, InterfaceRates>();
    const seen = new Set<string>();
    for (const [inode, ifindexes] of wanted) {
      const r = this.reader(inode);
      if (!r) continue;
      let read: Map<number, LinkCounters>;
      try {
        read = r.read([...ifindexes]);
      } catch {
        r.close(); // the namespace is gone (or refuses): drop the socket, try again next time
        this.readers.delete(inode);
        continue;
      }
      for (const [ifindex, counters] of read) {
        const id = `nif:${inode}:${ifindex}`;
        seen.add(id);
        const cur = { at: now, counters };
        const prev = this.last.get(id);
        this.last.set(id, cur);
        const rate = prev ? rates(prev, cur) : null;
        if (rate) fresh.set(id, rate);
      }
    }
    for (const id of this.last.keys()) if (!seen.has(id)) this.last.delete(id);
    if (fresh.size === 0) return;
    const at = new Date(now).toISOString();
    for (const w of this.watchers.values()) {
      const mine: Record<string, InterfaceRates> = {};
      for (const id of w.ids) {
        const r = fresh.get(id);
        if (r) mine[id] = r;
      }
      if (Object.keys(mine).length) w.send({ at, intervalMs: this.intervalMs, rates: mine });
    }
  }
}
