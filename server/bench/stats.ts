/**
 * What live traffic costs the server: CPU of the `vethmap serve` process over 10 s with no
 * page watching (the sampler must do nothing), with a page watching what the whole map at
 * this size shows (one end of each veth pair, the root bridge's ports, at most 512), and with
 * a page watching 512 interfaces in 512 different namespaces (the worst case the cap allows).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { io } from 'socket.io-client';
import { MAX_WATCHED_INTERFACES, type Topology } from '@vethmap/shared';
import { netnsList } from '../src/kernel/index.js';
import { TrafficSampler } from '../src/engine/traffic.js';

export interface TrafficCost {
  /** % of one core, no page watching. */
  idle: number;
  /** % of one core, watching up to 512 root-side pair ends (one namespace). */
  rootEnds: number;
  watchedRootEnds: number;
  /** % of one core, watching one interface in each of up to 512 namespaces. */
  spread: number;
  watchedSpread: number;
  /** stats updates received per second while watching (a sanity check that sampling ran). */
  updatesPerSecond: number;
  /** CPU ms of one sample, measured in this process with the real kernel (median of 20): root-side ends / spread. */
  sampleMsRoot: number;
  sampleMsSpread: number;
}

/**
 * The sampler's own cost, away from whatever else the server is doing on a busy host: one
 * sample of `ids` (CPU time of this process: reading the kernel, decoding, computing rates,
 * building each watcher's update), median of 20 after 3 to open the sockets.
 */
export function sampleCost(ids: readonly string[]): number {
  const paths = new Map(netnsList().entries.map((e) => [e.inode, e.path]));
  const sampler = new TrafficSampler({ intervalMs: 1e9, pathOf: (inode) => paths.get(inode) ?? null });
  let sent = 0;
  sampler.watch('bench', ids, (u) => { sent += JSON.stringify(u).length; });
  try {
    const ms: number[] = [];
    for (let k = 0; k < 23; k++) {
      const c0 = process.cpuUsage();
      sampler.sample();
      const c = process.cpuUsage(c0);
      if (k >= 3) ms.push((c.user + c.system) / 1000);
    }
    if (sent === 0) throw new Error('the sampler sent nothing');
    ms.sort((a, b) => a - b);
    return ms[Math.floor(ms.length / 2)]!;
  } finally {
    sampler.stop();
  }
}

/**
 * CPU time `pid` has used, in ms, summed over its threads (V8's collector runs in its own):
 * /proc/…/schedstat counts nanoseconds, where /proc/…/stat's clock ticks (10 ms) made a
 * 15 s window's figure jump by 0.07 % of a core per tick.
 */
export function cpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch { /* a thread that just ended */ }
  }
  return ns / 1e6;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** % of one core used by `pid` over `ms`. */
async function cpu(pid: number, ms: number): Promise<number> {
  const c0 = cpuMs(pid);
  await sleep(ms);
  return ((cpuMs(pid) - c0) / ms) * 100;
}

/**
 * Idle CPU as windows: most are the steady cost, and one now and then holds V8's
 * memory reducer (a few full collections some 10–60 s after a burst of work ends, once).
 * The median is what a quiet host pays; the max says how high a window got.
 */
export async function idleWindows(pid: number, windows: number, windowMs: number): Promise<{ median: number; max: number }> {
  const each: number[] = [];
  for (let i = 0; i < windows; i++) each.push(await cpu(pid, windowMs));
  each.sort((a, b) => a - b);
  return { median: each[each.length >> 1]!, max: each[each.length - 1]! };
}

export async function benchTraffic(url: string, pid: number, windowMs = 10_000): Promise<TrafficCost> {
  const sock = io(url, { transports: ['websocket'], forceNew: true });
  try {
    const t = await new Promise<Topology>((r) => sock.once('snapshot', (x: Topology) => r(x)));
    let updates = 0;
    sock.on('stats', () => updates++);
    const root = t.namespaces.find((n) => n.kind === 'root')!.id;
    const veths = t.interfaces.filter((i) => i.kind === 'veth' && i.peer !== null);
    const rootEnds = veths.filter((i) => i.namespace === root).slice(0, MAX_WATCHED_INTERFACES).map((i) => i.id);
    const spread = veths.filter((i) => i.namespace !== root).slice(0, MAX_WATCHED_INTERFACES).map((i) => i.id);

    await sleep(1000);
    const idle = await cpu(pid, windowMs);
    sock.emit('stats:watch', { interfaces: rootEnds });
    await sleep(2000); // sockets opened, first samples taken
    updates = 0;
    const rootCost = await cpu(pid, windowMs);
    const updatesPerSecond = updates / (windowMs / 1000);
    sock.emit('stats:watch', { interfaces: spread });
    await sleep(2000);
    const spreadCost = await cpu(pid, windowMs);
    sock.emit('stats:watch', { interfaces: [] });
    return {
      idle, rootEnds: rootCost, watchedRootEnds: rootEnds.length, spread: spreadCost, watchedSpread: spread.length, updatesPerSecond,
      sampleMsRoot: sampleCost(rootEnds), sampleMsSpread: sampleCost(spread),
    };
  } finally {
    sock.close();
  }
}

/** The table `npm run bench` prints for these figures. */
export function trafficTable(rows: Array<{ n: number; traffic?: TrafficCost | undefined }>): string[] {
  const f = (x: number): string => x.toFixed(2);
  const measured = rows.filter((r) => r.traffic);
  if (!measured.length) return [];
  return [
    '',
    '| namespaces | server CPU, no page watching (% of a core) | server CPU, page watching the map: root-side pair ends | … watching 1 interface in each of N namespaces | one sample, in process: root-side ends / N namespaces (CPU ms; at 1 s = ms/10 % of a core) |',
    '|---:|---:|---:|---:|---:|',
    ...measured.map(({ n, traffic: c }) => `| ${n} | ${f(c!.idle)} | ${f(c!.rootEnds)} % (${c!.watchedRootEnds} interfaces) | ${f(c!.spread)} % (N = ${c!.watchedSpread}) | ${f(c!.sampleMsRoot)} / ${f(c!.sampleMsSpread)} |`),
  ];
}

/**
 * Standalone: `npx tsx server/bench/stats.ts [N]` (root) builds N namespaces, each with a veth
 * to a root bridge (the shape `npm run bench` uses), serves, measures, removes everything.
 */
async function standalone(n: number): Promise<void> {
  const { NetBuilder, startServe } = await import('@vethmap/testkit');
  const { buildLab, teardownLab } = await import('./lab.js');
  const net = new NetBuilder('vmb');
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { teardownLab(net); process.exit(130); });
  try {
    buildLab(net, n);
    const server = await startServe();
    try {
      await sleep(3000);
      const cost = await benchTraffic(server.url, server.child.pid!);
      console.log(trafficTable([{ n, traffic: cost }]).join('\n'));
      console.log(JSON.stringify(cost));
    } finally {
      await server.stop();
    }
  } finally {
    teardownLab(net);
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  void standalone(Number(process.argv[2] ?? 1000)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
