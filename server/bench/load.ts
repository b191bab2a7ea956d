/**
 * Load (issue 8 §3): 50 socket.io clients and one stalled client (a raw websocket that
 * floods `resync`, answers heartbeats blindly and never reads) on one server, while
 * links flap. Measures how long each diff takes to reach each of the 50, and the
 * server's memory (VmRSS from /proc) before and at its peak.
 *
 * `npm run bench` calls `benchLoad` on its own server at each size; alone:
 * `tsx server/bench/load.ts [namespaces]` (root) builds the namespaces (prefix vmb…),
 * starts `vethmap serve`, measures, and removes everything, even on failure.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, Topology, TopologyDiff } from '@vethmap/shared';
import { ip, NetBuilder, RawSocketClient, rssMb, startServe } from '@vethmap/testkit';

export interface LoadOptions {
  /** The server (its URL and pid, for /proc). */
  url: string;
  pid: number;
  /** Named namespaces with an `eth0` to flap, used in turn. */
  netns: readonly string[];
  clients?: number;
  flaps?: number;
  /** Add the stalled client (default true; false gives the same figures without it). */
  stalled?: boolean;
}

export interface LoadResult {
  clients: number;
  flaps: number;
  /** ms from just before `ip link set` to a client receiving the diff, over every client and flap. */
  p50: number;
  p95: number;
  /** ms until the last of the clients had it, p95 over the flaps. */
  allP95: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** Resync frames the stalled client sent; snapshots the server sent in all (connects included). */
  stalledResyncs: number;
  snapshotsSent: number;
  /** Diffs some client never received within 10 s (should be 0). */
  missed: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

export async function benchLoad(options: LoadOptions): Promise<LoadResult> {
  const clients = options.clients ?? 50;
  const flaps = options.flaps ?? 20;
  const rssBeforeMb = rssMb(options.pid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    try { rssPeakMb = Math.max(rssPeakMb, rssMb(options.pid)); } catch { /* gone: the result says so */ }
  }, 20);
  const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  let stalled: RawSocketClient | undefined;
  let pongs: NodeJS.Timeout | undefined;
  try {
    const topology = (await (await fetch(`${options.url}/api/topology`)).json()) as Topology;
    // Each flap flips a link from the state it is in now (the caller may have left some down).
    const links = new Map(options.netns.map((ns) => {
      const id = topology.namespaces.find((n) => n.name === ns)?.id;
      const i = topology.interfaces.find((x) => x.namespace === id && x.name === 'eth0');
      if (!i) throw new Error(`no eth0 in ${ns}`);
      return [ns, { id: i.id, up: i.adminUp }];
    }));
    // Each client only notes when a diff arrives: parsing 50 copies in this process would
    // measure the bench, not the server (socket.io still decodes each one).
    type Waiter = (diff: TopologyDiff, at: number, client: number) => void;
    let waiter: Waiter | null = null;
    await Promise.all(
      Array.from({ length: clients }, (_, c) => {
        const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(options.url, { transports: ['websocket'], forceNew: true });
        sockets.push(s);
        s.on('diff', (d) => waiter?.(d, performance.now(), c));
        return new Promise<void>((resolve) => s.once('snapshot', () => resolve()));
      }),
    );
    if (options.stalled ?? true) stalled = await RawSocketClient.open(options.url);
    const raw = stalled;
    if (raw) pongs = setInterval(() => raw.send('3'), 1000);
    let stalledResyncs = 0;
    const flood = (): void => {
      if (!raw) return;
      for (let i = 0; i < 1000; i++) raw.send('42["resync"]');
      stalledResyncs += 1000;
    };
    flood();

    const latencies: number[] = [];
    const all: number[] = [];
    let missed = 0;
    for (let k = 0; k < flaps; k++) {
      const ns = options.netns[k % options.netns.length]!;
      const link = links.get(ns)!;
      const { id } = link;
      const up = (link.up = !link.up);
      const got = new Set<number>();
      let t0 = 0;
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(() => { missed++; resolve(); }, 10_000);
        waiter = (d, at, c) => {
          if (got.has(c) || !d.interfaces.upsert.some((i) => i.id === id && i.adminUp === up)) return;
          got.add(c);
          latencies.push(at - t0);
          if (got.size === clients) {
            clearTimeout(timer);
            all.push(at - t0);
            resolve();
          }
        };
      });
      t0 = performance.now();
      execFileSync('ip', ['-n', ns, 'link', 'set', 'eth0', up ? 'up' : 'down']);
      await done;
      waiter = null;
      flood();
      await new Promise((r) => setTimeout(r, 50));
    }
    const metrics = await (await fetch(`${options.url}/metrics`)).text();
    const snapshotsSent = Number(/^vethmap_snapshots_sent_total (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    return { clients, flaps, p50: pct(latencies, 50), p95: pct(latencies, 95), allP95: pct(all, 95), rssBeforeMb, rssPeakMb, stalledResyncs, snapshotsSent, missed };
  } finally {
    clearInterval(sampler);
    clearInterval(pongs);
    stalled?.close();
    for (const s of sockets) s.close();
  }
}

/** The table's header and one row per size, for bench.ts and the standalone run. */
export const LOAD_HEADER = [
  '| namespaces | clients + stalled | diff → each client p50 / p95 (ms) | → all clients p95 (ms) | server RSS before / peak (MB) | stalled client: resyncs sent / snapshots sent in all |',
  '|---:|---:|---:|---:|---:|---:|',
];
export function loadRow(n: number, r: LoadResult): string {
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  return `| ${n} | ${r.clients} + 1 | ${f(r.p50)} / ${f(r.p95)} | ${f(r.allP95)} | ${f(r.rssBeforeMb)} / ${f(r.rssPeakMb)} | ${r.stalledResyncs} / ${r.snapshotsSent}${r.missed ? ` (${r.missed} diffs missed)` : ''} |`;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the load bench builds namespaces: run it as root');
  const n = Number(process.argv[2] ?? 100);
  const net = new NetBuilder('vmb');
  const names = Array.from({ length: n }, (_, i) => net.nsName(`l${i}`));
  const teardown = (): void => {
    try { ip(['-force', '-batch', '-'], `${names.map((x) => `netns del ${x}`).join('\n')}\n`); } catch { /* cleanup() finishes */ }
    net.cleanup();
  };
  process.once('SIGINT', () => { teardown(); process.exit(130); });
  try {
    const br = net.name('br');
    const root = [`link add ${br} type bridge`, `link set ${br} up`];
    names.forEach((ns, i) => root.push(`netns add ${ns}`, `link add ${net.name(`l${i}`)} type veth peer name eth0 netns ${ns}`, `link set ${net.name(`l${i}`)} master ${br}`, `link set ${net.name(`l${i}`)} up`));
    net.batch(root);
    const server = await startServe([], { timeoutMs: 120_000 });
    try {
      const r = await benchLoad({ url: server.url, pid: server.child.pid!, netns: names });
      console.log([...LOAD_HEADER, loadRow(n, r)].join('\n'));
    } finally {
      await server.stop();
    }
  } finally {
    teardown();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
