import type { Topology } from '@vethmap/shared';
import { memo, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ViewOptions } from '../graph/elements.js';
import { hiddenBy } from '../graph/filters.js';
import { searchTopology } from '../graph/search.js';

interface Props {
  topology: Topology | null;
  options: ViewOptions;
  onOptions: (o: ViewOptions) => void;
  onPick: (id: string) => void;
  onFit: () => void;
  onZoom: (factor: number) => void;
  exportMenu: ReactNode;
  status: string | null;
  /** More controls (the timeline and theme toggles). */
  children?: ReactNode;
}

export function Toolbar({ topology, options, onOptions, onPick, onFit, onZoom, exportMenu, status, children }: Props) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const hits = useMemo(() => (topology ? searchTopology(topology, query) : []), [topology, query]);
  // Keyed on names, not on the topology: every live diff makes a new topology, and sorting
  // and re-rendering 1000 options held each diff's frame by ~15 ms at 1000 namespaces.
  const nsKey = topology ? topology.namespaces.map((n) => `${n.id}\u0000${n.name}`).join('\u0001') : '';
  const namespaces = useMemo(
    () => (topology ? [...topology.namespaces].sort((a, b) => a.name.localeCompare(b.name)).map((n) => ({ id: n.id, name: n.name })) : []),
    [nsKey],
  );
  const hostLine = topology ? `${topology.host} · v${topology.version}${topology.live ? '' : ' · capture'}` : '';
  const hidden = useMemo(() => (topology ? hiddenBy(topology, options) : null), [topology, options]);
  const latest = useRef(options);
  latest.current = options;
  const onNamespace = useCallback((id: string | null) => onOptions({ ...latest.current, focusNamespace: id }), [onOptions]);
  const pick = (id: string) => {
    onPick(id);
    setQuery('');
  };
  return (
    <header className="toolbar">
      <strong className="brand">vethmap</strong>
      <span className="host" data-testid="host" title={hostLine}>{hostLine}</span>
      <div className="search">
        <input
          type="search" placeholder="Search name, namespace, IP, MAC" value={query} aria-label="search"
          data-testid="search"
          onChange={(e) => { setQuery(e.target.value); setActive(0); }}
          onKeyDown={(e) => {
            // Arrows move through the results, Enter picks the one marked, Escape empties the box.
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              if (hits.length) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
            } else if (e.key === 'Enter') {
              const h = hits[Math.min(active, hits.length - 1)];
              if (h) pick(h.id);
            } else if (e.key === 'Escape') {
              setQuery('');
              e.currentTarget.blur();
            }
          }}
          aria-activedescendant={query && hits.length ? `hit-${Math.min(active, hits.length - 1)}` : undefined}
          aria-controls="search-hits"
        />
        {query && (
          <ul className="hits" data-testid="hits" id="search-hits" role="listbox">
            {hits.length === 0 && <li className="muted">no match</li>}
            {hits.map((h, k) => (
              <li key={`${h.id}:${h.field}`} id={`hit-${k}`} role="option" aria-selected={k === active} className={k === active ? 'active' : undefined}>
                <button type="button" tabIndex={-1} onClick={() => pick(h.id)}>{h.label}</button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <label title="show loopback interfaces">
        <input type="checkbox" checked={options.showLo} onChange={(e) => onOptions({ ...options, showLo: e.target.checked })} /> lo
        <HiddenCount n={hidden?.lo ?? 0} id="lo" />
      </label>
      <label title="leave out interfaces that are administratively down">
        <input type="checkbox" checked={options.hideDown} onChange={(e) => onOptions({ ...options, hideDown: e.target.checked })} /> hide down
        <HiddenCount n={hidden?.down ?? 0} id="down" />
      </label>
      <label title="interface addresses on the map (also in the tooltip and the side panel)">
        <input type="checkbox" checked={options.showAddresses} onChange={(e) => onOptions({ ...options, showAddresses: e.target.checked })} /> addresses
      </label>
      <NamespaceSelect namespaces={namespaces} value={options.focusNamespace} onChange={onNamespace} />
      {options.focusNamespace && <HiddenCount n={hidden?.namespaces ?? 0} id="namespaces" what="namespaces" />}
      {options.focusNamespace && (
        <label title="hops: a veth pair or a vlan link between two namespaces">
          depth <input type="number" min={0} max={9} value={options.focusDepth} aria-label="depth" className="depth"
            onChange={(e) => { const d = Number(e.target.value); if (Number.isInteger(d) && d >= 0 && d <= 9) onOptions({ ...options, focusDepth: d }); }} />
        </label>
      )}
      <span className="group">
        <button type="button" onClick={onFit} title="Fit the whole diagram">Fit</button>
        <button type="button" onClick={() => onZoom(1.5)} title="Zoom in">+</button>
        <button type="button" onClick={() => onZoom(1 / 1.5)} title="Zoom out">−</button>
      </span>
      {exportMenu}
      {children}
      {status && <span className="status" data-testid="status">{status}</span>}
    </header>
  );
}

/** "N hidden" beside a filter that leaves something out; nothing when it hides nothing. */
function HiddenCount({ n, id, what }: { n: number; id: string; what?: string }) {
  if (n === 0) return null;
  return <span className="hidden-count" data-testid={`hidden-${id}`}>{`(${n.toLocaleString('en')}${what ? ` ${what}` : ''} hidden)`}</span>;
}

interface SelectProps { namespaces: { id: string; name: string }[]; value: string | null; onChange: (id: string | null) => void }

/** Re-rendered only when the namespaces or the choice change. */
const NamespaceSelect = memo(function NamespaceSelect({ namespaces, value, onChange }: SelectProps) {
  return (
    <select aria-label="show namespace" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">all namespaces</option>
      {namespaces.map((n) => <option key={n.id} value={n.id}>{`only ${n.name} + neighbours`}</option>)}
    </select>
  );
});
