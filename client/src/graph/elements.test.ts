import { describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { defaultViewOptions, toElements, vethEdgeId, type EdgeDef, type NodeDef } from './elements.js';

const edges = (els: ReturnType<typeof toElements>) => els.filter((e): e is EdgeDef => e.group === 'edges');
const nodes = (els: ReturnType<typeof toElements>) => els.filter((e): e is NodeDef => e.group === 'nodes');

describe('toElements', () => {
  const t = makeTopology(6);

  it('draws each veth pair once, whichever end is met first', () => {
    const veths = edges(toElements(t)).filter((e) => e.data.role === 'veth');
    const pairs = t.interfaces.filter((i) => i.peer && i.id < i.peer).length;
    expect(veths).toHaveLength(pairs);
    expect(new Set(veths.map((e) => e.data.id)).size).toBe(veths.length);
    for (const e of veths) expect(e.data.id).toBe(vethEdgeId(e.data.target, e.data.source));
  });

  it('shows a pair with one end down as down, and its far end as no-carrier', () => {
    const chain = edges(toElements(t)).find((e) => e.data.role === 'veth' && e.data.source.includes(':4026540840:'));
    expect(chain?.data.state).toBe('down');
    const far = nodes(toElements(t)).find((n) => n.data.label === 'to-a');
    expect(far?.data.state).toBe('no-carrier');
  });

  it('links ports to their bridge and a macvlan to its parent', () => {
    const els = edges(toElements(t));
    expect(els.filter((e) => e.data.role === 'port')).toHaveLength(6);
    expect(els.filter((e) => e.data.role === 'parent')).toHaveLength(1);
  });

  it('hides lo unless asked, and down interfaces when asked', () => {
    const lo = (els: ReturnType<typeof toElements>) => nodes(els).filter((n) => n.data.label === 'lo').length;
    expect(lo(toElements(t))).toBe(0);
    expect(lo(toElements(t, { ...defaultViewOptions, showLo: true, hideDown: false, focusNamespace: null }))).toBe(7); // root + 6; the chain namespaces have none
    const hidden = toElements(t, { ...defaultViewOptions, showLo: false, hideDown: true, focusNamespace: null });
    expect(nodes(hidden).some((n) => n.data.label === 'to-b')).toBe(false);
    expect(edges(hidden).some((e) => e.data.source.includes(':4026540840:') || e.data.target.includes(':4026540840:'))).toBe(false);
  });

  it('focuses one namespace with its neighbours only', () => {
    const ns = t.namespaces[1]?.id ?? '';
    const els = toElements(t, { ...defaultViewOptions, showLo: false, hideDown: false, focusNamespace: ns });
    const boxes = nodes(els).filter((n) => n.data.role === 'namespace').map((n) => n.data.id);
    expect(boxes.sort()).toEqual([ns, 'ns:4026531840'].sort());
    // eth0, its root peer and the bridge that peer is a port of: not the other 5 ports.
    expect(nodes(els).filter((n) => n.data.role !== 'namespace')).toHaveLength(3);
    for (const e of edges(els)) expect(els.some((n) => n.data.id === e.data.source) && els.some((n) => n.data.id === e.data.target)).toBe(true);
  });

  it('keeps hostile names as plain label text', () => {
    const hostile = makeTopology(3, { hostile: true });
    const label = nodes(toElements(hostile)).find((n) => n.data.label.startsWith('<svg'));
    expect(label?.data.label).toBe('<svg onload=alert(1)> / docker');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(toElements(t))).toBe(JSON.stringify(toElements(makeTopology(6))));
  });

  it('returns the same definition objects for what a diff did not change', () => {
    const t = makeTopology(30);
    const before = toElements(t);
    const eth0 = t.interfaces.find((i) => i.name === 'eth0' && i.peer && i.namespace === t.namespaces[3]?.id);
    if (!eth0) throw new Error('fixture');
    // As applyDiff does: the changed interface is a new object, the rest are kept.
    const next = { ...t, interfaces: t.interfaces.map((i) => (i === eth0 ? { ...i, adminUp: false, operstate: 'DOWN', lowerUp: false } : i)) };
    const after = toElements(next);
    const changed = after.filter((e, k) => e !== before[k]).map((e) => e.data.id);
    expect(changed.sort()).toEqual([eth0.id, vethEdgeId(eth0.id, eth0.peer ?? '')].sort());
  });
});
