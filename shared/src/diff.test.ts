import { describe, expect, it } from 'vitest';
import { applyDiff, diffTopology, sameJson, VersionGapError } from './diff.js';
import { Topology, TopologyDiff, type Interface } from './model.js';

const iface = (n: number, patch: Partial<Interface> = {}): Interface => ({
  id: `nif:1:${n}`, namespace: 'ns:1', ifindex: n, name: `eth${n}`, kind: 'veth', mac: null, mtu: 1500,
  operstate: 'UP', adminUp: true, lowerUp: true, master: null, peer: null, parent: null, addresses: [],
  link: { ifindex: null, netnsid: null }, ...patch,
});
const base: Topology = {
  version: 4, host: 'h', takenAt: 't0', live: true,
  namespaces: [{ id: 'ns:1', inode: 1, kind: 'root', name: 'root', pid: 1, container: null }],
  interfaces: [iface(1), iface(2), iface(3)], warnings: [],
};

describe('topology diffs', () => {
  it('is null when nothing changed', () => {
    expect(diffTopology(base, { ...base, takenAt: 't1' })).toBeNull();
  });

  it('carries only what changed, and applying it gives the new topology', () => {
    const after = { ...base, takenAt: 't1', interfaces: [iface(1), iface(2, { operstate: 'DOWN', adminUp: false }), iface(4)] };
    const diff = diffTopology(base, after);
    expect(diff).not.toBeNull();
    expect(TopologyDiff.parse(diff)).toEqual(diff);
    expect(diff!.interfaces.upsert.map((i) => i.id)).toEqual(['nif:1:2', 'nif:1:4']);
    expect(diff!.interfaces.remove).toEqual(['nif:1:3']);
    expect(diff!.fromVersion).toBe(4);
    expect(diff!.version).toBe(5);
    const applied = applyDiff(base, diff!);
    expect(Topology.parse(applied)).toEqual(applied);
    expect(new Set(applied.interfaces.map((i) => JSON.stringify(i)))).toEqual(new Set(after.interfaces.map((i) => JSON.stringify(i))));
    expect(applied.version).toBe(5);
  });

  it('refuses a diff that does not start at this version', () => {
    const diff = diffTopology(base, { ...base, warnings: ['w'] })!;
    expect(() => applyDiff({ ...base, version: 3 }, diff)).toThrow(VersionGapError);
    expect(applyDiff(base, diff).warnings).toEqual(['w']);
  });

  it('compares JSON values structurally', () => {
    expect(sameJson({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson({ a: null }, { b: null })).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson(iface(1), iface(1, { link: { ifindex: 3, netnsid: null } }))).toBe(false);
    expect(sameJson(iface(1), { ...iface(1) })).toBe(true);
  });
});
