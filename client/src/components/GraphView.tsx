import type { InterfaceRates, Topology } from '@vethmap/shared';
import cytoscape, { type Core, type EventObject, type NodeSingular } from 'cytoscape';
import { startTransition, useContext, useEffect, useRef } from 'react';
import { buildModel, DETAIL_MIN_ZOOM, sceneElements, shownInterfaces, type Model } from '../graph/detail.js';
import { defaultViewOptions, toElements, type ViewOptions } from '../graph/elements.js';
import { applyHighlight, highlightFor, type Highlight } from '../graph/highlight.js';
import { interfaceLocator, layoutGeometry, layoutKey, type Point } from '../graph/layout.js';
import { patchGraph, placeNew, type PatchStats } from '../graph/patcher.js';
import { pinBackgrounding } from '../graph/quirks.js';
import { stylesheetFor } from '../graph/style.js';
import { DisplayContext } from '../state/theme.js';
import { applyPath, applyTraffic, pairsInView } from '../graph/overlay.js';
import type { PathMarks } from '../graph/path.js';
import { watchList } from '../graph/traffic.js';

/** What the rest of the page may do with the canvas. */
export interface GraphControl {
  cy: Core;
  /** Runs `fn` with every interface on the canvas (exports), within one task: no frame shows it. */
  withAllDetail<T>(fn: () => T): T;
  /** Zooms to an element by API id, drawing it first if the level of detail had left it out. */
  reveal(id: string): boolean;
}

declare global {
  interface Window {
    /** The cytoscape instance, for automation and for curious users in the console. */
    cy?: Core;
    /**
     * The topology version last drawn, so tests can wait for a diff to reach the canvas;
     * what the last draw changed on the canvas; how many interfaces the level of detail
     * left out; reveal() as in GraphControl.
     */
    vethmap?: { version: number; drawnAt: number; drawMs?: number; patched?: PatchStats; hidden: number; reveal: (id: string) => boolean };
  }
}

export interface FocusRequest { id: string; nonce: number }

interface Props {
  topology: Topology | null;
  options: ViewOptions;
  selection: string | null;
  focus: FocusRequest | null;
  onSelect: (id: string | null) => void;
  onControl: (control: GraphControl | null) => void;
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

interface Drawn { topology: Topology | null; options: ViewOptions | null; selection: string | null; shown: Set<string>; overview: boolean; marks: PathMarks | null }

/** After the viewport stops moving for this long, the interfaces in view are drawn. */
const SETTLE_MS = 120;
/** After draws stop for this long, the page says which interfaces' traffic it shows. */
const WATCH_SETTLE_MS = 300;

/**
 * Owns the cytoscape instance (no react-cytoscapejs: it re-diffs every element and re-runs
 * layouts on prop changes). React state flows in; changes are applied at most once per
 * animation frame, incrementally, and never by re-running the layout. On a big host only
 * the interfaces near the viewport are on the canvas (graph/detail.ts).
 */
export function GraphView({ topology, options, selection, focus, onSelect, onControl, onHidden, marks, rates, picking, onPick, onWatch }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const latest = useRef({ topology, options, selection, marks, rates, picking });
  latest.current = { topology, options, selection, marks, rates, picking };
  const handlers = useRef({ onSelect, onControl, onHidden, onPick, onWatch });
  handlers.current = { onSelect, onControl, onHidden, onPick, onWatch };
  const frame = useRef(0);
  const drawn = useRef<Drawn>({ topology: null, options: null, selection: null, shown: new Set(), overview: true, marks: null });
  const model = useRef<{ topology: Topology; options: ViewOptions; model: Model; layoutKey: string } | null>(null);
  /** How far the user dragged an interface away from its spot in its box. */
  const offsets = useRef(new Map<string, Point>());
  /** Boxes the user placed: a re-layout (lo toggled) leaves them where they were put. */
  const placedBoxes = useRef(new Set<string>());
  const allDetail = useRef(false);
  const watchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const match = useRef<string | null>(null);
  const { theme } = useContext(DisplayContext);
  const themeRef = useRef(theme);

  useEffect(() => {
    if (!container.current) return undefined;
    const cy = cytoscape({
      container: container.current,
      style: stylesheetFor(themeRef.current),
      minZoom: 0.01,
      maxZoom: 5,
      boxSelectionEnabled: false,
      autounselectify: true,
      // Panning a 3000-node graph redraws everything per event on a software canvas;
      // a texture of the last frame keeps it fluid, the real frame follows when it stops.
      textureOnViewport: true,
      motionBlur: false,
      // Not the experimental WebGL renderer: with software GL (SwiftShader, no GPU) the
      // frame reaches the screen later than the canvas one (measured at 3000 nodes).
    });
    pinBackgrounding(cy);
    cyRef.current = cy;
    window.cy = cy;
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) {
        handlers.current.onSelect(null);
        return;
      }
      const t = e.target as cytoscape.SingularElementReturnValue;
      // A click on a veth edge means the pair: select one end, the highlight shows both.
      const id = t.group() === 'edges' ? String(t.data('a') ?? t.data('source')) : t.id();
      if (latest.current.picking) {
        handlers.current.onPick(id);
        return;
      }
      // Draw now rather than after React's render and the next frame: the user is waiting
      // for exactly this frame.
      latest.current = { ...latest.current, selection: id };
      draw();
      // The side panel and the URL follow as a transition: React renders it in slices that
      // yield to the browser, where a plain update (20–40 ms for the panel) held the
      // highlight's frame at 1000 namespaces.
      startTransition(() => handlers.current.onSelect(id));
    });
    let settle: ReturnType<typeof setTimeout> | undefined;
    cy.on('viewport resize', () => {
      clearTimeout(settle);
      settle = setTimeout(requestDraw, SETTLE_MS);
    });
    // A box carries its interfaces: they are not compound children (detail.ts says why).
    let carried: { id: string; last: Point; kids: cytoscape.NodeCollection } | null = null;
    cy.on('grab', 'node.namespace', (e: EventObject) => {
      const box = e.target as NodeSingular;
      const id = box.id();
      carried = { id, last: { ...box.position() }, kids: cy.nodes('.iface').filter((n) => n.data('ns') === id) };
    });
    cy.on('drag', 'node.namespace', (e: EventObject) => {
      const box = e.target as NodeSingular;
      if (!carried || carried.id !== box.id()) return;
      const p = box.position();
      const d = { x: p.x - carried.last.x, y: p.y - carried.last.y };
      carried.last = { ...p };
      cy.batch(() => {
        carried?.kids.forEach((k) => {
          const q = k.position();
          k.position({ x: q.x + d.x, y: q.y + d.y });
        });
      });
    });
    cy.on('dragfree', 'node', (e: EventObject) => {
      const n = e.target as NodeSingular;
      if (n.hasClass('namespace')) {
        placedBoxes.current.add(n.id());
        carried = null;
        return;
      }
      const home = locator(false)(n.id());
      if (!home) return;
      const p = n.position();
      const o = offsets.current.get(n.id()) ?? { x: 0, y: 0 };
      offsets.current.set(n.id(), { x: o.x + p.x - home.x, y: o.y + p.y - home.y });
    });
    const control: GraphControl = { cy, withAllDetail, reveal };
    handlers.current.onControl(control);
    return () => {
      clearTimeout(settle);
      clearTimeout(watchTimer.current);
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      handlers.current.onControl(null);
      cy.destroy();
      cyRef.current = null;
      window.cy = undefined;
    };
  }, []);

  useEffect(requestDraw, [topology, options, selection, marks]);
  // A theme change restyles the canvas in place (one full frame); nothing is re-laid out.
  useEffect(() => {
    if (themeRef.current === theme) return;
    themeRef.current = theme;
    cyRef.current?.style(stylesheetFor(theme));
  }, [theme]);
  useEffect(() => {
    const cy = cyRef.current;
    if (cy) applyTraffic(cy, rates);
  }, [rates]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !focus) return;
    match.current = focus.id;
    // No animation: on a software canvas each animation step is a full frame.
    reveal(focus.id);
    cy.batch(() => {
      cy.$('.match').removeClass('match');
      cy.getElementById(focus.id).addClass('match');
    });
  }, [focus]);

  function requestDraw(): void {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      draw();
    });
  }

  function modelOf(t: Topology, o: ViewOptions): Model {
    const m = model.current;
    if (m && m.topology === t && m.options === o) return m.model;
    const elements = toElements(t, o);
    // Positions come from the unfiltered picture, so a filter never moves anything.
    const unfiltered = !o.hideDown && !o.focusNamespace ? elements : toElements(t, { ...defaultViewOptions, showLo: o.showLo });
    const key = layoutKey(unfiltered);
    const geometry = m && m.layoutKey === key ? m.model.geometry : layoutGeometry(unfiltered);
    const built = buildModel(elements, geometry);
    model.current = { topology: t, options: o, model: built, layoutKey: key };
    return built;
  }

  /**
   * Where interfaces are, or would be drawn (layout.ts interfaceLocator). From the model
   * rather than the canvas, so it costs the same drawn or not: the level of detail asks
   * for all 3000 on every settle. Without `withOffsets`: the spot a user's drag is measured from.
   */
  function locator(withOffsets = true): (id: string) => Point | undefined {
    const cy = cyRef.current;
    const m = model.current?.model;
    if (!cy || !m) return () => undefined;
    return interfaceLocator(m.geometry, (id) => m.nsOf.get(id), (ns) => {
      const box = cy.getElementById(ns);
      return box.nonempty() ? box.position() : undefined;
    }, (id) => (withOffsets ? offsets.current.get(id) : undefined));
  }

  function draw(): void {
    const cy = cyRef.current;
    const { topology: t, options: o, selection: sel, marks: path } = latest.current;
    if (!cy || !t) return;
    const started = performance.now();
    const before = drawn.current;
    const m = modelOf(t, o);
    const first = cy.elements().empty();
    const h = sel ? highlightFor(t, sel) : null;
    const pinned = [...pinnedBy(h, match.current), ...(path ? [...path.nodes, ...path.failNodes] : [])];
    const place = placeNew(cy, m.geometry, (id) => offsets.current.get(id));
    const where = locator();
    const shownNow = (extent: ReturnType<Core['extent']> | null) => shownInterfaces(m, { extent, zoom: cy.zoom(), all: allDetail.current, allUpTo: o.detailAll }, pinned, where);
    // Before the first fit the viewport means nothing: start from the overview.
    let shown = shownNow(first ? null : cy.extent());
    let changed = false;
    let patched: PatchStats = { added: 0, removed: 0, changed: 0 };
    let overview = isOverview(cy, first);
    if (before.topology !== t || before.options !== o || before.overview !== overview || !sameSet(shown, before.shown)) {
      patched = patchGraph(cy, sceneElements(m, shown, overview), place);
      changed = patched.added + patched.removed + patched.changed > 0;
      if (before.options && before.options.showLo !== o.showLo) relayout(cy, m);
    }
    if (first || (before.options && before.options.focusNamespace !== o.focusNamespace)) {
      fitOrCenter(cy, first ? sel : null);
      // The viewport is known now: draw what it shows (nothing more on a big host when fitted).
      const before2 = { shown, overview };
      shown = shownNow(cy.extent());
      overview = isOverview(cy, false);
      if (overview !== before2.overview || !sameSet(shown, before2.shown)) patchGraph(cy, sceneElements(m, shown, overview), place);
      changed = true;
    }
    if (changed || before.selection !== sel) applyHighlight(cy, h);
    if (changed || before.selection !== sel || before.marks !== path) applyPath(cy, path);
    // A new trace: show its whole path, beside the side panel.
    if (path && before.marks !== path) fitBeside(cy, Math.min(PANEL_W, cy.width() * 0.45), cy.$('.on-path, .path-fail'));
    if (changed) applyTraffic(cy, latest.current.rates);
    drawn.current = { topology: t, options: o, selection: sel, shown, overview, marks: path };
    scheduleWatch();
    const now = performance.now();
    const hidden = m.interfaces.length - shown.size;
    window.vethmap = { version: t.version, drawnAt: now, drawMs: now - started, patched, hidden, reveal };
    handlers.current.onHidden({ count: hidden, overview: hidden > 0 && overview });

    /**
     * The whole picture, beside the side panel when a selection opens it; on a big host,
     * where the whole picture is an overview, the selection up close instead.
     */
    function fitOrCenter(c: Core, selection: string | null): void {
      const inset = selection ? Math.min(PANEL_W, c.width() * 0.45) : 0;
      fitBeside(c, inset);
      const p = selection ? where(selection) ?? m.geometry.boxes.get(selection) : undefined;
      if (p && c.zoom() < DETAIL_MIN_ZOOM) {
        c.viewport({ zoom: 1.2, pan: { x: (c.width() - inset) / 2 - p.x * 1.2, y: c.height() / 2 - p.y * 1.2 } });
      }
    }
  }

  /**
   * Tells the page which interfaces' traffic it shows, once draws settle: off the click's
   * frame (walking every drawn pair costs a few ms at 1000 namespaces).
   */
  function scheduleWatch(): void {
    clearTimeout(watchTimer.current);
    watchTimer.current = setTimeout(() => {
      const cy = cyRef.current;
      const m = model.current?.model;
      const { topology: t, selection: sel, marks: path } = latest.current;
      if (!cy || !m || !t) return;
      const h = sel ? highlightFor(t, sel) : null;
      const priority = [...(h ? [h.selected, ...h.peers] : []), ...(path?.nodes ?? [])].filter((id) => id.startsWith('nif:'));
      handlers.current.onWatch(watchList(pairsInView(cy, (id) => m.nsOf.get(id)), priority));
    }, WATCH_SETTLE_MS);
  }

  /** lo toggled: boxes grow or shrink, so everything goes back to its layout spot except what the user placed. */
  function relayout(cy: Core, m: Model): void {
    cy.batch(() => {
      cy.nodes('.namespace').forEach((b) => {
        const r = m.geometry.boxes.get(b.id());
        if (r && !placedBoxes.current.has(b.id())) b.position({ x: r.x, y: r.y });
      });
      const where = locator();
      cy.nodes('.iface').forEach((n) => {
        const p = where(n.id());
        if (p) n.position(p);
      });
    });
  }

  function withAllDetail<T>(fn: () => T): T {
    allDetail.current = true;
    try {
      draw();
      return fn();
    } finally {
      allDetail.current = false;
      draw();
    }
  }

  function reveal(id: string): boolean {
    const cy = cyRef.current;
    const m = model.current?.model;
    if (!cy || !m) return false;
    const p = locator()(id) ?? m.geometry.boxes.get(id);
    if (!p) return false;
    const z = Math.max(cy.zoom(), 1.1);
    cy.viewport({ zoom: z, pan: { x: cy.width() / 2 - p.x * z, y: cy.height() / 2 - p.y * z } });
    draw();
    return cy.getElementById(id).nonempty();
  }

  return <div ref={container} className="graph" data-testid="graph" />;
}

/** The side panel's width (styles.css .panel): a fit keeps the picture clear of it. */
const PANEL_W = 400;

/** Like cy.fit, but into the area left of a right-hand inset, and never beyond 150 %. */
function fitBeside(cy: Core, inset: number, what: cytoscape.Collection = cy.elements()): void {
  if (what.empty()) return;
  const bb = what.boundingBox({ includeOverlays: false });
  if (bb.w <= 0 || bb.h <= 0) return;
  const w = cy.width() - inset - 60;
  const h = cy.height() - 60;
  const z = Math.max(cy.minZoom(), Math.min(1.5, w / bb.w, h / bb.h));
  cy.viewport({ zoom: z, pan: { x: (cy.width() - inset) / 2 - (bb.x1 + bb.w / 2) * z, y: cy.height() / 2 - (bb.y1 + bb.h / 2) * z } });
}

/** Zoomed out far enough that pairs are drawn box to bridge (detail.ts). */
function isOverview(cy: Core, first: boolean): boolean {
  return first || cy.zoom() < DETAIL_MIN_ZOOM;
}

/** What must be drawn whatever the viewport: the selection, what it lights up, the search match. */
function pinnedBy(h: Highlight | null, match: string | null): string[] {
  const out = h ? [h.selected, ...h.peers, ...h.related] : [];
  if (match) out.push(match);
  return out;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
