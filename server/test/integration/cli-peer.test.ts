import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI as cli, NetBuilder } from '@vethmap/testkit';

/**
 * `vethmap peer` as an engineer uses it (issue 12): without --netns it searches every
 * namespace; it shows both ends' state, master and addresses; it finds peers held only
 * by a process; and it never answers with a guess.
 */
const net = new NetBuilder();
let blue: string, red: string, bridge: string;
let holder: number;

function peer(...args: string[]) {
  return spawnSync('node', [cli, 'peer', ...args], { encoding: 'utf8' });
}

beforeAll(async () => {
  blue = net.netns('blue');
  red = net.netns('red');
  bridge = net.name('br');
  net.bridge(bridge);
  // blue:eth0 10.77.0.2/24 ↔ root <p>up, a port of the bridge; the root end is down.
  net.veth('eth0', blue, net.name('up'), null);
  net.ipIn(blue, 'addr', 'add', '10.77.0.2/24', 'dev', 'eth0');
  net.ip('link', 'set', net.name('up'), 'master', bridge);
  net.setDown(net.name('up'), null);
  // A name only red holds.
  net.veth(net.name('lone'), red, net.name('lonep'), null);
  // The same unique name in two namespaces.
  net.veth(net.name('dup'), blue, net.name('dup'), red);
  // A namespace held only by a process, like a container's.
  holder = await net.processNamespace();
  net.veth('eth0', holder, net.name('ctr'), null);
});
afterAll(() => {
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('vethmap peer', () => {
  it('without --netns finds a unique name in whatever namespace holds it', () => {
    const r = peer(net.name('lone'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`"${net.name('lone')}" in namespace "${red}" (named`);
    expect(r.stdout).toContain(`peer: "${net.name('lonep')}" in namespace "root"`);
    // And in the root, whose veth leads into a named namespace.
    expect(peer(net.name('up')).stdout).toContain(`peer: "eth0" in namespace "${blue}" (named`);
  });

  it('shows state, master and addresses of both ends', () => {
    const out = peer('eth0', '--netns', blue).stdout;
    // The root end is administratively down, so eth0 has no carrier (veth(4)).
    expect(out).toMatch(/^"eth0" in namespace .*: ifindex \d+, kind veth, no-carrier$/m);
    expect(out).toMatch(/^ {2}addresses: 10\.77\.0\.2\/24/m);
    expect(out).toMatch(new RegExp(`^peer: "${net.name('up')}" in namespace "root" .*: ifindex \\d+, kind veth, down, master "${bridge}"$`, 'm'));
    expect(out).toContain('pair: down');
    const json = JSON.parse(peer('eth0', '--netns', blue, '--json').stdout);
    expect(json.state).toEqual({ interface: 'no-carrier', peer: 'down', pair: 'down' });
    expect(json.masters.map((m: { name: string }) => m.name)).toEqual([bridge]);
    expect(json.peer.master).toBe(json.masters[0].id);
    expect(json.interface.addresses[0]).toBe('10.77.0.2/24'); // then IPv6 link-local, once DAD is done
  });

  it('lists the candidates when a name is in several namespaces (exit 5)', () => {
    const r = peer(net.name('dup'));
    expect(r.status).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`"${net.name('dup')}" is in 2 namespaces; say which:`);
    expect(r.stderr).toMatch(new RegExp(`--netns "${blue}" +\\(named, inode \\d+\\): ifindex \\d+, kind veth`));
    expect(r.stderr).toMatch(new RegExp(`--netns "${red}" +\\(named, inode \\d+\\): ifindex \\d+, kind veth`));
    const json = peer(net.name('dup'), '--json');
    expect(json.status).toBe(5);
    const names = JSON.parse(json.stdout).candidates.map((c: { namespace: { name: string } }) => c.namespace.name);
    expect(names.sort()).toEqual([blue, red].sort());
    // Either end, once the namespace is said, names the other.
    const picked = peer(net.name('dup'), '--netns', red);
    expect(picked.status).toBe(0);
    expect(picked.stdout).toContain(`peer: "${net.name('dup')}" in namespace "${blue}"`);
  });

  it('finds a peer in a namespace only a process holds, and that namespace by pid', () => {
    const out = peer(net.name('ctr')).stdout;
    expect(out).toMatch(new RegExp(`^peer: "eth0" in namespace "pid ${holder} \\(sleep\\)" \\(process, inode \\d+\\)`, 'm'));
    const back = peer('eth0', '--netns', String(holder));
    expect(back.status).toBe(0);
    expect(back.stdout).toContain(`peer: "${net.name('ctr')}" in namespace "root"`);
  });

  it('says which namespace is missing, and refuses a --netns that is a path', () => {
    const r = peer('eth0', '--netns', '../../proc/1/ns/net');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('no namespace "../../proc/1/ns/net"');
  });

  it('says a name too long to exist is no interface, in one namespace or searching all', () => {
    // IFNAMSIZ: the kernel refuses the request itself (ERANGE on 6.18, EINVAL before).
    const long = `${net.prefix}-a-name-far-too-long`;
    for (const args of [[long, '--netns', blue], [long, '--netns', 'root'], [long]]) {
      const r = peer(...args);
      expect(r.status).toBe(3);
      expect(r.stderr).toContain(`no interface "${long}"`);
    }
  });

  it('answers like a fresh snapshot for every veth of this test', () => {
    const snap = JSON.parse(spawnSync('node', [cli, 'snapshot'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout) as {
      namespaces: Array<{ id: string; name: string }>;
      interfaces: Array<{ id: string; name: string; namespace: string; peer: string | null; kind: string }>;
    };
    const nsName = new Map(snap.namespaces.map((n) => [n.id, n.name]));
    const mine = snap.interfaces.filter((i) => i.kind === 'veth' && i.name.startsWith(net.prefix));
    expect(mine.length).toBe(6);
    for (const i of mine) {
      const r = JSON.parse(peer(i.name, '--netns', nsName.get(i.namespace)!, '--json').stdout);
      expect(r.interface.id).toBe(i.id);
      expect(r.peer?.id ?? null).toBe(i.peer);
    }
  }, 120_000); // seven processes: slow on a busy host
});
