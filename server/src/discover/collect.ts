import { dump, failureReason, netnsInodeAt, type FailureReason, type NetnsEntry, type RawAddress, type RawLink } from '../kernel/index.js';

/** Phase one of discovery: what one namespace holds, as the kernel said it. */
export interface NamespaceScan {
  entry: NetnsEntry;
  links: RawLink[];
  addrs: RawAddress[];
}

export type CollectResult =
  | { ok: true; scan: NamespaceScan }
  | { ok: false; reason: FailureReason | 'moved'; message: string };

/** `ip -n NS -d addr show` for one namespace; a namespace gone mid-scan is not an error. */
export function collectNamespace(entry: NetnsEntry): CollectResult {
  // The path must lead to this namespace before and after the read: a process listed as
  // its holder may have moved since (runc's helpers setns between namespaces), and what is
  // read through its ns/net would then be another namespace's links under this one's name.
  const moved = (): CollectResult => ({ ok: false, reason: 'moved', message: `${entry.path} no longer leads to namespace ${entry.inode}` });
  if (entry.kind !== 'root' && netnsInodeAt(entry.path) !== entry.inode) return moved();
  try {
    const read = dump(entry.path);
    if (entry.kind !== 'root' && netnsInodeAt(entry.path) !== entry.inode) return moved();
    return { ok: true, scan: { entry, ...read } };
  } catch (err) {
    return { ok: false, reason: failureReason(err), message: err instanceof Error ? err.message : String(err) };
  }
}
