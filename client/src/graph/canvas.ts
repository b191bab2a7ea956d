import type { InterfaceRates, Point, Topology } from '@vethmap/shared';
import cytoscape, { type Core, type EventObject } from 'cytoscape';
import { DETAIL_MIN_ZOOM, sceneElements, shownInterfaces } from './detail.js';
import { Drag } from './drag.js';
import type { NodeDef, ViewOptions } from './elements.js';
import { applyHighlight, highlightFor, type Highlight } from './highlight.js';
import { buildModel, type Model } from './model.js';
import { applyPath, applyTraffic, pairsInView } from './overlay.js';
import type { PathMarks } from './path.js';
import { patchGraph, type PatchStats } from './patcher.js';
import { pinBackgrounding } from './quirks.js';
import { stylesheetFor, type ThemeName } from './style.js';
import { Tooltip } from './tooltip.js';
import { watchList } from './traffic.js';

declare global {
  interface Window {
    /** The cytoscape instance, for automation and for curious users in the console. */
    cy?: Core;
    /**
     * The topology version last drawn, so tests can wait for a diff to reach the canvas;
     * what the last draw changed on the canvas; how many interfaces the level of detail
     * left out; reveal() as in GraphCanvas; the model drawn (layout and what is shown).
     */
    vethmap?: { version: number; drawnAt: number; drawMs?: number; patched?: PatchStats; hidden: number; reveal: (id: string) => boolean; model?: Model };
  }
}

export interface CanvasState {
  topology: Topology | null;
  options: ViewOptions;
  selection: string | null;
  /** A trace's path to draw (why), or null. */
  marks: PathMarks | null;
  /** While true, a click picks a trace's destination (`events.pick`) instead of selecting. */
  picking: boolean;
}

export interface CanvasEvents {
  /** A click chose an element (null: the background). */
  select: (id: string | null) => void;
  /** Interfaces not drawn (0 when everything is), and whether that is because of the zoom. */
  hidden: (hidden: { count: number; overview: boolean }) => void;
  /** A click picked a trace's destination (while `picking`). */
  pick: (id: string) => void;
  /** The interfaces whose traffic the page shows now, once draws settle (the connection drops repeats). */
  watch: (ids: string[]) => void;
}

interface Drawn { topology: Topology | null; options: ViewOptions | null; selection: string | null; shown: Set<string>; overview: boolean; marks: PathMarks | null }

/** After the viewport stops moving for this long, the interfaces in view are drawn. */
const SETTLE_MS = 120;
/** After draws stop for this long, the page says which interfaces' traffic it shows. */
const WATCH_SETTLE_MS = 300;
/**
 * Below this zoom a pair's traffic cannot be seen: its label is hidden (9 px under the 6 px
 * floor), and the busiest line is under 1.4 px wider than a quiet one. The map's pairs are
 * not watched there, only the selection's and a trace's interfaces: at 1000 namespaces each
 * sample restyled hundreds of pairs and cost the fitted overview a 60–75 ms frame a second.
 */
export const TRAFFIC_MIN_ZOOM = 0.2;
/** How long a changed element glows (style.ts `.flash`). */
export const FLASH_MS = 1600;
/** How far an undrawn interface's label may reach from its centre (SIZE.labelMax + the node). */
const LABEL_ROOM = 110;
/** The side panel's width (styles.css .panel): what its closing gives back. */
const PANEL_W = 400;

/** Room the panels over the map take on each side (px): a fit keeps the picture clear of them. */
interface Insets {
  left: number;
  right: number;
}
const NO_INSETS: Insets = { left: 0, right: 0 };

/**
 * The canvas: owns the cytoscape instance and draws topology + options + selection onto it,
 * at most once per animation frame, incrementally, with the level of detail of detail.ts.
 * A plain class, so the page's React component stays a thin wrapper and others (tests,
 * tools) can drive it. State flows in through `set`; clicks flow out through `events`.
 */
export class GraphCanvas {
  readonly cy: Core;
  private state: CanvasState;
  private frame = 0;
  private settle: ReturnType<typeof setTimeout> | undefined;
  private drawn: Drawn = { topology: null, options: null, selection: null, shown: new Set(), overview: true, marks: null };
  private rates: ReadonlyMap<string, InterfaceRates> = new Map();
  private watchTimer: ReturnType<typeof setTimeout> | undefined;
  private model: Model | null = null;
  private allDetail = false;
  private match: string | null = null;
  /** The stylesheet shows addresses (ViewOptions.showAddresses as last applied). */
  private addresses = false;
  private readonly drag: Drag;
  private readonly tooltip: Tooltip;

  constructor(container: HTMLElement, private readonly events: CanvasEvents, initial: CanvasState, private theme: ThemeName = 'light') {
    this.state = initial;
    this.cy = cytoscape({
      container,
      style: stylesheetFor(theme),
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
    pinBackgrounding(this.cy);
    this.drag = new Drag(this.cy, () => this.model);
    this.tooltip = new Tooltip(this.cy, () => this.state.topology);
    this.cy.on('tap', (e: EventObject) => this.onTap(e));
    this.cy.on('viewport resize', () => {
      clearTimeout(this.settle);
      this.settle = setTimeout(() => this.requestDraw(), SETTLE_MS);
    });
    window.cy = this.cy;
  }

  /** New React state: drawn in the next animation frame. */
  set(state: CanvasState): void {
    this.state = state;
    this.requestDraw();
  }

  /** The latest traffic rates, by interface id: written on the drawn veth edges at once. */
  setRates(rates: ReadonlyMap<string, InterfaceRates>): void {
    this.rates = rates;
    applyTraffic(this.cy, rates);
  }

  /** Restyles the canvas for a theme in place (one full frame; nothing is laid out again). */
  setTheme(theme: ThemeName): void {
    if (theme === this.theme) return;
    this.theme = theme;
    this.cy.style(stylesheetFor(theme, { addresses: this.addresses }));
  }

  /**
   * Flashes what just changed (timeline entries' elements, by API id: an interface, else its
   * namespace's box) for FLASH_MS, and says how many of them lie outside the view. A class
   * on those few elements only: nothing is patched or laid out again.
   */
  flash(ids: readonly string[]): number {
    const cy = this.cy;
    const m = this.model;
    if (!m) return 0;
    const ext = cy.extent();
    let offscreen = 0;
    let lit = cy.collection();
    for (const id of new Set(ids)) {
      const box = m.boxes.get(id);
      const p = this.drag.where(id) ?? (box ? { x: (box.rect.x1 + box.rect.x2) / 2, y: (box.rect.y1 + box.rect.y2) / 2 } : undefined);
      if (!p) continue;
      if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) offscreen++;
      const el = cy.getElementById(id);
      if (el.nonempty()) lit = lit.union(el);
    }
    if (lit.nonempty()) {
      lit.addClass('flash');
      setTimeout(() => {
        if (!cy.destroyed()) lit.removeClass('flash');
      }, FLASH_MS);
    }
    return offscreen;
  }

  /** Clears the search match's halo and any change's glow (Escape). */
  clearMatch(): void {
    this.match = null;
    this.cy.$('.match, .flash').removeClass('match flash');
  }

  /** Marks and zooms to a search match (drawn whatever the level of detail). */
  focus(id: string): void {
    this.match = id;
    // No animation: on a software canvas each animation step is a full frame.
    this.reveal(id);
    this.cy.batch(() => {
      this.cy.$('.match').removeClass('match');
      this.cy.getElementById(id).addClass('match');
    });
    this.framePair(id);
  }

  /**
   * Frames an element with its peers (a veth's other end, wherever it is) beside the side
   * panel, from the layout's positions: the far end need not be drawn yet. Zooms out only
   * as far as needed (never beyond 150 %).
   */
  private framePair(id: string): void {
    if (this.frameView(id)) this.draw();
  }

  /** framePair's viewport, without drawing; false when there is nothing to frame. */
  private frameView(id: string): boolean {
    const t = this.state.topology;
    const m = this.model;
    if (!t || !m) return false;
    const h = highlightFor(t, id);
    const cy = this.cy;
    // Each end with its label: as drawn (a box or a bridge is wide), else from the layout
    // with room for a label on any side (the far end need not be drawn yet).
    const boxes = [id, ...(h?.peers ?? [])].flatMap((x) => {
      const drawn = cy.getElementById(x);
      if (drawn.nonempty()) return [drawn.boundingBox({ includeOverlays: false })];
      const p = this.whereOf(x);
      return p ? [{ x1: p.x - LABEL_ROOM, x2: p.x + LABEL_ROOM, y1: p.y - 30, y2: p.y + 30 }] : [];
    });
    if (boxes.length === 0) return false;
    const pad = 12;
    const bb = { x1: Math.min(...boxes.map((b) => b.x1)) - pad, y1: Math.min(...boxes.map((b) => b.y1)) - pad, x2: Math.max(...boxes.map((b) => b.x2)) + pad, y2: Math.max(...boxes.map((b) => b.y2)) + pad };
    viewInto(cy, { x1: bb.x1, y1: bb.y1, w: bb.x2 - bb.x1, h: bb.y2 - bb.y1 }, this.insets());
    return true;
  }

  /** The whole picture in the room the open panels leave (the Fit button, `f`). */
  fit(): void {
    fitBeside(this.cy, this.insets());
  }

  /**
   * What the panels over the map (marked `data-overlay="left|right"`, siblings of the
   * canvas) cover of it now: measured, as their widths are capped by the window's.
   */
  private insets(): Insets {
    const host = this.cy.container();
    if (!host?.parentElement) return NO_INSETS;
    const c = host.getBoundingClientRect();
    const out = { left: 0, right: 0 };
    for (const el of host.parentElement.querySelectorAll<HTMLElement>(':scope > [data-overlay]')) {
      const r = el.getBoundingClientRect();
      if (el.dataset.overlay === 'left') out.left = Math.max(out.left, Math.min(c.width / 2, r.right - c.left));
      else if (el.dataset.overlay === 'right') out.right = Math.max(out.right, Math.min(c.width / 2, c.right - r.left));
    }
    return out;
  }

  /** Where an element is in the layout (an interface, as moved by the user; a box's centre). */
  private whereOf(id: string): Point | undefined {
    const box = this.model?.boxes.get(id);
    return this.drag.where(id) ?? (box ? { x: (box.rect.x1 + box.rect.x2) / 2, y: (box.rect.y1 + box.rect.y2) / 2 } : undefined);
  }

  destroy(): void {
    clearTimeout(this.settle);
    clearTimeout(this.watchTimer);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.tooltip.destroy();
    this.cy.destroy();
    if (window.cy === this.cy) window.cy = undefined;
  }

  /** Runs `fn` with every interface on the canvas (exports, tools), within one task: no frame shows it. */
  withAllDetail<T>(fn: () => T): T {
    this.allDetail = true;
    try {
      this.draw();
      return fn();
    } finally {
      this.allDetail = false;
      this.draw();
    }
  }

  /** Zooms to an element by API id, drawing it first if the level of detail had left it out. */
  reveal(id: string): boolean {
    const m = this.model;
    if (!m) return false;
    const box = m.boxes.get(id);
    const p = this.drag.where(id) ?? (box ? { x: (box.rect.x1 + box.rect.x2) / 2, y: (box.rect.y1 + box.rect.y2) / 2 } : undefined);
    if (!p) return false;
    const cy = this.cy;
    const z = Math.max(cy.zoom(), 1.1);
    cy.viewport({ zoom: z, pan: { x: cy.width() / 2 - p.x * z, y: cy.height() / 2 - p.y * z } });
    this.draw();
    return cy.getElementById(id).nonempty();
  }

  /** The model last drawn (layout and what the options let through). */
  current(): Model | null {
    return this.model;
  }

  private onTap(e: EventObject): void {
    if (e.target === this.cy) {
      this.events.select(null);
      return;
    }
    const t = e.target as cytoscape.SingularElementReturnValue;
    // A click on a veth edge means the pair: select one end, the highlight shows both.
    const id = t.group() === 'edges' ? String(t.data('a') ?? t.data('source')) : t.id();
    if (this.state.picking) {
      this.events.pick(id);
      return;
    }
    // Draw now rather than after React's render and the next frame: the user is waiting
    // for exactly this frame.
    this.state = { ...this.state, selection: id };
    this.draw();
    this.events.select(id);
  }

  private requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private modelOf(t: Topology, o: ViewOptions): Model {
    const m = this.model;
    if (m && m.topology === t && m.options === o) return m;
    this.model = buildModel(t, o, m);
    return this.model;
  }

  /** Where a node goes on the canvas: its layout spot, moved as the user moved it or its box. */
  private readonly place = (def: NodeDef): Point => this.drag.place(def);

  private draw(): void {
    const cy = this.cy;
    const { topology: t, options: o, selection: sel, marks: path } = this.state;
    if (!t) return;
    const started = performance.now();
    const before = this.drawn;
    if (o.showAddresses !== this.addresses) {
      this.addresses = o.showAddresses;
      cy.style(stylesheetFor(this.theme, { addresses: this.addresses }));
    }
    const m = this.modelOf(t, o);
    const first = cy.elements().empty();
    const h = sel ? highlightFor(t, sel) : null;
    const pinned = [...pinnedBy(h, this.match), ...(path ? [...path.nodes, ...path.failNodes] : [])];
    const where = (id: string) => this.drag.where(id);
    const shownNow = (extent: ReturnType<Core['extent']> | null) => shownInterfaces(m, { extent, zoom: cy.zoom(), all: this.allDetail, allUpTo: o.detailAll }, pinned, where);
    // Before the first fit the viewport means nothing: start from the overview.
    let shown = shownNow(first ? null : cy.extent());
    let changed = false;
    let patched: PatchStats = { added: 0, removed: 0, changed: 0, moved: 0 };
    let overview = isOverview(cy, first);
    if (before.topology !== t || before.options !== o || before.overview !== overview || !sameSet(shown, before.shown)) {
      patched = patchGraph(cy, sceneElements(m, shown, overview), this.place);
      changed = patched.added + patched.removed + patched.changed + patched.moved > 0;
    }
    const refilter = !!before.options && filtersChanged(before.options, o);
    if (first || refilter) {
      // A filter changes what there is to see: show all of it (beside the panel if open).
      // A link to a selection opens on it, framed with its peer at a readable zoom (the
      // whole picture squeezed beside the panel put labels at 8 px on the demo lab).
      if (!(first && sel && this.frameView(sel))) this.fitOrCenter(m, sel);
      // The viewport is known now: draw what it shows (nothing more on a big host when fitted).
      const before2 = { shown, overview };
      shown = shownNow(cy.extent());
      overview = isOverview(cy, false);
      if (overview !== before2.overview || !sameSet(shown, before2.shown)) patchGraph(cy, sceneElements(m, shown, overview), this.place);
      changed = true;
    }
    // The side panel closed (Escape, its ×, a click on the background): give its room back.
    if (!first && !refilter && before.selection && !sel) this.afterPanel(m);
    if (changed) this.drag.freeMovedEdges();
    if (changed || before.selection !== sel) applyHighlight(cy, h);
    if (changed || before.selection !== sel || before.marks !== path) applyPath(cy, path);
    // A new trace: show its whole path, beside the side panel.
    if (path && before.marks !== path) fitBeside(cy, this.insets(), cy.$('.on-path, .path-fail'));
    if (changed) applyTraffic(cy, this.rates);
    this.drawn = { topology: t, options: o, selection: sel, shown, overview, marks: path };
    this.scheduleWatch();
    const now = performance.now();
    const hidden = m.interfaces.length - shown.size;
    window.vethmap = { version: t.version, drawnAt: now, drawMs: now - started, patched, hidden, reveal: (id) => this.reveal(id), model: m };
    this.events.hidden({ count: hidden, overview: hidden > 0 && overview });
  }

  /**
   * Tells the page which interfaces' traffic it shows, once draws settle: off the click's
   * frame (walking every drawn pair costs a few ms at 1000 namespaces).
   */
  private scheduleWatch(): void {
    clearTimeout(this.watchTimer);
    this.watchTimer = setTimeout(() => {
      const m = this.model;
      const { topology: t, selection: sel, marks: path } = this.state;
      if (!m || !t) return;
      const h = sel ? highlightFor(t, sel) : null;
      const priority = [...(h ? [h.selected, ...h.peers] : []), ...(path?.nodes ?? [])].filter((id) => id.startsWith('nif:'));
      const pairs = this.cy.zoom() >= TRAFFIC_MIN_ZOOM ? pairsInView(this.cy, (id) => m.nsOf.get(id)) : [];
      this.events.watch(watchList(pairs, priority));
    }, WATCH_SETTLE_MS);
  }

  /**
   * After the side panel closes: the whole picture again where that is still a picture (not
   * an overview); on a big host, the same place, re-centred in the room the panel left.
   */
  private afterPanel(m: Model): void {
    const cy = this.cy;
    const insets = this.insets();
    const z = fitZoom(cy, insets);
    if (z !== null && z >= DETAIL_MIN_ZOOM) {
      fitBeside(cy, insets);
    } else {
      cy.panBy({ x: Math.min(PANEL_W, cy.width() * 0.45) / 2, y: 0 });
    }
    const shown = shownInterfaces(m, { extent: cy.extent(), zoom: cy.zoom(), all: this.allDetail, allUpTo: this.state.options.detailAll }, pinnedBy(null, this.match), (id) => this.drag.where(id));
    if (!sameSet(shown, this.drawn.shown)) this.requestDraw();
  }

  /**
   * The whole picture, beside the side panel when a selection opens it; on a big host,
   * where the whole picture is an overview, the selection up close instead.
   */
  private fitOrCenter(m: Model, selection: string | null): void {
    const cy = this.cy;
    const insets = this.insets();
    fitBeside(cy, insets);
    const box = selection ? m.boxes.get(selection) : undefined;
    const p = selection ? this.drag.where(selection) ?? (box ? { x: (box.rect.x1 + box.rect.x2) / 2, y: (box.rect.y1 + box.rect.y2) / 2 } : undefined) : undefined;
    if (p && cy.zoom() < DETAIL_MIN_ZOOM) {
      cy.viewport({ zoom: 1.2, pan: { x: insets.left + (cy.width() - insets.left - insets.right) / 2 - p.x * 1.2, y: cy.height() / 2 - p.y * 1.2 } });
    }
  }
}

/** The filters (not the level of detail or the labels) differ: what there is to see changed. */
function filtersChanged(a: ViewOptions, b: ViewOptions): boolean {
  return a.showLo !== b.showLo || a.hideDown !== b.hideDown || a.focusNamespace !== b.focusNamespace || (!!b.focusNamespace && a.focusDepth !== b.focusDepth);
}

/** The zoom that shows a box of `w`×`h` model units in the room the panels leave, at most 150 %. */
function zoomFor(cy: Core, w: number, h: number, insets: Insets): number {
  const room = cy.width() - insets.left - insets.right - 60;
  return Math.max(cy.minZoom(), Math.min(1.5, room / w, (cy.height() - 60) / h));
}

/** Centres a model-space box in the room the panels leave, as large as zoomFor allows. */
function viewInto(cy: Core, bb: { x1: number; y1: number; w: number; h: number }, insets: Insets): void {
  const z = zoomFor(cy, bb.w, bb.h, insets);
  const roomCentre = insets.left + (cy.width() - insets.left - insets.right) / 2;
  cy.viewport({ zoom: z, pan: { x: roomCentre - (bb.x1 + bb.w / 2) * z, y: cy.height() / 2 - (bb.y1 + bb.h / 2) * z } });
}

/** The zoom fitBeside would choose, or null when there is nothing to fit. */
function fitZoom(cy: Core, insets: Insets, what: cytoscape.Collection = cy.elements()): number | null {
  if (what.empty()) return null;
  const bb = what.boundingBox({ includeOverlays: false });
  if (bb.w <= 0 || bb.h <= 0) return null;
  return zoomFor(cy, bb.w, bb.h, insets);
}

/** Like cy.fit, but into the room the panels over the map leave, and never beyond 150 %. */
function fitBeside(cy: Core, insets: Insets, what: cytoscape.Collection = cy.elements()): void {
  if (what.empty()) return;
  const bb = what.boundingBox({ includeOverlays: false });
  if (bb.w <= 0 || bb.h <= 0) return;
  viewInto(cy, bb, insets);
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
