import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { diffTopology, type Interface, type Topology, type TopologyDiff } from '@vethmap/shared';
import { Timeline } from './timeline.js';

const nif = (n: number, patch: Partial<Interface> = {}): Interface => ({
  id: `nif:1:${n}`, namespace: 'ns:1', ifindex: n, name: `eth${n}`, kind: 'veth', mac: `02:00:00:00:00:${n}`, mtu: 1500,
  operstate: 'UP', adminUp: true, lowerUp: true, master: null, peer: null, parent: null, addresses: [],
  link: { ifindex: null, netnsid: null }, ...patch,
});

/** A topology source as the engine is one: it takes the new topology, then emits the diff. */
class Source extends EventEmitter<{ diff: [TopologyDiff] }> {
  topology: Topology = {
    version: 1, host: 'h', takenAt: '2026-01-01T00:00:00.000Z', live: true,
    namespaces: [{ id: 'ns:1', inode: 1, kind: 'root', name: 'root', pid: 1, container: null }],
    interfaces: [nif(1)], warnings: [],
  };

  /** Flips eth1 (one link-state entry), or adds an address to it (`n` entries). */
  change(addresses = 0): void {
    const i = this.topology.interfaces[0]!;
    const next = addresses > 0
      ? { ...i, addresses: [...i.addresses, ...Array.from({ length: addresses }, (_, k) => `10.0.${i.addresses.length + k}.1/24`)] }
      : { ...i, adminUp: !i.adminUp };
    const after = { ...this.topology, version: this.topology.version + 1, takenAt: new Date(Date.UTC(2026, 0, 1, 0, 0, this.topology.version)).toISOString(), interfaces: [next] };
    const diff = diffTopology(this.topology, after)!;
    this.topology = after;
    this.emit('diff', diff);
  }
}

describe('the server timeline', () => {
  it('numbers the entries of each diff and stamps them with its time and version', () => {
    const source = new Source();
    const timeline = new Timeline(source);
    const emitted: number[][] = [];
    timeline.on('entries', (es) => emitted.push(es.map((e) => e.seq)));
    source.change();
    source.change(2);
    expect(emitted).toEqual([[1], [2, 3]]);
    const all = timeline.since(0, 100);
    expect(all.entries.map((e) => [e.seq, e.kind, e.version])).toEqual([[1, 'link-state', 2], [2, 'address-added', 3], [3, 'address-added', 3]]);
    expect(all.entries[0]!.at).toBe('2026-01-01T00:00:01.000Z');
    expect(all).toMatchObject({ latest: 3, gap: false, more: false });
  });

  it('answers "since" with what came after, at most `limit`, and says when there is more', () => {
    const source = new Source();
    const timeline = new Timeline(source);
    for (let n = 0; n < 5; n++) source.change();
    expect(timeline.since(2, 2)).toMatchObject({ latest: 5, gap: false, more: true });
    expect(timeline.since(2, 2).entries.map((e) => e.seq)).toEqual([3, 4]);
    expect(timeline.since(4, 2).entries.map((e) => e.seq)).toEqual([5]);
    expect(timeline.since(4, 2).more).toBe(false);
    expect(timeline.since(5, 10).entries).toEqual([]);
    // A client that remembers a seq from before a restart: nothing, and latest says why.
    expect(timeline.since(99, 10)).toMatchObject({ entries: [], latest: 5, gap: false });
  });

  it('stays within its entry bound, counting what it dropped, and says so as a gap', () => {
    const source = new Source();
    const timeline = new Timeline(source, { limits: { maxEntries: 3 } });
    for (let n = 0; n < 10; n++) source.change();
    expect(timeline.stats()).toMatchObject({ entries: 3, latest: 10, dropped: 7, maxEntries: 3 });
    expect(timeline.since(0, 100)).toMatchObject({ gap: true });
    expect(timeline.since(0, 100).entries.map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(timeline.since(7, 100).gap).toBe(false);
    expect(timeline.recent(2).map((e) => e.seq)).toEqual([9, 10]);
  });

  it('stays within its byte bound, and the bytes it reports are the JSON it holds', () => {
    const source = new Source();
    const timeline = new Timeline(source, { limits: { maxBytes: 2000 } });
    for (let n = 0; n < 50; n++) source.change();
    const held = timeline.recent();
    const bytes = held.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0);
    expect(timeline.stats().bytes).toBe(bytes);
    expect(bytes).toBeLessThanOrEqual(2000);
    expect(bytes).toBeGreaterThan(2000 - bytes / held.length - 1);
    expect(held.at(-1)!.seq).toBe(50);
  });

  it('drops thousands of entries in bounded memory (the ring is compacted)', () => {
    const source = new Source();
    const timeline = new Timeline(source, { limits: { maxEntries: 10 } });
    for (let n = 0; n < 5000; n++) source.change();
    expect(timeline.stats().entries).toBe(10);
    // The kept array never grows past the compaction threshold plus what is kept.
    expect((timeline as unknown as { ring: unknown[] }).ring.length).toBeLessThanOrEqual(2 * 1024 + 10);
  });

  it('keeps a capture\'s history and continues numbering after it', () => {
    const source = new Source();
    const first = new Timeline(source);
    source.change();
    source.change();
    const history = first.recent();
    first.close();
    const second = new Timeline(source, { history: [history[1]!, history[0]!] });
    source.change();
    expect(second.since(0, 10).entries.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('describes no diff it cannot place (a diff that does not start where it is)', () => {
    const source = new Source();
    const timeline = new Timeline(source);
    const stale = diffTopology({ ...source.topology, version: 7 }, { ...source.topology, interfaces: [] })!;
    source.emit('diff', stale);
    expect(timeline.stats().entries).toBe(0);
    source.change();
    expect(timeline.stats().entries).toBe(1);
  });
});
