import type { InterfaceRates, Topology } from '@vethmap/shared';
import { startTransition, useContext, useEffect, useRef } from 'react';
import { GraphCanvas } from '../graph/canvas.js';
import type { ViewOptions } from '../graph/elements.js';
import type { PathMarks } from '../graph/path.js';
import { DisplayContext } from '../state/theme.js';

export interface FocusRequest { id: string; nonce: number }

interface Props {
  topology: Topology | null;
  options: ViewOptions;
  selection: string | null;
  focus: FocusRequest | null;
  onSelect: (id: string | null) => void;
  onControl: (canvas: GraphCanvas | null) => void;
  /** Interfaces not drawn (0 when everything is), and whether that is because of the zoom. */
  onHidden: (hidden: { count: number; overview: boolean }) => void;
  /** A trace's path to draw (why), or null. */
  marks: PathMarks | null;
  /** The latest traffic rates, by interface id. */
  rates: ReadonlyMap<string, InterfaceRates>;
  /** While true, a click picks a trace's destination instead of selecting (`onPick`). */
  picking: boolean;
  onPick: (id: string) => void;
  /** The interfaces whose rates the page needs now: called after each draw (the connection drops repeats). */
  onWatch: (ids: string[]) => void;
}

/**
 * The canvas in the page: React state flows into a GraphCanvas (graph/canvas.ts), which owns
 * cytoscape and draws incrementally, never by re-running the layout on a live change.
 */
export function GraphView({ topology, options, selection, focus, onSelect, onControl, onHidden, marks, rates, picking, onPick, onWatch }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const canvas = useRef<GraphCanvas | null>(null);
  const handlers = useRef({ onSelect, onControl, onHidden, onPick, onWatch });
  handlers.current = { onSelect, onControl, onHidden, onPick, onWatch };
  const { theme } = useContext(DisplayContext);
  const themeAtStart = useRef(theme);

  useEffect(() => {
    if (!container.current) return undefined;
    const c = new GraphCanvas(container.current, {
      // The side panel and the URL follow a click as a transition: React renders them in
      // slices that yield to the browser, so the highlight's own frame is not held up.
      select: (id) => (id === null ? handlers.current.onSelect(null) : startTransition(() => handlers.current.onSelect(id))),
      hidden: (h) => handlers.current.onHidden(h),
      pick: (id) => handlers.current.onPick(id),
      watch: (ids) => handlers.current.onWatch(ids),
    }, { topology, options, selection, marks, picking }, themeAtStart.current);
    canvas.current = c;
    handlers.current.onControl(c);
    return () => {
      handlers.current.onControl(null);
      c.destroy();
      canvas.current = null;
    };
  }, []);

  useEffect(() => canvas.current?.set({ topology, options, selection, marks, picking }), [topology, options, selection, marks, picking]);
  useEffect(() => canvas.current?.setRates(rates), [rates]);
  useEffect(() => canvas.current?.setTheme(theme), [theme]);

  useEffect(() => {
    if (focus) canvas.current?.focus(focus.id);
  }, [focus]);

  // Reachable by Tab; the page's keys (f, +, -, /, Escape) work from here.
  return <div ref={container} className="graph" data-testid="graph" tabIndex={0} role="img" aria-label="network map (f: fit, + and -: zoom, /: search, Escape: clear)" />;
}
