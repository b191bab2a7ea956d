import cytoscape, { type Core } from 'cytoscape';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { drawScene } from '../testing/scene.js';
import { STATE_LOOK, stylesheet } from './style.js';
import { escapeXml, toSvg } from './svg.js';

const HOSTILE = '<svg onload=alert(1)>';

/**
 * A small XML well-formedness check (node has no DOMParser): every tag is closed in order,
 * attribute values are quoted, and text never holds a raw `<` or a bare `&`.
 */
function checkXml(doc: string): void {
  const body = doc.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt === -1 ? body.length : lt);
    expect(text, 'bare & in text').not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
    expect(text).not.toContain('>');
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    if (!m) throw new Error(`malformed tag at ${lt}: ${body.slice(lt, lt + 80)}`);
    const [, close, name, attrs = '', selfClose] = m;
    for (const v of attrs.matchAll(/="([^"]*)"/g)) expect(v[1]).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
    if (close) expect(stack.pop(), `closing ${name}`).toBe(name);
    else if (!selfClose) stack.push(name as string);
    i = tag.lastIndex;
  }
  expect(stack).toEqual([]);
}

describe('toSvg', () => {
  let cy: Core;
  beforeEach(() => {
    cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet });
    drawScene(cy, makeTopology(12, { hostile: true }));
  });

  it('escapes all five XML specials and drops characters XML cannot hold', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(escapeXml('x\u0001y')).toBe('x\ufffdy');
  });

  it('is well-formed and writes a hostile name only as escaped text', () => {
    const svg = toSvg(cy, { title: `vethmap · ${HOSTILE} & co · 2025-01-01T00:00:00Z` });
    checkXml(svg);
    expect(svg).not.toContain(HOSTILE);
    expect(svg).not.toMatch(/<svg[^>]*onload/);
    // Ellipsised to the box's label width like on the canvas, and escaped.
    expect(svg).toMatch(/>&lt;svg onload=al[^<]*…<\/text>/);
    expect(svg).toContain('<title>vethmap · &lt;svg onload=alert(1)&gt; &amp; co · 2025-01-01T00:00:00Z</title>');
  });

  it('draws every visible element once, with its state style, on white, framing the whole graph', () => {
    cy.getElementById('ns:4026531941').style('display', 'none');
    const svg = toSvg(cy, { title: 't' });
    const ids = [...svg.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    const visible = cy.elements(':visible').map((e) => e.id().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(ids.sort()).toEqual(visible.sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('ns:4026531941');
    // Boxes are rects, interfaces ellipses/rects, veth/port edges lines; labels are <text>.
    expect(svg).toMatch(/<g data-id="ns:4026531840"><rect /);
    const labels = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toContain('docker0');
    expect(labels).toContain('root / host');
    // The down chain pair is crimson and dashed, an up pair teal and solid.
    const down = svg.split('\n').find((l) => l.includes('data-id="veth:nif:4026540840:2|nif:4026540841:2"'));
    expect(down).toContain('stroke-dasharray');
    expect(down).toMatch(/stroke="rgb\(163,0,27\)"/);
    expect(STATE_LOOK.down.line).toBe('dashed');
    const up = svg.split('\n').find((l) => l.startsWith('<line') && l.includes('veth:nif:4026531840:10|'));
    expect(up).toMatch(/stroke="rgb\(0,121,107\)"/);
    expect(up).not.toContain('dasharray');
    expect(svg).toMatch(/<rect [^>]*fill="#ffffff"\/>/);
    const [vx, vy, vw, vh] = (/viewBox="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ').map(Number) as [number, number, number, number];
    const bb = cy.elements(':visible').boundingBox();
    expect(vx).toBeLessThanOrEqual(bb.x1);
    expect(vy).toBeLessThanOrEqual(bb.y1);
    expect(vx + vw).toBeGreaterThanOrEqual(bb.x2);
    expect(vy + vh).toBeGreaterThanOrEqual(bb.y2);
  });
});
