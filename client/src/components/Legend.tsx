import type { LinkState } from '@vethmap/shared';
import { LINE_WIDTH, STATE_LOOK, THEMES } from '@vethmap/shared';
import { useContext, useState, type ReactNode } from 'react';
import { HALO, stateColor } from '../graph/style.js';
import { DisplayContext } from '../state/theme.js';

/**
 * Where the legend's open/closed choice is kept between visits. Closed at first: open, it
 * covers a strip of the map the fit does not leave free (22 rows); its summary is one line.
 */
const OPEN_KEY = 'vethmap.legend';

interface Row {
  /** The canvas style selectors (graph/style.ts) this row explains: the e2e checks none is left out. */
  explains: string[];
  mark: ReactNode;
  text: string;
  hint?: string;
}

const line = (color: string, width: number, dash?: string, arrow = false) => (
  <svg width="34" height="12" aria-hidden="true">
    <line x1="2" y1="6" x2={arrow ? 26 : 32} y2="6" stroke={color} strokeWidth={width} strokeDasharray={dash} strokeLinecap="round" />
    {arrow && <path d="M26 2 L33 6 L26 10 Z" fill={color} />}
  </svg>
);
const halo = (color: string, opacity: number) => (
  <svg width="34" height="14" aria-hidden="true">
    <circle cx="17" cy="7" r="6.5" fill={color} fillOpacity={opacity} />
    <circle cx="17" cy="7" r="3.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
  </svg>
);

/**
 * Everything the map draws, explained: link states (colour and dash), line weights, shapes
 * and halos. Drawn from the same tables as the graph style where there is one, so the two
 * cannot disagree; every style rule is listed in some row's `explains` (e2e/map.spec.ts).
 */
export function Legend() {
  const { theme } = useContext(DisplayContext);
  const t = THEMES[theme];
  const [open, setOpen] = useState(() => readOpen());
  const states: Row[] = (Object.keys(STATE_LOOK) as LinkState[]).map((s) => ({
    explains: [`edge[state = "${s}"]`, `node[state = "${s}"]`],
    mark: line(stateColor(s, theme), 3, STATE_LOOK[s].line === 'dashed' ? '7 4' : STATE_LOOK[s].line === 'dotted' ? '1 4' : undefined),
    text: STATE_LOOK[s].label,
    hint: STATE_LOOK[s].hint,
  }));
  const up = stateColor('up', theme);
  const lines: Row[] = [
    { explains: ['edge'], mark: line(up, LINE_WIDTH.veth + 0.5), text: 'veth pair (thick)', hint: 'the two ends of a veth pair, wherever they are' },
    { explains: ['edge.port'], mark: line(up, LINE_WIDTH.port), text: 'bridge port (thin)', hint: 'a port hanging from its bridge (IFLA_MASTER)' },
    { explains: ['edge.parent'], mark: line(t.arrow, LINE_WIDTH.parent, undefined, true), text: 'vlan/macvlan → lower device' },
    { explains: ['edge.collapsed'], mark: line(up, 1.5, undefined), text: 'pair to a box or bridge', hint: 'an end not drawn at this zoom: zoom in to see it' },
    { explains: ['edge.veth[traffic]', 'edge.veth[tw]', 'edge.veth.dropping'], mark: <span className="legend-text">1 Mb/s</span>, text: 'traffic (wider = more, red = drops)' },
  ];
  const shapes: Row[] = [
    { explains: ['node.iface'], mark: <span className="swatch veth" style={{ borderColor: up }} />, text: 'veth end' },
    { explains: ['node.other'], mark: <span className="swatch diamond" style={{ borderColor: up, background: t.other.fill }} />, text: 'other interface (NIC, vlan, tun…)' },
    { explains: ['node.lo'], mark: <span className="swatch lo" style={{ borderColor: up, background: t.lo.fill }} />, text: 'loopback' },
    { explains: ['node.bridge'], mark: <span className="swatch bridge" style={{ background: t.bridge.fill }} />, text: 'bridge' },
    { explains: ['node.namespace'], mark: <span className="swatch box" style={{ background: t.box.fill, borderColor: t.box.stroke }} />, text: 'namespace' },
    { explains: ['node.namespace.root'], mark: <span className="swatch rootns" style={{ background: t.hub.fill, borderColor: t.hub.stroke }} />, text: 'root namespace (host)' },
  ];
  const halos: Row[] = [
    { explains: ['node.selected', 'edge.highlight'], mark: halo(HALO.selected, 0.3), text: 'selected (its lines thicker)' },
    { explains: ['node.peer'], mark: halo(HALO.peer, 0.3), text: 'its peer' },
    { explains: ['node.related'], mark: halo(HALO.related, 0.2), text: 'on the way (ports, lower device)' },
    { explains: ['.dimmed', 'node.namespace.dimmed'], mark: <span className="swatch veth faded" style={{ borderColor: up }} />, text: 'faded: not related to the selection' },
    { explains: ['node.match'], mark: halo(HALO.match, 0.5), text: 'search match' },
    { explains: ['node.flash', 'edge.flash'], mark: halo(HALO.flash, 0.45), text: 'just changed (glows 1.6 s)' },
    { explains: ['.on-path', 'edge.on-path', 'node.on-path'], mark: line(HALO.path, 5), text: 'traced path (why)' },
    { explains: ['edge.path-fail', 'node.path-fail'], mark: line(HALO.fail, 5), text: 'first failing hop' },
  ];
  return (
    <details className="legend" data-testid="legend" aria-label="legend" open={open}
      onToggle={(e) => { const o = (e.currentTarget as HTMLDetailsElement).open; setOpen(o); saveOpen(o); }}>
      <summary>Legend</summary>
      <div className="legend-columns">
        <Column title="Link state" rows={states} />
        <Column title="Lines" rows={lines} />
        <Column title="Shapes" rows={shapes} />
        <Column title="Halos" rows={halos} />
      </div>
    </details>
  );
}

function Column({ title, rows }: { title: string; rows: Row[] }) {
  return (
    <div className="legend-column">
      <div className="legend-title">{title}</div>
      {rows.map((r) => (
        <div key={r.text} className="legend-row" title={r.hint} data-explains={r.explains.join('\n')}>
          <span className="legend-mark">{r.mark}</span>
          <span>{r.text}</span>
        </div>
      ))}
    </div>
  );
}

function readOpen(): boolean {
  try {
    return window.localStorage.getItem(OPEN_KEY) === 'open';
  } catch {
    return false;
  }
}

function saveOpen(open: boolean): void {
  try {
    window.localStorage.setItem(OPEN_KEY, open ? 'open' : 'closed');
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
