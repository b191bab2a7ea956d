import { execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import pino from 'pino';
import { applyDiff, Topology, TopologyDiff, type ClientToServerEvents, type ServerToClientEvents } from '@vethmap/shared';
import { LiveTopology } from '../../src/engine/live.js';
import { snapshotOnce } from '../../src/engine/snapshot.js';
import { serve, type RunningServer } from '../../src/http/server.js';
import { NetBuilder } from '@vethmap/testkit';

const net = new NetBuilder();
const ip = (...args: string[]): string => net.ip(...args);
let live: LiveTopology;
let server: RunningServer;
let client: Socket<ServerToClientEvents, ClientToServerEvents>;
/** The client's picture: the snapshot with every diff applied, as a browser would hold it. */
let view: Topology | undefined;
const diffs: TopologyDiff[] = [];
let a: string;

async function until<T>(what: string, probe: () => T | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const strip = (t: Topology) => ({ namespaces: t.namespaces, interfaces: t.interfaces.map((i) => ({ ...i, addresses: [...i.addresses].sort() })) });

/**
 * The live picture must reach what a fresh full scan sees. Polled, because a dump lists
 * IPv6 addresses while still tentative and the kernel announces them only after
 * duplicate address detection (~1-2 s).
 */
async function convergesToFreshScan(ms = 6000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const fresh = strip(await snapshotOnce());
    const mine = strip(live.topology);
    if (JSON.stringify(mine) === JSON.stringify(fresh)) return;
    if (Date.now() > end) {
      expect(mine).toEqual(fresh);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ns = (name: string) => view?.namespaces.find((n) => n.name === name);
const iface = (nsName: string, name: string) => view?.interfaces.find((i) => i.namespace === ns(nsName)?.id && i.name === name);

beforeAll(async () => {
  a = net.netns('a');
  ip('link', 'add', net.name('ra'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', a);
  ip('link', 'set', net.name('ra'), 'up');
  ip('-n', a, 'link', 'set', 'eth0', 'up');
  // The default /proc interval (2 s): named namespaces must not wait for it.
  live = new LiveTopology({ log: pino({ level: 'silent' }) });
  live.start();
  server = await serve(live, { host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
  client = io(server.url, { transports: ['websocket'] });
  client.on('snapshot', (t) => { view = Topology.parse(t); });
  client.on('diff', (d) => {
    diffs.push(TopologyDiff.parse(d));
    if (view) view = applyDiff(view, d);
  });
  await until('the first snapshot', () => view);
});

afterAll(async () => {
  client?.close();
  live?.stop();
  await server?.close();
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('live updates over socket.io', () => {
  it('sends a snapshot on connect, the same as GET /api/topology', async () => {
    const rest = Topology.parse(await (await fetch(`${server.url}/api/topology`)).json());
    expect(rest).toEqual(view);
    expect(iface(a, 'eth0')?.peer).toBe(iface('root', net.name('ra'))?.id);
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ live: true, version: rest.version });
  });

  it('turns `ip link set down` inside a namespace into a diff, peer included', async () => {
    const before = view!.version;
    ip('-n', a, 'link', 'set', 'eth0', 'down');
    await until('eth0 down', () => iface(a, 'eth0')?.adminUp === false);
    await until('the root end losing carrier', () => iface('root', net.name('ra'))?.lowerUp === false);
    expect(view!.version).toBeGreaterThan(before);
    const d = diffs.filter((x) => x.fromVersion >= before);
    // Only what changed travels: not the whole host.
    for (const x of d) expect(x.interfaces.upsert.length).toBeLessThanOrEqual(4);
  });

  it('numbers diffs without gaps', () => {
    for (let i = 1; i < diffs.length; i++) expect(diffs[i]!.fromVersion).toBe(diffs[i - 1]!.version);
  });

  it('shows an added namespace and drops a deleted one with its veth ends', async () => {
    const b = net.netns('b');
    ip('link', 'add', net.name('rb'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', b);
    await until('namespace b with its eth0 peered to the root', () => iface(b, 'eth0')?.peer && iface(b, 'eth0')?.peer === iface('root', net.name('rb'))?.id, 1500);
    ip('netns', 'del', b);
    await until('namespace b gone', () => !ns(b), 1500);
    await until('its root end gone', () => !iface('root', net.name('rb')));
  });

  it('finds a namespace held only by a process, and forgets it when the process exits', async () => {
    const pid = await net.processNamespace();
    // Process-held namespaces are found by the /proc re-list, every 2 s.
    await until('the process namespace', () => view?.namespaces.find((n) => n.pid === pid && n.kind === 'process'));
    net.kill(pid);
    await until('the process namespace gone', () => !view?.namespaces.some((n) => n.pid === pid));
  });

  it('names a process-held namespace after the program its holder exec\'d into (found by the fuzzer)', async () => {
    // `unshare --net CMD` is listed as whatever it runs at that moment: here `sh`, which
    // becomes `sleep` a moment later without any other change a listing would see.
    const child = spawn('unshare', ['--net', 'sh', '-c', 'sleep 0.6; exec sleep 600'], { stdio: 'ignore' });
    try {
      const pid = child.pid!;
      await until('the namespace, named after sh', () => view?.namespaces.some((n) => n.pid === pid && n.name === `pid ${pid} (sh)`));
      await until('its name after the exec', () => view?.namespaces.some((n) => n.pid === pid && n.name === `pid ${pid} (sleep)`), 4000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it("shows a bridge's carrier change with its port's, not when the kernel announces it up to a second later", async () => {
    const br = net.name('cb');
    const [p1, p2] = [net.name('cp1'), net.name('cp2')];
    ip('link', 'add', br, 'type', 'bridge');
    ip('link', 'add', p1, 'type', 'veth', 'peer', 'name', p2);
    ip('link', 'set', p1, 'master', br);
    for (const l of [br, p1, p2]) ip('link', 'set', l, 'up');
    const root = (name: string) => view?.interfaces.find((i) => i.name === name && view?.namespaces.find((n) => n.id === i.namespace)?.kind === 'root');
    await until('the bridge with carrier', () => root(br)?.lowerUp && root(p1)?.adminUp);
    // A flap first: the kernel's linkwatch has just run, so the bridge's own message about
    // the next change waits up to a second; its port's does not.
    ip('link', 'set', p1, 'down');
    ip('link', 'set', p1, 'up');
    await until('the port up again', () => root(p1)?.adminUp && root(br)?.lowerUp);
    ip('link', 'set', p1, 'down');
    await until('the port down', () => root(p1)?.adminUp === false);
    // The picture that first shows the port down (one diff) already shows the bridge without carrier.
    expect(root(br)?.lowerUp).toBe(false);
    ip('link', 'del', p1);
    ip('link', 'del', br);
  });

  it('sees a namespace named or unnamed by a mount alone (no folder event), without waiting for the full re-list', async () => {
    // Its own engine whose periodic full re-list never comes during the test: only the mount
    // table's change can tell it (the shared one would re-read the folders every 30 s).
    const own = new LiveTopology({ log: pino({ level: 'silent' }), fullListIntervalMs: 3_600_000 });
    own.start();
    const file = `/run/netns/${net.nsName('mnt')}`;
    try {
      const pid = await net.processNamespace();
      const held = () => own.topology.namespaces.find((n) => n.pid === pid);
      await until('the process-held namespace', () => held()?.kind === 'process');
      // A file made earlier (a tool's placeholder): its folder event and follow-ups pass first.
      writeFileSync(file, '');
      await new Promise((r) => setTimeout(r, 800));
      execFileSync('mount', ['--bind', `/proc/${pid}/ns/net`, file]);
      await until('the namespace named by the bind mount', () => held()?.kind === 'named' && held()?.name === net.nsName('mnt'), 2000);
      execFileSync('umount', [file]);
      await until('the name gone with the unmount', () => held()?.kind === 'process', 2000);
    } finally {
      own.stop();
      try { execFileSync('umount', [file], { stdio: 'ignore' }); } catch { /* not mounted */ }
      rmSync(file, { force: true });
    }
  });

  it('stays equal to a fresh full scan through renames, moves, addresses, masters and deletions', async () => {
    const c = net.netns('c');
    ip('link', 'add', net.name('rc'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', c);
    await until('namespace c peered', () => iface(c, 'eth0')?.peer, 3000);
    const br = net.name('br');
    ip('link', 'add', br, 'type', 'bridge');
    ip('link', 'set', net.name('rc'), 'master', br);
    ip('-n', c, 'link', 'set', 'eth0', 'name', 'renamed0');
    ip('-n', c, 'addr', 'add', '10.97.0.2/24', 'dev', 'renamed0');
    ip('-n', c, 'addr', 'add', '10.97.1.2/24', 'dev', 'renamed0');
    ip('-n', c, 'addr', 'del', '10.97.0.2/24', 'dev', 'renamed0');
    ip('-n', c, 'link', 'set', 'renamed0', 'up');
    // Move one end of a fresh pair from the root into c, and delete another link.
    ip('link', 'add', net.name('m1'), 'type', 'veth', 'peer', 'name', net.name('m2'));
    ip('link', 'set', net.name('m2'), 'netns', c);
    ip('link', 'add', net.name('d1'), 'type', 'veth', 'peer', 'name', net.name('d2'));
    ip('link', 'del', net.name('d1'));
    await until('the last change', () => iface(c, net.name('m2'))?.peer && !iface('root', net.name('d1')), 3000);
    await convergesToFreshScan();
    expect(iface(c, 'renamed0')).toMatchObject({ master: null, addresses: expect.arrayContaining(['10.97.1.2/24']) });
    expect(iface(c, 'renamed0')!.addresses).not.toContain('10.97.0.2/24');
    expect(iface('root', net.name('rc'))!.master).toBe(iface('root', br)!.id);
    expect(iface(c, net.name('m2'))!.peer).toBe(iface('root', net.name('m1'))!.id);

    // Bridge ports announce their state (AF_BRIDGE) after a while: flap one and wait.
    ip('link', 'set', br, 'up');
    ip('link', 'set', net.name('rc'), 'down');
    ip('link', 'set', net.name('rc'), 'up');
    await new Promise((r) => setTimeout(r, 500));
    await convergesToFreshScan();

    // Already resolved, then moved on from c to d: the root end changes silently.
    const d = net.netns('d');
    ip('-n', c, 'link', 'set', net.name('m2'), 'netns', d);
    await until('m2 in d, peered again', () => iface(d, net.name('m2'))?.peer === iface('root', net.name('m1'))?.id && iface('root', net.name('m1'))?.peer === iface(d, net.name('m2'))?.id, 3000);
    await convergesToFreshScan();
  });

  it('answers resync with a snapshot at the current version', async () => {
    const current = live.topology.version;
    view = undefined;
    client.emit('resync');
    const t = await until('the resync snapshot', () => view);
    expect(t.version).toBe(current);
    expect(t).toEqual(live.topology);
  });

  it('ends with the client picture equal to the server one', async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(view).toEqual(Topology.parse(await (await fetch(`${server.url}/api/topology`)).json()));
  });
});
