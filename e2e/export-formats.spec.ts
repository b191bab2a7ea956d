import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { diagramGraph, frameOf, layoutDiagram, writeDiagram, wholeTopology, type Diagram, type Topology } from '@vethmap/shared';
import { demoLab, dockerHost, hostileTopology, HOSTILE_NAMES, randomTopology, SEED_TOPOLOGIES } from '@vethmap/testkit/topologies';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.js';

/**
 * Every text format checked by the tool people use it with: DOT rendered by Graphviz,
 * Mermaid parsed and rendered by mermaid itself (in Chromium), draw.io and SVG parsed as
 * XML with every reference resolved. On the hostile-names topology (quotes, backslashes,
 * line breaks, `<`, `&`, control bytes, U+202E, `-->`, `]]>`, Mermaid keywords…), the demo
 * lab, the seeds and randomized topologies.
 */
const require = createRequire(import.meta.url);
const MERMAID = require.resolve('mermaid/dist/mermaid.min.js');

const cases: Array<[string, Topology]> = [
  ['hostile names', hostileTopology()],
  ['demo lab', demoLab()],
  ...SEED_TOPOLOGIES.slice(1).map((s): [string, Topology] => [s.name, s.make()]),
  ['docker-like, 30', dockerHost(30, { hostile: true })],
  ...[1, 2].map((seed): [string, Topology] => [`random 40/${seed}`, randomTopology(40, seed)]),
];

function render(t: Topology, format: 'svg' | 'dot' | 'mermaid' | 'drawio'): { text: string; d: Diagram } {
  const d = layoutDiagram(diagramGraph(t, { ...wholeTopology, showLo: true }));
  return { text: writeDiagram(d, frameOf(t, 'everything'), format), d };
}

function parseXml(text: string, what: string) {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => errors.push(`${what} ${level}: ${msg}`) }).parseFromString(text, 'text/xml');
  expect(errors).toEqual([]);
  return doc;
}

const all = (doc: ReturnType<typeof parseXml>, tag: string): Element[] => Array.from(doc.getElementsByTagName(tag));

describe('export formats, validated by their own tools', () => {
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID });
    await page.evaluate('mermaid.initialize({ startOnLoad: false, securityLevel: "strict" })');
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
  });

  for (const [name, t] of cases) {
    it(`${name}: Graphviz renders the DOT without a warning`, () => {
      const { text, d } = render(t, 'dot');
      const r = spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const svg = parseXml(r.stdout, 'dot -Tsvg');
      const classes = all(svg, 'g').map((g) => g.getAttribute('class'));
      expect(classes.filter((c) => c === 'cluster')).toHaveLength(d.boxes.length);
      expect(classes.filter((c) => c === 'edge')).toHaveLength(d.links.length);
    });

    it(`${name}: mermaid parses and renders the flowchart, names as text`, async () => {
      const { text, d } = render(t, 'mermaid');
      const out = await page.evaluate(async (src) => {
        const m = (window as unknown as { mermaid: { parse(s: string): Promise<unknown>; render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
        try {
          await m.parse(src);
          const { svg } = await m.render('m', src);
          // window's own parser: a bare DOMParser here would be the test's import.
          const doc = new window.DOMParser().parseFromString(svg, 'image/svg+xml');
          return { ok: true, nodes: doc.querySelectorAll('g.node').length, clusters: doc.querySelectorAll('g.cluster').length, text: doc.documentElement.textContent ?? '', scripts: doc.querySelectorAll('script, [onload], foreignObject svg').length };
        } catch (err) {
          return { ok: false, error: String(err), nodes: 0, clusters: 0, text: '', scripts: 0 };
        }
      }, text);
      expect(out.error).toBeUndefined();
      expect(out).toMatchObject({ ok: true, nodes: d.interfaces.length, clusters: d.boxes.length, scripts: 0 });
      if (name === 'hostile names') {
        for (const n of ['<svg onload=alert(1)>', 'quote"double', 'arrow-->x', 'end', 'cdata]]>end']) expect(out.text).toContain(n);
      }
    });

    it(`${name}: draw.io XML is well formed and every cell it references exists`, () => {
      const { text, d } = render(t, 'drawio');
      const doc = parseXml(text, 'drawio');
      const ids = new Set([...all(doc, 'mxCell'), ...all(doc, 'UserObject')].map((c) => c.getAttribute('id')).filter(Boolean));
      for (const c of all(doc, 'mxCell')) {
        for (const attr of ['parent', 'source', 'target']) {
          const ref = c.getAttribute(attr);
          if (ref) expect(ids.has(ref), `${attr}=${ref}`).toBe(true);
        }
      }
      const objects = all(doc, 'UserObject');
      expect(objects.map((o) => o.getAttribute('vethmapId')).sort()).toEqual([...d.boxes.map((b) => b.id), ...d.interfaces.map((i) => i.id), ...d.links.map((l) => l.id)].sort());
      expect(objects.filter((o) => o.getElementsByTagName('mxCell')[0]?.getAttribute('edge') === '1')).toHaveLength(d.links.length);
      if (name === 'hostile names') for (const n of HOSTILE_NAMES.filter((x) => /^[ -~]*$/.test(x))) expect(objects.some((o) => o.getAttribute('label') === n)).toBe(true);
    });

    it(`${name}: the SVG is well formed and holds exactly the picture's elements`, () => {
      const { text, d } = render(t, 'svg');
      const doc = parseXml(text, 'svg');
      const ids = all(doc, 'g').concat(all(doc, 'polyline')).map((e) => e.getAttribute('data-id')).filter((x): x is string => !!x);
      expect(ids.sort()).toEqual([...d.boxes.map((b) => b.id), ...d.interfaces.map((i) => i.id), ...d.links.map((l) => l.id)].sort());
      expect(all(doc, 'script')).toHaveLength(0);
      expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e]/);
    });
  }
});
