import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { namespaceId, Topology, type Interface } from '@vethmap/shared';
import { HostState } from '../../src/discover/host.js';
import { snapshotOnce } from '../../src/engine/snapshot.js';
import { nsidOf } from '../../src/kernel/index.js';
import { ip, NetBuilder } from '@vethmap/testkit';
import { sharedNames } from '../support/scenarios.js';

const net = new NetBuilder();
let t: Topology;
let a: string, b: string, c: string, lonely: string, hostile: string;
let heldPid: number;

function readable(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false; // pid 1's namespace is refused even to root in some sandboxes
  }
}

function find(nsName: string, ifname: string): Interface {
  const ns = t.namespaces.find((n) => n.name === nsName);
  const i = t.interfaces.find((x) => x.namespace === ns?.id && x.name === ifname);
  if (!i) throw new Error(`no ${ifname} in ${nsName}`);
  return i;
}

beforeAll(async () => {
  ({ a, b, c } = sharedNames(net, '10.98.0.2/24'));
  lonely = net.netns('lo');
  hostile = `${net.prefix}<svg onload=alert(1)>`;
  net.ip('netns', 'add', hostile);
  net.ip('link', 'add', net.name('h'), 'type', 'veth', 'peer', 'name', 'a"b<i>', 'netns', hostile);
  heldPid = await net.processNamespace();
  net.ip('link', 'add', net.name('p'), 'type', 'veth', 'peer', 'name', 'ceth0', 'netns', String(heldPid));
  t = await snapshotOnce();
});

afterAll(() => {
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('discovery against the real kernel', () => {
  it('produces a document the shared schema accepts', () => {
    expect(Topology.parse(t)).toEqual(t);
    const ids = new Set(t.interfaces.map((i) => i.id));
    for (const i of t.interfaces) {
      for (const ref of [i.master, i.peer, i.parent]) if (ref) expect(ids.has(ref)).toBe(true);
      expect(t.namespaces.some((n) => n.id === i.namespace)).toBe(true);
    }
  });

  it('finds the root, named, lo-only and process-held namespaces', () => {
    expect(t.namespaces.filter((n) => n.kind === 'root')).toHaveLength(1);
    for (const n of [a, b, c, lonely, hostile]) expect(t.namespaces.find((x) => x.name === n)?.kind).toBe('named');
    const lonelyNs = t.namespaces.find((x) => x.name === lonely)!;
    expect(t.interfaces.filter((i) => i.namespace === lonelyNs.id).map((i) => i.name)).toEqual(['lo']);
    const held = t.namespaces.find((n) => n.pid === heldPid);
    expect(held).toMatchObject({ kind: 'process', name: `pid ${heldPid} (sleep)`, inode: statSync(`/proc/${heldPid}/ns/net`).ino });
  });

  it('tells apart two eth0 with the same ifindex and pairs each with its own root end', () => {
    expect(find(a, 'eth0').ifindex).toBe(find(b, 'eth0').ifindex);
    expect(find(a, 'eth0').peer).toBe(find('root', net.name('ra')).id);
    expect(find(b, 'eth0').peer).toBe(find('root', net.name('rb')).id);
  });

  it('pairs both-ends-in-root, non-root-to-non-root and process-held pairs', () => {
    expect(find('root', net.name('s1')).peer).toBe(find('root', net.name('s2')).id);
    expect(find(b, 'x1').peer).toBe(find(c, 'x2').id);
    expect(find('root', net.name('p')).peer).toBe(find(`pid ${heldPid} (sleep)`, 'ceth0').id);
  });

  it("agrees with the kernel's iflink and holds 'the peer's peer is me' everywhere", () => {
    const byId = new Map(t.interfaces.map((i) => [i.id, i]));
    for (const v of t.interfaces.filter((i) => i.kind === 'veth' && i.name.startsWith(net.prefix))) {
      const p = byId.get(v.peer ?? '');
      expect(p, v.name).toBeDefined();
      expect(p!.peer).toBe(v.id);
      expect(v.link.ifindex ?? v.ifindex).toBe(p!.ifindex);
    }
    // iproute2's own reading of the root end's iflink names the same ifindex.
    const [ra] = JSON.parse(ip(['-j', 'link', 'show', net.name('ra')])) as Array<{ link_index: number }>;
    expect(find(a, 'eth0').ifindex).toBe(ra!.link_index);
  });

  it('reports bridge ports, state and addresses', () => {
    const br = find('root', net.name('br'));
    expect(br.kind).toBe('bridge');
    expect(find('root', net.name('ra')).master).toBe(br.id);
    expect(find('root', net.name('rb')).master).toBe(br.id);
    expect(find(a, 'eth0')).toMatchObject({ adminUp: true, lowerUp: true, operstate: 'UP' });
    expect(find(a, 'eth0').addresses[0]).toBe('10.98.0.2/24');
    expect(find(a, 'eth0').addresses.slice(1).every((x) => x.startsWith('fe80::'))).toBe(true);
    // veth(4): with one end down the other has no carrier.
    expect(find(b, 'eth0')).toMatchObject({ adminUp: false });
    expect(find('root', net.name('rb'))).toMatchObject({ adminUp: false, lowerUp: false });
  });

  it('resolves across namespaces that have no nsid in the root, without giving them one', () => {
    const root = t.namespaces.find((n) => n.kind === 'root')!;
    const rootPath = readable('/proc/1/ns/net') ? '/proc/1/ns/net' : '/proc/self/ns/net';
    expect(root.inode).toBe(statSync(rootPath).ino);
    const idOfC = nsidOf(rootPath, `/var/run/netns/${c}`);
    expect(idOfC).toBe(-1);
    expect(find(b, 'x1').peer).toBe(find(c, 'x2').id);
  });

  it('shows hostile names as the bytes they are', () => {
    expect(find(hostile, 'a"b<i>').peer).toBe(find('root', net.name('h')).id);
  });

  it('skips a namespace that vanishes between listing and reading', () => {
    const gone = net.netns('gone');
    const s = new HostState();
    s.enumerate();
    const inode = statSync(`/var/run/netns/${gone}`).ino;
    net.ip('netns', 'del', gone);
    expect(s.collect(inode)).toBe(false);
    s.collectAll();
    const after = s.topology(1);
    expect(after.namespaces.some((n) => n.inode === inode)).toBe(false);
    expect(after.namespaces.some((n) => n.name === a)).toBe(true);
  });

  it('reads a bridge again when a settling re-read finds its port changed', () => {
    // A bridge's carrier follows its last forwarding port at once; its own message comes up
    // to a second later. An event batch re-reads it; so must a single link's re-read.
    const ns = net.netns('br');
    net.batch(['link add br0 type bridge', 'link add p1 type veth peer name p2', 'link set p1 master br0', 'link set p2 up', 'link set p1 up', 'link set br0 up'], ns);
    const s = new HostState();
    s.enumerate();
    s.collectAll();
    const inode = statSync(`/var/run/netns/${ns}`).ino;
    const link = (name: string): Interface | undefined => s.interfaces().find((i) => i.namespace === namespaceId(inode) && i.name === name);
    expect(link('br0')).toMatchObject({ lowerUp: true });
    net.ip('-n', ns, 'link', 'set', 'p1', 'down');
    expect(s.refresh(inode, [link('p1')!.ifindex])).toBe(true);
    expect(link('p1')).toMatchObject({ adminUp: false });
    expect(link('br0')).toMatchObject({ lowerUp: false });
  });

  it('keeps proving peers when a namespace first read through a process gets its netns name and the process exits', async () => {
    // What `ip netns add` looks like to a watcher: a process in the new namespace, then
    // the name. Here: held by a process, read, named with `ip netns attach`, process gone.
    const pid = await net.processNamespace();
    const name = `${net.prefix}-att`;
    const rootEnd = net.name('at');
    net.ip('link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(pid));
    const inode = statSync(`/proc/${pid}/ns/net`).ino;
    const s = new HostState();
    s.enumerate();
    s.collectAll();
    expect(s.entry(inode)?.kind).toBe('process');
    net.ip('netns', 'attach', name, String(pid));
    net.kill(pid);
    for (let i = 0; i < 100 && readable(`/proc/${pid}/ns/net`); i++) await new Promise((r) => setTimeout(r, 20));
    expect(readable(`/proc/${pid}/ns/net`)).toBe(false);
    // Listed again, not read again: the links read through the dead path still stand.
    s.enumerate();
    expect(s.entry(inode)).toMatchObject({ kind: 'named', name, path: `/var/run/netns/${name}` });
    const after = s.topology(2);
    const ns = after.namespaces.find((n) => n.inode === inode);
    const eth0 = after.interfaces.find((i) => i.namespace === ns?.id && i.name === 'eth0');
    const root = after.interfaces.find((i) => i.name === rootEnd);
    expect(eth0?.peer).toBe(root?.id);
    expect(root?.peer).toBe(eth0?.id);
  });
});
