import { execFile } from 'node:child_process';
import { LabError } from './types.js';

/**
 * Runs the host tools the lab needs (`ip` from iproute2, `nsenter`/`unshare` from
 * util-linux). Arguments are always an argv array, never a shell string.
 */

const TIMEOUT_MS = 15_000;

/** The Debian package that ships each tool, for the error a user sees when it is missing. */
const PACKAGE_OF: Record<string, string> = { ip: 'iproute2', nsenter: 'util-linux', unshare: 'util-linux' };

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** A command that ran and failed: its stderr is the kernel's reason ("File exists", ...). */
export class CommandError extends LabError {
  constructor(
    readonly argv: string[],
    readonly stderr: string,
    readonly code: number | string | null,
  ) {
    super(`${argv.join(' ')} failed: ${stderr.trim() || `exit ${String(code)}`}`);
  }
}

export function missingToolError(tool: string): LabError {
  const pkg = PACKAGE_OF[tool] ?? tool;
  return new LabError(`the \`${tool}\` command was not found; install the Debian package ${pkg} (apt-get install ${pkg})`);
}

export function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // LC_ALL=C: error texts ("Cannot find device") are matched below and must not be translated.
    execFile(cmd, args, { timeout: TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, stderr });
      const code = (err as NodeJS.ErrnoException).code ?? null;
      if (code === 'ENOENT') return reject(missingToolError(cmd));
      reject(new CommandError([cmd, ...args], stderr, code));
    });
  });
}

/** `ip ARGS` in the root namespace. */
export function ip(args: string[]): Promise<RunResult> {
  return run('ip', args);
}

/** True when a failed delete failed only because the thing is already gone. */
export function isGone(err: unknown): boolean {
  if (!(err instanceof CommandError)) return false;
  return /Cannot find device|No such file or directory|does not exist|Invalid "netns" value|No such process/i.test(err.stderr);
}

/**
 * Refuses early, with words a user can act on: the lab needs root (it adds namespaces
 * and links) and the `ip` binary.
 */
export async function preflight(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new LabError('the lab changes host networking and must run as root (try: sudo vethmap lab up)');
  }
  await ip(['-V']);
}
