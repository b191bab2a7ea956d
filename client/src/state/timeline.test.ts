import { describe, expect, it, vi } from 'vitest';
import type { NamespaceRef, TimelineEntry } from '@vethmap/shared';
import { filterEntries, NO_FILTER, PAGE_TIMELINE_MAX, TimelineLog } from './timeline.js';

const blue: NamespaceRef = { id: 'ns:2', name: 'blue', kind: 'named' };
const root: NamespaceRef = { id: 'ns:1', name: 'root', kind: 'root' };
const link = (n: number, ns = blue) => ({ id: `nif:${ns.id.slice(3)}:${n}`, name: `eth${n}`, kind: 'veth', namespace: ns });
const state = (seq: number, ns = blue): TimelineEntry => ({ seq, at: 't', version: seq, kind: 'link-state', link: link(seq, ns), from: 'up', to: 'down' });

describe('the page timeline', () => {
  it('a replay replaces, later batches append once each, and only those are fresh', () => {
    const log = new TimelineLog();
    const fresh = vi.fn();
    log.onFresh(fresh);
    expect(log.receive({ replay: true, entries: [state(1), state(2)] })).toBe(true);
    expect(fresh).not.toHaveBeenCalled();
    log.receive({ replay: false, entries: [state(2), state(3)] });
    expect(log.getSnapshot().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(fresh).toHaveBeenCalledWith([state(3)]);
    // A reconnect to a restarted server: its replay starts again from 1.
    log.receive({ replay: true, entries: [state(1)] });
    expect(log.getSnapshot().map((e) => e.seq)).toEqual([1]);
  });

  it('keeps at most PAGE_TIMELINE_MAX entries and rejects what is not a batch', () => {
    const log = new TimelineLog();
    log.receive({ replay: true, entries: Array.from({ length: PAGE_TIMELINE_MAX + 5 }, (_, i) => state(i + 1)) });
    expect(log.getSnapshot()).toHaveLength(PAGE_TIMELINE_MAX);
    expect(log.getSnapshot()[0]!.seq).toBe(6);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(log.receive({ replay: false, entries: [{ seq: 'x' }] })).toBe(false);
  });

  it('filters by namespace (either end, either side of a move) and by kind group, newest first', () => {
    const moved: TimelineEntry = { seq: 4, at: 't', version: 4, kind: 'link-moved', link: link(9), from: link(9, root) };
    const added: TimelineEntry = { seq: 5, at: 't', version: 5, kind: 'link-added', link: link(7, root), state: 'up', peer: link(8) };
    const all = [state(1), state(2, root), state(3), moved, added];
    expect(filterEntries(all, NO_FILTER).map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(filterEntries(all, { namespace: 'ns:1', groups: [] }).map((e) => e.seq)).toEqual([5, 4, 2]);
    expect(filterEntries(all, { namespace: null, groups: ['links'] }).map((e) => e.seq)).toEqual([5, 4]);
    expect(filterEntries(all, { namespace: 'ns:2', groups: ['up / down'] }).map((e) => e.seq)).toEqual([3, 1]);
  });
});
