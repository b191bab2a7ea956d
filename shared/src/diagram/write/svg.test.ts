import { describe, expect, it } from 'vitest';
import type { Diagram } from '../geometry.js';
import { toSvg } from './svg.js';

/** 'root namespace' at 12 px in DejaVu Sans, the font the SVG names: 97.4 px of advances. */
const ROOT_NAMESPACE_PX = 98;

describe('the SVG frame', () => {
  it('makes a picture narrower than its legend as wide as the legend, its last label included', () => {
    // One small box: a host with nothing but its root namespace (found on a real host: the
    // PNG cut 'root namespace' to 'root namespac').
    const d: Diagram = {
      boxes: [{ id: 'ns:1', label: 'root', kind: 'root', hub: true, rect: { x1: 0, y1: 0, x2: 300, y2: 120 }, labelAt: { x: 150, y: 20 } }],
      interfaces: [],
      links: [],
      bounds: { x1: 0, y1: 0, x2: 300, y2: 120 },
    };
    const svg = toSvg(d, { title: 'vethmap · vm', subtitle: 'snapshot', legend: true });
    const [x0, , w] = (/viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+)/.exec(svg) ?? []).slice(1).map(Number) as [number, number, number];
    const label = Number(/<text x="([-\d.]+)"[^>]*>root namespace<\/text>/.exec(svg)?.[1]);
    expect(label).toBeGreaterThan(x0);
    expect(label + ROOT_NAMESPACE_PX + 12).toBeLessThanOrEqual(x0 + w);
  });
});
