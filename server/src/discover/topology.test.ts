import { describe, expect, it } from 'vitest';
import type { Interface } from '@vethmap/shared';
import { newRelationMemo, resolveRelations, resolveRelationsReusing } from './topology.js';
import { loadScenario } from '../../test/support/fixture.js';

describe('resolveRelations on recorded kernel output', () => {
  const { scans, nsid, prefix } = loadScenario('shared-names');
  const all = Object.values(scans);
  const ifaces = resolveRelations(all, nsid);
  const nsOf = (key: string): string => `ns:${scans[key]!.entry.inode}`;
  const find = (ns: string, name: string): Interface => {
    const i = ifaces.find((x) => x.namespace === nsOf(ns) && x.name === name);
    if (!i) throw new Error(`no ${name} in ${ns}`);
    return i;
  };

  it('tells apart two eth0 with the same ifindex in two namespaces', () => {
    const ethA = find('a', 'eth0');
    const ethB = find('b', 'eth0');
    expect(ethA.ifindex).toBe(ethB.ifindex);
    expect(ethA.peer).toBe(find('root', `${prefix}ra`).id);
    expect(ethB.peer).toBe(find('root', `${prefix}rb`).id);
  });

  it('pairs ends that are both in the root, and both in non-root namespaces', () => {
    expect(find('root', `${prefix}s1`).peer).toBe(find('root', `${prefix}s2`).id);
    expect(find('b', 'x1').peer).toBe(find('c', 'x2').id);
  });

  it("holds the invariant: the peer's peer is me, and every veth has one", () => {
    const byId = new Map(ifaces.map((i) => [i.id, i]));
    const veths = ifaces.filter((i) => i.kind === 'veth');
    expect(veths.length).toBeGreaterThanOrEqual(8);
    for (const v of veths) {
      expect(v.peer, v.name).not.toBeNull();
      expect(byId.get(v.peer!)?.peer).toBe(v.id);
    }
  });

  it('resolves bridge ports and a macvlan whose lower device is in another namespace', () => {
    const br = find('root', `${prefix}br`);
    expect(find('root', `${prefix}ra`).master).toBe(br.id);
    expect(find('root', `${prefix}rb`).master).toBe(br.id);
    expect(find('a', 'mv0').parent).toBe(find('c', 'x2').id);
  });

  it('keeps addresses and the evidence', () => {
    const ethA = find('a', 'eth0');
    expect(ethA.addresses).toEqual(expect.arrayContaining(['10.99.0.2/24', 'fd00:99::2/64']));
    expect(ethA.addresses[0]).toBe('10.99.0.2/24');
    expect(ethA.link.ifindex).toBe(find('root', `${prefix}ra`).ifindex);
    expect(ethA.link.netnsid).toBe(nsid(scans.a!, scans.root!));
  });

  it('gives no peer rather than a wrong one when the namespaces cannot be told apart', () => {
    const blind = resolveRelations(all, () => -1);
    expect(blind.find((i) => i.namespace === nsOf('a') && i.name === 'eth0')?.peer).toBeNull();
    // Same-namespace pairs need no nsid at all.
    expect(blind.find((i) => i.name === `${prefix}s1`)?.peer).not.toBeNull();
    // A lookup that lies (every namespace is nsid 0 to every other) must not invent pairs either.
    const liar = resolveRelations(all, () => 0);
    for (const i of liar.filter((x) => x.peer)) {
      const truth = ifaces.find((x) => x.id === i.id);
      expect(i.peer === truth?.peer || i.peer === null).toBe(true);
    }
  });

  it('orders its output stably', () => {
    expect(resolveRelations([...all].reverse(), nsid)).toEqual(ifaces);
  });
});

describe('address order', () => {
  it('lists IPv4 before IPv6, each in numeric order, whatever order the kernel said them in', () => {
    const { scans, nsid } = loadScenario('shared-names');
    const a = structuredClone(scans.a!);
    const eth0 = a.links.find((l) => l.name === 'eth0')!;
    const add = (cidr: string, family: 4 | 6) => a.addrs.push({ ifindex: eth0.ifindex, family, cidr });
    a.addrs = a.addrs.filter((x) => x.ifindex !== eth0.ifindex);
    add('fd00::10/64', 6);
    add('10.0.0.10/24', 4);
    add('fd00::9/64', 6);
    add('10.0.0.9/24', 4);
    add('9.0.0.1/8', 4);
    const out = resolveRelations([a], nsid).find((i) => i.name === 'eth0')!;
    expect(out.addresses).toEqual(['9.0.0.1/8', '10.0.0.9/24', '10.0.0.10/24', 'fd00::9/64', 'fd00::10/64']);
  });
});

describe('resolving again after one namespace changed', () => {
  it('equals resolving afresh, and keeps the very objects of what did not change', () => {
    const { scans, nsid, prefix } = loadScenario('shared-names');
    const all = Object.values(scans);
    const first = resolveRelationsReusing(all, nsid, new Map());
    // The root's end of a's pair goes away: a's eth0 loses its peer although a's scan is unchanged.
    // The same scan object, changed in place as events change it (the recorded nsids are keyed by it).
    const root = scans.root!;
    root.links = root.links.filter((l) => l.name !== `${prefix}ra`);
    const changed = all;
    const reused = new Map(first.byNamespace);
    reused.delete(root.entry.inode);
    const again = resolveRelationsReusing(changed, nsid, reused);
    expect(again.interfaces).toEqual(resolveRelations(changed, nsid));
    const before = new Map(first.interfaces.map((i) => [i.id, i]));
    const ethA = again.interfaces.find((i) => i.namespace === `ns:${scans.a!.entry.inode}` && i.name === 'eth0')!;
    expect(ethA.peer).toBeNull();
    expect(before.get(ethA.id)).not.toBe(ethA);
    // Everything in b and c is the same object as before: a diff skips it at once.
    for (const i of again.interfaces.filter((x) => x.namespace === `ns:${scans.b!.entry.inode}` || x.namespace === `ns:${scans.c!.entry.inode}`)) {
      expect(before.get(i.id), `${i.name} ${JSON.stringify(before.get(i.id))} vs ${JSON.stringify(i)}`).toBe(i);
    }
  });

  it('within a namespace that changed, keeps the objects of the links and addresses that did not', () => {
    const { scans, nsid, prefix } = loadScenario('shared-names');
    const all = Object.values(scans);
    const memo = newRelationMemo();
    const first = resolveRelationsReusing(all, nsid, new Map(), memo);
    const root = scans.root!;
    const before = new Map(first.interfaces.map((i) => [i.id, i]));
    // As events change a scan: a changed link is a new object, the others stay; an address is added to one.
    const flapped = root.links.find((l) => l.name === `${prefix}rb`)!;
    root.links = root.links.map((l) => (l === flapped ? { ...l, adminUp: !l.adminUp } : l));
    const lo = root.links.find((l) => l.name === 'lo')!;
    root.addrs = [...root.addrs, { ifindex: lo.ifindex, family: 4, cidr: '127.0.0.2/8' }];
    const reused = new Map(first.byNamespace);
    reused.delete(root.entry.inode);
    const again = resolveRelationsReusing(all, nsid, reused, memo);
    expect(again.interfaces).toEqual(resolveRelations(all, nsid));
    const rootId = `ns:${root.entry.inode}`;
    const mine = again.interfaces.filter((i) => i.namespace === rootId);
    const changed = new Set([`${prefix}rb`, 'lo']);
    expect(mine.filter((i) => changed.has(i.name)).map((i) => before.get(i.id) === i)).toEqual([false, false]);
    for (const i of mine.filter((x) => !changed.has(x.name))) expect(before.get(i.id), i.name).toBe(i);
    expect(mine.find((i) => i.name === 'lo')!.addresses).toContain('127.0.0.2/8');
    // A proven pair is kept only while both its ends are the objects it was proven from:
    // b's eth0 untied (IFLA_LINK 0) loses its peer, and its peer in the root loses it too.
    const b = scans.b!;
    const peerOfB = again.interfaces.find((i) => i.namespace === `ns:${b.entry.inode}` && i.name === 'eth0')!.peer;
    expect(peerOfB).not.toBeNull();
    b.links = b.links.map((l) => (l.name === 'eth0' ? { ...l, link: 0 } : l));
    const third = resolveRelationsReusing(all, nsid, new Map([...again.byNamespace].filter(([inode]) => inode !== b.entry.inode)), memo);
    expect(third.interfaces).toEqual(resolveRelations(all, nsid));
    expect(third.interfaces.find((i) => i.id === peerOfB)!.peer).toBeNull();
  });
});
