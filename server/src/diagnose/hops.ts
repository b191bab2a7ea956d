import type { Hop } from '@vethmap/shared';

/** A hop before it knows which way the packet was going. */
export type HopDraft = Omit<Hop, 'direction'>;

/** The hops of one trace, in the order the packet meets them. */
export class HopList {
  readonly hops: Hop[] = [];
  direction: Hop['direction'] = 'request';

  /**
   * Adds hops in the current direction. A ✓ hop of the reply that repeats a ✓ hop of the
   * request about the same things (a veth pair, a bridge port, a sysctl) is left out;
   * firewall hops never are (the reply passes other hooks).
   */
  add(...drafts: HopDraft[]): void {
    for (const d of drafts) {
      if (this.direction === 'reply' && d.ok === true && d.concern !== 'firewall' && this.hops.some((h) => h.direction === 'request' && h.ok === true && h.concern === d.concern && sameIds(h.ids, d.ids))) continue;
      this.hops.push({ ...d, direction: this.direction });
    }
  }

  /** True when some hop so far stops the packet. */
  get failed(): boolean {
    return this.hops.some((h) => h.ok === false);
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** `ok` of a draft from three cases, for readability at call sites. */
export const PASS = true;
export const FAIL = false;
export const UNKNOWN = null;
