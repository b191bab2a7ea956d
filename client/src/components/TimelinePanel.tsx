import { describeEntry, type TimelineEntry } from '@vethmap/shared';
import { memo, useMemo, useState, useSyncExternalStore } from 'react';
import { filterEntries, KIND_GROUPS, type TimelineFilter, type TimelineLog } from '../state/timeline.js';

interface Props {
  log: TimelineLog;
  namespaces: readonly { id: string; name: string }[];
  filter: TimelineFilter;
  onFilter: (f: TimelineFilter) => void;
  /** A click on an entry: show that element (or where it was). */
  onLocate: (e: TimelineEntry) => void;
  /** Whether an element id is in the current topology (gone ones are marked). */
  exists: (id: string) => boolean;
  onClose: () => void;
}

/** Entries listed at once; more on request (a thousand rows re-render slowly on every change). */
const PAGE = 200;

const quote = (s: string): string => `“${s}”`;

function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString('en-GB', { hour12: false });
}

/**
 * What just happened: the server's timeline, newest first, narrowed by namespace and kind.
 * Every name is React text (escaped), never HTML. Each entry is a button: Enter or a click
 * locates the element on the map.
 */
export const TimelinePanel = memo(function TimelinePanel({ log, namespaces, filter, onFilter, onLocate, exists, onClose }: Props) {
  const entries = useSyncExternalStore(log.subscribe, log.getSnapshot);
  const [shown, setShown] = useState(PAGE);
  const list = useMemo(() => filterEntries(entries, filter), [entries, filter]);
  const toggle = (label: string): void => {
    const groups = filter.groups.includes(label) ? filter.groups.filter((g) => g !== label) : [...filter.groups, label];
    onFilter({ ...filter, groups });
  };
  return (
    <aside className="timeline" data-testid="timeline" data-overlay="left" aria-label="timeline">
      <header>
        <h2>Timeline</h2>
        <span className="muted">{`${list.length} of ${entries.length}`}</span>
        <button type="button" className="close" onClick={onClose} title="Close the timeline (t)" aria-label="close the timeline">×</button>
      </header>
      <div className="timeline-filters">
        <select aria-label="timeline namespace" data-testid="timeline-namespace" value={filter.namespace ?? ''} onChange={(e) => onFilter({ ...filter, namespace: e.target.value || null })}>
          <option value="">all namespaces</option>
          {namespaces.map((n) => <option key={n.id} value={n.id}>{n.name}</option>)}
        </select>
        <div className="chips" role="group" aria-label="kinds">
          {KIND_GROUPS.map((g) => (
            <button key={g.label} type="button" className="chip" aria-pressed={filter.groups.includes(g.label)} onClick={() => toggle(g.label)}>{g.label}</button>
          ))}
        </div>
      </div>
      {list.length === 0 && <p className="muted">{entries.length === 0 ? 'Nothing has changed since the server started.' : 'No entry matches the filter.'}</p>}
      <ol className="entries">
        {list.slice(0, shown).map((e) => {
          const gone = !exists('link' in e ? e.link.id : e.namespace.id);
          return (
            <li key={e.seq}>
              <button type="button" className={`entry kind-${e.kind}${gone ? ' gone' : ''}`} onClick={() => onLocate(e)} data-testid="timeline-entry" data-kind={e.kind}>
                <time dateTime={e.at}>{clock(e.at)}</time>
                <span className="entry-kind">{e.kind.replace(/-/g, ' ')}</span>
                <span className="entry-text">{describeEntry(e, quote)}</span>
                {gone && <span className="muted"> (gone)</span>}
              </button>
            </li>
          );
        })}
      </ol>
      {list.length > shown && <button type="button" onClick={() => setShown((n) => n + PAGE)}>{`show ${Math.min(PAGE, list.length - shown)} more`}</button>}
    </aside>
  );
});
