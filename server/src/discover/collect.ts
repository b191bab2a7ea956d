import { failureReason, readNamespaces, type FailureReason, type NetnsEntry, type RawAddress, type RawLink } from '../kernel/index.js';

/** Phase one of discovery: what one namespace holds, as the kernel said it. */
export interface NamespaceScan {
  entry: NetnsEntry;
  links: RawLink[];
  addrs: RawAddress[];
}

export type CollectResult =
  /**
   * `nsidToRoot` / `nsidFromRoot`: the id the namespace gives `collectNamespaces`' root and
   * the id the root gives it (-1: none), when they were asked and answered.
   */
  | { ok: true; scan: NamespaceScan; nsidToRoot?: number; nsidFromRoot?: number }
  | { ok: false; reason: FailureReason | 'moved'; message: string };

/**
 * `ip -n NS -d addr show` for each namespace; one gone mid-scan is not an error. With
 * `root`, each is also asked the nsids between it and the root (the question the resolving
 * pass asks of nearly every namespace: veths to the root's bridges, containers).
 *
 * A path must lead to its entry's namespace when it is read: a process listed as its
 * holder may have moved since (runc's helpers setns between namespaces), and what is read
 * through its ns/net would then be another namespace's links under this one's name. The
 * kernel facade checks the namespace it enters, not the path before and after.
 */
export function collectNamespaces(entries: readonly NetnsEntry[], root: NetnsEntry | null = null): CollectResult[] {
  const reads = readNamespaces(
    entries.map((e) => ({ path: e.path, inode: e.inode })),
    root?.path ?? null,
  );
  return reads.map((read, i): CollectResult => {
    const entry = entries[i]!;
    if (read.ok) {
      const { links, addrs, nsidToRoot, nsidFromRoot } = read;
      return { ok: true, scan: { entry, links, addrs }, ...(nsidToRoot === undefined ? {} : { nsidToRoot }), ...(nsidFromRoot === undefined ? {} : { nsidFromRoot }) };
    }
    if (read.moved) return { ok: false, reason: 'moved', message: `${entry.path} no longer leads to namespace ${entry.inode}` };
    return { ok: false, reason: failureReason(read.error), message: read.error.message };
  });
}
