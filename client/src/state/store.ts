import { applyDiff, Topology, TopologyDiff, VersionGapError } from '@vethmap/shared';

/**
 * The client's copy of the topology. Payloads are validated here, at the edge, with the
 * same zod schemas the server publishes with; nothing downstream re-checks shapes.
 * Listeners are told synchronously; the view coalesces to one redraw per frame.
 */
export class TopologyStore {
  private current: Topology | null = null;
  /** Set on a reconnect: the server may have restarted, and its versions with it. */
  private acceptAnyVersion = false;
  private readonly listeners = new Set<() => void>();

  /** @param resync asks the server for a fresh snapshot (version gap, bad payload). */
  constructor(private readonly resync: () => void) {}

  get topology(): Topology | null {
    return this.current;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): Topology | null => this.current;

  /** A whole topology from `snapshot` or `GET /api/topology`. Returns false when rejected. */
  applySnapshot(raw: unknown): boolean {
    const parsed = Topology.safeParse(raw);
    if (!parsed.success) {
      console.error('vethmap: rejected snapshot', parsed.error.issues.slice(0, 5));
      return false;
    }
    // An older snapshot can arrive after a diff that was sent later (resync racing a change),
    // unless this is the first snapshot after a reconnect: a restarted server counts from 1.
    if (this.current && !this.acceptAnyVersion && parsed.data.version < this.current.version) return false;
    this.acceptAnyVersion = false;
    this.current = parsed.data;
    this.emit();
    return true;
  }

  /** The connection was lost and is back: the next snapshot is taken whatever its version. */
  reconnected(): void {
    this.acceptAnyVersion = true;
  }

  /** One `diff`. A gap or an invalid payload triggers a resync instead of a wrong picture. */
  applyDiff(raw: unknown): boolean {
    const parsed = TopologyDiff.safeParse(raw);
    if (!parsed.success) {
      console.error('vethmap: rejected diff', parsed.error.issues.slice(0, 5));
      this.resync();
      return false;
    }
    const diff = parsed.data;
    // Before the first snapshot there is nothing to apply to; the snapshot will cover it.
    if (!this.current) return false;
    // Already have it (a snapshot that included this change overtook the diff).
    if (diff.version <= this.current.version) return false;
    try {
      this.current = applyDiff(this.current, diff);
    } catch (err) {
      if (err instanceof VersionGapError) {
        this.resync();
        return false;
      }
      throw err;
    }
    this.emit();
    return true;
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}
