import { spawn } from 'node:child_process';

/** A command that exited non-zero: its stderr usually says why (dockerd, debootstrap, compose). */
export class CommandError extends Error {
  constructor(readonly argv: readonly string[], readonly code: number | null, readonly stdout: string, readonly stderr: string) {
    super(`${argv.map((a) => JSON.stringify(a)).join(' ')} exited ${code}: ${(stderr || stdout).trim().split('\n').slice(-15).join('\n')}`);
    this.name = 'CommandError';
  }
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** SIGKILL after this long (the error then says so). */
  timeoutMs?: number;
}

/**
 * Runs a program with an argument array (never a shell string) and resolves with its
 * stdout; rejects with a CommandError carrying stderr. Asynchronous, unlike the testkit's
 * `ip`: image builds take minutes and must not block the test runner's timers.
 */
export async function run(cmd: string, args: readonly string[], o: RunOptions = {}): Promise<string> {
  return (await runFull(cmd, args, o)).stdout;
}

/** `run`, resolving with stderr too (BuildKit's `--progress plain` log goes there). */
export function runFull(cmd: string, args: readonly string[], o: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const argv = [cmd, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: { ...(o.env ?? process.env), LC_ALL: 'C' },
      stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    let timedOut = false;
    const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? new Error(`${cmd} was not found (scripts/test.sh installs the Debian packages the tests need)`) : e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8') + (timedOut ? `\n(killed after ${o.timeoutMs} ms)` : '');
      if (code === 0 && !timedOut) resolve({ stdout, stderr });
      else reject(new CommandError(argv, code, stdout, stderr));
    });
    if (o.input !== undefined) child.stdin?.end(o.input);
  });
}

/** Like `run`, but resolves with false instead of rejecting. */
export async function succeeds(cmd: string, args: readonly string[], o: RunOptions = {}): Promise<boolean> {
  try {
    await run(cmd, args, o);
    return true;
  } catch {
    return false;
  }
}
