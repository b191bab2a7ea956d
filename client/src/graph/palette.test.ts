import { readFileSync } from 'node:fs';
import cytoscape, { type Core, type EdgeSingular, type NodeSingular } from 'cytoscape';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrast, deltaE, over, parseHex, simulate, type Deficiency, type Rgb } from '@vethmap/shared';
import type { LinkState } from '@vethmap/shared';
import { makeTopology } from '../testing/fixture.js';
import { drawScene, modelOf } from '../testing/scene.js';
import { STATE_LOOK, stylesheetFor, type ThemeName } from './style.js';

/**
 * Issue 12: every link state reads against every background it is drawn on (WCAG 3:1 for
 * graphics), light and dark, and the states stay apart for colour-blind readers. Computed
 * from the style itself: a scene drawn as the page draws it, each line and interface given
 * each state, its colour and opacity read back from cytoscape's computed style and
 * composited over the page background (styles.css) and the boxes it crosses.
 */

const STATES = Object.keys(STATE_LOOK) as LinkState[];
const THEMES: ThemeName[] = ['light', 'dark'];
const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');

/** `--bg` of a theme's block in styles.css. */
function pageBackground(theme: ThemeName): string {
  const selector = theme === 'dark' ? ':root[data-theme="dark"]' : ':root';
  const start = css.indexOf(`${selector} {`);
  expect(start, `${selector} block in styles.css`).toBeGreaterThanOrEqual(0);
  const body = css.slice(start, css.indexOf('}', start));
  const m = /--bg:\s*(#[0-9a-f]{3,6})/i.exec(body);
  expect(m, `--bg in ${selector}`).not.toBeNull();
  return m![1]!;
}

/** cytoscape's computed colour (`rgb(r,g,b)`) as hex. */
function hex(css: string): string {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (!m) return css;
  return `#${m.slice(1, 4).map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
}

const toHex = (c: Rgb): string => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** A node's fill as drawn over `under`. */
const fillOver = (n: NodeSingular, under: string): string => toHex(over(hex(n.style('background-color') as string), Number(n.style('background-opacity')), under));

interface Scene { cy: Core; page: string; boxes: string[] }

function scene(theme: ThemeName): Scene {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheetFor(theme) });
  const t = makeTopology(12);
  // Half the interfaces drawn, as at a middle zoom: lines to a hidden end are drawn
  // collapsed, to its box or bridge (their own look).
  const half = new Set(modelOf(t).interfaces.filter((_, i) => i % 2 === 0).map((n) => n.id));
  drawScene(cy, t, half);
  const page = pageBackground(theme);
  const boxes = [...new Set(cy.nodes('.namespace').map((b) => fillOver(b, page)))];
  return { cy, page, boxes };
}

describe('the palette, computed from the style', () => {
  const scenes = new Map<ThemeName, Scene>();
  beforeAll(() => {
    for (const t of THEMES) scenes.set(t, scene(t));
  });

  for (const theme of THEMES) {
    it(`${theme}: every line of every state has 3:1 against the page and every box it may cross`, () => {
      const { cy, page, boxes } = scenes.get(theme)!;
      const lines = cy.edges();
      expect(lines.length).toBeGreaterThan(10);
      // Each kind of line drawn (veth, port, parent, collapsed), each given each state.
      const kinds = new Map<string, EdgeSingular>();
      lines.forEach((e) => void kinds.set(e.classes().filter((c) => !c.startsWith('label-')).sort().join(' '), e));
      expect([...kinds.keys()].filter((k) => k.includes('collapsed'))).not.toEqual([]);
      expect(kinds.size).toBeGreaterThanOrEqual(4);
      const worst: Array<{ theme: string; kind: string; state: string; ratio: number }> = [];
      for (const [kind, e] of kinds) {
        const saved = e.data('state') as unknown;
        for (const s of STATES) {
          e.data('state', s);
          const color = hex(e.style('line-color') as string);
          const opacity = Number(e.style('opacity'));
          for (const bg of [page, ...boxes]) {
            const ratio = contrast(toHex(over(color, opacity, bg)), bg);
            worst.push({ theme, kind, state: s, ratio: Math.round(ratio * 100) / 100 });
          }
        }
        e.data('state', saved);
      }
      expect(worst.filter((w) => w.ratio < 3)).toEqual([]);
    });

    it(`${theme}: every interface's state ring has 3:1 against the boxes around it and its own fill`, () => {
      const { cy, page, boxes } = scenes.get(theme)!;
      // One node of each look (veth, device, lo, other, bridge).
      const looks = new Map<string, NodeSingular>();
      cy.nodes('.iface').forEach((n) => void looks.set(n.classes().filter((c) => !c.startsWith('label-')).sort().join(' '), n));
      expect(looks.size).toBeGreaterThanOrEqual(3);
      const low: string[] = [];
      for (const [look, n] of looks) {
        // A bridge is a filled block: its shape and label say what it is, the ring against
        // the box says its state. A ring around a hollow interface reads against both.
        const inside = n.hasClass('bridge') ? [] : [fillOver(n, page)];
        for (const s of STATES) {
          n.data('state', s);
          const ring = hex(n.style('border-color') as string);
          expect(n.style('border-style')).toBe(STATE_LOOK[s].line);
          for (const bg of [...inside, ...boxes]) if (contrast(ring, bg) < 3) low.push(`${look} ${s} ${ring} on ${bg}: ${contrast(ring, bg).toFixed(2)}`);
        }
      }
      expect(low).toEqual([]);
    });

    it(`${theme}: the states stay apart for normal vision and under simulated deuteranopia and protanopia (ΔE ≥ 25)`, () => {
      const { cy } = scenes.get(theme)!;
      const e = cy.edges('.veth').first();
      const colours = STATES.map((s) => {
        e.data('state', s);
        return hex(e.style('line-color') as string);
      });
      const close: string[] = [];
      for (const vision of ['normal', 'deuteranopia', 'protanopia'] as Array<'normal' | Deficiency>) {
        const seen = colours.map((c) => (vision === 'normal' ? parseHex(c) : simulate(c, vision)));
        for (let i = 0; i < seen.length; i++) {
          for (let j = i + 1; j < seen.length; j++) {
            const d = deltaE(seen[i]!, seen[j]!);
            if (d < 25) close.push(`${vision}: ${STATES[i]} ${STATES[j]} ΔE ${d.toFixed(1)}`);
          }
        }
      }
      expect(close).toEqual([]);
    });
  }

  it('tells the states apart without colour too: a line pattern and an icon each', () => {
    expect(new Set(STATES.map((s) => STATE_LOOK[s].line)).size).toBe(STATES.length);
    expect(new Set(STATES.map((s) => STATE_LOOK[s].icon)).size).toBe(STATES.length);
  });
});
