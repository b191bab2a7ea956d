import { dump, failureReason, type FailureReason, type NetnsEntry, type RawAddress, type RawLink } from '../kernel/index.js';

/** Phase one of discovery: what one namespace holds, as the kernel said it. */
export interface NamespaceScan {
  entry: NetnsEntry;
  links: RawLink[];
  addrs: RawAddress[];
}

export type CollectResult =
  | { ok: true; scan: NamespaceScan }
  | { ok: false; reason: FailureReason; message: string };

/** `ip -n NS -d addr show` for one namespace; a namespace gone mid-scan is not an error. */
export function collectNamespace(entry: NetnsEntry): CollectResult {
  try {
    return { ok: true, scan: { entry, ...dump(entry.path) } };
  } catch (err) {
    return { ok: false, reason: failureReason(err), message: err instanceof Error ? err.message : String(err) };
  }
}
