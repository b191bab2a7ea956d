import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { missingToolError } from './run.js';
import { LabError } from './types.js';
import type { HolderRecord } from './state.js';

/**
 * A namespace held only by a process, as a container's is: `unshare --net sleep infinity`,
 * detached so it outlives `vethmap lab up`. unshare(1) execs sleep in the same pid after
 * unshare(CLONE_NEWNET), so the pid we spawn is the one that holds the namespace.
 */

const HOLDER_ARGV = ['unshare', '--net', '--', 'sleep', 'infinity'];
const EXPECTED_CMDLINE = 'sleep\0infinity\0';

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function netnsInode(pid: number | 'self'): Promise<number | null> {
  try {
    return (await stat(`/proc/${pid}/ns/net`)).ino;
  } catch {
    return null;
  }
}

/** Fields of /proc/PID/stat after `(comm)`: comm may contain spaces and parentheses. */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
}

/** Field 22 (starttime) and field 3 (state) of /proc/PID/stat, or null when the pid is gone. */
async function procStat(pid: number): Promise<{ startTime: string; state: string } | null> {
  const text = await readOrNull(`/proc/${pid}/stat`);
  if (text === null) return null;
  const f = statFields(text);
  return { state: f[0] ?? '?', startTime: f[19] ?? '' };
}

export async function startHolder(name: string): Promise<HolderRecord> {
  const [cmd, ...args] = HOLDER_ARGV as [string, ...string[]];
  // cwd /: the holder must not keep a checkout's directory (or its mount) busy.
  const child = spawn(cmd, args, { detached: true, stdio: 'ignore', cwd: '/' });
  let failure: LabError | null = null;
  child.once('error', (err: NodeJS.ErrnoException) => {
    failure = err.code === 'ENOENT' ? missingToolError('unshare') : new LabError(`cannot start ${HOLDER_ARGV.join(' ')}: ${err.message}`);
  });
  child.once('exit', (code, signal) => {
    failure ??= new LabError(`${HOLDER_ARGV.join(' ')} exited (${signal ?? `code ${String(code)}`}) before holding a namespace`);
  });
  child.unref();
  const own = await netnsInode('self');
  const deadline = Date.now() + 5000;
  for (;;) {
    if (failure) throw failure;
    const pid = child.pid;
    if (pid !== undefined) {
      const cmdline = await readOrNull(`/proc/${pid}/cmdline`);
      const inode = await netnsInode(pid);
      const st = await procStat(pid);
      // Until exec, the pid still runs unshare (and maybe still in our namespace).
      if (cmdline === EXPECTED_CMDLINE && inode !== null && inode !== own && st) {
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        return { name, pid, startTime: st.startTime, cmdline, netnsInode: inode };
      }
    }
    if (Date.now() > deadline) {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      throw new LabError(`${HOLDER_ARGV.join(' ')} did not hold a new namespace within 5 s`);
    }
    await delay(10);
  }
}

/** Whether `record.pid` is still the very process the lab started (not a reused pid). */
export async function holderState(record: HolderRecord): Promise<'ours' | 'gone' | 'not-ours'> {
  const st = await procStat(record.pid);
  if (st === null || st.state === 'Z') return 'gone';
  const cmdline = await readOrNull(`/proc/${record.pid}/cmdline`);
  if (st.startTime !== record.startTime || cmdline !== record.cmdline) return 'not-ours';
  return 'ours';
}

/**
 * Ends the holder after checking it is the lab's own process; its namespace, and every
 * link in it, go with it. Returns what it found.
 */
export async function stopHolder(record: HolderRecord): Promise<'stopped' | 'gone' | 'not-ours'> {
  const found = await holderState(record);
  if (found !== 'ours') return found;
  for (const [signal, waitMs] of [['SIGTERM', 2000], ['SIGKILL', 2000]] as const) {
    try {
      process.kill(record.pid, signal);
    } catch {
      return 'stopped';
    }
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if ((await holderState(record)) === 'gone') return 'stopped';
      await delay(10);
    }
  }
  throw new LabError(`pid ${record.pid} (${record.name}) did not exit after SIGKILL`);
}

/** The argv that reaches into a holder's namespace: `nsenter --net=/proc/PID/ns/net`. */
export function nsenterArgs(pid: number): string[] {
  return [`--net=/proc/${pid}/ns/net`, '--'];
}
