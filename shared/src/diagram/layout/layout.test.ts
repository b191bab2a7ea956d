import { describe, expect, it } from 'vitest';
import { demoLab, dockerHost, hostileTopology, randomTopology, SEED_TOPOLOGIES } from '@vethmap/testkit/topologies';
import type { Topology } from '../../model.js';
import { checkDiagram } from '../check.js';
import { interfaceRect, type Diagram, type Point, type Rect } from '../geometry.js';
import { diagramGraph } from '../graph.js';
import { wholeTopology, type Scope } from '../scope.js';
import { layoutDiagram } from './index.js';

const draw = (t: Topology, scope: Partial<Scope> = {}): Diagram => layoutDiagram(diagramGraph(t, { ...wholeTopology, ...scope }));

/** The check, plus what a layout promises beyond it: boxes apart, interfaces on their box, lines leaving through that side. */
function expectHonest(d: Diagram, what: string): void {
  const result = checkDiagram(d);
  expect(result.problems, `${what}: ${JSON.stringify(result.problems.slice(0, 3))}`).toEqual([]);
  const wrong: string[] = [];
  const overlap = (a: Rect, b: Rect): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const boxes = new Map(d.boxes.map((b) => [b.id, b.rect]));
  const sorted = [...d.boxes].sort((a, b) => a.rect.x1 - b.rect.x1);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as (typeof sorted)[number];
    for (let j = i + 1; j < sorted.length && (sorted[j]?.rect.x1 ?? Infinity) < a.rect.x2; j++) {
      const b = sorted[j] as (typeof sorted)[number];
      if (overlap(a.rect, b.rect)) wrong.push(`boxes ${a.id} and ${b.id} overlap`);
    }
  }
  for (const i of d.interfaces) {
    const r = boxes.get(i.ns);
    if (!r) {
      wrong.push(`${i.id} has no box`);
      continue;
    }
    if (!(i.at.x >= r.x1 && i.at.x <= r.x2 && i.at.y >= r.y1 && i.at.y <= r.y2)) wrong.push(`${i.id} outside its box`);
    const onSide = { top: i.at.y === r.y1, bottom: i.at.y === r.y2, left: i.at.x === r.x1, right: i.at.x === r.x2, inside: true }[i.side];
    if (!onSide) wrong.push(`${i.id} not on its ${i.side} side`);
  }
  const at = new Map(d.interfaces.map((i) => [i.id, i]));
  for (const l of d.links) {
    for (const [end, next] of [[l.a, l.points[1]], [l.b, l.points[l.points.length - 2]]] as const) {
      const i = at.get(end);
      if (!i || !next || i.side === 'inside') continue;
      const away = { top: i.at.y - next.y, bottom: next.y - i.at.y, left: i.at.x - next.x, right: next.x - i.at.x }[i.side];
      if (!(away > 0)) wrong.push(`${l.id} does not leave ${end} through its ${i.side} side`);
    }
  }
  expect(wrong.slice(0, 5), what).toEqual([]);
}

describe('layout: no line crosses a box or an interface it does not connect to', () => {
  for (const { name, make } of SEED_TOPOLOGIES) {
    it(`${name}, with and without lo, hiding down links`, () => {
      for (const scope of [{}, { showLo: true }, { hideDown: true }]) expectHonest(draw(make(), scope), `${name} ${JSON.stringify(scope)}`);
    });
  }

  it('the hostile-names topology', () => {
    expectHonest(draw(hostileTopology(), { showLo: true }), 'hostile');
  });

  it('docker-like hosts of 12, 100 and 1000 namespaces, with no line crossing another', { timeout: 60_000 }, () => {
    for (const n of [12, 100, 1000]) {
      const d = draw(dockerHost(n));
      expectHonest(d, `docker ${n}`);
      expect(checkDiagram(d).lineCrossings, `docker ${n}`).toBe(0);
    }
  });

  it('randomized topologies up to 200 namespaces (20 seeds per size)', { timeout: 120_000 }, () => {
    for (const n of [5, 20, 60, 120, 200]) {
      for (let seed = 1; seed <= 20; seed++) expectHonest(draw(randomTopology(n, seed), { showLo: seed % 2 === 0 }), `random ${n} seed ${seed}`);
    }
  });

  it('scoped pictures: one namespace and its neighbours at depths 0 to 3', { timeout: 60_000 }, () => {
    const t = randomTopology(80, 3);
    for (const ns of t.namespaces.slice(0, 30)) {
      for (const depth of [0, 1, 2, 3]) expectHonest(draw(t, { around: { namespace: ns.id, depth } }), `${ns.name} depth ${depth}`);
    }
  });
});

describe('the check catches the picture of issue 9', () => {
  it('straight lines from a root port to the deeper namespaces of a column cross the boxes and ports on the way', () => {
    // What the page drew before: every pair a straight line between its two interfaces.
    const d = draw(dockerHost(100));
    const at = new Map(d.interfaces.map((i) => [i.id, i.at]));
    const straight = { ...d, links: d.links.map((l) => ({ ...l, points: [at.get(l.a) as Point, at.get(l.b) as Point] })) };
    const kinds = new Set(checkDiagram(straight).problems.map((p) => p.kind));
    expect([...kinds].sort()).toEqual(['box', 'interface', 'overlap']);
    expect(checkDiagram(d).problems).toEqual([]);
  });
});

describe('layout: where things sit', () => {
  it('hangs bridge ports from their bridge inside the root box, each pair to its namespace below', () => {
    const t = demoLab();
    const d = draw(t);
    const hub = d.boxes.find((b) => b.hub);
    const at = new Map(d.interfaces.map((i) => [i.id, i]));
    const ports = d.links.filter((l) => l.role === 'port');
    expect(ports.length).toBe(4);
    for (const l of ports) {
      const port = at.get(l.a);
      const bridge = at.get(l.b);
      expect(port && bridge && port.at.y > bridge.at.y, `${l.id}: port below its bridge`).toBe(true);
      for (const p of l.points) expect(hub && p.y > hub.rect.y1 && p.y < hub.rect.y2, `${l.id} stays in the root box`).toBe(true);
    }
    // With one namespace per port in one row, each pair is one straight line down.
    for (const l of d.links.filter((x) => x.role === 'veth' && at.get(x.a)?.ns !== at.get(x.b)?.ns && (at.get(x.a)?.ns === hub?.id || at.get(x.b)?.ns === hub?.id))) {
      expect(l.points, l.id).toHaveLength(2);
      expect(l.points[0]?.x).toBe(l.points[1]?.x);
    }
  });

  it('joins two namespaces side by side with one straight line between facing sides', () => {
    const d = draw(demoLab());
    const a = d.interfaces.find((i) => i.label === 'vlab-a-eth0');
    const b = d.interfaces.find((i) => i.label === 'vlab-b-eth0');
    expect([a?.side, b?.side]).toEqual(['right', 'left']);
    const l = d.links.find((x) => x.role === 'veth' && [x.a, x.b].includes(a?.id ?? ''));
    expect(l?.points).toHaveLength(2);
    expect(l?.points[0]?.y).toBe(l?.points[1]?.y);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(draw(randomTopology(60, 9)))).toBe(JSON.stringify(draw(randomTopology(60, 9))));
  });

  it('keeps interfaces apart', () => {
    const d = draw(randomTopology(120, 4), { showLo: true });
    const rects = d.interfaces.map((i) => ({ id: i.id, r: interfaceRect(i) })).sort((a, b) => a.r.x1 - b.r.x1);
    const clash: string[] = [];
    for (let i = 0; i < rects.length; i++) {
      const a = rects[i] as (typeof rects)[number];
      for (let j = i + 1; j < rects.length && (rects[j]?.r.x1 ?? Infinity) < a.r.x2; j++) {
        const b = rects[j] as (typeof rects)[number];
        if (a.r.y1 < b.r.y2 && b.r.y1 < a.r.y2) clash.push(`${a.id} and ${b.id}`);
      }
    }
    expect(clash).toEqual([]);
  });
});
