import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm run build` makes it; scripts/ensure-built.mjs keeps it fresh). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface ServeProcess {
  /** The URL the server said it listens on (with `?token=…` when it printed one). */
  url: string;
  child: ChildProcess;
  /** Every line it printed so far, stdout and stderr. */
  logs: string[];
  /** SIGTERM, then SIGKILL after 3 s; resolves when it has exited. */
  stop(): Promise<void>;
}

/** The URL in a "listening" line: pino JSON (`"msg":"listening","url":…`) or plain text. */
export function listeningUrl(line: string): string | null {
  if (line.startsWith('{')) {
    try {
      const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown };
      return parsed.msg === 'listening' && typeof parsed.url === 'string' ? parsed.url : null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Starts the real `vethmap serve` on an ephemeral loopback port (unless `args` say
 * otherwise) and resolves with its URL once it listens.
 */
export async function startServe(args: readonly string[] = [], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  const logs: string[] = [];
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server did not listen within ${timeoutMs} ms:\n${logs.join('\n')}`));
    }, timeoutMs);
    const onLine = (line: string): void => {
      logs.push(line);
      const u = listeningUrl(line);
      if (u) {
        clearTimeout(timer);
        resolve(u);
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', (l) => logs.push(l));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}):\n${logs.join('\n')}`));
    });
  });
  return { url, child, logs, stop };
}
