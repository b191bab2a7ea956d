import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PREFIX = 'vme2e-';

/**
 * Real namespaces and links for a test, all named with `vme2e-<suffix>…` so that cleanup
 * (and the leak check) can find every last one. Commands are argument arrays: no shell.
 */
export class Lab {
  /** Short: interface names are limited to 15 bytes (IFNAMSIZ - 1). */
  readonly tag = randomBytes(2).toString('hex');
  private readonly namespaces = new Set<string>();
  private readonly rootLinks = new Set<string>();

  /** `vme2e-<tag><suffix>`; keep suffixes to ≤ 5 chars for interface names. */
  name(suffix: string): string {
    const n = `${PREFIX}${this.tag}${suffix}`;
    return n;
  }

  async ip(...args: string[]): Promise<string> {
    const { stdout } = await run('ip', args);
    return stdout;
  }

  async addNamespace(name: string): Promise<string> {
    await this.ip('netns', 'add', name);
    this.namespaces.add(name);
    return name;
  }

  /**
   * A veth pair with `a` in namespace `nsA` (null: root) and `b` in `nsB`, both up. Created
   * directly in place (`ip link add A netns X type veth peer name B netns Y`) so that a
   * name like eth0 never collides with the host's own eth0 on the way.
   */
  async addVeth(a: string, nsA: string | null, b: string, nsB: string | null): Promise<void> {
    await this.ip('link', 'add', a, ...(nsA ? ['netns', nsA] : []), 'type', 'veth', 'peer', 'name', b, ...(nsB ? ['netns', nsB] : []));
    if (!nsA) this.rootLinks.add(a);
    if (!nsB) this.rootLinks.add(b);
    await this.ip(...(nsA ? ['-n', nsA] : []), 'link', 'set', a, 'up');
    await this.ip(...(nsB ? ['-n', nsB] : []), 'link', 'set', b, 'up');
  }

  async addBridge(name: string): Promise<void> {
    await this.ip('link', 'add', name, 'type', 'bridge');
    this.rootLinks.add(name);
    await this.ip('link', 'set', name, 'up');
  }

  async setDown(name: string, ns: string | null): Promise<void> {
    await this.ip(...(ns ? ['-n', ns] : []), 'link', 'set', name, 'down');
  }

  /** Deletes everything this lab made; never throws, so it is safe in afterAll. */
  async cleanup(): Promise<void> {
    for (const ns of this.namespaces) await this.ip('netns', 'del', ns).catch(() => undefined);
    // Links left in root (a veth whose namespace went takes its peer with it; bridges stay).
    for (const l of this.rootLinks) await this.ip('link', 'del', l).catch(() => undefined);
    this.namespaces.clear();
    this.rootLinks.clear();
  }
}

/** Whatever carries the prefix, anywhere: must be empty after a test file. */
export async function leftovers(): Promise<string[]> {
  const { stdout: ns } = await run('ip', ['netns', 'list']);
  const { stdout: links } = await run('ip', ['-o', 'link', 'show']);
  return [...ns.split('\n'), ...links.split('\n')].filter((l) => l.includes(PREFIX));
}
