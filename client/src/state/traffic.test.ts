import { describe, expect, it } from 'vitest';
import { TrafficStore } from './traffic.js';

describe('the traffic store', () => {
  it('takes validated updates whole and tells its listeners', () => {
    const s = new TrafficStore();
    let told = 0;
    s.subscribe(() => told++);
    const rates = { rxBytes: 1, txBytes: 2, rxPackets: 1, txPackets: 1, rxDropped: 0, txDropped: 0, rxErrors: 0, txErrors: 0, droppedTotal: 0, errorsTotal: 0 };
    expect(s.apply({ at: '2026-01-01T00:00:00.000Z', intervalMs: 1000, rates: { 'nif:1:2': rates } })).toBe(true);
    expect(s.getSnapshot().rates.get('nif:1:2')).toEqual(rates);
    expect(s.apply({ at: 'x', rates: { 'nif:1:2': { rxBytes: 'lots' } } })).toBe(false);
    expect(s.getSnapshot().rates.size).toBe(1);
    s.clear();
    expect(s.getSnapshot().rates.size).toBe(0);
    expect(told).toBe(2);
  });
});
