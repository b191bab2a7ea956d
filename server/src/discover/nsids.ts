import { NsidAsker, type NetnsEntry } from '../kernel/index.js';
import type { NamespaceScan } from './collect.js';
import type { NsidLookup } from './veth.js';

/**
 * The nsids namespaces give each other, as proven by asking the kernel (RTM_GETNSID, which
 * never assigns an id). An assigned id never changes while both namespaces live, so it is
 * kept; "none yet" may change with the next link dump, so it is asked again.
 */
export class NsidBook {
  /** Asking namespace inode → asked namespace inode → the id (numbers: thousands of look-ups per event). */
  private readonly known = new Map<number, Map<number, number>>();
  private asker: NsidAsker | null = null;

  /** `paths` gives the path a namespace is listed under *now* (see `lookup`). */
  constructor(private readonly current: (inode: number) => NetnsEntry | undefined) {}

  /**
   * Runs `fn` (a resolving pass) with one socket per asking namespace for all its questions,
   * closed at the end: the root alone may ask about a thousand others.
   */
  session<T>(fn: () => T): T {
    if (this.asker) return fn(); // already in one
    this.asker = new NsidAsker();
    try {
      return fn();
    } finally {
      this.asker.close();
      this.asker = null;
    }
  }

  /**
   * Asks through the paths the namespaces are listed under now, not those they were read
   * through: `ip netns add` is first seen through its own process (/proc/PID/ns/net, before
   * the bind mount), which exits a moment later; asked through that path, every nsid
   * question failed and the namespace's veths never got a peer (1 in 40–150 namespaces
   * added while serving, measured).
   */
  readonly lookup: NsidLookup = (fromScan: NamespaceScan, toScan: NamespaceScan): number => {
    const from = this.current(fromScan.entry.inode) ?? fromScan.entry;
    const to = this.current(toScan.entry.inode) ?? toScan.entry;
    const cached = this.known.get(from.inode)?.get(to.inode);
    if (cached !== undefined) return cached;
    const asker = this.asker ?? new NsidAsker();
    let id: number;
    try {
      id = asker.nsidOf(from.path, to.path);
    } catch {
      return -1; // one of them vanished: the next event re-reads it
    } finally {
      if (!this.asker) asker.close();
    }
    this.record(from.inode, to.inode, id);
    return id;
  };

  /**
   * An answer asked elsewhere (by a dump, through the descriptor of the namespace it read):
   * kept like `lookup`'s own, only when an id was given.
   */
  record(from: number, to: number, id: number): void {
    if (id < 0) return;
    let row = this.known.get(from);
    if (!row) this.known.set(from, (row = new Map()));
    row.set(to, id);
  }

  /** A namespace is gone: its ids may be handed out again. */
  forget(inode: number): void {
    this.known.delete(inode);
    for (const row of this.known.values()) row.delete(inode);
  }
}
