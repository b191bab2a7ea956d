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
  /** `node -e 0`: the floor any Node CLI pays. */
  nodeMs: number;
  versionMs: number;
  /** `vethmap peer eth0 --netns NS` vs `ip -n NS link show eth0`. */
  peerMs: number;
  ipPeerMs: number;
  /** `vethmap peer PORT` (root end, no --netns: searches every namespace, then asks nsids). */
  peerSearchMs: number;
  /** `vethmap snapshot` vs `ip -all netns exec ip -j -d addr show`. */
  snapshotMs: number;
  ipSnapshotMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/**
 * Wall time of one whole process, ms, its output thrown away (/dev/null costs both sides
 * the same); fails loudly if it does not exit 0 within 5 minutes. No pipes: `ip -all netns
 * exec` once hung here with grandchildren holding them, and a pipe held open keeps
 * spawnSync waiting past its timeout.
 */
function once(cmd: string, args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 300_000 });
  const ms = performance.now() - t0;
  const failed = r.error?.message ?? (r.status !== 0 ? `exit ${r.status ?? r.signal}` : null);
  // `ip -all netns exec` fails when any namespace vanishes mid-run (other runs on a shared
  // host delete theirs): its time still counts. Anything else failing is a broken bench.
  if (failed && !(cmd === 'ip' && args[0] === '-all' && r.status !== null)) throw new Error(`${cmd} ${args.join(' ')} failed (${failed}): run it by hand to see why`);
  if (failed) console.error(`note: ${cmd} ${args.join(' ')} exited ${r.status} (a namespace went away mid-run?)`);
  return ms;
}

/** Medians of `runs` interleaved runs of each command: a, b, a, b, … */
function interleaved(runs: number, commands: ReadonlyArray<readonly [string, readonly string[]]>): number[] {
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) commands.forEach(([cmd, args], k) => times[k]!.push(once(cmd, args)));
  return times.map(median);
}

const node = process.execPath;

/**
 * Times the CLI on a host that holds `n` bench namespaces; `netns` is one of them (its eth0
 * is a veth to `rootPort` in the root namespace).
 */
export function benchCli(n: number, netns: string, rootPort: string): CliRow {
  if (!readFileSync(CLI, 'utf8').includes('./chunks/')) {
    console.error(`warning: ${CLI} is not the bundled CLI (run \`npm run build\`): timing tsc's output`);
  }
  // Not timed: the answers must be right, or the times mean nothing.
  const out = spawnSync(node, [CLI, 'peer', 'eth0', '--netns', netns], { encoding: 'utf8' }).stdout;
  if (!out.includes(`peer: "${rootPort}" in namespace "root"`)) throw new Error(`vethmap peer gave a wrong answer:\n${out}`);
  const back = spawnSync(node, [CLI, 'peer', rootPort], { encoding: 'utf8' }).stdout;
  if (!back.includes(`peer: "eth0" in namespace "${netns}"`)) throw new Error(`vethmap peer (search) gave a wrong answer:\n${back}`);

  const [nodeMs, versionMs, peerMs, ipPeerMs, peerSearchMs] = interleaved(15, [
    [node, ['-e', '0']],
    [node, [CLI, '--version']],
    [node, [CLI, 'peer', 'eth0', '--netns', netns]],
    ['ip', ['-n', netns, 'link', 'show', 'eth0']],
    [node, [CLI, 'peer', rootPort]],
  ]) as [number, number, number, number, number];
  console.error(`${n} namespaces: node -e 0 ${nodeMs.toFixed(0)} ms, --version ${versionMs.toFixed(0)}, peer ${peerMs.toFixed(0)} (ip ${ipPeerMs.toFixed(0)}), peer search ${peerSearchMs.toFixed(0)}; now the snapshots`);
  const [snapshotMs, ipSnapshotMs] = interleaved(3, [
    [node, [CLI, 'snapshot']],
    ['ip', ['-all', 'netns', 'exec', 'ip', '-j', '-d', 'addr', 'show']],
  ]) as [number, number];
  return { n, nodeMs, versionMs, peerMs, ipPeerMs, peerSearchMs, snapshotMs, ipSnapshotMs };
}

const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

export function cliTable(rows: readonly CliRow[]): string {
  return [
    '| namespaces | `node -e 0` | `vethmap --version` | `vethmap peer eth0 --netns NS` / `ip -n NS link show eth0` | `vethmap peer PORT` (search) | `vethmap snapshot` / `ip -all netns exec ip -j -d addr show` | snapshot speed-up |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.n} | ${f(r.nodeMs)} | ${f(r.versionMs)} | ${f(r.peerMs)} / ${f(r.ipPeerMs)} | ${f(r.peerSearchMs)} | ${f(r.snapshotMs)} / ${f(r.ipSnapshotMs)} | ${(r.ipSnapshotMs / r.snapshotMs).toFixed(1)}x |`),
  ].join('\n');
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
