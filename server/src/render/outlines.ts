import { existsSync, readFileSync } from 'node:fs';
import type { TextRenderer, TextSpec } from '@vethmap/shared';
// A CommonJS package: its default export under Node's ESM loader.
import opentype, { type Font, type Glyph } from 'opentype.js';

/**
 * Labels as glyph outlines, for resvg: its own text layout costs ~0.1–0.7 ms per glyph, which
 * is seconds at 1000 namespaces (and `<use>` of shared glyphs is slower still). Outlines come
 * from the same DejaVu Sans the
 * page's SVG names, one path per distinct label; advances and kerning come from the font. No
 * shaping: right-to-left scripts are laid out left to right, and a character the font lacks
 * is its empty glyph (names are printable() already, so no control character gets here).
 */
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF', '/usr/share/fonts/truetype/ttf-dejavu'];

interface Face { font: Font; key: string }

function load(file: string, key: string): Face | null {
  for (const dir of FONT_DIRS) {
    const path = `${dir}/${file}`;
    if (!existsSync(path)) continue;
    const b = readFileSync(path);
    // lowMemory: glyphs are read as they are used (parsing all of DejaVu Sans up front takes ~10x longer).
    return { font: opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, { lowMemory: true }), key };
  }
  return null;
}

interface Outline { x: number; y: number; rest: string; advance: number }

/**
 * A glyph's outline in font units, y down, with every point but the first relative to the
 * one before: placing it anywhere is one absolute move, so a label is glyph strings joined.
 * Coordinates are rounded before they are differenced, so no error accumulates.
 */
function outlineOf(face: Face, g: Glyph): Outline {
  const cmds = g.getPath(0, 0, face.font.unitsPerEm).commands;
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  let first: { x: number; y: number } | null = null;
  const out: string[] = [];
  const r = Math.round;
  for (const c of cmds) {
    if (c.type === 'Z') {
      out.push('z');
      cx = sx;
      cy = sy;
      continue;
    }
    const x = r(c.x ?? 0);
    const y = r(c.y ?? 0);
    if (c.type === 'M') {
      if (first) out.push(`m${x - cx} ${y - cy}`);
      else first = { x, y };
      sx = x;
      sy = y;
    } else if (c.type === 'L') out.push(`l${x - cx} ${y - cy}`);
    else if (c.type === 'Q') out.push(`q${r(c.x1 ?? 0) - cx} ${r(c.y1 ?? 0) - cy} ${x - cx} ${y - cy}`);
    else if (c.type === 'C') out.push(`c${r(c.x1 ?? 0) - cx} ${r(c.y1 ?? 0) - cy} ${r(c.x2 ?? 0) - cx} ${r(c.y2 ?? 0) - cy} ${x - cx} ${y - cy}`);
    cx = x;
    cy = y;
  }
  return { x: first?.x ?? 0, y: first?.y ?? 0, rest: first ? out.join('') : '', advance: g.advanceWidth ?? 0 };
}

/** An outline renderer, or null when DejaVu Sans is not installed (resvg then lays text out itself). */
export function outlineRenderer(): TextRenderer | null {
  const regular = load('DejaVuSans.ttf', 'r');
  const bold = load('DejaVuSans-Bold.ttf', 'b') ?? regular;
  if (!regular || !bold) return null;
  const glyphs = new Map<string, Outline>();
  const glyph = (face: Face, g: Glyph): Outline => {
    const key = `${face.key}${g.index}`;
    let o = glyphs.get(key);
    if (!o) glyphs.set(key, (o = outlineOf(face, g)));
    return o;
  };
  return {
    text(t: TextSpec): string {
      const face = t.bold ? bold : regular;
      const list = Array.from(t.text).map((c) => face.font.charToGlyph(c));
      const d: string[] = [];
      let x = 0;
      list.forEach((g, k) => {
        const prev = list[k - 1];
        if (prev) x += face.font.getKerningValue(prev, g);
        const o = glyph(face, g);
        if (o.rest) d.push(`M${Math.round(x) + o.x} ${o.y}${o.rest}`);
        x += o.advance;
      });
      if (d.length === 0) return '';
      const s = t.size / face.font.unitsPerEm;
      const width = x * s;
      const x0 = t.anchor === 'middle' ? t.x - width / 2 : t.anchor === 'end' ? t.x - width : t.x;
      return `<path fill="${t.fill}" transform="translate(${round(x0)} ${round(t.y)}) scale(${s.toPrecision(5)})" d="${d.join('')}"/>`;
    },
    defs: () => '',
  };
}

const round = (v: number): number => Math.round(v * 100) / 100;
