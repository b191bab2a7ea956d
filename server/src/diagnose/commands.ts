/**
 * The commands a report shows (to confirm, or to fix): argument lists joined with shell
 * quoting, so a name with spaces or quotes is copied safely. vethmap never runs them.
 */
import type { Namespace } from '@vethmap/shared';

const SAFE = /^[A-Za-z0-9_.:@%+=,/-]+$/;

/** One word as a POSIX shell reads it back unchanged. */
export function shellWord(word: string): string {
  if (SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function shellLine(args: readonly string[]): string {
  return args.map(shellWord).join(' ');
}

/** How a command enters a namespace: nothing for the root, `ip netns exec` for named ones, nsenter otherwise. */
function enter(ns: Namespace, path: string | null): string[] {
  if (ns.kind === 'root') return [];
  if (ns.kind === 'named') return ['ip', 'netns', 'exec', ns.name];
  if (ns.pid !== null) return ['nsenter', '-t', String(ns.pid), '-n'];
  return ['nsenter', `--net=${path ?? '?'}`];
}

/** Builds commands for one namespace. */
export class Commands {
  constructor(private readonly ns: Namespace, private readonly path: string | null) {}

  /** `ip ARGS` in the namespace (`ip -n NAME ARGS` for named ones, as users type it). */
  ip(...args: string[]): string {
    if (this.ns.kind === 'named') return shellLine(['ip', '-n', this.ns.name, ...args]);
    return shellLine([...enter(this.ns, this.path), 'ip', ...args]);
  }

  /** `bridge ARGS` in the namespace. */
  bridge(...args: string[]): string {
    if (this.ns.kind === 'named') return shellLine(['bridge', '-n', this.ns.name, ...args]);
    return shellLine([...enter(this.ns, this.path), 'bridge', ...args]);
  }

  /** Any other program run inside the namespace (sysctl, nft, iptables). */
  run(...args: string[]): string {
    return shellLine([...enter(this.ns, this.path), ...args]);
  }
}
