import { describe, expect, it } from 'vitest';
import { parseStats, RTM_NEWSTATS, statsGetRequest } from './stats.js';
import { messages, recorded } from '../../test/support/why-fixture.js';

describe('link counters codec', () => {
  it('reads IFLA_STATS_LINK_64 of every link from a recorded RTM_GETSTATS dump', () => {
    const all = messages(recorded.a.stats, RTM_NEWSTATS).map((m) => parseStats(m.payload));
    expect(all.map((c) => c?.ifindex)).toEqual([1, 2]);
    const eth0 = all[1]!;
    // The recording pinged once through eth0: packets went both ways, bytes at least a frame each.
    expect(eth0.txPackets).toBeGreaterThan(0);
    expect(eth0.rxPackets).toBeGreaterThan(0);
    expect(eth0.txBytes).toBeGreaterThanOrEqual(eth0.txPackets * 42);
    expect(eth0.rxDropped + eth0.txDropped + eth0.rxErrors + eth0.txErrors).toBe(0);
  });

  it('reads a u64 above 2^32 exactly', () => {
    const m = messages(recorded.a.stats, RTM_NEWSTATS)[1]!.payload;
    const copy = Buffer.from(m);
    copy.writeUInt32LE(3, 12 + 4 + 16 + 4); // rx_bytes high word: 3 * 2^32 + low
    expect(parseStats(copy)!.rxBytes).toBe(3 * 2 ** 32 + m.readUInt32LE(12 + 4 + 16));
  });

  it('asks for one link with only the 64-bit counters', () => {
    const b = statsGetRequest(7);
    expect([b.readUInt16LE(4), b.readUInt16LE(6), b.readUInt32LE(20), b.readUInt32LE(24)]).toEqual([94, 1, 7, 1]);
  });
});
