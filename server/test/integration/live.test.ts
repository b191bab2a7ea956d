import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import pino from 'pino';
import { applyDiff, Topology, TopologyDiff, type ClientToServerEvents, type ServerToClientEvents } from '@vethmap/shared';
import { LiveTopology } from '../../src/engine/live.js';
import { serve, type RunningServer } from '../../src/http/server.js';
import { TestNet, ip } from '../support/testnet.js';

const net = new TestNet();
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
