import { StatsUpdate, type InterfaceRates } from '@vethmap/shared';

/** The latest traffic rates, by interface id, as the server pushed them (`stats`). */
export interface TrafficSnapshot {
  at: string | null;
  rates: ReadonlyMap<string, InterfaceRates>;
}

const EMPTY: TrafficSnapshot = { at: null, rates: new Map() };

/**
 * The client's copy of the traffic rates: each `stats` update replaces the previous one
 * (the server sends every watched interface each sample). Validated at the edge.
 */
export class TrafficStore {
  private current: TrafficSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TrafficSnapshot => this.current;

  apply(raw: unknown): boolean {
    const parsed = StatsUpdate.safeParse(raw);
    if (!parsed.success) return false;
    this.current = { at: parsed.data.at, rates: new Map(Object.entries(parsed.data.rates)) };
    for (const fn of this.listeners) fn();
    return true;
  }

  clear(): void {
    this.current = EMPTY;
    for (const fn of this.listeners) fn();
  }
}
