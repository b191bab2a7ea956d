/**
 * `npm run bench`: builds 10, 100 and 1000 namespaces (each a veth to a root bridge, with
 * an address), then measures vethmap against iproute2 in the same run and prints a table.
 * Run as root. Everything it builds starts with `vmb` and is removed, even on failure.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TopologyDiff } from '@vethmap/shared';
import { ip, NetBuilder, startServe } from '@vethmap/testkit';
import { snapshotOnce } from '../src/engine/snapshot.js';

const net = new NetBuilder('vmb');
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const FLAPS = Number(process.env.BENCH_FLAPS ?? 100);

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

const nsName = (i: number): string => net.nsName(`ns${i}`);

function build(n: number): void {
  const br = net.name('br');
  const root: string[] = [`link add ${br} type bridge`, `link set ${br} up`];
  for (let i = 0; i < n; i++) {
    const port = net.name(`v${i}`);
    root.push(`netns add ${nsName(i)}`, `link add ${port} type veth peer name eth0 netns ${nsName(i)}`, `link set ${port} master ${br}`, `link set ${port} up`);
  }
  net.batch(root);
  for (let i = 0; i < n; i++) {
    net.batch([`addr add 10.200.${((i + 1) >> 8) & 255}.${(i + 1) & 255}/8 dev eth0`, 'link set eth0 up', 'link set lo up'], nsName(i));
  }
}

/** Removes everything the bench built; `ip -force -batch` first, as 1000 `netns del` processes take long. */
function teardown(): void {
  const names = net.leftovers().filter((x) => x.startsWith(`${net.prefix}-`));
  if (names.length) {
    try { ip(['-force', '-batch', '-'], `${names.map((x) => `netns del ${x}`).join('\n')}\n`); } catch { /* -force goes on; cleanup() finishes */ }
  }
  net.cleanup();
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
}

interface Row {
  n: number; vethmapMs: number; iprouteMs: number; rssMb: number; p50: number; p95: number; idleCpu: number;
  browser?: { firstPictureMs: number; clickPeerMs: number; firstClickMs: number; diffDrawnMs: number; pngMs: number; pngBytes: number; pngWidth: number; pngHeight: number } | undefined;
}

async function measure(n: number): Promise<Row> {
  teardown();
  build(n);
  const vethmapMs = await timeAsync(() => snapshotOnce(), 5);
  const iprouteMs = time(() => ip(['-all', 'netns', 'exec', 'ip', '-j', '-d', 'addr', 'show']), 3);

  const server = await startServe(['--log-level', 'info']);
  const { child, url } = server;
  const sock: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'] });
  try {
    await new Promise<void>((r) => sock.once('snapshot', () => r()));
    const latencies: number[] = [];
    for (let k = 0; k < FLAPS; k++) {
      const target = nsName(k % n);
      const state = Math.floor(k / n) % 2 === 0 ? 'down' : 'up';
      const got = new Promise<number>((resolve) => {
        const on = (d: TopologyDiff): void => {
          if (d.interfaces.upsert.some((i) => i.name === 'eth0' && i.adminUp === (state === 'up'))) {
            sock.off('diff', on);
            resolve(performance.now());
          }
        };
        sock.on('diff', on);
      });
      // From just before `ip` starts (so its own start-up, ~2 ms, is included) to the diff.
      const t0 = performance.now();
      execFileSync('ip', ['-n', target, 'link', 'set', 'eth0', state]);
      latencies.push((await got) - t0);
    }
    // Idle: no changes for 10 s while the /proc re-list keeps running.
    await new Promise((r) => setTimeout(r, 1000));
    const c0 = cpuTicks(child.pid!);
    await new Promise((r) => setTimeout(r, 10_000));
    const idleCpu = (cpuTicks(child.pid!) - c0) / 10; // ticks/s = % of one core
    const rss = rssMb(child.pid!);

    let browser: Row['browser'];
    if (n >= 100 && !process.env.BENCH_NO_BROWSER) {
      try {
        browser = benchBrowser(url, nsName(0));
      } catch (err) {
        console.error(`browser figures unavailable at ${n}: ${(err as Error).message}`);
      }
    }
    return { n, vethmapMs, iprouteMs, rssMb: rss, p50: median(latencies), p95: pct(latencies, 95), idleCpu, browser };
  } finally {
    sock.close();
    await server.stop();
  }
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
    `| namespaces | vethmap full snapshot (ms) | \`ip -all netns exec ip -j -d addr show\` (ms) | speed-up | server RSS (MB) | event → socket.io diff p50 / p95 (ms) | idle CPU (% of a core) |`,
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.n} | ${f(r.vethmapMs)} | ${f(r.iprouteMs)} | ${f(r.iprouteMs / r.vethmapMs)}x | ${f(r.rssMb)} | ${f(r.p50)} / ${f(r.p95)} | ${f(r.idleCpu, 2)} |`),
  ];
  const withBrowser = rows.filter((r) => r.browser);
  if (withBrowser.length) {
    lines.push('', '| namespaces | first picture (ms) | click → peer highlighted, median of 5 / first (ms) | live diff drawn (ms) | PNG export (ms) | PNG size |', '|---:|---:|---:|---:|---:|---:|');
    for (const r of withBrowser) {
      const b = r.browser!;
      lines.push(`| ${r.n} | ${f(b.firstPictureMs, 0)} | ${f(b.clickPeerMs, 0)} / ${f(b.firstClickMs, 0)} | ${f(b.diffDrawnMs, 0)} | ${f(b.pngMs, 0)} | ${b.pngWidth}×${b.pngHeight} px, ${f(b.pngBytes / 1e6, 1)} MB |`);
    }
  }
  const table = lines.join('\n');
  console.log(table);
  writeFileSync(new URL('../../docs/bench-results.md', import.meta.url), `Measured ${new Date().toISOString()} on ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}, ${FLAPS} flaps per size.\n\n${table}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  teardown();
  process.exit(1);
});
