/**
 * The live event path in one process, no socket: N bench namespaces, then flaps of their
 * eth0 timed from just before `ip` to the engine's diff. Run under `node --cpu-prof` to see
 * where an event's time goes:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx server/bench/event-probe.ts 1000 100
 */
import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { NetBuilder } from '@vethmap/testkit';
import { LiveTopology } from '../src/engine/live.js';
import { awaitFlap, benchNs, buildLab, teardownLab } from './lab.js';

const n = Number(process.argv[2] ?? 1000);
const flaps = Number(process.argv[3] ?? 100);
const net = new NetBuilder('vevp');
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

buildLab(net, n);
try {
  const live = new LiveTopology({ log: pino({ level: 'silent' }) });
  live.start();
  await new Promise((r) => setTimeout(r, 2000));
  const latencies: number[] = [];
  const ipMs: number[] = [];
  for (let k = 0; k < flaps; k++) {
    const { state, seen } = awaitFlap(live, 'eth0', k, n);
    const t0 = performance.now();
    execFileSync('ip', ['-n', benchNs(net, k % n), 'link', 'set', 'eth0', state]);
    ipMs.push(performance.now() - t0);
    latencies.push((await seen) - t0);
  }
  live.stop();
  console.log(JSON.stringify({ n, flaps, p50: pct(latencies, 50), p95: pct(latencies, 95), max: Math.max(...latencies), ipP50: pct(ipMs, 50), ipP95: pct(ipMs, 95), afterIpP50: pct(latencies.map((l, i) => l - ipMs[i]!), 50), afterIpP95: pct(latencies.map((l, i) => l - ipMs[i]!), 95), flushes: live.stats.scanDurationsMs.length, flushP50: pct(live.stats.scanDurationsMs.slice(1), 50), flushP95: pct(live.stats.scanDurationsMs.slice(1), 95) }));
} finally {
  teardownLab(net);
}
