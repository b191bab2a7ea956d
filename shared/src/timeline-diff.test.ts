import { describe, expect, it } from 'vitest';
import { diffTopology } from './diff.js';
import type { Interface, Namespace, Topology } from './model.js';
import { TimelineEntry, type TimelineChange } from './timeline.js';
import { TimelineIndex, timelineOf } from './timeline-diff.js';

const ROOT: Namespace = { id: 'ns:1', inode: 1, kind: 'root', name: 'root', pid: 1, container: null };
const BLUE: Namespace = { id: 'ns:2', inode: 2, kind: 'named', name: 'blue', pid: null, container: null };
const RED: Namespace = { id: 'ns:3', inode: 3, kind: 'named', name: 'red', pid: null, container: null };

const nif = (ns: Namespace, ifindex: number, name: string, patch: Partial<Interface> = {}): Interface => ({
  id: `nif:${ns.inode}:${ifindex}`, namespace: ns.id, ifindex, name, kind: 'veth', mac: `02:00:00:00:${ns.inode}:${ifindex}`, mtu: 1500,
  operstate: 'UP', adminUp: true, lowerUp: true, master: null, peer: null, parent: null, addresses: [],
  link: { ifindex: null, netnsid: null }, ...patch,
});
const lo = (ns: Namespace): Interface => nif(ns, 1, 'lo', { kind: 'loopback', mac: '00:00:00:00:00:00', operstate: 'UNKNOWN' });
const topo = (namespaces: Namespace[], interfaces: Interface[], version = 7): Topology => ({
  version, host: 'h', takenAt: 't', live: true, namespaces, interfaces, warnings: [],
});

/** The entries from `before` to `after`, each also valid against the wire schema once stamped. */
function entries(before: Topology, after: Topology): TimelineChange[] {
  const diff = diffTopology(before, after);
  expect(diff).not.toBeNull();
  const out = timelineOf(before, diff!);
  out.forEach((c, n) => expect(() => TimelineEntry.parse({ ...c, seq: n + 1, at: diff!.takenAt, version: diff!.version })).not.toThrow());
  return out;
}

const ref = (i: Interface, ns: Namespace) => ({ id: i.id, name: i.name, kind: i.kind, namespace: { id: ns.id, name: ns.name, kind: ns.kind } });

// A veth pair: root's vb (ifindex 7) <-> blue's eth0 (ifindex 2).
const vb = nif(ROOT, 7, 'vb', { peer: 'nif:2:2' });
const eth0 = nif(BLUE, 2, 'eth0', { peer: 'nif:1:7' });
const base = topo([ROOT, BLUE], [lo(ROOT), vb, lo(BLUE), eth0]);

describe('timeline entries from a diff', () => {
  it('a new namespace is one entry counting what it holds, not one per lo', () => {
    expect(entries(base, topo([ROOT, BLUE, RED], [...base.interfaces, lo(RED)]))).toEqual([
      { kind: 'namespace-added', namespace: { id: 'ns:3', name: 'red', kind: 'named' }, interfaces: 1 },
    ]);
  });

  it('a new pair: both ends, each naming its peer and where it is', () => {
    const a = nif(ROOT, 9, 'vr', { peer: 'nif:2:3', adminUp: false, lowerUp: false, operstate: 'DOWN' });
    const b = nif(BLUE, 3, 'eth1', { peer: 'nif:1:9', lowerUp: false, operstate: 'LOWERLAYERDOWN' });
    expect(entries(base, topo(base.namespaces, [...base.interfaces, a, b]))).toEqual([
      { kind: 'link-added', link: ref(a, ROOT), state: 'down', peer: ref(b, BLUE) },
      { kind: 'link-added', link: ref(b, BLUE), state: 'no-carrier', peer: ref(a, ROOT) },
    ]);
  });

  it('down on one end: that end is down, the other has no carrier', () => {
    const after = topo(base.namespaces, [lo(ROOT), { ...vb, adminUp: false, lowerUp: false, operstate: 'DOWN' }, lo(BLUE), { ...eth0, lowerUp: false, operstate: 'LOWERLAYERDOWN' }]);
    expect(entries(base, after)).toEqual([
      { kind: 'link-state', link: ref(vb, ROOT), from: 'up', to: 'down' },
      { kind: 'link-state', link: ref(eth0, BLUE), from: 'up', to: 'no-carrier' },
    ]);
  });

  it('a rename keeps the id and says the old name', () => {
    const renamed = { ...eth0, name: 'uplink' };
    expect(entries(base, topo(base.namespaces, [lo(ROOT), vb, lo(BLUE), renamed]))).toEqual([
      { kind: 'link-renamed', link: ref(renamed, BLUE), from: 'eth0' },
    ]);
  });

  it('ip link set X netns Y is one move (same MAC and kind), not a removal, an addition and a new peer', () => {
    // The kernel keeps the ifindex when it is free in the new namespace; here it is not
    // (red already has an ifindex 2), so it gets 4: the move must not depend on it.
    const other = nif(RED, 2, 'x');
    const before = topo([ROOT, BLUE, RED], [...base.interfaces, lo(RED), other]);
    // Moving brings the interface down (dev_close) and unlinks its addresses.
    const moved = { ...eth0, id: 'nif:3:4', namespace: RED.id, ifindex: 4, adminUp: false, lowerUp: false, operstate: 'DOWN', addresses: [] };
    const withAddr = topo(before.namespaces, before.interfaces.map((i) => (i.id === eth0.id ? { ...i, addresses: ['10.0.0.2/24'] } : i)));
    const after = topo(before.namespaces, [lo(ROOT), { ...vb, peer: moved.id, lowerUp: false, operstate: 'LOWERLAYERDOWN' }, lo(BLUE), lo(RED), other, moved]);
    // What the move did happened in the old namespace, before it (as the kernel announces it).
    expect(entries(withAddr, after)).toEqual([
      { kind: 'link-state', link: ref(eth0, BLUE), from: 'up', to: 'down' },
      { kind: 'address-removed', link: ref(eth0, BLUE), address: '10.0.0.2/24' },
      { kind: 'link-moved', link: ref(moved, RED), from: ref(eth0, BLUE) },
      { kind: 'link-state', link: ref(vb, ROOT), from: 'up', to: 'no-carrier' },
    ]);
  });

  it('a move with a new name says both names; a move into a new namespace is still a move', () => {
    const moved = { ...eth0, id: 'nif:3:2', namespace: RED.id, name: 'eth9' };
    const after = topo([ROOT, BLUE, RED], [lo(ROOT), { ...vb, peer: moved.id }, lo(BLUE), lo(RED), moved]);
    expect(entries(base, after)).toEqual([
      { kind: 'namespace-added', namespace: { id: 'ns:3', name: 'red', kind: 'named' }, interfaces: 2 },
      { kind: 'link-moved', link: ref(moved, RED), from: ref(eth0, BLUE) },
    ]);
  });

  it('namespaces coming and going together: every lo has the same MAC, none is a move', () => {
    const after = topo([ROOT, RED], [lo(ROOT), lo(RED)]);
    expect(entries(base, after)).toEqual([
      { kind: 'namespace-added', namespace: { id: 'ns:3', name: 'red', kind: 'named' }, interfaces: 1 },
      // vb died with its peer when blue went: it is listed, naming the peer it had.
      { kind: 'link-removed', link: ref(vb, ROOT), peer: ref(eth0, BLUE) },
      { kind: 'namespace-removed', namespace: { id: 'ns:2', name: 'blue', kind: 'named' }, interfaces: 2 },
    ]);
  });

  it('two candidates with the same MAC: the one with the same name is the move; none if still ambiguous', () => {
    const gone = nif(BLUE, 5, 'c0', { mac: '02:42:ac:11:00:02' });
    const before = topo([ROOT, BLUE, RED], [lo(ROOT), lo(BLUE), lo(RED), gone]);
    const twin = nif(RED, 5, 'c1', { mac: '02:42:ac:11:00:02' });
    const same = nif(ROOT, 5, 'c0', { mac: '02:42:ac:11:00:02' });
    const kinds = (t: Topology) => entries(before, t).map((e) => e.kind);
    expect(kinds(topo(before.namespaces, [lo(ROOT), lo(BLUE), lo(RED), twin, same]))).toEqual(['link-moved', 'link-added']);
    const twin2 = nif(ROOT, 6, 'c2', { mac: '02:42:ac:11:00:02' });
    expect(kinds(topo(before.namespaces, [lo(ROOT), lo(BLUE), lo(RED), twin, twin2]))).toEqual(['link-added', 'link-added', 'link-removed']);
  });

  it('addresses added and removed, one entry each', () => {
    const withAddr = { ...eth0, addresses: ['10.0.0.2/24', 'fe80::1/64'] };
    const t1 = topo(base.namespaces, [lo(ROOT), vb, lo(BLUE), withAddr]);
    expect(entries(base, t1)).toEqual([
      { kind: 'address-added', link: ref(withAddr, BLUE), address: '10.0.0.2/24' },
      { kind: 'address-added', link: ref(withAddr, BLUE), address: 'fe80::1/64' },
    ]);
    const t2 = topo(base.namespaces, [lo(ROOT), vb, lo(BLUE), { ...eth0, addresses: ['fe80::1/64'] }], 8);
    expect(entries({ ...t1, version: 8 }, t2)).toEqual([{ kind: 'address-removed', link: ref(eth0, BLUE), address: '10.0.0.2/24' }]);
  });

  it('master changes name the bridges, also one that is gone', () => {
    const br = nif(ROOT, 3, 'br0', { kind: 'bridge' });
    const br2 = nif(ROOT, 4, 'br1', { kind: 'bridge' });
    const before = topo(base.namespaces, [...base.interfaces, br, br2]);
    const joined = { ...vb, master: br.id };
    const t1 = topo(base.namespaces, [lo(ROOT), joined, lo(BLUE), eth0, br, br2]);
    expect(entries(before, t1)).toEqual([{ kind: 'master-changed', link: ref(joined, ROOT), from: null, to: ref(br, ROOT) }]);
    const t2 = topo(base.namespaces, [lo(ROOT), { ...vb, master: br2.id }, lo(BLUE), eth0, br2]);
    expect(entries(t1, t2)).toEqual([
      { kind: 'master-changed', link: ref(vb, ROOT), from: ref(br, ROOT), to: ref(br2, ROOT) },
      { kind: 'link-removed', link: ref(br, ROOT), peer: null },
    ]);
  });

  it('a peer proven late is one entry for the pair; a peer lost names the one it had', () => {
    const unresolved = topo(base.namespaces, [lo(ROOT), { ...vb, peer: null }, lo(BLUE), { ...eth0, peer: null }]);
    expect(entries(unresolved, base)).toEqual([{ kind: 'peer-resolved', link: ref(vb, ROOT), peer: ref(eth0, BLUE) }]);
    const oneSided = topo(base.namespaces, [lo(ROOT), { ...vb, peer: null }, lo(BLUE), eth0]);
    expect(entries(base, oneSided)).toEqual([{ kind: 'peer-lost', link: ref(vb, ROOT), peer: ref(eth0, BLUE) }]);
  });

  it('an ifindex reused by another device within one diff is a removal and an addition', () => {
    const tun = nif(BLUE, 2, 'tun0', { kind: 'tun', mac: null });
    const after = topo(base.namespaces, [lo(ROOT), { ...vb, peer: null }, lo(BLUE), tun]);
    expect(entries(base, after).map((e) => e.kind)).toEqual(['link-added', 'peer-lost', 'link-removed']);
  });

  it('a namespace whose label changes (a container name arrived) is renamed', () => {
    const proc: Namespace = { id: 'ns:9', inode: 9, kind: 'process', name: 'pid 42 (sleep)', pid: 42, container: null };
    const before = topo([ROOT, proc], [lo(ROOT), lo(proc)]);
    const named = { ...proc, name: 'web', container: { id: 'abc', name: 'web', image: null } };
    expect(entries(before, topo([ROOT, named], [lo(ROOT), lo(proc)]))).toEqual([
      { kind: 'namespace-renamed', namespace: { id: 'ns:9', name: 'web', kind: 'process' }, from: 'pid 42 (sleep)' },
    ]);
  });

  it('warnings alone make no entries', () => {
    const diff = diffTopology(base, { ...base, warnings: ['w'] })!;
    expect(timelineOf(base, diff)).toEqual([]);
  });

  it('an index kept up to date diff by diff says the same as the topologies', () => {
    const steps = [
      base,
      topo(base.namespaces, [lo(ROOT), { ...vb, adminUp: false }, lo(BLUE), eth0], 8),
      topo([ROOT, BLUE, RED], [lo(ROOT), vb, lo(BLUE), lo(RED), { ...eth0, id: 'nif:3:2', namespace: RED.id }], 9),
      topo([ROOT, RED], [lo(ROOT), lo(RED)], 10),
    ];
    const index = new TimelineIndex(steps[0]!);
    for (let n = 1; n < steps.length; n++) {
      const diff = diffTopology(steps[n - 1]!, steps[n]!)!;
      expect(timelineOf(index, diff)).toEqual(timelineOf(steps[n - 1]!, diff));
      index.apply(diff);
    }
    expect([...index.interfaces.keys()]).toEqual(steps.at(-1)!.interfaces.map((i) => i.id));
  });
});
