import type { Topology } from '@vethmap/shared';
import cytoscape, { type Core } from 'cytoscape';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { drawScene, modelOf } from '../testing/scene.js';
import { sceneElements } from './detail.js';
import type { NodeDef } from './elements.js';
import { patchGraph } from './patcher.js';
import { stylesheet } from './style.js';

/** Every mutation cytoscape reports, by event name. */
function recorder(cy: Core): { events: string[] } {
  const rec = { events: [] as string[] };
  cy.on('add remove data position move class style', (e) => {
    rec.events.push(`${e.type}:${(e.target as { id?: () => string }).id?.() ?? ''}`);
  });
  return rec;
}

function draw(cy: Core, t: Topology) {
  return drawScene(cy, t);
}

describe('patchGraph', () => {
  let cy: Core;
  beforeEach(() => {
    // Styles on: compound bounding boxes (used for free-spot checks) need real node sizes.
    cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet });
  });

  it('adds everything once, then makes zero mutations for an unchanged update', () => {
    const t = makeTopology(20);
    const first = draw(cy, t);
    expect(first.added).toBe(cy.elements().length);
    const rec = recorder(cy);
    const again = draw(cy, structuredClone(t));
    expect(again).toEqual({ added: 0, removed: 0, changed: 0, moved: 0 });
    expect(rec.events).toEqual([]);
  });

  it('turns a link down with data changes on exactly the affected elements', () => {
    const t = makeTopology(5);
    draw(cy, t);
    const rec = recorder(cy);
    const down = structuredClone(t);
    const eth0 = down.interfaces.find((i) => i.namespace === down.namespaces[2]?.id && i.name === 'eth0');
    if (!eth0 || !eth0.peer) throw new Error('fixture');
    Object.assign(eth0, { adminUp: false, operstate: 'DOWN', lowerUp: false });
    const stats = draw(cy, down);
    // eth0 (down), the veth edge (down). The root end keeps its own flags until the kernel
    // reports its carrier loss, which is its own diff.
    expect(stats.changed).toBe(2);
    // A data change restyles the element ('style'), but nothing is added, removed or moved.
    const mutations = rec.events.filter((e) => !e.startsWith('style:'));
    expect(mutations).toHaveLength(2);
    expect(mutations).toContain(`data:${eth0.id}`);
    expect(mutations.some((e) => e.startsWith('data:veth:'))).toBe(true);
    const edge = cy.edges('.veth').filter((e) => e.source().id() === eth0.id || e.target().id() === eth0.id);
    expect(edge.data('state')).toBe('down');
  });

  it('removes what is gone and moves what the new layout moved, so every route fits its ends', () => {
    const t = makeTopology(6);
    draw(cy, t);
    const less = structuredClone(t);
    const gone = less.namespaces.splice(3, 1)[0]?.id;
    less.interfaces = less.interfaces.filter((i) => i.namespace !== gone && i.peer?.startsWith(`nif:${gone?.slice(3)}:`) !== true);
    const stats = draw(cy, less);
    expect(stats.removed).toBeGreaterThan(0);
    expect(cy.getElementById(gone ?? '').empty()).toBe(true);
    const m = modelOf(less);
    cy.nodes('.iface').forEach((n) => {
      expect(n.position(), n.id()).toEqual(m.at.get(n.id())?.at);
    });
  });

  it('moves nothing for a change of state, and places what is added where the user moved its box', () => {
    const t = makeTopology(4);
    const ns = t.namespaces[2]?.id ?? '';
    const shift = { x: 5000, y: 3000 };
    // As the canvas does (drag.ts): a moved box's interfaces go where the box now is.
    const place = (def: NodeDef) => (def.data.id === ns || def.data.ns === ns ? { x: def.position.x + shift.x, y: def.position.y + shift.y } : def.position);
    const m = modelOf(t);
    patchGraph(cy, sceneElements(m, new Set(m.interfaces.map((i) => i.id))), place);
    const more = structuredClone(t);
    const inode = ns.slice(3);
    more.interfaces.push({ ...structuredClone(more.interfaces.find((i) => i.namespace === ns && i.name === 'eth0')!), id: `nif:${inode}:7`, ifindex: 7, name: 'eth1', peer: null, addresses: [] });
    const m2 = modelOf(more);
    const stats = patchGraph(cy, sceneElements(m2, new Set(m2.interfaces.map((i) => i.id))), place);
    expect(stats.added).toBe(1);
    const added = cy.getElementById(`nif:${inode}:7`).position();
    const spot = m2.at.get(`nif:${inode}:7`)?.at;
    expect(added).toEqual({ x: (spot?.x ?? 0) + shift.x, y: (spot?.y ?? 0) + shift.y });
  });
});
