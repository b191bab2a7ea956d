import { describe, expect, it } from 'vitest';
import { checkDiagram, segmentHitsRect } from './check.js';
import type { Diagram, PlacedInterface, PlacedLink } from './geometry.js';

/** Two boxes side by side, an interface in each, and room to draw lines that lie. */
function scene(points: Array<{ x: number; y: number }>, extra: Partial<PlacedLink> = {}): Diagram {
  const iface = (id: string, ns: string, x: number, y: number): PlacedInterface => ({ id, ns, label: id, kind: 'veth', look: 'veth', state: 'up', at: { x, y }, side: 'top', labelSide: 'below' });
  return {
    boxes: [
      { id: 'A', label: 'A', kind: 'named', hub: false, rect: { x1: 0, y1: 0, x2: 100, y2: 60 }, labelAt: { x: 50, y: 30 } },
      { id: 'B', label: 'B', kind: 'named', hub: false, rect: { x1: 300, y1: 0, x2: 400, y2: 60 }, labelAt: { x: 350, y: 30 } },
      { id: 'C', label: 'C', kind: 'named', hub: false, rect: { x1: 150, y1: 100, x2: 250, y2: 160 }, labelAt: { x: 200, y: 130 } },
    ],
    interfaces: [iface('a', 'A', 50, 0), iface('b', 'B', 350, 0), iface('c', 'C', 200, 100), iface('a2', 'A', 80, 0)],
    links: [{ id: 'veth:a|b', role: 'veth', a: 'a', b: 'b', state: 'up', points, ...extra }],
    bounds: { x1: 0, y1: 0, x2: 400, y2: 160 },
  };
}

describe('the geometric check', () => {
  it('accepts a line that runs around everything to its two ends', () => {
    const ok = checkDiagram(scene([{ x: 50, y: 0 }, { x: 50, y: -20 }, { x: 350, y: -20 }, { x: 350, y: 0 }]));
    expect(ok.problems).toEqual([]);
  });

  it('finds a line through a box it does not connect to', () => {
    const bad = checkDiagram(scene([{ x: 50, y: 0 }, { x: 50, y: 130 }, { x: 350, y: 130 }, { x: 350, y: 0 }]));
    expect(bad.problems.map((p) => [p.kind, p.other])).toContainEqual(['box', 'C']);
  });

  it('finds a line through an interface it does not end at, even in its own box', () => {
    const bad = checkDiagram(scene([{ x: 50, y: 0 }, { x: 100, y: 0 }, { x: 100, y: -20 }, { x: 350, y: -20 }, { x: 350, y: 0 }]));
    expect(bad.problems.map((p) => [p.kind, p.other])).toContainEqual(['interface', 'a2']);
  });

  it('finds a line that does not start and end at its interfaces', () => {
    const bad = checkDiagram(scene([{ x: 51, y: 0 }, { x: 51, y: -20 }, { x: 350, y: -20 }, { x: 350, y: 0 }]));
    expect(bad.problems.map((p) => p.kind)).toEqual(['ends']);
  });

  it('finds two lines of different nets running along each other, and counts right-angle crossings', () => {
    const d = scene([{ x: 50, y: 0 }, { x: 50, y: -20 }, { x: 350, y: -20 }, { x: 350, y: 0 }]);
    d.links.push({ id: 'veth:a2|c', role: 'veth', a: 'a2', b: 'c', state: 'up', points: [{ x: 80, y: 0 }, { x: 80, y: -20 }, { x: 270, y: -20 }, { x: 270, y: 80 }, { x: 200, y: 80 }, { x: 200, y: 100 }] });
    expect(checkDiagram(d).problems.map((p) => p.kind)).toEqual(['overlap']);
    d.links[1] = { ...(d.links[1] as PlacedLink), points: [{ x: 80, y: 0 }, { x: 80, y: -30 }, { x: 200, y: -30 }, { x: 200, y: 100 }] };
    const crossing = checkDiagram(d);
    expect(crossing.problems).toEqual([]);
    expect(crossing.lineCrossings).toBe(2); // at x = 80 and x = 200, both at y = -20
  });

  it('lets lines of one bridge share its bus', () => {
    const d = scene([{ x: 50, y: 0 }, { x: 50, y: -20 }, { x: 350, y: -20 }, { x: 350, y: 0 }], { id: 'port:a', role: 'port' });
    d.links.push({ id: 'port:a2', role: 'port', a: 'a2', b: 'b', state: 'up', points: [{ x: 80, y: 0 }, { x: 80, y: -20 }, { x: 350, y: -20 }, { x: 350, y: 0 }] });
    expect(checkDiagram(d).problems).toEqual([]);
  });

  it('treats touching an outline as not crossing it', () => {
    const r = { x1: 0, y1: 0, x2: 10, y2: 10 };
    expect(segmentHitsRect({ x: -5, y: 0 }, { x: 15, y: 0 }, r)).toBe(false);
    expect(segmentHitsRect({ x: -5, y: 5 }, { x: 15, y: 5 }, r)).toBe(true);
    expect(segmentHitsRect({ x: -5, y: -5 }, { x: 15, y: 15 }, r)).toBe(true);
    expect(segmentHitsRect({ x: 20, y: 5 }, { x: 30, y: 5 }, r)).toBe(false);
  });
});
