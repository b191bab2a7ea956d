import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ip, ipIn, isGone } from './ip.js';

const NETNS_DIR = '/var/run/netns';
const DOCKER_NETNS_DIR = '/var/run/docker/netns';

/**
 * Every builder of this process, cleaned up once more when it exits: a test that times out
 * is abandoned by its runner (SIGTERM) before its own `finally` runs, and its namespaces
 * would outlive the run (a `vfz…-dad` namespace was left so).
 */
const builders = new Set<NetBuilder>();
const cleanupAll = (): void => {
  for (const b of builders) b.cleanup();
};
process.once('exit', cleanupAll);
// Vitest ends a worker whose test timed out with SIGTERM: clean up, then die of it as before.
process.once('SIGTERM', function onTerm() {
  cleanupAll();
  if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
});

/** Where a veth end is created: a netns name, a pid holding a namespace, or the root (null). */
export type Place = string | number | null;

/**
 * The one namespace builder of vethmap's tests, bench, fuzzer and probes: real namespaces,
 * veths and bridges, every name starting with a unique prefix (`<kind><4 hex>`) so that
 * parallel runs and the host never clash. `cleanup()` removes all of it, is safe to call
 * twice and never throws; `leftovers()` lists what survived.
 *
 * Everything it lists is read from the file system (`/var/run/netns`, `/sys/class/net`),
 * never parsed from `ip -j`: iproute2 prints invalid JSON for names holding control bytes.
 */
export class NetBuilder {
  readonly prefix: string;
  private readonly holders = new Map<number, ChildProcess>();

  constructor(kind = 'vmt') {
    if (process.getuid?.() !== 0) throw new Error('these tests build real namespaces: run them as root');
    this.prefix = `${kind}${randomBytes(2).toString('hex')}`;
    builders.add(this);
  }

  /** A unique interface name `<prefix><suffix>`, at most 15 bytes (IFNAMSIZ - 1). */
  name(suffix: string): string {
    const n = `${this.prefix}${suffix}`;
    if (Buffer.byteLength(n) > 15) throw new Error(`name too long for an interface: ${n}`);
    return n;
  }

  /** A unique namespace name `<prefix>-<suffix>` (any bytes but `/`). */
  nsName(suffix: string): string {
    return `${this.prefix}-${suffix}`;
  }

  /** `ip netns add <prefix>-<suffix>`; returns the name. */
  netns(suffix: string): string {
    return this.netnsNamed(this.nsName(suffix));
  }

  /** `ip netns add NAME` for a name made with `nsName` (or any name with this prefix). */
  netnsNamed(name: string): string {
    if (!name.startsWith(this.prefix)) throw new Error(`refusing to create ${JSON.stringify(name)}: not this builder's prefix`);
    ip(['netns', 'add', name]);
    return name;
  }

  /** `ip ARGS` (or `ip -n NS ARGS`). */
  ip(...args: string[]): string {
    return ip(args);
  }

  ipIn(ns: string | null, ...args: string[]): string {
    return ipIn(ns, args);
  }

  /** `ip [-n NS] -batch -`: many commands for one process start. */
  batch(lines: readonly string[], ns: string | null = null): void {
    ip(ns === null ? ['-batch', '-'] : ['-n', ns, '-batch', '-'], `${lines.join('\n')}\n`);
  }

  /**
   * A veth pair created with each end directly where it belongs (`ip link add A netns X type
   * veth peer name B netns Y`), so a name like eth0 never collides with the host's on the way.
   */
  veth(a: string, aIn: Place, b: string, bIn: Place, options: { up?: boolean } = {}): void {
    // `name` and `dev` always spelled out: `ip link add a …` reads `a` as `address`.
    ip(['link', 'add', 'name', a, ...netnsClause(aIn), 'type', 'veth', 'peer', 'name', b, ...netnsClause(bIn)]);
    if (options.up ?? true) {
      this.linkIn(aIn, ['link', 'set', 'dev', a, 'up']);
      this.linkIn(bIn, ['link', 'set', 'dev', b, 'up']);
    }
  }

  /** A bridge, up, in the root namespace (or `ns`). */
  bridge(name: string, ns: string | null = null): void {
    ipIn(ns, ['link', 'add', 'name', name, 'type', 'bridge']);
    ipIn(ns, ['link', 'set', 'dev', name, 'up']);
  }

  /** `ip link set NAME down` wherever it lives. */
  setDown(name: string, ns: string | null): void {
    ipIn(ns, ['link', 'set', 'dev', name, 'down']);
  }

  /** Runs `ip ARGS` inside a place: `-n NAME`, nsenter into a pid, or the root. */
  linkIn(where: Place, args: readonly string[]): string {
    if (typeof where === 'number') {
      return execFileSync('nsenter', [`--net=/proc/${where}/ns/net`, 'ip', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    }
    return ipIn(where, args);
  }

  /** A namespace held only by a process (like a container): `unshare --net sleep`. */
  async processNamespace(): Promise<number> {
    const child = spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' });
    const pid = child.pid;
    if (pid === undefined) throw new Error('cannot start unshare (util-linux)');
    this.holders.set(pid, child);
    // Wait until the child runs in its own namespace (unshare execs sleep after unsharing).
    for (let i = 0; i < 200; i++) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep') return pid;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('unshare did not start');
  }

  kill(pid: number): void {
    this.holders.get(pid)?.kill('SIGKILL');
    this.holders.delete(pid);
  }

  /**
   * A namespace bind-mounted under Docker's folder, as dockerd makes them: from a holder
   * process (`pid`), or from a fresh namespace no process holds (`pid` null).
   * Returns the file name under /var/run/docker/netns.
   */
  dockerNetns(suffix: string, pid: number | null = null): string {
    const name = this.nsName(suffix);
    mkdirSync(DOCKER_NETNS_DIR, { recursive: true });
    const file = path.join(DOCKER_NETNS_DIR, name);
    closeSync(openSync(file, 'a'));
    if (pid !== null) {
      execFileSync('mount', ['--bind', `/proc/${pid}/ns/net`, file], { stdio: 'ignore' });
    } else {
      const tmp = this.netns(`${suffix}t`);
      try {
        execFileSync('mount', ['--bind', path.join(NETNS_DIR, tmp), file], { stdio: 'ignore' });
      } finally {
        ip(['netns', 'del', tmp]);
      }
    }
    return name;
  }

  /** Removes a Docker-folder namespace made by `dockerNetns`. */
  removeDockerNetns(name: string): void {
    if (!name.startsWith(this.prefix)) throw new Error(`refusing to remove ${name}: not this builder's`);
    const file = path.join(DOCKER_NETNS_DIR, name);
    try { execFileSync('umount', [file], { stdio: 'ignore' }); } catch { /* not mounted */ }
    rmSync(file, { force: true });
  }

  /** Everything with this prefix: named and Docker-folder namespaces, root links, holders. Never throws. */
  cleanup(): void {
    for (const child of this.holders.values()) child.kill('SIGKILL');
    this.holders.clear();
    for (const n of mine(DOCKER_NETNS_DIR, this.prefix)) this.removeDockerNetns(n);
    for (const n of mine(NETNS_DIR, this.prefix)) {
      try {
        ip(['netns', 'del', n]);
      } catch (err) {
        if (!isGone(err)) {
          // A stale file whose bind mount is gone: `ip netns del` refuses it.
          try { execFileSync('umount', [path.join(NETNS_DIR, n)], { stdio: 'ignore' }); } catch { /* not mounted */ }
          rmSync(path.join(NETNS_DIR, n), { force: true });
        }
      }
    }
    // Deleting one end of a veth removes both; bridges stay until deleted.
    for (const l of mine('/sys/class/net', this.prefix)) {
      try { ip(['link', 'del', 'dev', l]); } catch { /* gone with its peer */ }
    }
  }

  /** Whatever with this prefix still exists: namespaces, root links, live holder processes. */
  leftovers(): string[] {
    const alive = [...this.holders.keys()].filter((pid) => existsSync(`/proc/${pid}`)).map((pid) => `pid ${pid}`);
    return [...mine(NETNS_DIR, this.prefix), ...mine(DOCKER_NETNS_DIR, this.prefix), ...mine('/sys/class/net', this.prefix), ...alive];
  }
}

function netnsClause(where: Place): string[] {
  return where === null ? [] : ['netns', String(where)];
}

/** Entries of `dir` starting with `prefix` (none when the folder does not exist). */
function mine(dir: string, prefix: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}
