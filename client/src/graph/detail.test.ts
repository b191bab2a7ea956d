import type { Point } from '@vethmap/shared';
import { describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { modelOf } from '../testing/scene.js';
import { DETAIL_MIN_ZOOM, sceneElements, shownInterfaces } from './detail.js';
import { DETAIL_ALL_MAX, type EdgeDef, type ElementDef, type NodeDef } from './elements.js';
import type { Model } from './model.js';

const at = (m: Model) => (id: string) => m.at.get(id)?.at;
const view = (extent: { x1: number; y1: number; x2: number; y2: number } | null, zoom: number) => ({ extent, zoom, all: false, allUpTo: DETAIL_ALL_MAX });

/**
 * The line cytoscape draws for an edge definition (edge-distances: endpoints): the ends
 * `se`/`te` from the nodes' centres, each bend at w along the line between them and d off it.
 */
function drawnLine(def: EdgeDef, nodes: Map<string, NodeDef>): Point[] {
  const px = (s: string | undefined) => (s ?? '0px 0px').split(' ').map((v) => parseFloat(v));
  const s = nodes.get(def.data.source)?.position ?? { x: NaN, y: NaN };
  const t = nodes.get(def.data.target)?.position ?? { x: NaN, y: NaN };
  const [sx = 0, sy = 0] = px(def.data.se);
  const [tx = 0, ty = 0] = px(def.data.te);
  const a = { x: s.x + sx, y: s.y + sy };
  const b = { x: t.x + tx, y: t.y + ty };
  const ws = def.data.sw ? def.data.sw.split(' ').map(Number) : [];
  const ds = def.data.sd ? def.data.sd.split(' ').map(Number) : [];
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  const n = { x: -(b.y - a.y) / len, y: (b.x - a.x) / len };
  return [a, ...ws.map((w, k) => ({ x: a.x + w * (b.x - a.x) + (ds[k] ?? 0) * n.x, y: a.y + w * (b.y - a.y) + (ds[k] ?? 0) * n.y })), b];
}

const near = (p: Point[], q: Point[]) => p.length === q.length && p.every((x, k) => Math.abs(x.x - (q[k]?.x ?? NaN)) < 0.05 && Math.abs(x.y - (q[k]?.y ?? NaN)) < 0.05);
const nodesOf = (els: ElementDef[]) => new Map(els.filter((e): e is NodeDef => e.group === 'nodes').map((n) => [n.data.id, n]));

describe('level of detail', () => {
  const t1000 = makeTopology(1000);
  const big = modelOf(t1000);
  const small = modelOf(makeTopology(20));

  it('draws everything on a small host, at any zoom', () => {
    expect(shownInterfaces(small, view(null, 0.05), [], at(small)).size).toBe(small.interfaces.length);
  });

  it('on a big host draws only bridges and what is pinned until zoomed in', () => {
    expect(big.interfaces.length).toBeGreaterThan(DETAIL_ALL_MAX);
    const pinned = big.interfaces[500]?.id ?? '';
    const far = shownInterfaces(big, view({ x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 }, DETAIL_MIN_ZOOM / 2), [pinned], at(big));
    expect([...far].sort()).toEqual([...big.bridges, pinned].sort());
    expect(shownInterfaces(big, { ...view(null, 1), all: true }, [], at(big)).size).toBe(big.interfaces.length);
  });

  it('when zoomed in, draws the interfaces in and near the viewport, not the rest', () => {
    const ns = big.namespaces[300]?.id ?? '';
    const r = big.boxes.get(ns)?.rect;
    if (!r) throw new Error('no box');
    const c = { x: (r.x1 + r.x2) / 2, y: (r.y1 + r.y2) / 2 };
    const extent = { x1: c.x - 400, x2: c.x + 400, y1: c.y - 250, y2: c.y + 250 };
    const shown = shownInterfaces(big, view(extent, 1.5), [], at(big));
    const mine = big.interfaces.filter((n) => n.ns === ns).map((n) => n.id);
    expect(mine.length).toBeGreaterThan(0);
    for (const id of mine) expect(shown.has(id)).toBe(true);
    // The far end of a pair leaving the view is drawn too, so the edge runs to it.
    const eth0 = t1000.interfaces.find((i) => i.namespace === ns && i.name === 'eth0');
    expect(eth0?.peer && shown.has(eth0.peer)).toBe(true);
    expect(shown.size).toBeLessThan(150);
    // Zoomed in, a pair with neither end drawn is left out rather than drawn box to bridge.
    const zoomed = sceneElements(big, shown, false).filter((e): e is EdgeDef => e.group === 'edges');
    expect(zoomed.every((e) => shown.has(e.data.a) || shown.has(e.data.b))).toBe(true);
    expect(zoomed.length).toBeLessThan(150);
  });

  it('keeps every veth pair as one edge with its API id, ending on the box or bridge of an end not drawn', () => {
    const t = t1000;
    const ns = t.namespaces[10]?.id ?? '';
    const eth0 = t.interfaces.find((i) => i.namespace === ns && i.name === 'eth0');
    if (!eth0?.peer) throw new Error('fixture');
    const scene = sceneElements(big, new Set([...big.bridges, eth0.id]));
    const full = sceneElements(big, new Set(big.interfaces.map((n) => n.id)));
    const veth = (els: ElementDef[]) => els.filter((e): e is EdgeDef => e.group === 'edges' && e.data.role === 'veth');
    expect(veth(scene).map((e) => e.data.id).sort()).toEqual(veth(full).map((e) => e.data.id).sort());
    const mine = veth(scene).find((e) => e.data.a === eth0.id || e.data.b === eth0.id);
    // eth0 is drawn; its root end is not, so the edge ends on that end's bridge.
    const peer = t.interfaces.find((i) => i.id === eth0.peer);
    expect(mine && [mine.data.source, mine.data.target].sort()).toEqual([eth0.id, peer?.master].sort());
    expect(mine?.classes).toContain('collapsed');
    // A pair with neither end drawn joins the namespace box to the bridge.
    const other = t.interfaces.find((i) => i.namespace === t.namespaces[20]?.id && i.name === 'eth0');
    const e2 = veth(scene).find((e) => e.data.a === other?.id || e.data.b === other?.id);
    expect(e2 && [e2.data.source, e2.data.target]).toContain(t.namespaces[20]?.id);
    // Nothing drawn points at an element that is not drawn, and no edge is a loop.
    const nodes = new Set(scene.filter((e) => e.group === 'nodes').map((e) => e.data.id));
    for (const e of scene) if (e.group === 'edges') {
      expect(nodes.has(e.data.source) && nodes.has(e.data.target)).toBe(true);
      expect(e.data.source).not.toBe(e.data.target);
    }
    // Ports are edges only when the port is drawn.
    expect(scene.some((e) => e.group === 'edges' && e.data.role === 'port')).toBe(false);
    // Boxes have their layout size and no compound parent.
    const box = scene.find((e): e is NodeDef => e.data.id === ns && e.group === 'nodes');
    const r = big.boxes.get(ns)?.rect;
    expect(box?.data.w).toBe(Math.round(((r?.x2 ?? 0) - (r?.x1 ?? 0)) * 100) / 100);
  });
});

describe('routed edges on the canvas', () => {
  it('draw exactly the layout route when both ends are drawn', () => {
    const m = modelOf(makeTopology(40));
    const els = sceneElements(m, new Set(m.interfaces.map((i) => i.id)));
    const nodes = nodesOf(els);
    let bent = 0;
    for (const e of els) {
      if (e.group !== 'edges') continue;
      const route = m.routes.get(e.data.id) ?? [];
      const line = drawnLine(e, nodes);
      // A vlan's arrow stops at its device's outline: compare up to there.
      const expected = e.data.role === 'parent' ? [...route.slice(0, -1), line[line.length - 1] as Point] : route;
      expect(near(line, expected), `${e.data.id}: ${JSON.stringify(line)} vs ${JSON.stringify(expected)}`).toBe(true);
      if (route.length > 2) bent++;
    }
    expect(bent).toBeGreaterThan(20);
  });

  it('carry a pair whose port is not drawn on along the port line to the bridge', () => {
    const t = makeTopology(40);
    const m = modelOf(t);
    const els = sceneElements(m, new Set(m.bridges));
    const nodes = nodesOf(els);
    const pairs = els.filter((e): e is EdgeDef => e.group === 'edges' && e.data.role === 'veth' && m.masterOf.has(e.data.a));
    expect(pairs.length).toBeGreaterThan(30);
    for (const e of pairs) {
      const route = m.routes.get(e.data.id) ?? [];
      const port = m.routes.get(`port:${e.data.a}`) ?? [];
      const expected = [...[...port].reverse(), ...route.slice(1)];
      const line = drawnLine(e, nodes);
      // The namespace end starts where its interface sits on the box's border.
      expect(near(line, expected), e.data.id).toBe(true);
      expect(e.data.target).toBe(m.nsOf.get(e.data.b));
    }
  });
});
