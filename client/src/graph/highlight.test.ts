import cytoscape, { type Core } from 'cytoscape';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { drawScene } from '../testing/scene.js';
import { applyHighlight, highlightFor, highlightPending } from './highlight.js';
import { stylesheet } from './style.js';

const settle = async (cy: Core) => {
  for (let i = 0; i < 100 && highlightPending(cy); i++) await new Promise((r) => setTimeout(r, 5));
  expect(highlightPending(cy)).toBe(false);
};

describe('applyHighlight', () => {
  const t = makeTopology(30);
  let cy: Core;
  beforeEach(() => {
    cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet });
    drawScene(cy, t);
  });

  it('marks exactly the peer at once and fades everything else unrelated', async () => {
    const eth0 = t.interfaces.find((i) => i.name === 'eth0' && i.peer && i.namespace !== t.namespaces[0]?.id);
    if (!eth0?.peer) throw new Error('fixture has no pair');
    applyHighlight(cy, highlightFor(t, eth0.id));
    expect(cy.$('.peer').map((e) => e.id())).toEqual([eth0.peer]);
    expect(cy.$('.selected').map((e) => e.id())).toEqual([eth0.id]);
    // The click's frame carries only the highlight; the fade follows it.
    expect(cy.$('.dimmed').length).toBe(0);
    await settle(cy);
    const lit = cy.$('.selected, .peer, .highlight');
    const keep = lit.union(cy.nodes('.namespace').filter((b) => lit.nodes().some((n) => n.data('ns') === b.id())));
    expect(keep.nodes('.namespace').length).toBe(2);
    expect(cy.$('.dimmed').length).toBe(cy.elements().length - keep.length);
    expect(keep.filter('.dimmed').length).toBe(0);
  });

  it('touches only what changes when the selection moves, and clears everything on null', async () => {
    const [a, b] = t.interfaces.filter((i) => i.name === 'eth0' && i.peer);
    if (!a || !b) throw new Error('fixture has no pairs');
    applyHighlight(cy, highlightFor(t, a.id));
    await settle(cy);
    const changed = new Set<string>();
    cy.on('class', (e) => { changed.add((e.target as { id: () => string }).id()); });
    applyHighlight(cy, highlightFor(t, b.id));
    await settle(cy);
    // Two pairs, their edges and their boxes: a handful, not the whole graph.
    expect(changed.size).toBeLessThan(20);
    expect(cy.$('.peer').map((e) => e.id())).toEqual([b.peer]);
    applyHighlight(cy, null);
    await settle(cy);
    expect(cy.$('.selected, .peer, .related, .highlight, .dimmed').length).toBe(0);
  });

  it('a newer highlight cancels the rest of an older fade', async () => {
    const [a] = t.interfaces.filter((i) => i.name === 'eth0' && i.peer);
    applyHighlight(cy, highlightFor(t, a?.id ?? ''));
    applyHighlight(cy, null);
    await settle(cy);
    expect(cy.$('.dimmed').length).toBe(0);
  });

  it('Escape during the fade\'s wait for frames leaves nothing faded (a stale fade once dimmed the map after it cleared)', async () => {
    // The page's frames, ~16 ms apart: the fade waits two of them after its first timer.
    const g = globalThis as { requestAnimationFrame?: (cb: () => void) => unknown };
    const had = g.requestAnimationFrame;
    g.requestAnimationFrame = (cb) => setTimeout(cb, 16);
    try {
      const [a] = t.interfaces.filter((i) => i.name === 'eth0' && i.peer);
      applyHighlight(cy, highlightFor(t, a?.id ?? ''));
      await new Promise((r) => setTimeout(r, 5)); // the first timer has run; the frames are pending
      applyHighlight(cy, null);
      await new Promise((r) => setTimeout(r, 120));
      await settle(cy);
      expect(cy.$('.dimmed').length).toBe(0);
    } finally {
      g.requestAnimationFrame = had;
    }
  });
});
