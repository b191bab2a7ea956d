/**
 * Live traffic and drops, and "why" from a page, through the real server: traffic between the
 * test's own namespaces must show up in the pushed rates exactly as the kernel counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLIENT_MESSAGE_BYTES, MAX_WATCH_ID_LENGTH, MAX_WATCHED_INTERFACES, StatsUpdate, WhyAnswer, type Interface } from '@vethmap/shared';
import { B_ADDR, bridgeHost, inNs, NetBuilder, pingOnce, reaches, startServe, TopologyMirror, until, type BridgeHost, type ServeProcess } from '@vethmap/testkit';

const net = new NetBuilder('vmw');
let server: ServeProcess;
let mirror: TopologyMirror;
let hostNs: BridgeHost;
const updates: Array<{ received: number; update: StatsUpdate }> = [];

beforeAll(async () => {
  hostNs = bridgeHost(net);
  // No IPv6 (router solicitations, DAD) on the test's wires: only the test's own packets flow.
  for (const ns of [hostNs.a, hostNs.b, hostNs.h]) inNs(ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1');
  server = await startServe();
  mirror = new TopologyMirror(server.url);
  mirror.socket.on('stats', (u) => updates.push({ received: Date.now(), update: StatsUpdate.parse(u) }));
  await until('the test namespaces', () => mirror.view?.namespaces.some((n) => n.name === hostNs.b) && eth0(hostNs.b));
});

afterAll(async () => {
  mirror?.close();
  await server?.stop();
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

function eth0(ns: string): Interface | undefined {
  const id = mirror.view?.namespaces.find((n) => n.name === ns)?.id;
  return mirror.view?.interfaces.find((i) => i.namespace === id && i.name === 'eth0');
}

/** A counter of an interface, read by the kernel's sysfs inside its namespace. */
function counter(ns: string, name: string): number {
  return Number(inNs(ns, 'cat', `/sys/class/net/eth0/statistics/${name}`));
}

/** Σ rate × elapsed over consecutive updates after `from`: what the rates say was counted. */
function integrate(id: string, key: 'txBytes' | 'txPackets' | 'rxDropped', from: number): number {
  const mine = updates.filter((u) => u.update.rates[id]);
  let sum = 0;
  for (let i = 1; i < mine.length; i++) {
    const at = Date.parse(mine[i]!.update.at);
    if (at <= from) continue;
    sum += mine[i]!.update.rates[id]![key] * ((at - Date.parse(mine[i - 1]!.update.at)) / 1000);
  }
  return sum;
}

const after = (t: number, n: number) => until(`${n} stats updates after ${t}`, () => updates.filter((u) => Date.parse(u.update.at) > t).length >= n, 8000);

describe('live traffic on the map', () => {
  it('pushes the rates of watched interfaces, equal to the kernel\'s counters, drops included', async () => {
    const a = eth0(hostNs.a)!;
    const b = eth0(hostNs.b)!;
    mirror.socket.emit('stats:watch', { interfaces: [a.id, b.id] });
    await after(0, 2);
    const start = Date.parse(updates.at(-1)!.update.at);
    const bytes0 = counter(hostNs.a, 'tx_bytes');
    const packets0 = counter(hostNs.a, 'tx_packets');
    for (let i = 0; i < 10; i++) expect(reaches(hostNs.a, B_ADDR, 1000)).toBe(true);
    const bytes = counter(hostNs.a, 'tx_bytes') - bytes0;
    const packets = counter(hostNs.a, 'tx_packets') - packets0;
    expect(packets).toBeGreaterThanOrEqual(10);
    await after(Date.now(), 2);
    expect(Math.round(integrate(a.id, 'txBytes', start))).toBe(bytes);
    expect(Math.round(integrate(a.id, 'txPackets', start))).toBe(packets);
    expect(updates.some((u) => (u.update.rates[a.id]?.txBytes ?? 0) > 1000)).toBe(true);

    // Frames over b's MTU are dropped where they arrive: b/eth0 counts them as rx_dropped.
    net.ipIn(hostNs.b, 'link', 'set', 'eth0', 'mtu', '1400');
    const dropStart = Date.parse(updates.at(-1)!.update.at);
    const dropped0 = counter(hostNs.b, 'rx_dropped');
    for (let i = 0; i < 5; i++) expect(pingOnce(hostNs.a, B_ADDR, 1472)).toBe(false);
    const dropped = counter(hostNs.b, 'rx_dropped') - dropped0;
    expect(dropped).toBe(5);
    await after(Date.now(), 2);
    expect(Math.round(integrate(b.id, 'rxDropped', dropStart))).toBe(dropped);
    expect(updates.at(-1)!.update.rates[b.id]!.droppedTotal).toBe(counter(hostNs.b, 'rx_dropped') + counter(hostNs.b, 'tx_dropped'));
    net.ipIn(hostNs.b, 'link', 'set', 'eth0', 'mtu', '1500');
  });

  it('keeps the connection of a page that watches the most it may, and closes only one that sends more than any valid message', async () => {
    // A 1000-namespace map watches 512 interfaces: past 4 KiB, the server closed such a
    // page's socket on every connect (1009), and the page saw changes only as snapshots.
    const closes: string[] = [];
    mirror.socket.on('disconnect', (reason) => closes.push(reason));
    const sid = mirror.socket.id;
    const a = eth0(hostNs.a)!;
    const longest = Array.from({ length: MAX_WATCHED_INTERFACES - 1 }, (_, i) => `nif:${i}:`.padEnd(MAX_WATCH_ID_LENGTH, '9'));
    mirror.socket.emit('stats:watch', { interfaces: [a.id, ...longest] });
    const from = Date.now();
    await after(from, 2);
    expect(updates.filter((u) => Date.parse(u.update.at) > from).every((u) => u.update.rates[a.id])).toBe(true);
    expect(closes).toEqual([]);
    expect(mirror.socket.id).toBe(sid);

    const other = new TopologyMirror(server.url);
    try {
      await other.ready();
      const dropped = new Promise<string>((resolve) => other.socket.on('disconnect', resolve));
      other.socket.emit('stats:watch', { interfaces: ['x'.repeat(MAX_CLIENT_MESSAGE_BYTES)] });
      expect(await dropped).toBe('transport close');
    } finally {
      other.close();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(closes).toEqual([]);
    expect(server.child.exitCode).toBe(null);
  });

  it('stops pushing when the page watches nothing, and ignores what is not a valid watch', async () => {
    mirror.socket.emit('stats:watch', { interfaces: [] });
    await new Promise((r) => setTimeout(r, 300));
    const count = updates.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(updates.length).toBe(count);
    mirror.socket.emit('stats:watch', { interfaces: Array.from({ length: 10_000 }, (_, i) => `nif:1:${i}`) });
    mirror.socket.emit('stats:watch', 'not an object' as never);
    await new Promise((r) => setTimeout(r, 2500));
    expect(updates.length).toBe(count);
    expect(server.child.exitCode).toBe(null);
  });

  it('answers "why" from a page through the acknowledgement', async () => {
    inNs(hostNs.h, 'iptables', '-P', 'FORWARD', 'DROP');
    const answer = WhyAnswer.parse(await mirror.socket.timeout(10_000).emitWithAck('why', { from: `${hostNs.a}/eth0`, to: hostNs.b }));
    expect('report' in answer && answer.report.reachable).toBe(false);
    if ('report' in answer) expect(answer.report.hops.find((h) => h.ok === false)!.concern).toBe('firewall');
    await new Promise((r) => setTimeout(r, 300));
    const missing = WhyAnswer.parse(await mirror.socket.timeout(10_000).emitWithAck('why', { from: `${net.prefix}-nope`, to: hostNs.b }));
    expect(missing).toEqual({ error: expect.stringMatching(/no interface of the root namespace|neither a namespace/) });
    const invalid = WhyAnswer.parse(await mirror.socket.timeout(10_000).emitWithAck('why', { from: '' } as never));
    expect('error' in invalid).toBe(true);
  });

  it('answers "why" asked again at once (a trace, then a pick on the map), and only the newest of a burst', async () => {
    const ask = (to: string) => mirror.socket.timeout(10_000).emitWithAck('why', { from: `${hostNs.a}/eth0`, to }).then((a) => WhyAnswer.parse(a));
    const first = await ask(hostNs.b);
    const t = Date.now();
    const second = await ask(hostNs.b);
    expect('report' in first && 'report' in second).toBe(true);
    // Its turn came (one trace per client per 250 ms), it was not refused.
    expect(Date.now() - t).toBeGreaterThanOrEqual(200);
    const burst = await Promise.all([ask(hostNs.b), ask(hostNs.b), ask(hostNs.b)]);
    expect(burst.map((a) => ('report' in a ? 'report' : a.error))).toEqual(['replaced by a newer trace', 'replaced by a newer trace', 'report']);
  });
});
