import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureHostState, diffHostState, dockerCgroups, dockerMounts, dockerRunEntries, mountsUnder, RUN_DIR, RUN_DOCKER, type HostState } from './host-state.js';
import { run, runFull, succeeds, type RunOptions } from './run.js';

/**
 * Debian's docker CLI (docker.io, as scripts/test.sh installs it) when present: a newer
 * CLI elsewhere on PATH may lack the BuildKit plugin (buildx) that CLI 23+ requires.
 */
export const DOCKER_CLI = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

/** Serialises runs of the Docker tests on one host: one run must not stop the engine another uses. */
const LOCK = path.join(RUN_DIR, 'vethmap-docker-test.lock');
/** The dockerd a run started, written before it changes anything: a run that died is cleaned up by the next. */
const STATE = path.join(RUN_DIR, 'vethmap-docker-test.json');

/** A dockerd this test started, and the host as it was before. */
interface Daemon {
  pid: number | null;
  dir: string;
  before: HostState;
  /** The mount point made shared for rslave, to make private again. */
  madeShared: string | null;
}

/**
 * The flags of a dockerd this test starts: none of them changes what vethmap sees (docker0,
 * user bridges, veths, namespaces under /run/docker/netns are all there), and together they
 * keep dockerd away from the host's firewall and forwarding, which other tests on the same
 * host rely on and which dockerd would leave changed after it stops: no iptables rules, no
 * FORWARD policy DROP, ip_forward untouched. Without NAT, a container on a bridge cannot
 * reach the network, so image builds run with `--network host`.
 */
const DOCKERD_FLAGS = ['--iptables=false', '--ip6tables=false', '--ip-forward=false', '--ip-masq=false'];

export interface EngineReport {
  /** How long dockerd took to answer, ms (0 when one was running already). */
  startMs: number;
  /** How long stopping it, and removing what it left (its data root mostly), took, ms. */
  stopMs: number;
  cleanMs: number;
  /** What stayed on the host after close() (empty when nothing did). */
  leftovers: string[];
}

/**
 * A real Docker engine for a test: the one running on this host, or, when none answers,
 * a dockerd started here (data root in a temporary folder) and stopped again by `close()`,
 * which also removes what dockerd leaves behind and reports anything that stayed.
 */
export class DockerEngine {
  private constructor(
    /** Set when this test started dockerd. */
    private readonly daemon: Daemon | null,
    readonly report: EngineReport,
  ) {}

  get startedHere(): boolean {
    return this.daemon !== null;
  }

  /** Opens the engine, starting dockerd if none answers; waits up to `lockWaitMs` for another run to finish. */
  static async open(options: { lockWaitMs?: number; startTimeoutMs?: number } = {}): Promise<DockerEngine> {
    await acquireLock(options.lockWaitMs ?? 10 * 60_000);
    try {
      await recoverAbandoned();
      if (await succeeds(DOCKER_CLI, ['version'], { timeoutMs: 10_000 })) return new DockerEngine(null, { startMs: 0, stopMs: 0, cleanMs: 0, leftovers: [] });
      return await DockerEngine.start(options.startTimeoutMs ?? 60_000);
    } catch (err) {
      releaseLock();
      throw err;
    }
  }

  private static async start(timeoutMs: number): Promise<DockerEngine> {
    const t0 = Date.now();
    const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-dockerd-'));
    const daemon: Daemon = { pid: null, dir, before: await captureHostState([dir]), madeShared: null };
    const record = () => writeFileSync(STATE, JSON.stringify(daemon));
    record();
    // Compose mounts /var/run/docker/netns with rslave propagation, which Docker accepts only
    // from a shared (or slave) mount. systemd makes every mount shared at boot; a host
    // without it (these CI VMs) has a private /, and Docker refuses ("is mounted on / but it
    // is not a shared or slave mount"). Make the mount holding /run/docker shared, as
    // systemd would, and private again in close(). Not recursive: nothing else changes.
    const holder = (await run('findmnt', ['-n', '-o', 'TARGET', '--target', RUN_DIR])).trim();
    if (!/shared|slave/.test(await propagation(holder))) {
      daemon.madeShared = holder;
      record();
      await run('mount', ['--make-shared', holder]);
    }
    // The data root on a tmpfs where memory allows (~2.5 GB at the peak of the Docker test):
    // layers are written and, above all, deleted much faster than on a disk mounted with
    // `discard` (removing the data root from disk took ~80 s on a loaded CI VM).
    const data = path.join(dir, 'data');
    mkdirSync(data);
    if (memAvailable() >= 10 * 2 ** 30) await run('mount', ['-t', 'tmpfs', '-o', 'size=6g,mode=0710', 'vethmap-dockerd', data]);
    const log = openSync(path.join(dir, 'dockerd.log'), 'a');
    const child = spawn('dockerd', ['--data-root', data, '--pidfile', path.join(dir, 'dockerd.pid'), ...DOCKERD_FLAGS], { stdio: ['ignore', log, log] });
    closeSync(log);
    daemon.pid = child.pid ?? null;
    record();
    const engine = new DockerEngine(daemon, { startMs: 0, stopMs: 0, cleanMs: 0, leftovers: [] });
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`cannot start dockerd (Debian package docker.io): ${e.message}`)));
      child.once('exit', (code) => reject(new Error(`dockerd exited (${code}):\n${engine.log()}`)));
    });
    exited.catch(() => undefined);
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await Promise.race([succeeds(DOCKER_CLI, ['version'], { timeoutMs: 5000 }), exited])) break;
        if (Date.now() > deadline) throw new Error(`dockerd did not answer within ${timeoutMs} ms:\n${engine.log()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } catch (err) {
      await engine.close();
      throw err;
    }
    engine.report.startMs = Date.now() - t0;
    return engine;
  }

  /** The last lines dockerd logged (when started here). */
  log(): string {
    if (!this.daemon) return '';
    try {
      return readFileSync(path.join(this.daemon.dir, 'dockerd.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '';
    }
  }

  /** `docker ARGS` (BuildKit on), resolving with stdout. */
  docker(args: readonly string[], options: RunOptions = {}): Promise<string> {
    return run(DOCKER_CLI, args, { ...options, env: { ...(options.env ?? process.env), DOCKER_BUILDKIT: '1' } });
  }

  /** `docker ARGS`, resolving with stdout and stderr. */
  dockerFull(args: readonly string[], options: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
    return runFull(DOCKER_CLI, args, { ...options, env: { ...(options.env ?? process.env), DOCKER_BUILDKIT: '1' } });
  }

  /**
   * Stops dockerd if this test started it and removes what it left: its mounts (the root
   * namespace's `netns/default` bind mount outlives dockerd), docker0, what it added under
   * /run/docker, its other run files, /etc/docker/key.json, the data root; restores the
   * propagation it changed. Never throws; the report's `leftovers` lists whatever differs
   * from the host as it was found. Safe to call twice.
   */
  async close(): Promise<EngineReport> {
    if (this.daemon && existsSync(this.daemon.dir)) Object.assign(this.report, await undo(this.daemon));
    releaseLock();
    return this.report;
  }
}

/** Stops a dockerd this test started and removes what it left; returns what still differs from `before`. */
async function undo(d: Daemon): Promise<Pick<EngineReport, 'leftovers' | 'stopMs' | 'cleanMs'>> {
  const t0 = Date.now();
  if (d.pid !== null) await stopDockerd(d.pid, 30_000);
  const t1 = Date.now();
  for (const m of dockerMounts([d.dir]).sort((a, b) => b.length - a.length)) {
    if (!(await succeeds('umount', [m]))) await succeeds('umount', ['-l', m]);
  }
  // --one-file-system: never delete through a mount that survived.
  const rm = (p: string) => succeeds('rm', ['-rf', '--one-file-system', p]);
  for (const e of dockerRunEntries()) if (!d.before.runDocker.includes(e)) await rm(path.join(RUN_DOCKER, e));
  // The folders only if they were not there before (other tests imitating Docker's folder
  // make them too), and only when empty: other tests may keep netns files there.
  for (const f of [path.join(RUN_DOCKER, 'netns'), RUN_DOCKER]) if (!d.before.paths.includes(f)) await succeeds('rmdir', [f]);
  // Cgroups, deepest first; rmdir removes only those no process is in.
  for (const c of dockerCgroups()) if (!(d.before.cgroups ?? []).includes(c)) await succeeds('rmdir', [c]);
  for (const p of [`${RUN_DIR}/docker.sock`, `${RUN_DIR}/docker.pid`, `${RUN_DIR}/containerd`, '/etc/docker/key.json']) {
    if (!d.before.paths.includes(p)) await rm(p);
  }
  if (!d.before.links.includes('docker0')) await succeeds('ip', ['link', 'del', 'docker0']);
  if (d.madeShared) await succeeds('mount', ['--make-private', d.madeShared]);
  if (mountsUnder([d.dir]).length === 0) await rm(d.dir);
  const leftovers = diffHostState(d.before, await captureHostState([d.dir]));
  if (d.madeShared && /shared/.test(await propagation(d.madeShared).catch(() => 'unknown'))) leftovers.push(`${d.madeShared} still shared`);
  if (existsSync(d.dir)) leftovers.push(`${d.dir} (mounts left under it)`);
  rmSync(STATE, { force: true });
  return { leftovers, stopMs: t1 - t0, cleanMs: Date.now() - t1 };
}

/** A run that died left its state file: stop its dockerd and clean up after it, as its close() would have. */
async function recoverAbandoned(): Promise<void> {
  let d: Daemon;
  try {
    d = JSON.parse(readFileSync(STATE, 'utf8')) as Daemon;
  } catch {
    return;
  }
  const { leftovers: left } = await undo(d);
  if (left.length) console.warn(`cleaned up after an abandoned Docker test run; still differing: ${left.join('; ')}`);
}

function memAvailable(): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSyncSafe('/proc/meminfo'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function propagation(mountPoint: string): Promise<string> {
  return (await run('findmnt', ['-n', '-o', 'PROPAGATION', '--mountpoint', mountPoint])).trim();
}

/** SIGTERM (SIGKILL after `ms`) to a dockerd, and waits until it is gone (or a zombie nobody reaps). */
async function stopDockerd(pid: number, ms: number): Promise<void> {
  const comm = () => readFileSyncSafe(`/proc/${pid}/comm`).trim();
  const alive = () => {
    const stat = readFileSyncSafe(`/proc/${pid}/stat`);
    return stat !== '' && !/^\d+ \([^)]*\) Z/.test(stat);
  };
  if (comm() !== 'dockerd') return; // gone, or the pid is someone else's now
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + ms;
  while (alive()) {
    if (Date.now() > deadline) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let lockHeld = false;

/** An O_EXCL lock file holding our pid; a lock whose pid is gone is stale and taken over. */
async function acquireLock(waitMs: number): Promise<void> {
  if (lockHeld) throw new Error('the Docker engine is already open in this process');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      lockHeld = true;
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSyncSafe(LOCK));
    if (!holder || !existsSync(`/proc/${holder}`)) {
      try { unlinkSync(LOCK); } catch { /* another waiter took it over first */ }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another Docker test run (pid ${holder}) held ${LOCK} for ${waitMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function releaseLock(): void {
  if (!lockHeld) return;
  lockHeld = false;
  rmSync(LOCK, { force: true });
}

function readFileSyncSafe(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
