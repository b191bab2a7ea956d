import { diffTopology } from '@vethmap/shared';
import { describe, expect, it, vi } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { TopologyStore } from './store.js';

describe('TopologyStore', () => {
  it('applies a snapshot then diffs in order and notifies', () => {
    const resync = vi.fn();
    const store = new TopologyStore(resync);
    const seen = vi.fn();
    store.subscribe(seen);
    const t1 = makeTopology(3);
    expect(store.applySnapshot(t1)).toBe(true);
    const t2 = makeTopology(4, { version: 2 });
    const diff = diffTopology(t1, t2);
    expect(store.applyDiff(diff)).toBe(true);
    expect(store.topology?.version).toBe(2);
    expect(store.topology?.namespaces).toHaveLength(t2.namespaces.length);
    expect(seen).toHaveBeenCalledTimes(2);
    expect(resync).not.toHaveBeenCalled();
  });

  it('asks for a resync on a version gap instead of drawing a wrong picture', () => {
    const resync = vi.fn();
    const store = new TopologyStore(resync);
    store.applySnapshot(makeTopology(3));
    const diff = { ...diffTopology(makeTopology(3), makeTopology(4)), fromVersion: 5, version: 6 };
    expect(store.applyDiff(diff)).toBe(false);
    expect(resync).toHaveBeenCalledOnce();
    expect(store.topology?.version).toBe(1);
  });

  it('rejects invalid payloads at the edge', () => {
    const resync = vi.fn();
    const store = new TopologyStore(resync);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(store.applySnapshot({ version: 'x' })).toBe(false);
    expect(store.topology).toBeNull();
    store.applySnapshot(makeTopology(2));
    expect(store.applyDiff({ fromVersion: 1 })).toBe(false);
    expect(resync).toHaveBeenCalledOnce();
  });

  it('ignores a diff it already has and an older snapshot', () => {
    const store = new TopologyStore(() => undefined);
    store.applySnapshot(makeTopology(3, { version: 7 }));
    const old = { ...diffTopology(makeTopology(2), makeTopology(3)), fromVersion: 5, version: 6 };
    expect(store.applyDiff(old)).toBe(false);
    expect(store.applySnapshot(makeTopology(3, { version: 4 }))).toBe(false);
    expect(store.topology?.version).toBe(7);
  });

  it('after a reconnect takes the next snapshot whatever its version (a restarted server counts from 1)', () => {
    const store = new TopologyStore(() => undefined);
    store.applySnapshot(makeTopology(3, { version: 40 }));
    store.reconnected();
    expect(store.applySnapshot(makeTopology(5, { version: 1 }))).toBe(true);
    expect(store.topology?.namespaces).toHaveLength(makeTopology(5).namespaces.length);
    // Only that one: an older snapshot after it is stale again.
    expect(store.applySnapshot(makeTopology(3, { version: 0 }))).toBe(false);
  });
});
