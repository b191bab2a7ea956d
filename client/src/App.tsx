import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { ExportMenu } from './components/ExportMenu.js';
import { GraphView, type FocusRequest } from './components/GraphView.js';
import { Legend } from './components/Legend.js';
import { SidePanel } from './components/SidePanel.js';
import { Toolbar } from './components/Toolbar.js';
import type { GraphCanvas } from './graph/canvas.js';
import type { ViewOptions } from './graph/elements.js';
import type { Interface, Topology } from '@vethmap/shared';
import { download, runExport, type ExportRequest } from './graph/export.js';
import { readUrl, writeUrl } from './state/url.js';
import { useTopology } from './state/useTopology.js';
import { TrafficStore } from './state/traffic.js';
import { pathMarks } from './graph/path.js';
import { TrafficDetails } from './components/TrafficDetails.js';
import { WhyPanel, type WhyState } from './components/WhyPanel.js';
import { TimelinePanel } from './components/TimelinePanel.js';
import { NO_FILTER, TimelineLog, type TimelineFilter } from './state/timeline.js';
import { DisplayContext, useTheme } from './state/theme.js';
import type { TimelineEntry } from '@vethmap/shared';

const initial = readUrl();
const noTraffic = new TrafficStore();
const noTimeline = new TimelineLog();

export function App() {
  const { topology, status, connection } = useTopology();
  const trafficStore = connection?.traffic ?? noTraffic;
  const traffic = useSyncExternalStore(trafficStore.subscribe, trafficStore.getSnapshot);
  // The log is read by the panel itself: a batch re-renders the panel, not the page.
  const timelineLog = connection?.timeline ?? noTimeline;
  const [showTimeline, setShowTimeline] = useState(initial.timeline ?? false);
  const [timelineFilter, setTimelineFilter] = useState<TimelineFilter>(NO_FILTER);
  const { theme, toggle: toggleTheme } = useTheme();
  // Disconnected from a live host: what the page shows may no longer be true.
  const stale = status !== 'connected' && status !== 'connecting' && (topology?.live ?? false);
  const display = useMemo(() => ({ theme, stale }), [theme, stale]);
  const [why, setWhy] = useState<WhyState | null>(null);
  const [picking, setPicking] = useState(false);
  const marks = useMemo(() => (why?.report && topology ? pathMarks(why.report, topology) : null), [why, topology]);
  const asked = useRef(0);
  const ask = useCallback((from: string, to: string) => {
    if (!connection) return;
    setPicking(false);
    setWhy({ from, to, pending: true });
    const n = ++asked.current;
    void connection.why({ from, to }).then((a) => {
      // Only the latest question's answer, and only while it is still awaited (not cleared):
      // a later one, the same one asked twice included, replaces this one.
      setWhy((w) => (n === asked.current && w?.pending ? { from, to, pending: false, ...a } : w));
    });
  }, [connection]);
  const onWatch = useCallback((ids: string[]) => connection?.watch(ids), [connection]);
  const [options, setOptions] = useState<ViewOptions>(initial.options);
  const [selection, setSelection] = useState<string | null>(initial.select);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [hidden, setHidden] = useState({ count: 0, overview: false });
  const onHidden = useCallback((h: { count: number; overview: boolean }) => {
    setHidden((old) => (old.count === h.count && old.overview === h.overview ? old : h));
  }, []);
  const graph = useRef<GraphCanvas | null>(null);

  useEffect(() => writeUrl({ select: selection, options, timeline: showTimeline }), [selection, options, showTimeline]);
  const fit = useCallback(() => graph.current?.fit(), []);
  const zoom = useCallback((f: number) => {
    const c = graph.current?.cy;
    if (c) c.zoom({ level: c.zoom() * f, renderedPosition: { x: c.width() / 2, y: c.height() / 2 } });
  }, []);
  // Keyboard: `/` search, `f` fit, `+`/`-` zoom, `t` timeline, Escape clears the selection,
  // the trace and every halo. Typing in a field is left alone (but Escape still clears).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setSelection(null);
        setPicking(false);
        setWhy(null);
        graph.current?.clearMatch();
        return;
      }
      const el = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)))) return;
      const act: Record<string, () => void> = {
        '/': () => document.querySelector<HTMLInputElement>('[data-testid="search"]')?.focus(),
        f: fit,
        '+': () => zoom(1.5),
        '=': () => zoom(1.5),
        '-': () => zoom(1 / 1.5),
        t: () => setShowTimeline((v) => !v),
      };
      const run = act[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [fit, zoom]);

  const onPick = useCallback((id: string) => {
    setSelection(id);
    setFocus((f) => ({ id, nonce: (f?.nonce ?? 0) + 1 }));
  }, []);
  // Stable across diffs (the panel is memoized); reads the topology of the moment, its ids
  // collected once per topology and only when asked.
  const topologyRef = useRef(topology);
  topologyRef.current = topology;
  const idCache = useRef<{ t: Topology | null; ids: Set<string> }>({ t: null, ids: new Set() });
  const exists = useCallback((id: string) => {
    const t = topologyRef.current;
    if (!t) return false;
    if (idCache.current.t !== t) idCache.current = { t, ids: new Set([...t.namespaces.map((n) => n.id), ...t.interfaces.map((i) => i.id)]) };
    return idCache.current.ids.has(id);
  }, []);
  // A change as it happens: its element glows on the map; those out of view are counted.
  const [offscreen, setOffscreen] = useState(0);
  useEffect(() => timelineLog.onFresh((fresh) => {
    const off = graph.current?.flash(fresh.map((e) => targetOf(e, exists))) ?? 0;
    if (off > 0) setOffscreen((n) => n + off);
  }), [timelineLog, exists]);
  // Keyed on names (as the toolbar's list): most diffs change no namespace.
  const nsKey = topology ? topology.namespaces.map((n) => `${n.id}\u0000${n.name}`).join('\u0001') : '';
  const timelineNamespaces = useMemo(
    () => (topology ? [...topology.namespaces].sort((a, b) => a.name.localeCompare(b.name)).map((n) => ({ id: n.id, name: n.name })) : []),
    [nsKey],
  );
  /** A timeline entry clicked: select and frame its element, or say it is gone. */
  const onLocate = useCallback((e: TimelineEntry) => {
    const id = 'link' in e ? e.link.id : e.namespace.id;
    if (exists(id)) {
      onPick(id);
      setNote(null);
    } else {
      setNote(`${'link' in e ? e.link.name : e.namespace.name} is no longer there`);
    }
  }, [exists, onPick]);
  const onControl = useCallback((c: GraphCanvas | null) => { graph.current = c; }, []);

  // Exports lay out what they show from the topology (shared/diagram), not from the canvas:
  // the level of detail never leaves anything out of a file.
  const onExport = async (req: ExportRequest) => {
    if (!topology) return;
    setNote(`Rendering ${req.format.toUpperCase()}…`);
    try {
      const out = await runExport(req, topology, options, selection);
      download(out.blob, out.filename);
      setNote(out.note);
    } catch (err) {
      setNote(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <DisplayContext.Provider value={display}>
    <div className="app">
      <Toolbar
        topology={topology} options={options} onOptions={setOptions} onPick={onPick}
        onFit={fit} onZoom={zoom}
        exportMenu={<ExportMenu hasSelection={!!selection} onExport={(r) => void onExport(r)} />} status={note}
      >
        <button type="button" aria-pressed={showTimeline} onClick={() => setShowTimeline((v) => !v)} title="What changed, newest first (t)" data-testid="timeline-toggle">
          Timeline
        </button>
        <button type="button" onClick={toggleTheme} title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`} aria-label="toggle dark theme" aria-pressed={theme === 'dark'} data-testid="theme-toggle">
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </Toolbar>
      <ConnectionBanner status={status} topology={topology} />
      <main className={`main${showTimeline ? ' with-timeline' : ''}${stale ? ' stale' : ''}`}>
        <GraphView
          topology={topology} options={options} selection={selection} focus={focus} onSelect={setSelection} onControl={onControl} onHidden={onHidden}
          marks={marks} rates={traffic.rates} picking={picking} onWatch={onWatch}
          onPick={(id) => { if (selection) ask(selection, id); }}
        />
        {hidden.count > 0 && (
          <div className="detail-hint" data-testid="detail-hint">
            {hidden.overview
              ? `Overview: zoom in to see interfaces (${hidden.count.toLocaleString('en')} not drawn at this zoom)`
              : `${hidden.count.toLocaleString('en')} interfaces away from the view are drawn when you pan to them`}
          </div>
        )}
        {!topology && <div className="empty">Waiting for the first topology…</div>}
        {topology && topology.warnings.length > 0 && (
          <ul className="warnings" data-testid="warnings">{topology.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        )}
        {offscreen > 0 && (
          <button type="button" className="offscreen-badge" data-testid="offscreen-badge" title="Changes outside the view: open the timeline"
            onClick={() => { setShowTimeline(true); setOffscreen(0); }}>
            {`${offscreen} change${offscreen === 1 ? '' : 's'} off-screen`}
          </button>
        )}
        <Legend />
        {showTimeline && (
          <TimelinePanel
            log={timelineLog} namespaces={timelineNamespaces} filter={timelineFilter} onFilter={setTimelineFilter}
            onLocate={onLocate} exists={exists} onClose={() => setShowTimeline(false)}
          />
        )}
        {topology && selection && (
          <SidePanel topology={topology} selection={selection} onSelect={setSelection}>
            <TrafficDetails ends={endsOf(topology, selection)} rates={traffic.rates} />
            <WhyPanel
              from={selection} why={why} picking={picking} onPicking={setPicking} onClear={() => setWhy(null)}
              onAsk={(to) => ask(selection, to)} nameOf={(id) => nameOf(topology, id)}
            />
          </SidePanel>
        )}
      </main>
    </div>
    </DisplayContext.Provider>
  );
}

/** What a timeline entry is about on the map: its interface, else (gone) its namespace's box. */
function targetOf(e: TimelineEntry, exists: (id: string) => boolean): string {
  if ('link' in e) return exists(e.link.id) ? e.link.id : e.link.namespace.id;
  return e.namespace.id;
}

/** The selected interface and its peer, for the traffic table. */
function endsOf(t: Topology, id: string): Interface[] {
  const me = t.interfaces.find((i) => i.id === id);
  if (!me) return [];
  const peer = me.peer ? t.interfaces.find((i) => i.id === me.peer) : undefined;
  return peer ? [me, peer] : [me];
}

/** `namespace / interface` or a namespace's name for an id; anything else (an IP typed in) as it is. */
function nameOf(t: Topology, id: string): string {
  const i = t.interfaces.find((x) => x.id === id);
  const ns = t.namespaces.find((n) => n.id === (i ? i.namespace : id));
  if (i) return `${ns?.name ?? i.namespace} / ${i.name}`;
  return ns?.name ?? id;
}
