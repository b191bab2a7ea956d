/**
 * When to read again the veth ends that have no proven peer. The first try comes at once
 * (the usual case: the kernel announced a new pair's first end before tying the two
 * together, and sends no later event); later tries back off, and an end that stays
 * unmatched (its peer in a namespace vethmap cannot see) is left alone until it changes.
 */
export const SETTLE_BACKOFF_MS = [0, 20, 100, 400, 1500];

export class Settler {
  /** Tries made so far, by interface id, since the end last changed. */
  private readonly attempts = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private dueAt = Infinity;
  private stopped = false;

  constructor(private readonly run: (ids: string[]) => void) {}

  /**
   * After every published picture: `unmatched` are the veth ends without a peer now,
   * `changed` the interfaces the last diff touched (their count starts again).
   */
  consider(unmatched: readonly string[], changed: readonly string[]): void {
    for (const id of changed) this.attempts.delete(id);
    const now = new Set(unmatched);
    for (const id of this.attempts.keys()) if (!now.has(id)) this.attempts.delete(id);
    let wait = Infinity;
    for (const id of unmatched) {
      const tries = this.attempts.get(id) ?? 0;
      if (tries < SETTLE_BACKOFF_MS.length) wait = Math.min(wait, SETTLE_BACKOFF_MS[tries]!);
    }
    if (wait === Infinity || this.stopped) return;
    const at = performance.now() + wait;
    if (this.timer && at >= this.dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => this.fire([...unmatched]), wait);
    this.timer.unref();
  }

  private fire(candidates: string[]): void {
    this.timer = null;
    this.dueAt = Infinity;
    const due = candidates.filter((id) => (this.attempts.get(id) ?? 0) < SETTLE_BACKOFF_MS.length);
    for (const id of due) this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
    if (due.length > 0) this.run(due);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
