/**
 * Churn and lost events, for `npm run bench` (issue 8 §3). Runnable alone against a lab of
 * N namespaces: `tsx server/bench/churn.ts 1000 [seconds]`.
 *
 * - churn: ~150 kernel events/s for a minute from one `ip -batch -` process fed line by line
 *   (flaps, renames, veth pairs made and deleted), then the live picture must equal a fresh
 *   scan; server RSS at the start, half-way, the end and its peak.
 * - overflow: an engine with a tiny event buffer and a burst of changes: the kernel drops
 *   events (ENOBUFS), the engine notices, re-reads everything and converges.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import type { Topology } from '@vethmap/shared';
import { ip, NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';
import { LiveTopology } from '../src/engine/live.js';
import { snapshotOnce } from '../src/engine/snapshot.js';

export interface ChurnResult {
  seconds: number;
  eventsPerSecond: number;
  commands: number;
  rssStartMb: number;
  /** Half-way through: equal to the end when memory levels off rather than grows with the churn. */
  rssHalfMb: number;
  rssEndMb: number;
  rssPeakMb: number;
  crashed: boolean;
  /** From the last command to the live picture equal to a fresh scan (null: never, within 30 s). */
  convergeMs: number | null;
  settleReads: number;
}

export interface OverflowResult {
  commands: number;
  /** Kernel events the engine read (an overflowed socket loses the rest). */
  events: number;
  overflows: number;
  resyncs: number;
  convergeMs: number | null;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { connection: 'close' } })).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

const strip = (t: Topology): string => JSON.stringify({ n: [...t.namespaces].sort((a, b) => a.id.localeCompare(b.id)), i: [...t.interfaces].sort((a, b) => a.id.localeCompare(b.id)) });

/** Polls until `live()` equals a fresh scan; ms from `since`, or null after `limitMs`. */
async function converge(live: () => Promise<Topology> | Topology, since: number, limitMs = 30_000): Promise<number | null> {
  while (performance.now() - since < limitMs) {
    const asOf = performance.now();
    const l = await live();
    if (strip(l) === strip(await snapshotOnce())) return asOf - since;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/** The root ends of the lab's pairs (`<prefix>v<i>`), as the bench builds them. */
const port = (net: NetBuilder, i: number): string => net.name(`v${i}`);

/** One `ip -batch -` process, fed line by line: commands at a high rate without a process each. */
function batchFeeder(): { write(lines: string[]): void; close(): Promise<void> } {
  const child = spawn('ip', ['-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  return {
    write: (lines) => { child.stdin.write(`${lines.join('\n')}\n`); },
    close: () => new Promise((r) => { child.once('exit', () => r()); child.stdin.end(); }),
  };
}

/** The churn: flaps, renames and short-lived veth pairs in the root, rate-adjusted to `target` events/s. */
export async function churn(server: ServeProcess, net: NetBuilder, n: number, seconds = 60, target = 150): Promise<ChurnResult> {
  const pid = server.child.pid!;
  const rssStartMb = rssMb(pid);
  let rssPeakMb = rssStartMb;
  let rssHalfMb = NaN;
  const events0 = await metric(server.url, 'vethmap_netlink_events_total');
  const settle0 = await metric(server.url, 'vethmap_settle_reads_total');
  const feeder = batchFeeder();
  let perTick = 5;
  let commands = 0;
  let k = 0;
  const renamed = new Set<number>();
  const pairs = new Set<number>();
  const t0 = performance.now();
  let lastEvents = events0;
  let lastCheck = t0;
  while (performance.now() - t0 < seconds * 1000) {
    const lines: string[] = [];
    for (let j = 0; j < perTick; j++, k++) {
      const i = k % n;
      switch (k % 4) {
        case 0:
        case 1: {
          const name = renamed.has(i) ? net.name(`w${i}`) : port(net, i);
          lines.push(`link set dev ${name} ${k % 8 < 4 ? 'down' : 'up'}`);
          break;
        }
        case 2:
          lines.push(renamed.has(i) ? `link set dev ${net.name(`w${i}`)} name ${port(net, i)}` : `link set dev ${port(net, i)} name ${net.name(`w${i}`)}`);
          if (renamed.has(i)) renamed.delete(i);
          else renamed.add(i);
          break;
        case 3: {
          const c = Math.floor(k / 4) % 50;
          lines.push(pairs.has(c) ? `link del dev ${net.name(`c${c}`)}` : `link add name ${net.name(`c${c}`)} type veth peer name ${net.name(`d${c}`)}`);
          if (pairs.has(c)) pairs.delete(c);
          else pairs.add(c);
          break;
        }
      }
    }
    feeder.write(lines);
    commands += lines.length;
    await new Promise((r) => setTimeout(r, 100));
    if (server.child.exitCode !== null) break;
    rssPeakMb = Math.max(rssPeakMb, rssMb(pid));
    if (Number.isNaN(rssHalfMb) && performance.now() - t0 >= (seconds * 1000) / 2) rssHalfMb = rssMb(pid);
    if (performance.now() - lastCheck >= 1000) {
      const ev = await metric(server.url, 'vethmap_netlink_events_total');
      const rate = (ev - lastEvents) / ((performance.now() - lastCheck) / 1000);
      if (rate > 0) perTick = Math.max(1, Math.min(200, Math.round(perTick * (target / rate))));
      lastEvents = ev;
      lastCheck = performance.now();
    }
  }
  // Back to the lab as built: names restored, short-lived pairs gone, every port up.
  feeder.write([...[...renamed].map((i) => `link set dev ${net.name(`w${i}`)} name ${port(net, i)}`), ...[...pairs].map((c) => `link del dev ${net.name(`c${c}`)}`)]);
  feeder.write(Array.from({ length: n }, (_, i) => `link set dev ${port(net, i)} up`));
  await feeder.close();
  const elapsed = (performance.now() - t0) / 1000;
  const crashed = server.child.exitCode !== null || server.child.signalCode !== null;
  const end = performance.now();
  const convergeMs = crashed ? null : await converge(async () => (await fetch(`${server.url}/api/topology`, { headers: { connection: 'close' } })).json() as Promise<Topology>, end);
  return {
    seconds: elapsed,
    eventsPerSecond: ((await metric(server.url, 'vethmap_netlink_events_total')) - events0) / elapsed,
    commands,
    rssStartMb,
    rssHalfMb,
    rssEndMb: crashed ? NaN : rssMb(pid),
    rssPeakMb,
    crashed,
    convergeMs,
    settleReads: (await metric(server.url, 'vethmap_settle_reads_total')) - settle0,
  };
}

/** A burst of 2 changes per namespace into an engine whose event sockets hold ~4 KiB. */
export async function overflow(net: NetBuilder, n: number): Promise<OverflowResult> {
  const live = new LiveTopology({ log: pino({ level: 'silent' }), receiveBuffer: 4096 });
  live.start();
  try {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(`link set dev ${port(net, i)} down`, `link set dev ${port(net, i)} up`);
    // Synchronous on purpose: the engine cannot read while the burst runs.
    ip(['-force', '-batch', '-'], `${lines.join('\n')}\n`);
    const since = performance.now();
    // Every port ends as it was, so the picture equals the kernel before a single event is
    // read: first let the engine read the burst (or find its sockets overflowed) until quiet.
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    while (live.stats.events === 0 && live.stats.overflows === 0 && performance.now() - since < 10_000) await sleep(10);
    for (let seen = -1; seen !== live.stats.events + live.stats.overflows; ) {
      seen = live.stats.events + live.stats.overflows;
      await sleep(200);
    }
    const convergeMs = await converge(() => live.topology, since);
    return { commands: lines.length, events: live.stats.events, overflows: live.stats.overflows, resyncs: live.stats.resyncs, convergeMs };
  } finally {
    live.stop();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const n = Number(process.argv[2] ?? 100);
  const seconds = Number(process.argv[3] ?? 60);
  const { buildLab } = await import('./lab.js');
  const net = new NetBuilder('vmb');
  try {
    buildLab(net, n);
    const server = await startServe(['--docker-socket', 'none']);
    try {
      console.log(JSON.stringify({ namespaces: n, churn: await churn(server, net, n, seconds) }));
    } finally {
      await server.stop();
    }
    console.log(JSON.stringify({ namespaces: n, overflow: await overflow(net, n) }));
  } finally {
    net.cleanup();
  }
}
