import { entryNamespace, TimelineBatch, type TimelineEntry, type TimelineKind } from '@vethmap/shared';

/** The page keeps at most this many entries (the server's replay is 500). */
export const PAGE_TIMELINE_MAX = 1000;

/**
 * The page's copy of the server's timeline: the replay on (re)connect replaces it, later
 * batches append. Validated here, at the edge, like the topology. Listeners are told of new
 * entries (`fresh`: not a replay), which the map flashes.
 */
export class TimelineLog {
  private list: readonly TimelineEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly freshListeners = new Set<(entries: readonly TimelineEntry[]) => void>();

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): readonly TimelineEntry[] => this.list;

  /** New entries as they happen (never the replay): what the map flashes and counts. */
  onFresh(fn: (entries: readonly TimelineEntry[]) => void): () => void {
    this.freshListeners.add(fn);
    return () => this.freshListeners.delete(fn);
  }

  /** One `timeline` batch. Returns false when rejected. */
  receive(raw: unknown): boolean {
    const parsed = TimelineBatch.safeParse(raw);
    if (!parsed.success) {
      console.error('vethmap: rejected timeline batch', parsed.error.issues.slice(0, 5));
      return false;
    }
    const { replay, entries } = parsed.data;
    if (replay) {
      this.list = entries.slice(-PAGE_TIMELINE_MAX);
    } else {
      const last = this.list.at(-1)?.seq ?? 0;
      const fresh = entries.filter((e) => e.seq > last);
      if (fresh.length === 0) return true;
      const next = [...this.list, ...fresh];
      this.list = next.length > PAGE_TIMELINE_MAX ? next.slice(-PAGE_TIMELINE_MAX) : next;
      for (const fn of this.freshListeners) fn(fresh);
    }
    for (const fn of this.listeners) fn();
    return true;
  }
}

/** The kinds, grouped as the panel's filter offers them. */
export const KIND_GROUPS: ReadonlyArray<{ label: string; kinds: readonly TimelineKind[] }> = [
  { label: 'namespaces', kinds: ['namespace-added', 'namespace-removed', 'namespace-renamed'] },
  { label: 'links', kinds: ['link-added', 'link-removed', 'link-renamed', 'link-moved'] },
  { label: 'up / down', kinds: ['link-state'] },
  { label: 'addresses', kinds: ['address-added', 'address-removed'] },
  { label: 'bridges', kinds: ['master-changed'] },
  { label: 'peers', kinds: ['peer-resolved', 'peer-lost'] },
];

export interface TimelineFilter {
  /** A namespace id: entries about it (a move: from or to it), or null for all. */
  namespace: string | null;
  /** Group labels of KIND_GROUPS to show; empty: all. */
  groups: readonly string[];
}

export const NO_FILTER: TimelineFilter = { namespace: null, groups: [] };

/** The entries a filter keeps, newest first (what the panel lists). */
export function filterEntries(entries: readonly TimelineEntry[], filter: TimelineFilter): TimelineEntry[] {
  const kinds = new Set(KIND_GROUPS.filter((g) => filter.groups.includes(g.label)).flatMap((g) => g.kinds));
  const out: TimelineEntry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (kinds.size > 0 && !kinds.has(e.kind)) continue;
    if (filter.namespace && !inNamespace(e, filter.namespace)) continue;
    out.push(e);
  }
  return out;
}

function inNamespace(e: TimelineEntry, ns: string): boolean {
  if (entryNamespace(e).id === ns) return true;
  if (e.kind === 'link-moved') return e.from.namespace.id === ns;
  if ('peer' in e && e.peer) return e.peer.namespace.id === ns;
  return false;
}
