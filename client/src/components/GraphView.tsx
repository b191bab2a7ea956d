import type { Topology } from '@vethmap/shared';
import cytoscape, { type Core, type EventObject } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { defaultViewOptions, toElements, type ViewOptions } from '../graph/elements.js';
import { applyHighlight, highlightFor } from '../graph/highlight.js';
import { layoutPositions } from '../graph/layout.js';
import { patchGraph, placeNear } from '../graph/patcher.js';
import { stylesheet } from '../graph/style.js';

declare global {
  interface Window {
    /** The cytoscape instance, for automation and for curious users in the console. */
    cy?: Core;
    /** The topology version last drawn, so tests can wait for a diff to reach the canvas. */
    vethmap?: { version: number; drawnAt: number; drawMs?: number };
  }
}

export interface FocusRequest { id: string; nonce: number }

interface Props {
  topology: Topology | null;
  options: ViewOptions;
  selection: string | null;
  focus: FocusRequest | null;
  onSelect: (id: string | null) => void;
  onCy: (cy: Core | null) => void;
}

interface Drawn { topology: Topology | null; options: ViewOptions | null; selection: string | null }

/**
 * Owns the cytoscape instance (no react-cytoscapejs: it re-diffs every element and re-runs
 * layouts on prop changes). React state flows in; changes are applied at most once per
 * animation frame, incrementally, and never by re-running the layout.
 */
export function GraphView({ topology, options, selection, focus, onSelect, onCy }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const latest = useRef({ topology, options, selection });
  latest.current = { topology, options, selection };
  const handlers = useRef({ onSelect, onCy });
  handlers.current = { onSelect, onCy };
  const frame = useRef(0);
  const drawn = useRef<Drawn>({ topology: null, options: null, selection: null });
  /** Nodes the user dragged: a re-layout (lo toggled) leaves them where they were put. */
  const dragged = useRef(new Set<string>());

  useEffect(() => {
    if (!container.current) return undefined;
    const cy = cytoscape({
      container: container.current,
      style: stylesheet,
      minZoom: 0.01,
      maxZoom: 5,
      boxSelectionEnabled: false,
      autounselectify: true,
      // Panning a 3000-node graph redraws everything per event on a software canvas;
      // a texture of the last frame keeps it fluid, the real frame follows when it stops.
      textureOnViewport: true,
      motionBlur: false,
      // Not the experimental WebGL renderer: with software GL (SwiftShader, no GPU) its
      // render() is 20 ms instead of 55–175 ms at 3000 nodes, but the frame reaches the
      // screen later than the canvas one (150 vs 105 ms zoomed in, 300 vs 250 ms fitted).
    });
    cyRef.current = cy;
    window.cy = cy;
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) {
        handlers.current.onSelect(null);
        return;
      }
      const t = e.target as cytoscape.SingularElementReturnValue;
      // A click on a veth edge means the pair: select one end, the highlight shows both.
      const id = t.group() === 'edges' ? (t.data('source') as string) : t.id();
      // Highlight now rather than after React's render and the next frame: at 3000 nodes
      // the frame is what costs, and the user is waiting for exactly this one.
      const topo = latest.current.topology;
      if (topo) {
        applyHighlight(cy, highlightFor(topo, id));
        drawn.current = { ...drawn.current, selection: id };
      }
      handlers.current.onSelect(id);
    });
    cy.on('dragfree', 'node', (e: EventObject) => {
      const n = e.target as cytoscape.NodeSingular;
      dragged.current.add(n.id());
      n.descendants().forEach((d) => {
        dragged.current.add(d.id());
      });
    });
    handlers.current.onCy(cy);
    return () => {
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      handlers.current.onCy(null);
      cy.destroy();
      cyRef.current = null;
      window.cy = undefined;
    };
  }, []);

  useEffect(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      draw();
    });
  }, [topology, options, selection]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !focus) return;
    const node = cy.getElementById(focus.id);
    if (node.empty()) return;
    cy.batch(() => {
      cy.$('.match').removeClass('match');
      node.addClass('match');
    });
    // No animation: on a software canvas each animation step is a full frame.
    cy.zoom(Math.max(cy.zoom(), 1.1));
    cy.center(node);
  }, [focus]);

  function draw(): void {
    const cy = cyRef.current;
    const { topology: t, options: o, selection: sel } = latest.current;
    if (!cy || !t) return;
    const started = performance.now();
    const before = drawn.current;
    const first = cy.elements().empty();
    if (before.topology !== t || before.options !== o) {
      const layoutInput = () => toElements(t, { ...defaultViewOptions, showLo: o.showLo });
      const elements = toElements(t, o);
      if (first) {
        const positions = layoutPositions(layoutInput());
        patchGraph(cy, elements, () => positions);
      } else {
        patchGraph(cy, elements, (nodes) => placeNear(cy, layoutPositions(layoutInput()))(nodes));
      }
      if (before.options && before.options.showLo !== o.showLo) relayout(cy, layoutPositions(layoutInput()));
      if (first || before.options?.focusNamespace !== o.focusNamespace) fitOrCenter(cy, first ? sel : null);
    }
    if (before.topology !== t || before.selection !== sel) {
      applyHighlight(cy, sel ? highlightFor(t, sel) : null);
    }
    drawn.current = { topology: t, options: o, selection: sel };
    const now = performance.now();
    window.vethmap = { version: t.version, drawnAt: now, drawMs: now - started };
  }

  function relayout(cy: Core, positions: ReturnType<typeof layoutPositions>): void {
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        const p = positions.get(n.id());
        if (p && !n.isParent() && !dragged.current.has(n.id())) n.position(p);
      });
    });
  }

  return <div ref={container} className="graph" data-testid="graph" />;
}

function fitOrCenter(cy: Core, selection: string | null): void {
  const sel = selection ? cy.getElementById(selection) : cy.collection();
  if (sel.nonempty()) {
    cy.zoom(1.2);
    cy.center(sel);
  } else {
    cy.fit(cy.elements(), 30);
  }
}
