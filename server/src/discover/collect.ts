import { dump, failureReason, netnsInodeAt, type FailureReason, type NetnsEntry, type RawAddress, type RawLink } from '../kernel/index.js';

/** Phase one of discovery: what one namespace holds, as the kernel said it. */
export interface NamespaceScan {
  entry: NetnsEntry;
  links: RawLink[];
  addrs: RawAddress[];
}

export type CollectResult =
  /** `nsid`: the id the namespace gives `collectNamespace`'s `nsidOf`, when it was asked (-1: none). */
  | { ok: true; scan: NamespaceScan; nsid?: number }
  | { ok: false; reason: FailureReason | 'moved'; message: string };

/**
 * `ip -n NS -d addr show` for one namespace; a namespace gone mid-scan is not an error.
 * With `nsidOf`, the same socket also asks the nsid the namespace gives that one (when a
 * link of its points into another namespace).
 */
export function collectNamespace(entry: NetnsEntry, nsidOf: NetnsEntry | null = null): CollectResult {
  // The path must lead to this namespace before and after the read: a process listed as
  // its holder may have moved since (runc's helpers setns between namespaces), and what is
  // read through its ns/net would then be another namespace's links under this one's name.
  const moved = (): CollectResult => ({ ok: false, reason: 'moved', message: `${entry.path} no longer leads to namespace ${entry.inode}` });
  if (entry.kind !== 'root' && netnsInodeAt(entry.path) !== entry.inode) return moved();
  try {
    const { links, addrs, nsid } = dump(entry.path, nsidOf?.path ?? null);
    if (entry.kind !== 'root' && netnsInodeAt(entry.path) !== entry.inode) return moved();
    return { ok: true, scan: { entry, links, addrs }, ...(nsid === undefined ? {} : { nsid }) };
  } catch (err) {
    return { ok: false, reason: failureReason(err), message: err instanceof Error ? err.message : String(err) };
  }
}
