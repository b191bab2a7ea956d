import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * What the lab cannot find again from the kernel alone: the pids that hold its
 * process-held namespaces. Kept in /run (tmpfs: gone at reboot, like the namespaces).
 */

export const LAB_STATE_DIR = '/run/vethmap-lab';
export const LAB_STATE_FILE = path.join(LAB_STATE_DIR, 'state.json');

/** A process the lab started to hold a namespace, with what proves it is still that process. */
export const HolderRecord = z.object({
  /** The lab's label for the namespace (`vlab-ct`). */
  name: z.string(),
  pid: z.number().int().positive(),
  /** Field 22 of /proc/PID/stat (clock ticks after boot): a reused pid has another one. */
  startTime: z.string(),
  /** /proc/PID/cmdline as read right after start (NUL-separated). */
  cmdline: z.string(),
  /** nsfs inode of /proc/PID/ns/net. */
  netnsInode: z.number().int().nonnegative(),
});
export type HolderRecord = z.infer<typeof HolderRecord>;

const LabState = z.object({ version: z.literal(1), holders: z.array(HolderRecord) });
type LabState = z.infer<typeof LabState>;

/** The recorded holders; an absent or unreadable file means none (with a reason). */
export async function readState(): Promise<{ state: LabState; problem: string | null }> {
  let text: string;
  try {
    text = await readFile(LAB_STATE_FILE, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: { version: 1, holders: [] }, problem: null };
    return { state: { version: 1, holders: [] }, problem: `cannot read ${LAB_STATE_FILE}: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = LabState.safeParse(json);
  if (!parsed.success) return { state: { version: 1, holders: [] }, problem: `${LAB_STATE_FILE} is not a lab state file; ignored` };
  return { state: parsed.data, problem: null };
}

/** Written to a temporary name, then renamed: a crash never leaves half a file. */
export async function writeState(state: LabState): Promise<void> {
  if (state.holders.length === 0) return clearState();
  await mkdir(LAB_STATE_DIR, { recursive: true, mode: 0o700 });
  const tmp = `${LAB_STATE_FILE}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, LAB_STATE_FILE);
}

export async function addHolder(record: HolderRecord): Promise<void> {
  const { state } = await readState();
  await writeState({ version: 1, holders: [...state.holders.filter((h) => h.name !== record.name), record] });
}

export async function removeHolder(name: string): Promise<void> {
  const { state } = await readState();
  await writeState({ version: 1, holders: state.holders.filter((h) => h.name !== name) });
}

export async function clearState(): Promise<void> {
  await rm(LAB_STATE_FILE, { force: true });
  try {
    await rmdir(LAB_STATE_DIR);
  } catch {
    // absent, or holds something the lab did not put there: leave it
  }
}
