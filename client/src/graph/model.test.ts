import { applyDiff, diffTopology, type Topology } from '@vethmap/shared';
import { describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { defaultViewOptions } from './elements.js';
import { buildModel } from './model.js';

/** The topology after `edit` of its interfaces, as the page gets it: through a diff. */
function changed(t: Topology, edit: (i: Topology['interfaces'][number]) => Topology['interfaces'][number]): Topology {
  const next = { ...t, interfaces: t.interfaces.map(edit) };
  return applyDiff(t, diffTopology(t, next)!);
}

describe('buildModel on a live diff', () => {
  const t = makeTopology(50);
  const veth = t.interfaces.find((i) => i.kind === 'veth' && i.peer)!;

  it('keeps the layout and the relations when only a state changed', () => {
    const before = buildModel(t, defaultViewOptions);
    const after = buildModel(changed(t, (i) => (i.id === veth.id ? { ...i, adminUp: !i.adminUp, lowerUp: !i.lowerUp } : i)), defaultViewOptions, before);
    expect(after.diagram).toBe(before.diagram);
    for (const k of ['at', 'boxes', 'routes', 'nsOf', 'masterOf', 'linked', 'bridges'] as const) expect(after[k]).toBe(before[k]);
    // …while what it draws carries the new state.
    expect(after.interfaces.find((i) => i.id === veth.id)!.state).not.toBe(before.interfaces.find((i) => i.id === veth.id)!.state);
  });

  it('lays out again when a name changes (labels take room), and when a link goes', () => {
    const before = buildModel(t, defaultViewOptions);
    const renamed = buildModel(changed(t, (i) => (i.id === veth.id ? { ...i, name: `${i.name}-longer-name` } : i)), defaultViewOptions, before);
    expect(renamed.diagram).not.toBe(before.diagram);
    const cut = { ...t, interfaces: t.interfaces.filter((i) => i.id !== veth.id && i.id !== veth.peer).map((i) => ({ ...i })) };
    const gone = buildModel(applyDiff(t, diffTopology(t, cut)!), defaultViewOptions, before);
    expect(gone.diagram).not.toBe(before.diagram);
    expect(gone.linked.has(veth.id)).toBe(false);
  });

  it('rebuilds the relations when "hide down" drops what went down, with the layout kept', () => {
    const options = { ...defaultViewOptions, hideDown: true };
    const before = buildModel(t, options);
    const after = buildModel(changed(t, (i) => (i.id === veth.id ? { ...i, adminUp: false } : i)), options, before);
    expect(after.diagram).toBe(before.diagram);
    expect(after.nsOf.has(veth.id)).toBe(false);
    expect(before.nsOf.has(veth.id)).toBe(true);
  });
});
