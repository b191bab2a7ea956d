import { SIZE, type Diagram, type PlacedInterface, type PlacedLink, type Rect } from '../geometry.js';
import { dashArray, LINE_WIDTH, STATE_LOOK, THEMES, type Theme, type ThemeName } from '../style.js';
import type { LinkState } from '../../state.js';
import { ellipsis, escapeXml, num } from './xml.js';

/**
 * A diagram as a standalone SVG document: the frame documentation wants (title, time of the
 * snapshot, legend, light or dark) around the very boxes, interfaces and routed lines the
 * page draws. The page rasterises this for its PNG, `vethmap export` with resvg: one
 * picture everywhere. Names are untrusted; they enter only as escaped text and attributes.
 */
export interface SvgOptions {
  theme?: ThemeName;
  /** Bold first line, e.g. the host name. */
  title?: string;
  /** Second line, e.g. the snapshot's time and version, and the scope. */
  subtitle?: string;
  legend?: boolean;
  /** Pixels per model unit in the width/height attributes (the viewBox stays in model units). */
  scale?: number;
  /** How text is written: `<text>` by default; glyph outlines for a renderer slow at text (resvg). */
  textAs?: TextRenderer;
}

/** One label: where its baseline starts (by anchor), its size, weight and colour, the text itself. */
export interface TextSpec { x: number; y: number; size: number; bold: boolean; anchor: 'start' | 'middle' | 'end'; fill: string; text: string }

/** Writes labels some other way than `<text>` (and what they need in `<defs>`). */
export interface TextRenderer {
  text(t: TextSpec): string;
  defs(): string;
}

/** The plain SVG way. */
const TEXT: TextRenderer = {
  text: (t) => `<text x="${num(t.x)}" y="${num(t.y)}" font-size="${num(t.size)}"${t.bold ? ' font-weight="bold"' : ''}${t.anchor === 'start' ? '' : ` text-anchor="${t.anchor}"`} fill="${t.fill}">${escapeXml(t.text)}</text>`,
  defs: () => '',
};

/** Where an interface's label goes: below it, above it (bottom side), or beside it (left/right side). */
export function labelPlacement(i: Pick<PlacedInterface, 'at' | 'labelSide' | 'look'>): { x: number; y: number; anchor: 'start' | 'middle' | 'end' } {
  const r = (i.look === 'lo' ? SIZE.lo : SIZE.iface) / 2;
  const { x, y } = i.at;
  switch (i.labelSide) {
    case 'center': return { x, y: y + SIZE.bridgeFont * 0.35, anchor: 'middle' };
    case 'above': return { x, y: y - r - 5, anchor: 'middle' };
    case 'right': return { x: x + r + 4, y: y + 3.5, anchor: 'start' };
    case 'above-right': return { x: x + 4, y: y - r - 5, anchor: 'start' };
    case 'below-right': return { x: x + 4, y: y + r + 11, anchor: 'start' };
    case 'below-left': return { x: x - 4, y: y + r + 11, anchor: 'end' };
    default: return { x, y: y + r + 11, anchor: 'middle' };
  }
}

const FONT = 'DejaVu Sans, Verdana, system-ui, sans-serif';
const PAD = 24;

/** The frame's size above the drawing. */
function headerHeight(o: SvgOptions): number {
  return (o.title ? 30 : 0) + (o.subtitle ? 20 : 0) + (o.legend ? 30 : 0) + (o.title || o.subtitle || o.legend ? 12 : 0);
}

/** The document's area in model units (its size at scale 1), frame included. */
export function svgSize(d: Diagram, o: SvgOptions = {}): { x0: number; y0: number; w: number; h: number } {
  const b = d.bounds;
  const head = headerHeight(o);
  const longest = Math.max(o.title?.length ?? 0, (o.subtitle?.length ?? 0) * 0.65);
  return { x0: b.x1 - PAD, y0: b.y1 - PAD - head, w: Math.max(b.x2 - b.x1 + 2 * PAD, o.legend ? legendWidth() + 2 * PAD : 0, longest * 13 + 2 * PAD), h: b.y2 - b.y1 + 2 * PAD + head };
}

export function toSvg(d: Diagram, o: SvgOptions = {}): string {
  const theme = THEMES[o.theme ?? 'light'];
  const { x0, y0, w, h } = svgSize(d, o);
  const scale = o.scale ?? 1;
  const text = o.textAs ?? TEXT;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${num(x0)} ${num(y0)} ${num(w)} ${num(h)}" width="${num(w * scale)}" height="${num(h * scale)}" font-family="${FONT}">`);
  if (o.title) out.push(`<title>${escapeXml(o.title)}</title>`);
  out.push(`<rect class="background" x="${num(x0)}" y="${num(y0)}" width="${num(w)}" height="${num(h)}" fill="${theme.background}"/>`);
  out.push(...frame(o, theme, x0 + PAD, y0 + PAD, text));
  out.push(...boxes(d, theme, text));
  out.push(...lines(d, theme));
  out.push(...interfaces(d.interfaces, theme, text));
  const defs = text.defs();
  if (defs) out.push(`<defs>${defs}</defs>`);
  out.push('</svg>');
  return out.join('\n');
}

/** Where each legend entry starts, from the legend's left edge (12 px labels at ~7.5 px a character). */
function legendStops(): { states: number[]; bridge: number; iface: number; hub: number } {
  const states: number[] = [];
  let lx = 0;
  for (const s of Object.keys(STATE_LOOK) as LinkState[]) {
    states.push(lx);
    lx += 40 + STATE_LOOK[s].label.length * 7.5 + 18;
  }
  const bridge = lx;
  const iface = bridge + 36 + 6 * 7.5 + 18;
  return { states, bridge, iface, hub: iface + 20 + 9 * 7.5 + 18 };
}

/** The legend's width, its last label ('root namespace') included: a narrow picture is made this wide. */
export function legendWidth(): number {
  return legendStops().hub + 30 + 'root namespace'.length * 7.5;
}

/** Title, subtitle and legend, top left. */
function frame(o: SvgOptions, theme: Theme, x: number, top: number, t: TextRenderer): string[] {
  const out: string[] = ['<g class="frame">'];
  let y = top;
  if (o.title) {
    y += 22;
    out.push(t.text({ x, y, size: 20, bold: true, anchor: 'start', fill: theme.text, text: o.title }));
    y += 8;
  }
  if (o.subtitle) {
    y += 16;
    out.push(t.text({ x, y, size: 13, bold: false, anchor: 'start', fill: theme.muted, text: o.subtitle }));
    y += 4;
  }
  if (o.legend) {
    y += 22;
    const at = legendStops();
    let lx = x;
    for (const [k, s] of (Object.keys(STATE_LOOK) as LinkState[]).entries()) {
      lx = x + (at.states[k] ?? 0);
      out.push(`<line x1="${num(lx)}" y1="${num(y - 4)}" x2="${num(lx + 30)}" y2="${num(y - 4)}" stroke="${theme.state(s)}" stroke-width="3"${dash(STATE_LOOK[s].line, 3)}/>`);
      out.push(t.text({ x: lx + 36, y, size: 12, bold: false, anchor: 'start', fill: theme.text, text: STATE_LOOK[s].label }));
    }
    lx = x + at.bridge;
    out.push(`<rect x="${num(lx)}" y="${num(y - 11)}" width="30" height="12" rx="4" fill="${theme.bridge.fill}"/>`, t.text({ x: lx + 36, y, size: 12, bold: false, anchor: 'start', fill: theme.text, text: 'bridge' }));
    lx = x + at.iface;
    out.push(`<circle cx="${num(lx + 7)}" cy="${num(y - 5)}" r="6" fill="${theme.iface.fill}" stroke="${theme.state('up')}" stroke-width="2.5"/>`, t.text({ x: lx + 20, y, size: 12, bold: false, anchor: 'start', fill: theme.text, text: 'interface' }));
    lx = x + at.hub;
    out.push(`<rect x="${num(lx)}" y="${num(y - 11)}" width="24" height="12" rx="3" fill="${theme.hub.fill}" stroke="${theme.hub.stroke}" stroke-width="2"/>`, t.text({ x: lx + 30, y, size: 12, bold: false, anchor: 'start', fill: theme.text, text: 'root namespace' }));
  }
  out.push('</g>');
  return out;
}

function dash(line: 'solid' | 'dashed' | 'dotted', width: number): string {
  const d = dashArray(line, width);
  return d ? ` stroke-dasharray="${d}"${line === 'dotted' ? ' stroke-linecap="round"' : ''}` : '';
}

function boxes(d: Diagram, theme: Theme, t: TextRenderer): string[] {
  const out: string[] = ['<g class="namespaces">'];
  for (const b of d.boxes) {
    const look = b.hub ? theme.hub : theme.box;
    const r: Rect = b.rect;
    const font = b.hub ? SIZE.rootFont : SIZE.namespaceFont;
    out.push(`<g data-id="${escapeXml(b.id)}"><rect x="${num(r.x1)}" y="${num(r.y1)}" width="${num(r.x2 - r.x1)}" height="${num(r.y2 - r.y1)}" rx="8" fill="${look.fill}" stroke="${look.stroke}" stroke-width="${b.hub ? 3 : 1.5}"/>`
      + `${t.text({ x: b.labelAt.x, y: b.labelAt.y + font * 0.35, size: font, bold: true, anchor: 'middle', fill: look.text, text: ellipsis(b.label, font, r.x2 - r.x1 - 12) })}</g>`);
  }
  out.push('</g>');
  return out;
}

/*
 * No opacity attributes and no markers: resvg 2.6 aborts the whole process on either when
 * the element lies outside the rendered area. Arrow heads are drawn as triangles.
 */
function lines(d: Diagram, theme: Theme): string[] {
  const out: string[] = ['<g class="links" fill="none">'];
  const at = new Map(d.interfaces.map((i) => [i.id, i]));
  for (const l of d.links) {
    const width = LINE_WIDTH[l.role];
    const pts = l.points.map((p) => `${num(p.x)},${num(p.y)}`).join(' ');
    out.push(`<polyline data-id="${escapeXml(l.id)}" points="${pts}" stroke="${theme.state(l.state)}" stroke-width="${width}" stroke-linejoin="round"${dash(STATE_LOOK[l.state].line, width)}${l.role === 'port' ? ' stroke-opacity="0.9"' : ''}/>`);
    if (l.role === 'parent') out.push(arrowHead(l, at.get(l.b), theme));
  }
  out.push('</g>');
  return out;
}

/** A triangle pointing at the lower device, its tip on the device's outline. */
function arrowHead(l: PlacedLink, target: PlacedInterface | undefined, theme: Theme): string {
  const end = l.points[l.points.length - 1];
  const before = l.points[l.points.length - 2];
  if (!end || !before) return '';
  const len = Math.hypot(end.x - before.x, end.y - before.y) || 1;
  const ux = (end.x - before.x) / len;
  const uy = (end.y - before.y) / len;
  const reach = target?.look === 'bridge' ? (Math.abs(uy) > 0.5 ? SIZE.bridgeH / 2 : (target.w ?? SIZE.bridgeMinW) / 2) : SIZE.iface / 2;
  const tip = { x: end.x - ux * reach, y: end.y - uy * reach };
  const back = { x: tip.x - ux * 9, y: tip.y - uy * 9 };
  const p1 = `${num(back.x - uy * 4.5)},${num(back.y + ux * 4.5)}`;
  const p2 = `${num(back.x + uy * 4.5)},${num(back.y - ux * 4.5)}`;
  return `<polygon points="${num(tip.x)},${num(tip.y)} ${p1} ${p2}" fill="${theme.arrow}" stroke="none"/>`;
}

function interfaces(list: PlacedInterface[], theme: Theme, t: TextRenderer): string[] {
  const out: string[] = ['<g class="interfaces">'];
  for (const i of list) {
    const stroke = theme.state(i.state);
    const line = STATE_LOOK[i.state].line;
    let shape: string;
    if (i.look === 'bridge') {
      const w = i.w ?? SIZE.bridgeMinW;
      shape = `<rect x="${num(i.at.x - w / 2)}" y="${num(i.at.y - SIZE.bridgeH / 2)}" width="${num(w)}" height="${SIZE.bridgeH}" rx="6" fill="${theme.bridge.fill}" stroke="${stroke}" stroke-width="2.5"${dash(line, 2.5)}/>`;
    } else if (i.look === 'other') {
      const r = SIZE.iface / 2;
      shape = `<polygon points="${num(i.at.x)},${num(i.at.y - r)} ${num(i.at.x + r)},${num(i.at.y)} ${num(i.at.x)},${num(i.at.y + r)} ${num(i.at.x - r)},${num(i.at.y)}" stroke-linejoin="round" fill="${theme.other.fill}" stroke="${stroke}" stroke-width="2.5"${dash(line, 2.5)}/>`;
    } else {
      const r = (i.look === 'lo' ? SIZE.lo : SIZE.iface) / 2 - 1.25;
      shape = `<circle cx="${num(i.at.x)}" cy="${num(i.at.y)}" r="${num(r)}" fill="${i.look === 'lo' ? theme.lo.fill : theme.iface.fill}" stroke="${stroke}" stroke-width="2.5"${dash(line, 2.5)}/>`;
    }
    const p = labelPlacement(i);
    const font = i.look === 'bridge' ? SIZE.bridgeFont : SIZE.ifaceFont;
    const max = i.look === 'bridge' ? (i.w ?? SIZE.bridgeMinW) - 8 : SIZE.labelMax;
    const fill = i.look === 'bridge' ? theme.bridge.text : i.look === 'lo' ? theme.lo.text : theme.text;
    const text = t.text({ x: p.x, y: p.y, size: font, bold: i.look === 'bridge', anchor: p.anchor, fill, text: ellipsis(i.label, font, max) });
    out.push(`<g data-id="${escapeXml(i.id)}">${shape}${text}</g>`);
  }
  out.push('</g>');
  return out;
}
