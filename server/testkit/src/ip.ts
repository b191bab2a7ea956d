import { execFileSync } from 'node:child_process';

/** A failed `ip` run: its stderr is the kernel's reason ("File exists", "Cannot find device"). */
export class IpError extends Error {
  constructor(readonly argv: readonly string[], readonly stderr: string) {
    super(`ip ${argv.map((a) => JSON.stringify(a)).join(' ')} failed: ${stderr.trim()}`);
    this.name = 'IpError';
  }
}

/**
 * Runs `ip` with an argument array (never a shell string), optionally feeding stdin
 * (`ip -batch -`). LC_ALL=C: error texts are matched by callers and must not be translated.
 * A missing binary is a clear error naming the Debian package.
 */
export function ip(args: readonly string[], input?: string): string {
  try {
    return execFileSync('ip', args, {
      encoding: 'utf8',
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      maxBuffer: 1 << 30,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('the `ip` command was not found: install the Debian package iproute2');
    throw new IpError(args, e.stderr ?? e.message);
  }
}

/** `ip -n NS ARGS`, or plain `ip ARGS` for the root namespace (null). */
export function ipIn(ns: string | null, args: readonly string[]): string {
  return ip(ns === null ? args : ['-n', ns, ...args]);
}

/** True when a failed delete failed only because the thing is already gone. */
export function isGone(err: unknown): boolean {
  return err instanceof IpError && /Cannot find device|No such file or directory|does not exist|Invalid "netns" value|No such process/i.test(err.stderr);
}
