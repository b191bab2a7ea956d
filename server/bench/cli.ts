/**
 * The CLI as a user meets it: whole `vethmap` processes, timed beside the `ip` commands
 * that answer the same question, in the same run and interleaved (so a busy machine slows
 * both alike). Called by bench.ts at each size; alone: `tsx server/bench/cli.ts 300`
 * (builds that many namespaces like bench.ts, prefix `vmc`, and removes them).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, ip, NetBuilder } from '@vethmap/testkit';

export interface CliRow {
  n: number;
  /** `node -e 0`: the floor any Node CLI pays (with the environment as it is). */
  nodeMs: number;
  /** `vethmap …` below: the bin executed as a user runs it (its launcher; see withCaCerts). */
  versionMs: number;
  /** `vethmap peer eth0 --netns NS` vs `ip -n NS link show eth0`. */
  peerMs: number;
  ipPeerMs: number;
  /** `vethmap peer PORT` (root end, no --netns: searches every namespace, then asks nsids). */
  peerSearchMs: number;
  /** 90th percentiles of the same runs (a shared machine's slow runs show here, not in the medians). */
  p90: { nodeMs: number; versionMs: number; peerMs: number; ipPeerMs: number; peerSearchMs: number };
  /**
   * When NODE_EXTRA_CA_CERTS is set (it is on the machines these were measured on), every
   * Node process parses that bundle before running a line of JS (~400M of the 500M
   * instructions of `node -e 0` for Debian's 140 roots). The bin's launcher starts Node
   * without it; `node server/dist/cli.js` (npm start, the image) keeps it: `node -e 0`
   * without it, and the three commands through `node`, medians.
   */
  withCaCerts: { bareNodeMs: number; versionMs: number; peerMs: number; snapshotMs: number } | null;
  /** `vethmap snapshot` vs `ip -all netns exec ip -j -d addr show`. */
  snapshotMs: number;
  ipSnapshotMs: number;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/**
 * Wall time of one whole process, ms, its output thrown away (/dev/null costs both sides
 * the same); fails loudly if it does not exit 0 within 5 minutes. No pipes: `ip -all netns
 * exec` once hung here with grandchildren holding them, and a pipe held open keeps
 * spawnSync waiting past its timeout.
 */
function once(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 300_000, env });
  const ms = performance.now() - t0;
  const failed = r.error?.message ?? (r.status !== 0 ? `exit ${r.status ?? r.signal}` : null);
  // `ip -all netns exec` fails when any namespace vanishes mid-run (other runs on a shared
  // host delete theirs): its time still counts. Anything else failing is a broken bench.
  if (failed && !(cmd === 'ip' && args[0] === '-all' && r.status !== null)) throw new Error(`${cmd} ${args.join(' ')} failed (${failed}): run it by hand to see why`);
  if (failed) console.error(`note: ${cmd} ${args.join(' ')} exited ${r.status} (a namespace went away mid-run?)`);
  return ms;
}

type Command = readonly [string, readonly string[], NodeJS.ProcessEnv?];

/** Median and 90th percentile of `runs` interleaved runs of each command: a, b, a, b, … */
function interleaved(runs: number, commands: readonly Command[]): Array<{ median: number; p90: number }> {
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) commands.forEach(([cmd, args, env], k) => times[k]!.push(once(cmd, args, env)));
  return times.map((t) => ({ median: quantile(t, 0.5), p90: quantile(t, 0.9) }));
}

const node = process.execPath;

/**
 * Times the CLI on a host that holds `n` bench namespaces; `netns` is one of them (its eth0
 * is a veth to `rootPort` in the root namespace).
 */
export function benchCli(n: number, netns: string, rootPort: string): CliRow {
  // The bundle's dist/cli.js answers --version and imports the commander program, dist/program.js.
  if (!readFileSync(CLI, 'utf8').includes('./program.js')) {
    console.error(`warning: ${CLI} is not the bundled CLI (run \`npm run build\`): timing tsc's output`);
  }
  // Not timed: the answers must be right, or the times mean nothing.
  const out = spawnSync(CLI, ['peer', 'eth0', '--netns', netns], { encoding: 'utf8' }).stdout;
  if (!out.includes(`peer: "${rootPort}" in namespace "root"`)) throw new Error(`vethmap peer gave a wrong answer:\n${out}`);
  const back = spawnSync(CLI, ['peer', rootPort], { encoding: 'utf8' }).stdout;
  if (!back.includes(`peer: "eth0" in namespace "${netns}"`)) throw new Error(`vethmap peer (search) gave a wrong answer:\n${back}`);

  // 21 runs: the medians and p90s of a shared 2-core machine need that many.
  const caSet = !!process.env.NODE_EXTRA_CA_CERTS;
  const noCa = { ...process.env, NODE_EXTRA_CA_CERTS: undefined };
  const peerArgs = ['peer', 'eth0', '--netns', netns];
  const [node0, version, peer, ipPeer, search, ...viaNode] = interleaved(21, [
    [node, ['-e', '0']],
    [CLI, ['--version']],
    [CLI, peerArgs],
    ['ip', ['-n', netns, 'link', 'show', 'eth0']],
    [CLI, ['peer', rootPort]],
    ...(caSet ? ([[node, ['-e', '0'], noCa], [node, [CLI, '--version']], [node, [CLI, ...peerArgs]]] as const) : []),
  ]);
  const [nodeMs, versionMs, peerMs, ipPeerMs, peerSearchMs] = [node0!, version!, peer!, ipPeer!, search!].map((t) => t.median) as [number, number, number, number, number];
  const p90 = { nodeMs: node0!.p90, versionMs: version!.p90, peerMs: peer!.p90, ipPeerMs: ipPeer!.p90, peerSearchMs: search!.p90 };
  console.error(`${n} namespaces: node -e 0 ${nodeMs.toFixed(0)} ms, --version ${versionMs.toFixed(0)}, peer ${peerMs.toFixed(0)} (ip ${ipPeerMs.toFixed(0)}), peer search ${peerSearchMs.toFixed(0)}; now the snapshots`);
  const [snapshot, ipSnapshot, snapshotViaNode] = interleaved(3, [
    [CLI, ['snapshot']],
    ['ip', ['-all', 'netns', 'exec', 'ip', '-j', '-d', 'addr', 'show']],
    ...(caSet ? ([[node, [CLI, 'snapshot']]] as const) : []),
  ]);
  const withCaCerts = viaNode.length === 3 && snapshotViaNode ? { bareNodeMs: viaNode[0]!.median, versionMs: viaNode[1]!.median, peerMs: viaNode[2]!.median, snapshotMs: snapshotViaNode.median } : null;
  const snapshotMs = snapshot!.median;
  const ipSnapshotMs = ipSnapshot!.median;
  return { n, nodeMs, versionMs, peerMs, ipPeerMs, peerSearchMs, p90, withCaCerts, snapshotMs, ipSnapshotMs };
}

const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

export function cliTable(rows: readonly CliRow[]): string {
  const lines = [
    '| namespaces | `node -e 0` | `vethmap --version` | `vethmap peer eth0 --netns NS` / `ip -n NS link show eth0` | `vethmap peer PORT` (search) | `vethmap snapshot` / `ip -all netns exec ip -j -d addr show` | snapshot speed-up |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.n} | ${f(r.nodeMs)} | ${f(r.versionMs)} | ${f(r.peerMs)} / ${f(r.ipPeerMs)} | ${f(r.peerSearchMs)} | ${f(r.snapshotMs)} / ${f(r.ipSnapshotMs)} | ${(r.ipSnapshotMs / r.snapshotMs).toFixed(1)}x |`),
    '',
    `p90 of the same runs: ${rows.map((r) => `${r.n}: node ${f(r.p90.nodeMs)}, --version ${f(r.p90.versionMs)}, peer ${f(r.p90.peerMs)} / ip ${f(r.p90.ipPeerMs)}, search ${f(r.p90.peerSearchMs)}`).join('; ')}.`,
  ];
  const ca = rows.filter((r) => r.withCaCerts);
  if (ca.length) {
    lines.push(`\`vethmap\` is the bin executed as a user runs it: its launcher starts Node without NODE_EXTRA_CA_CERTS, which this machine sets and vethmap does not use (no TLS), so Node does not parse those certificates first (docs/cli-startup.md). \`node -e 0\` without it, and \`node server/dist/cli.js\` with it (npm start, the image), medians: ${ca.map((r) => `${r.n}: node ${f(r.withCaCerts!.bareNodeMs)}; through node --version ${f(r.withCaCerts!.versionMs)}, peer ${f(r.withCaCerts!.peerMs)}, snapshot ${f(r.withCaCerts!.snapshotMs)} (${(r.ipSnapshotMs / r.withCaCerts!.snapshotMs).toFixed(1)}x)`).join('; ')}.`);
  }
  return lines.join('\n');
}

/** Alone: build `n` namespaces as bench.ts does (a veth each to a root bridge, an address). */
async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark builds namespaces: run it as root');
  const n = Number(process.argv[2] ?? 300);
  const net = new NetBuilder('vmc');
  const teardown = (): void => {
    const names = net.leftovers().filter((x) => x.startsWith(`${net.prefix}-`));
    if (names.length) {
      try { ip(['-force', '-batch', '-'], `${names.map((x) => `netns del ${x}`).join('\n')}\n`); } catch { /* cleanup() finishes */ }
    }
    net.cleanup();
  };
  process.once('SIGINT', () => { teardown(); process.exit(130); });
  try {
    const br = net.name('br');
    const root = [`link add ${br} type bridge`, `link set ${br} up`];
    for (let i = 0; i < n; i++) {
      root.push(`netns add ${net.nsName(`ns${i}`)}`, `link add ${net.name(`v${i}`)} type veth peer name eth0 netns ${net.nsName(`ns${i}`)}`, `link set ${net.name(`v${i}`)} master ${br}`, `link set ${net.name(`v${i}`)} up`);
    }
    net.batch(root);
    for (let i = 0; i < n; i++) {
      net.batch([`addr add 10.201.${((i + 1) >> 8) & 255}.${(i + 1) & 255}/8 dev eth0`, 'link set eth0 up', 'link set lo up'], net.nsName(`ns${i}`));
    }
    const k = Math.floor(n / 2);
    console.log(cliTable([benchCli(n, net.nsName(`ns${k}`), net.name(`v${k}`))]));
  } finally {
    teardown();
    const left = net.leftovers();
    if (left.length) console.error(`left behind: ${left.join(', ')}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
