import type { Topology } from '@vethmap/shared';
import { useMemo, useState } from 'react';
import type { ViewOptions } from '../graph/elements.js';
import { searchTopology } from '../graph/search.js';

interface Props {
  topology: Topology | null;
  options: ViewOptions;
  onOptions: (o: ViewOptions) => void;
  onPick: (id: string) => void;
  onFit: () => void;
  onZoom: (factor: number) => void;
  onExport: (what: 'png' | 'svg' | 'json') => void;
  status: string | null;
}

export function Toolbar({ topology, options, onOptions, onPick, onFit, onZoom, onExport, status }: Props) {
  const [query, setQuery] = useState('');
  const hits = useMemo(() => (topology ? searchTopology(topology, query) : []), [topology, query]);
  const namespaces = useMemo(
    () => (topology ? [...topology.namespaces].sort((a, b) => a.name.localeCompare(b.name)) : []),
    [topology],
  );
  const pick = (id: string) => {
    onPick(id);
    setQuery('');
  };
  return (
    <header className="toolbar">
      <strong className="brand">vethmap</strong>
      <span className="host" data-testid="host">{topology ? `${topology.host} · v${topology.version}${topology.live ? '' : ' · capture'}` : ''}</span>
      <div className="search">
        <input
          type="search" placeholder="Search name, namespace, IP, MAC" value={query} aria-label="search"
          data-testid="search"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && hits[0]) pick(hits[0].id); }}
        />
        {query && (
          <ul className="hits" data-testid="hits">
            {hits.length === 0 && <li className="muted">no match</li>}
            {hits.map((h) => (
              <li key={`${h.id}:${h.field}`}><button type="button" onClick={() => pick(h.id)}>{h.label}</button></li>
            ))}
          </ul>
        )}
      </div>
      <label><input type="checkbox" checked={options.showLo} onChange={(e) => onOptions({ ...options, showLo: e.target.checked })} /> lo</label>
      <label><input type="checkbox" checked={options.hideDown} onChange={(e) => onOptions({ ...options, hideDown: e.target.checked })} /> hide down</label>
      <select
        aria-label="show namespace" value={options.focusNamespace ?? ''}
        onChange={(e) => onOptions({ ...options, focusNamespace: e.target.value || null })}
      >
        <option value="">all namespaces</option>
        {namespaces.map((n) => <option key={n.id} value={n.id}>{`only ${n.name} + neighbours`}</option>)}
      </select>
      <span className="group">
        <button type="button" onClick={onFit} title="Fit the whole diagram">Fit</button>
        <button type="button" onClick={() => onZoom(1.5)} title="Zoom in">+</button>
        <button type="button" onClick={() => onZoom(1 / 1.5)} title="Zoom out">−</button>
      </span>
      <span className="group">
        <button type="button" onClick={() => onExport('png')} data-testid="export-png">PNG</button>
        <button type="button" onClick={() => onExport('svg')} data-testid="export-svg">SVG</button>
        <button type="button" onClick={() => onExport('json')} data-testid="export-json">JSON</button>
      </span>
      {status && <span className="status" data-testid="status">{status}</span>}
    </header>
  );
}
