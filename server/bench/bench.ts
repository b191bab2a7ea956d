/**
 * `npm run bench`: builds 10, 100, 300 and 1000 namespaces (each a veth to a root bridge, with
 * an address), then measures vethmap against iproute2 in the same run and prints a table.
 * Run as root. Everything it builds starts with `vmb` and is removed, even on failure.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@vethmap/shared';
import { ip, NetBuilder, startServe } from '@vethmap/testkit';
import { snapshotOnce } from '../src/engine/snapshot.js';
import { awaitFlap, benchNs, buildLab, teardownLab } from './lab.js';
import { churn, overflow, rssMb, type ChurnResult, type OverflowResult } from './churn.js';
import { diagramLines } from './diagrams.js';
import { benchLoad, LOAD_HEADER, loadRow, type LoadResult } from './load.js';
import { benchTraffic, idleWindows, trafficTable, type TrafficCost } from './stats.js';
import { benchCli, cliTable, type CliRow } from './cli.js';

const net = new NetBuilder('vmb');
const SIZES = (process.env.BENCH_SIZES ?? '10,100,300,1000').split(',').map(Number);
const FLAPS = Number(process.env.BENCH_FLAPS ?? 100);
/** Idle is measured over this long, in windows: see idleWindows. */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 75);
const IDLE_WINDOWS = 5;
/** Churn at the largest size for this long (0: skip churn and overflow). */
const CHURN_SECONDS = Number(process.env.BENCH_CHURN_SECONDS ?? 60);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}
function time(fn: () => void, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const nsName = (i: number): string => benchNs(net, i);
const build = (n: number): void => buildLab(net, n);
const teardown = (): void => teardownLab(net);

interface Row {
  n: number; vethmapMs: number; iprouteMs: number; rssMb: number; p50: number; p95: number; idleCpu: { median: number; max: number };
  /** From the kernel change (a running `ip -batch`, no process start) to the socket.io diff. */
  changeP50: number; changeP95: number;
  load?: LoadResult | undefined;
  traffic?: TrafficCost | undefined;
  cli: CliRow;
  browser?: { firstPictureMs: number; clickPeerMs: number; firstClickMs: number; diffDrawnMs: number; pngMs: number; pngBytes: number; pngWidth: number; pngHeight: number } | undefined;
  churn?: ChurnResult;
  overflow?: OverflowResult;
}

async function measure(n: number): Promise<Row> {
  teardown();
  build(n);
  const vethmapMs = await timeAsync(() => snapshotOnce(), 5);
  const iprouteMs = time(() => ip(['-all', 'netns', 'exec', 'ip', '-j', '-d', 'addr', 'show']), 3);
  const cli = benchCli(n, nsName(Math.floor(n / 2)), net.name(`v${Math.floor(n / 2)}`));

  const server = await startServe(['--log-level', 'info']);
  const { child, url } = server;
  const sock: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'] });
  try {
    await new Promise<void>((r) => sock.once('snapshot', () => r()));
    const latencies: number[] = [];
    for (let k = 0; k < FLAPS; k++) {
      const { state, seen } = awaitFlap(sock, 'eth0', k, n);
      // From just before `ip` starts (its own start-up and namespace switch included) to the diff.
      const t0 = performance.now();
      execFileSync('ip', ['-n', nsName(k % n), 'link', 'set', 'eth0', state]);
      latencies.push((await seen) - t0);
    }
    const fromChange = await flapFromRunningIp(sock, n);
    // Idle: no changes while the /proc look-ups and the periodic re-lists keep running.
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await idleWindows(child.pid!, IDLE_WINDOWS, (IDLE_SECONDS * 1000) / IDLE_WINDOWS);
    const rss = rssMb(child.pid!);
    // 50 clients and a stalled one on this same server (server/bench/load.ts).
    const load = n >= 100 && !process.env.BENCH_NO_LOAD ? await benchLoad({ url, pid: child.pid!, netns: Array.from({ length: Math.min(n, 50) }, (_, i) => nsName(i)) }) : undefined;
    const traffic = process.env.BENCH_NO_TRAFFIC ? undefined : await benchTraffic(url, child.pid!);

    let browser: Row['browser'];
    if (n >= 100 && !process.env.BENCH_NO_BROWSER) {
      try {
        browser = benchBrowser(url, nsName(0));
      } catch (err) {
        console.error(`browser figures unavailable at ${n}: ${(err as Error).message}`);
      }
    }
    const row: Row = { n, vethmapMs, iprouteMs, rssMb: rss, p50: median(latencies), p95: pct(latencies, 95), changeP50: median(fromChange), changeP95: pct(fromChange, 95), idleCpu: idle, cli, browser, load, traffic };
    if (n === Math.max(...SIZES) && CHURN_SECONDS > 0) {
      sock.close();
      console.error(`churn for ${CHURN_SECONDS} s at ${n} namespaces...`);
      row.churn = await churn(server, net, n, CHURN_SECONDS);
      await server.stop();
      console.error('forced overflow...');
      row.overflow = await overflow(net, n);
    }
    return row;
  } finally {
    sock.close();
    await server.stop();
  }
}

/**
 * Event → diff from the change itself: `ip -n NS link set …` spends 20–40 ms of its own at
 * 1000 namespaces (start-up, switching namespace) before the kernel changes anything. One
 * `ip -batch -` kept running in the root flaps the root's end of each pair instead (the
 * same events: a port's admin state here, the carrier of its peer there); a line is
 * applied as soon as it is read. Every port it took down is brought up again.
 */
async function flapFromRunningIp(sock: Socket<ServerToClientEvents, ClientToServerEvents>, n: number): Promise<number[]> {
  const batch = spawn('ip', ['-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const latencies: number[] = [];
  const flapped = new Set<string>();
  try {
    for (let k = 0; k < FLAPS; k++) {
      const port = net.name(`v${k % n}`);
      const { state, seen } = awaitFlap(sock, port, k, n);
      const t0 = performance.now();
      batch.stdin.write(`link set dev ${port} ${state}\n`);
      flapped.add(port);
      latencies.push((await seen) - t0);
    }
  } finally {
    for (const port of flapped) batch.stdin.write(`link set dev ${port} up\n`);
    batch.stdin.end();
    await new Promise((r) => batch.once('exit', r));
  }
  return latencies;
}

/** The browser figures, from e2e/bench-browser.ts in its own process (it drives Chromium). */
function benchBrowser(url: string, netns: string): Row['browser'] {
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const script = fileURLToPath(new URL('../../e2e/bench-browser.ts', import.meta.url));
  const out = execFileSync(tsx, [script, url, netns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop() ?? '') as Row['browser'];
}

const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark builds namespaces: run it as root');
  const rows: Row[] = [];
  const cleanupAndExit = (): void => { teardown(); process.exit(130); };
  process.once('SIGINT', cleanupAndExit);
  try {
    for (const n of SIZES) {
      console.error(`measuring ${n} namespaces...`);
      rows.push(await measure(n));
    }
  } finally {
    teardown();
  }
  const lines = [
    `| namespaces | vethmap full snapshot (ms) | \`ip -all netns exec ip -j -d addr show\` (ms) | speed-up | server RSS (MB) | kernel change → socket.io diff p50 / p95 (ms) | \`ip -n NS link set\` started → diff p50 / p95 (ms) | idle CPU, median / max of 5 windows (% of a core) |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.n} | ${f(r.vethmapMs)} | ${f(r.iprouteMs)} | ${f(r.iprouteMs / r.vethmapMs)}x | ${f(r.rssMb)} | ${f(r.changeP50)} / ${f(r.changeP95)} | ${f(r.p50)} / ${f(r.p95)} | ${f(r.idleCpu.median, 2)} / ${f(r.idleCpu.max, 2)} |`),
  ];
  lines.push('', 'Whole processes, medians (ms):', '', cliTable(rows.map((r) => r.cli)));
  const withBrowser = rows.filter((r) => r.browser);
  if (withBrowser.length) {
    lines.push('', '| namespaces | first picture (ms) | click → peer highlighted, median of 5 / first (ms) | live diff drawn (ms) | PNG export (ms) | PNG size |', '|---:|---:|---:|---:|---:|---:|');
    for (const r of withBrowser) {
      const b = r.browser!;
      lines.push(`| ${r.n} | ${f(b.firstPictureMs, 0)} | ${f(b.clickPeerMs, 0)} / ${f(b.firstClickMs, 0)} | ${f(b.diffDrawnMs, 0)} | ${f(b.pngMs, 0)} | ${b.pngWidth}×${b.pngHeight} px, ${f(b.pngBytes / 1e6, 1)} MB |`);
    }
  }
  const withLoad = rows.filter((r) => r.load);
  if (withLoad.length) lines.push('', ...LOAD_HEADER, ...withLoad.map((r) => loadRow(r.n, r.load!)));
  lines.push(...trafficTable(rows));
  for (const r of rows.filter((x) => x.churn && x.overflow)) {
    const c = r.churn!;
    const o = r.overflow!;
    lines.push(
      '',
      '| namespaces | churn: kernel events/s for s | server RSS start / half-way / end / peak (MB) | crashes | live = fresh scan after churn (ms) | settle reads | forced overflow: burst, overflows, resyncs, converged (ms) |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${r.n} | ${f(c.eventsPerSecond, 0)} for ${f(c.seconds, 0)} | ${f(c.rssStartMb)} / ${f(c.rssHalfMb)} / ${f(c.rssEndMb)} / ${f(c.rssPeakMb)} | ${c.crashed ? 1 : 0} | ${c.convergeMs === null ? 'never' : f(c.convergeMs, 0)} | ${c.settleReads} | ${o.commands} changes, ${o.overflows}, ${o.resyncs}, ${o.convergeMs === null ? 'never' : f(o.convergeMs, 0)} |`,
    );
  }
  console.error('measuring diagrams (layout, vethmap export)...');
  lines.push('', ...diagramLines());
  const table = lines.join('\n');
  console.log(table);
  writeFileSync(new URL('../../docs/bench-results.md', import.meta.url), `Measured ${new Date().toISOString()} on ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}, ${FLAPS} flaps per size.\n\n${table}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  teardown();
  process.exit(1);
});
