import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatsUpdate } from '@vethmap/shared';
import type { LinkCounters } from '../kernel/index.js';
import { rates, TrafficSampler } from './traffic.js';

const counters = (ifindex: number, n: number): LinkCounters => ({
  ifindex, rxPackets: n, txPackets: 2 * n, rxBytes: 100 * n, txBytes: 200 * n, rxErrors: 0, txErrors: 0, rxDropped: Math.floor(n / 10), txDropped: 0,
});

/** A sampler over fake namespaces whose counters grow by `step` per read; records opens and closes. */
function fake(step = 10) {
  const opened: number[] = [];
  const closed: number[] = [];
  const reads = new Map<number, number>();
  const sampler = new TrafficSampler({
    intervalMs: 1000,
    pathOf: (inode) => (inode === 666 ? null : `/fake/${inode}`),
    open: (path) => {
      const inode = Number(path.split('/')[2]);
      opened.push(inode);
      return {
        read: (ifindexes) => {
          const n = (reads.get(inode) ?? 0) + step;
          reads.set(inode, n);
          return new Map(ifindexes.map((i) => [i, counters(i, n)]));
        },
        close: () => closed.push(inode),
      };
    },
  });
  return { sampler, opened, closed };
}

afterEach(() => vi.useRealTimers());

describe('the traffic sampler', () => {
  it('does nothing at all while nobody watches: no timer, no socket', () => {
    const { sampler, opened } = fake();
    expect(sampler.active).toBe(false);
    sampler.watch('c1', [], () => undefined);
    sampler.watch('c1', ['ns:1', 'garbage'], () => undefined);
    expect(sampler.active).toBe(false);
    expect(opened).toEqual([]);
  });

  it('samples only what is watched, per namespace, and sends each client its own rates', () => {
    vi.useFakeTimers();
    const { sampler, opened, closed } = fake();
    const a: StatsUpdate[] = [];
    const b: StatsUpdate[] = [];
    sampler.watch('a', ['nif:1:2', 'nif:2:3'], (u) => a.push(u));
    sampler.watch('b', ['nif:2:3'], (u) => b.push(u));
    expect(opened).toEqual([1, 2]); // the first (priming) sample ran when `a` started watching
    vi.advanceTimersByTime(1000);
    expect(Object.keys(a.at(-1)!.rates).sort()).toEqual(['nif:1:2', 'nif:2:3']);
    expect(Object.keys(b.at(-1)!.rates)).toEqual(['nif:2:3']);
    expect(a.at(-1)!.rates['nif:1:2']).toMatchObject({ rxPackets: 10, txPackets: 20, rxBytes: 1000, txBytes: 2000 });
    sampler.unwatch('a');
    vi.advanceTimersByTime(1000);
    expect(closed).toEqual([1]); // namespace 1 is no longer watched: its socket is released
    sampler.unwatch('b');
    expect(sampler.active).toBe(false);
    expect(closed.sort()).toEqual([1, 2]);
  });

  it('gives no rate when counters go backwards (a new interface under the same index)', () => {
    expect(rates(counters(2, 10), counters(2, 30), 2)).toMatchObject({ rxPackets: 10, txBytes: 2000, rxDropped: 1, droppedTotal: 3 });
    expect(rates(counters(2, 30), counters(2, 10), 1)).toBeNull();
    expect(rates(counters(2, 10), counters(2, 10), 0)).toBeNull();
  });

  it('releases the socket of a namespace the engine no longer knows, even while a page still asks', () => {
    vi.useFakeTimers();
    let gone = false;
    const closed: string[] = [];
    const sampler = new TrafficSampler({
      pathOf: (inode) => (gone && inode === 7 ? null : `/fake/${inode}`),
      open: (path) => ({ read: (ix) => new Map(ix.map((i) => [i, counters(i, 1)])), close: () => closed.push(path) }),
    });
    sampler.watch('a', ['nif:7:2', 'nif:8:2'], () => undefined);
    gone = true;
    vi.advanceTimersByTime(1000);
    expect(closed).toEqual(['/fake/7']);
    sampler.stop();
  });

  it('skips namespaces that are gone without failing the others', () => {
    vi.useFakeTimers();
    const { sampler } = fake();
    const got: StatsUpdate[] = [];
    sampler.watch('a', ['nif:666:2', 'nif:1:2'], (u) => got.push(u));
    vi.advanceTimersByTime(1000);
    expect(Object.keys(got[0]!.rates)).toEqual(['nif:1:2']);
    sampler.stop();
  });
});
