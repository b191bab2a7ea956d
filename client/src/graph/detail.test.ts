import { describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { modelOf } from '../testing/scene.js';
import { DETAIL_MIN_ZOOM, sceneElements, shownInterfaces, type Model } from './detail.js';
import { DETAIL_ALL_MAX, type EdgeDef } from './elements.js';

const at = (m: Model) => (id: string) => m.geometry.positions.get(id);
const view = (extent: { x1: number; y1: number; x2: number; y2: number } | null, zoom: number) => ({ extent, zoom, all: false, allUpTo: DETAIL_ALL_MAX });

describe('level of detail', () => {
  const t1000 = makeTopology(1000);
  const big = modelOf(t1000);
  const small = modelOf(makeTopology(20));

  it('draws everything on a small host, at any zoom', () => {
    expect(shownInterfaces(small, view(null, 0.05), [], at(small)).size).toBe(small.interfaces.length);
  });

  it('on a big host draws only bridges and what is pinned until zoomed in', () => {
    expect(big.interfaces.length).toBeGreaterThan(DETAIL_ALL_MAX);
    const pinned = big.interfaces[500]?.data.id ?? '';
    const far = shownInterfaces(big, view({ x1: -1e6, y1: -1e6, x2: 1e6, y2: 1e6 }, DETAIL_MIN_ZOOM / 2), [pinned], at(big));
    expect([...far].sort()).toEqual([...big.bridges, pinned].sort());
    expect(shownInterfaces(big, { ...view(null, 1), all: true }, [], at(big)).size).toBe(big.interfaces.length);
  });

  it('when zoomed in, draws the interfaces in and near the viewport, not the rest', () => {
    const ns = big.namespaces[300]?.data.id ?? '';
    const box = big.geometry.boxes.get(ns);
    if (!box) throw new Error('no box');
    const extent = { x1: box.x - 400, x2: box.x + 400, y1: box.y - 250, y2: box.y + 250 };
    const shown = shownInterfaces(big, view(extent, 1.5), [], at(big));
    const mine = big.interfaces.filter((n) => n.data.parent === ns).map((n) => n.data.id);
    expect(mine.length).toBeGreaterThan(0);
    for (const id of mine) expect(shown.has(id)).toBe(true);
    // The far end of a pair leaving the view is drawn too, so the edge runs to it.
    const eth0 = t1000.interfaces.find((i) => i.namespace === ns && i.name === 'eth0');
    expect(eth0?.peer && shown.has(eth0.peer)).toBe(true);
    expect(shown.size).toBeLessThan(150);
    // Zoomed in, a pair with neither end drawn is left out rather than drawn box to bridge.
    const zoomed = sceneElements(big, shown, false).filter((e): e is EdgeDef => e.group === 'edges');
    expect(zoomed.every((e) => shown.has(e.data.a ?? '') || shown.has(e.data.b ?? ''))).toBe(true);
    expect(zoomed.length).toBeLessThan(150);
  });

  it('keeps every veth pair as one edge with its API id, ending on the box or bridge of an end not drawn', () => {
    const t = makeTopology(1000);
    const ns = t.namespaces[10]?.id ?? '';
    const eth0 = t.interfaces.find((i) => i.namespace === ns && i.name === 'eth0');
    if (!eth0?.peer) throw new Error('fixture');
    const scene = sceneElements(big, new Set([...big.bridges, eth0.id]));
    const full = sceneElements(big, new Set(big.interfaces.map((n) => n.data.id)));
    const veth = (els: typeof scene) => els.filter((e): e is EdgeDef => e.group === 'edges' && e.data.role === 'veth');
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
    const box = scene.find((e) => e.data.id === ns);
    expect(box?.group === 'nodes' && box.data.w).toBe(Math.round(big.geometry.boxes.get(ns)?.w ?? -1));
    expect(scene.every((e) => e.group !== 'nodes' || e.data.parent === undefined)).toBe(true);
  });
});
