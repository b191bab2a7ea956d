/**
 * `npm run bench`: builds 10, 100 and 1000 namespaces (each a veth to a root bridge, with
 * an address), then measures vethmap against iproute2 in the same run and prints a table.
 * Run as root. Everything it builds starts with `vmb` and is removed, even on failure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TopologyDiff } from '@vethmap/shared';
import { snapshotOnce } from '../src/engine/scanner.js';

const PREFIX = 'vmb';
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const FLAPS = Number(process.env.BENCH_FLAPS ?? 100);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;

const ipOut = (args: string[], input?: string): string =>
  execFileSync('ip', args, { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });

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

const nsName = (i: number): string => `${PREFIX}-ns${i}`;

function build(n: number): void {
  const root: string[] = [`link add ${PREFIX}br type bridge`, `link set ${PREFIX}br up`];
  for (let i = 0; i < n; i++) {
    root.push(`netns add ${nsName(i)}`, `link add ${PREFIX}v${i} type veth peer name eth0 netns ${nsName(i)}`, `link set ${PREFIX}v${i} master ${PREFIX}br`, `link set ${PREFIX}v${i} up`);
  }
  ipOut(['-batch', '-'], `${root.join('\n')}\n`);
  for (let i = 0; i < n; i++) {
    ipOut(['-n', nsName(i), '-batch', '-'], `addr add 10.200.${((i + 1) >> 8) & 255}.${(i + 1) & 255}/8 dev eth0\nlink set eth0 up\nlink set lo up\n`);
  }
}

function teardown(): void {
  const names = (JSON.parse(ipOut(['-j', 'netns', 'list']) || '[]') as Array<{ name: string }>).map((x) => x.name).filter((x) => x.startsWith(PREFIX));
  if (names.length) {
    try { ipOut(['-force', '-batch', '-'], `${names.map((x) => `netns del ${x}`).join('\n')}\n`); } catch { /* -force goes on; leftovers are checked below */ }
  }
  const links = (JSON.parse(ipOut(['-j', 'link', 'show'])) as Array<{ ifname: string }>).map((l) => l.ifname).filter((x) => x.startsWith(PREFIX));
  for (const l of links) {
    try { ipOut(['link', 'del', l]); } catch { /* a veth goes with its peer */ }
  }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', [cli, 'serve', '--port', '0', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"url":"([^"]+)".*"msg":"listening"/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

interface Row {
  n: number; vethmapMs: number; iprouteMs: number; rssMb: number; p50: number; p95: number; idleCpu: number;
  browser?: { firstPictureMs: number; clickPeerMs: number; firstClickMs: number; diffDrawnMs: number; pngMs: number; pngBytes: number; pngWidth: number; pngHeight: number } | undefined;
}

async function measure(n: number): Promise<Row> {
  teardown();
  build(n);
  const vethmapMs = await timeAsync(() => snapshotOnce(), 5);
  const iprouteMs = time(() => ipOut(['-all', 'netns', 'exec', 'ip', '-j', '-d', 'addr', 'show']), 3);

  const { child, url } = await startServer();
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
        const mod = (await import('../../e2e/bench-browser.js')) as { benchBrowser: (url: string, flap: (k: number) => Promise<void>) => Promise<NonNullable<Row['browser']>> };
        // The latency loop left namespace 0's eth0 down: up, down, up... each a real change.
        browser = await mod.benchBrowser(url, async (k) => { execFileSync('ip', ['-n', nsName(0), 'link', 'set', 'eth0', k % 2 ? 'down' : 'up']); });
      } catch (err) {
        console.error(`browser figures unavailable at ${n}: ${(err as Error).message}`);
      }
    }
    return { n, vethmapMs, iprouteMs, rssMb: rss, p50: median(latencies), p95: pct(latencies, 95), idleCpu, browser };
  } finally {
    sock.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
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
