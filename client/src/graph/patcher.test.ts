import type { Topology } from '@vethmap/shared';
import cytoscape, { type Core } from 'cytoscape';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { drawScene } from '../testing/scene.js';
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
    expect(again).toEqual({ added: 0, removed: 0, changed: 0 });
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

  it('removes what is gone and never moves existing nodes', () => {
    const t = makeTopology(6);
    draw(cy, t);
    const before = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
    const less = structuredClone(t);
    const gone = less.namespaces.splice(3, 1)[0]?.id;
    less.interfaces = less.interfaces.filter((i) => i.namespace !== gone && i.peer?.startsWith(`nif:${gone?.slice(3)}:`) !== true);
    const stats = draw(cy, less);
    expect(stats.removed).toBeGreaterThan(0);
    expect(cy.getElementById(gone ?? '').empty()).toBe(true);
    cy.nodes().forEach((n) => {
      expect(n.position()).toEqual(before.get(n.id()));
    });
  });

  it('places a new interface near its namespace even after the user dragged it', () => {
    const t = makeTopology(4);
    draw(cy, t);
    const ns = t.namespaces[2]?.id ?? '';
    // As a drag of the box does: the box and the interfaces it carries.
    const kids = cy.nodes('.iface').filter((n) => n.data('ns') === ns);
    kids.union(cy.getElementById(ns)).positions((n) => ({ x: n.position().x + 5000, y: n.position().y + 3000 }));
    const more = structuredClone(t);
    const inode = ns.slice(3);
    more.interfaces.push({ ...structuredClone(more.interfaces.find((i) => i.namespace === ns && i.name === 'eth0')!), id: `nif:${inode}:7`, ifindex: 7, name: 'eth1', peer: null, addresses: [] });
    const stats = draw(cy, more);
    expect(stats.added).toBe(1);
    const added = cy.getElementById(`nif:${inode}:7`).position();
    const eth0 = kids.filter((k) => k.data('label') === 'eth0').position();
    expect(Math.hypot(added.x - eth0.x, added.y - eth0.y)).toBeLessThan(400);
    expect(Math.hypot(added.x - eth0.x, added.y - eth0.y)).toBeGreaterThan(20);
  });

  it('places a new namespace in a free spot without moving others', () => {
    const t = makeTopology(8);
    draw(cy, t);
    const boxesBefore = cy.nodes('.namespace').map((n) => n.boundingBox());
    const more = makeTopology(9);
    draw(cy, more);
    const added = cy.getElementById(more.namespaces[9]?.id ?? '');
    expect(added.nonempty()).toBe(true);
    const b = added.boundingBox();
    for (const o of boxesBefore) if (o.w > 0) expect(b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2).toBe(false);
  });
});
