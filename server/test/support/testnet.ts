import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Runs `ip` with an argument array (never a shell string). */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function ipJson<T = unknown>(...args: string[]): T {
  return JSON.parse(ip('-j', ...args) || '[]') as T;
}

/**
 * Real namespaces, veths and bridges for one test file, every name starting with a
 * unique prefix (`vmt` + 4 hex) so parallel runs and the host never clash. `cleanup()`
 * removes all of it and is safe to call twice; `leftovers()` lists what survived.
 */
export class TestNet {
  readonly prefix = `vmt${randomBytes(2).toString('hex')}`;
  private readonly namespaces = new Set<string>();
  private readonly processes = new Set<ChildProcess>();

  constructor() {
    if (process.getuid?.() !== 0) throw new Error('these tests build real namespaces: run them as root');
  }

  /** A unique name: `<prefix><suffix>`, at most 15 bytes (IFNAMSIZ - 1). */
  name(suffix: string): string {
    const n = `${this.prefix}${suffix}`;
    if (Buffer.byteLength(n) > 15) throw new Error(`name too long for an interface: ${n}`);
    return n;
  }

  netns(suffix: string): string {
    const n = `${this.prefix}-${suffix}`;
    ip('netns', 'add', n);
    this.namespaces.add(n);
    return n;
  }

  /** A namespace held only by a process (like a container): `unshare --net sleep`. */
  async processNamespace(): Promise<number> {
    const child = spawn('unshare', ['--net', 'sleep', '600'], { stdio: 'ignore' });
    this.processes.add(child);
    const pid = child.pid;
    if (pid === undefined) throw new Error('cannot start unshare');
    // Wait until the child runs in its own namespace (unshare execs sleep after unsharing).
    for (let i = 0; i < 100; i++) {
      try {
        const comm = execFileSync('cat', [`/proc/${pid}/comm`], { encoding: 'utf8' }).trim();
        if (comm === 'sleep') return pid;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('unshare did not start');
  }

  kill(pid: number): void {
    for (const p of this.processes) if (p.pid === pid) p.kill('SIGKILL');
  }

  cleanup(): void {
    for (const p of this.processes) p.kill('SIGKILL');
    this.processes.clear();
    for (const n of this.namedNamespaces()) {
      {
        try { ip('netns', 'del', n); } catch { /* already gone */ }
      }
    }
    for (const l of this.rootLinks()) {
      try { ip('link', 'del', l); } catch { /* deleting one end of a veth removes both */ }
    }
    this.namespaces.clear();
  }

  /** Names from `ip -j netns list`: names may hold spaces, so never split text output. */
  private namedNamespaces(): string[] {
    return ipJson<Array<{ name: string }>>('netns', 'list').map((n) => n.name).filter((n) => n.startsWith(this.prefix));
  }

  private rootLinks(): string[] {
    return ipJson<Array<{ ifname: string }>>('link', 'show').map((l) => l.ifname).filter((n) => n.startsWith(this.prefix));
  }

  /** Whatever with this prefix still exists: namespaces and root links. */
  leftovers(): string[] {
    return [...this.namedNamespaces(), ...this.rootLinks()];
  }
}
