import { readFileSync } from 'node:fs';

/** Resident memory of a process in MiB (VmRSS of /proc/PID/status). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid} (gone?)`);
  return Number(m[1]) / 1024;
}
