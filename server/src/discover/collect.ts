import type { NetnsEntry } from '../kernel/netns.js';
import { inNamespace } from '../kernel/rtnl.js';
import { AddonMissingError } from '../kernel/native.js';
import type { RawAddress, RawLink } from '../kernel/rtnetlink.js';

/** Phase one of discovery: what one namespace holds, as the kernel said it. */
export interface NamespaceScan {
  entry: NetnsEntry;
  links: RawLink[];
  addrs: RawAddress[];
}

export type CollectResult =
  | { ok: true; scan: NamespaceScan }
  | { ok: false; reason: 'vanished' | 'denied' | 'error'; message: string };

const VANISHED = new Set(['ENOENT', 'ESRCH', 'EINVAL']);
const DENIED = new Set(['EPERM', 'EACCES']);

/** `ip -n NS -d addr show` for one namespace; a namespace gone mid-scan is not an error. */
export function collectNamespace(entry: NetnsEntry): CollectResult {
  try {
    return inNamespace(entry.path, (s) => ({ ok: true, scan: { entry, links: s.linkList(), addrs: s.addrList() } }));
  } catch (err) {
    if (err instanceof AddonMissingError) throw err; // nothing can be read: say so, loudly
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const message = err instanceof Error ? err.message : String(err);
    if (VANISHED.has(code)) return { ok: false, reason: 'vanished', message };
    if (DENIED.has(code)) return { ok: false, reason: 'denied', message };
    return { ok: false, reason: 'error', message };
  }
}
