import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { Topology } from '@vethmap/shared';
import { CLI, NetBuilder } from '@vethmap/testkit';
import { dump, failureReason, findLinkByName, linkGetByName, nsidOf, readNamespaces, rootNetns, type NamespaceRead } from '../../src/kernel/index.js';

/**
 * `readNamespaces`, the one native call a snapshot and the server's scans read every
 * namespace with (shared between threads): it must read each namespace exactly as a
 * socket opened in it alone does, in the order asked, and refuse a path that leads
 * elsewhere than the inode it was listed with.
 */
const net = new NetBuilder();
// Enough for every thread to take several, the root among them (it may outweigh the rest).
const COUNT = 70;
const names: string[] = [];
// The root as discovery finds it: init's, or ours where pid 1's is refused even to root.
const ROOT = rootNetns().path;
const path = (name: string): string => `/var/run/netns/${name}`;
const ok = (r: NamespaceRead | undefined): Extract<NamespaceRead, { ok: true }> => {
  if (!r?.ok) throw new Error(`not read: ${JSON.stringify(r)}`);
  return r;
};

beforeAll(() => {
  const br = net.name('br');
  const root = [`link add ${br} type bridge`];
  for (let i = 0; i < COUNT; i++) {
    const ns = net.nsName(`b${i}`);
    names.push(ns);
    root.push(`netns add ${ns}`, `link add ${net.name(`v${i}`)} type veth peer name eth0 netns ${ns}`, `link set ${net.name(`v${i}`)} master ${br}`);
  }
  // One namespace tied to another named one only: the root gives it no nsid.
  root.push(`netns add ${net.nsName('far')}`, `link add ${net.name('fx')} netns ${names[0]} type veth peer name far0 netns ${net.nsName('far')}`);
  net.batch(root);
  for (let i = 0; i < COUNT; i += 7) net.batch([`addr add 10.97.${i}.1/24 dev eth0`, 'addr add fd00:97::1/64 dev eth0'], names[i]!);
});

afterAll(() => {
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('reading many namespaces in one native call', () => {
  it('reads each as a socket opened in it alone does, in the order asked', () => {
    const targets = [{ path: null, inode: 0 }, ...names.map((n) => ({ path: path(n), inode: statSync(path(n)).ino }))];
    const reads = readNamespaces(targets, ROOT);
    expect(reads).toHaveLength(targets.length);
    targets.forEach((t, i) => {
      const alone = dump(t.path);
      const read = ok(reads[i]);
      expect(read.links).toEqual(alone.links);
      expect(read.addrs).toEqual(alone.addrs);
    });
    // The addresses came with their namespace, not a neighbour's.
    expect(ok(reads[1]).addrs.map((a) => a.cidr)).toContain('10.97.0.1/24');
    expect(ok(reads[2]).addrs.map((a) => a.cidr)).not.toContain('10.97.0.1/24');
  });

  it("answers the nsids between each namespace and the root as the kernel's own question does, both ways", () => {
    const far = path(net.nsName('far'));
    const all = [...names.map(path), far];
    const reads = readNamespaces(all.map((p) => ({ path: p, inode: 0 })), ROOT);
    all.forEach((p, i) => {
      const read = ok(reads[i]);
      expect(read.nsidToRoot).toBe(nsidOf(p, ROOT));
      expect(read.nsidFromRoot).toBe(nsidOf(ROOT, p));
    });
    // A veth to the root gave each an id there; the far one has none (and asking gave it none).
    expect(ok(reads[0]).nsidFromRoot).toBeGreaterThanOrEqual(0);
    expect(ok(reads.at(-1)).nsidFromRoot).toBe(-1);
    expect(nsidOf(ROOT, far)).toBe(-1);
    // The root asks nothing of itself.
    const [root] = readNamespaces([{ path: null, inode: 0 }], ROOT);
    expect(ok(root).nsidToRoot).toBeUndefined();
  });

  it('reads a /proc/self path as the caller\'s own namespace, wherever the threads are meanwhile', () => {
    // The root's path where pid 1's is refused. It names whatever namespace the process's
    // first thread is in when it is opened: opened by one thread while another was inside a
    // namespace, it was that namespace, read under the root's name (found by the fuzzer).
    const self = { path: '/proc/self/ns/net', inode: statSync('/proc/self/ns/net').ino };
    const targets = names.flatMap((n, i) => (i % 10 === 9 ? [self] : [{ path: path(n), inode: 0 }]));
    const reads = readNamespaces(targets, self.path);
    const own = dump(null);
    targets.forEach((t, i) => {
      if (t !== self) return;
      expect(ok(reads[i]).links).toEqual(own.links);
      expect(ok(reads[i]).nsidToRoot).toBeUndefined();
    });
    expect(targets.filter((t) => t === self).length).toBeGreaterThan(5);
  });

  it('refuses a path that leads to another namespace than the one listed, and says which vanished', () => {
    const [a, b] = [path(names[0]!), path(names[1]!)];
    const gone = net.netns('gone');
    const goneInode = statSync(path(gone)).ino;
    net.ip('netns', 'del', gone);
    const reads = readNamespaces([{ path: b, inode: statSync(a).ino }, { path: path(gone), inode: goneInode }, { path: a, inode: statSync(a).ino }], ROOT);
    expect(reads[0]).toEqual({ ok: false, moved: true });
    const vanished = reads[1]!;
    expect(vanished.ok || vanished.moved ? null : failureReason(vanished.error)).toBe('vanished');
    expect(ok(reads[2]).links.map((l) => l.name).sort()).toEqual(['eth0', 'lo', net.name('fx')]);
  });

  it('asks every namespace for one link by name as a socket in it alone does, and refuses a path that leads elsewhere', () => {
    const targets = [{ path: ROOT, inode: statSync(ROOT).ino }, ...names.map((n) => ({ path: path(n), inode: statSync(path(n)).ino }))];
    for (const name of ['eth0', net.name('v3'), 'far0', 'lo', `${net.prefix}-none`, 'x'.repeat(40)]) {
      const found = findLinkByName(targets, name);
      expect(found).toHaveLength(targets.length);
      found.forEach((f, i) => expect(f, `${name} in ${targets[i]!.path}`).toEqual({ ok: true, link: linkGetByName(targets[i]!.path, name) }));
    }
    // eth0 is in every test namespace (the root may have its own); v3 in the root alone.
    const eth0 = findLinkByName(targets, 'eth0');
    expect(eth0.slice(1).filter((f) => f.ok && f.link?.infoKind === 'veth').length).toBe(COUNT);
    const v3 = findLinkByName(targets, net.name('v3'));
    expect(v3.flatMap((f, i) => (f.ok && f.link ? [i] : []))).toEqual([0]);
    const [a, b] = [path(names[0]!), path(names[1]!)];
    expect(findLinkByName([{ path: b, inode: statSync(a).ino }], 'eth0')).toEqual([{ ok: false, moved: true }]);
  });

  it('as a non-root user, reads its own namespace and says why each other one could not be read', () => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', CLI, 'snapshot'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status, r.stderr).toBe(0);
    const t = Topology.parse(JSON.parse(r.stdout));
    const root = t.namespaces.find((n) => n.kind === 'root')!;
    expect(t.interfaces.some((i) => i.namespace === root.id && i.name === net.name('v0'))).toBe(true);
    const mine = t.namespaces.find((n) => n.name === names[0])!;
    expect(t.interfaces.filter((i) => i.namespace === mine.id)).toEqual([]);
    expect(t.warnings).toContain(`cannot read namespace ${names[0]}: setns: Operation not permitted`);
  });
});
