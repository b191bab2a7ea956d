import { describe, expect, it } from 'vitest';
import type { InterfaceRates } from '@vethmap/shared';
import { edgeTraffic, formatRate, watchList, type DrawnPair } from './traffic.js';

const r = (fields: Partial<InterfaceRates>): InterfaceRates => ({
  rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxDropped: 0, txDropped: 0, rxErrors: 0, txErrors: 0, droppedTotal: 0, errorsTotal: 0, ...fields,
});

describe('traffic on the map', () => {
  it('formats rates in decimal units', () => {
    expect([0, 999, 1000, 12_345, 999_999, 1_500_000, 2e9].map(formatRate)).toEqual(['0 B/s', '999 B/s', '1.0 kB/s', '12.3 kB/s', '1000 kB/s', '1.5 MB/s', '2.0 GB/s']);
  });

  it('labels a pair with what crosses it, wider when busier, and says when packets drop', () => {
    expect(edgeTraffic(undefined, undefined)).toBeNull();
    expect(edgeTraffic(r({}), undefined)).toMatchObject({ label: '', dropping: false });
    const busy = edgeTraffic(r({ rxBytes: 600, txBytes: 600 }), undefined)!;
    expect(busy.label).toBe('1.2 kB/s');
    expect(busy.width).toBeGreaterThan(edgeTraffic(r({ rxBytes: 10 }), undefined)!.width);
    const dropping = edgeTraffic(r({ txBytes: 100 }), r({ rxBytes: 50, rxDropped: 5 }))!;
    expect(dropping).toMatchObject({ label: '100 B/s ⚠ 5.0 drops/s', dropping: true });
  });

  it('watches the selection first, then one end per drawn pair on the busier side, capped', () => {
    const pairs: DrawnPair[] = Array.from({ length: 600 }, (_, k) => ({ a: `nif:${k}:2`, b: `nif:1:${k + 10}`, nsA: `ns:${k}`, nsB: 'ns:1' }));
    const list = watchList(pairs, ['nif:5:2', 'nif:1:15']);
    expect(list.slice(0, 2)).toEqual(['nif:5:2', 'nif:1:15']);
    expect(list).toHaveLength(512);
    expect(list.slice(2).every((id) => id.startsWith('nif:1:'))).toBe(true); // the host's side: one namespace to read
  });
});
