import { describe, expect, it } from 'vitest';
import { dockerHost, hostileTopology, randomTopology } from '@vethmap/testkit/topologies';
import { diagramGraph, type DiagramGraph } from './graph.js';
import { relationsOf, vethLinkId } from './relations.js';
import { namespaceDistances, scopedInterfaces, wholeTopology } from './scope.js';

const graph = (t: Parameters<typeof diagramGraph>[0], scope = {}): DiagramGraph => diagramGraph(t, { ...wholeTopology, ...scope });

describe('diagramGraph', () => {
  const t = dockerHost(6);

  it('draws each veth pair once, whichever end is met first', () => {
    const veths = graph(t).links.filter((l) => l.role === 'veth');
    const pairs = t.interfaces.filter((i) => i.peer && i.id < i.peer).length;
    expect(veths).toHaveLength(pairs);
    for (const l of veths) expect(l.id).toBe(vethLinkId(l.b, l.a));
  });

  it('shows a pair with one end down as down, and its far end as no-carrier', () => {
    const chain = graph(t).links.find((l) => l.role === 'veth' && l.a.includes(':4026540840:'));
    expect(chain?.state).toBe('down');
    expect(graph(t).interfaces.find((i) => i.label === 'to-a')?.state).toBe('no-carrier');
  });

  it('links ports to their bridge and a macvlan to its parent', () => {
    expect(graph(t).links.filter((l) => l.role === 'port')).toHaveLength(6);
    expect(graph(t).links.filter((l) => l.role === 'parent')).toHaveLength(1);
  });

  it('hides lo unless asked, and down interfaces when asked', () => {
    const lo = (g: DiagramGraph) => g.interfaces.filter((i) => i.label === 'lo').length;
    expect(lo(graph(t))).toBe(0);
    expect(lo(graph(t, { showLo: true }))).toBe(7); // root + 6; the chain namespaces have none
    const hidden = graph(t, { hideDown: true });
    expect(hidden.interfaces.some((i) => i.label === 'to-b')).toBe(false);
    expect(hidden.links.some((l) => l.a.includes(':4026540840:') || l.b.includes(':4026540840:'))).toBe(false);
  });

  it('focuses one namespace with its neighbours only (depth 1)', () => {
    const ns = t.namespaces[1]?.id ?? '';
    const g = graph(t, { around: { namespace: ns, depth: 1 } });
    expect(g.namespaces.map((n) => n.id).sort()).toEqual([ns, 'ns:4026531840'].sort());
    // eth0, its root peer and the bridge that peer is a port of: not the other 5 ports.
    expect(g.interfaces).toHaveLength(3);
    const ids = new Set(g.interfaces.map((i) => i.id));
    for (const l of g.links) expect(ids.has(l.a) && ids.has(l.b)).toBe(true);
  });

  it('shows names as printable text: control and bidi characters as visible escapes', () => {
    const g = graph(hostileTopology());
    const labels = g.namespaces.map((n) => n.label);
    expect(labels).toContain('<svg onload=alert(1)>');
    expect(labels).toContain('new\\x0aline');
    expect(labels).toContain('bidi\\u202egnp.exe');
    for (const l of [...labels, ...g.interfaces.map((i) => i.label)]) expect(l).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it('returns the same objects for what a diff did not change', () => {
    const t30 = dockerHost(30);
    const before = graph(t30);
    const eth0 = t30.interfaces.find((i) => i.name === 'eth0' && i.peer && i.namespace === t30.namespaces[3]?.id);
    if (!eth0) throw new Error('fixture');
    // As applyDiff does: the changed interface is a new object, the rest are kept.
    const next = { ...t30, interfaces: t30.interfaces.map((i) => (i === eth0 ? { ...i, adminUp: false, operstate: 'DOWN', lowerUp: false } : i)) };
    const after = graph(next);
    const changed = [...after.interfaces, ...after.links].filter((x, k) => x !== [...before.interfaces, ...before.links][k]).map((x) => x.id);
    expect(changed.sort()).toEqual([eth0.id, vethLinkId(eth0.id, eth0.peer ?? '')].sort());
  });
});

describe('scope: one namespace and its neighbours to depth N', () => {
  const t = dockerHost(8);
  const rel = relationsOf(t);
  const ns = t.namespaces[2]?.id ?? '';

  it('counts hops over veth pairs: a container is one from the root, two from its neighbours', () => {
    const d = namespaceDistances(rel, ns, 3);
    expect(d.get(ns)).toBe(0);
    expect(d.get('ns:4026531840')).toBe(1);
    expect(d.get(t.namespaces[3]?.id ?? '')).toBe(2);
  });

  it('depth 0 is the namespace alone; depth 2 reaches the other containers, drawing their interfaces linked inwards', () => {
    const only = scopedInterfaces(t, { ...wholeTopology, around: { namespace: ns, depth: 0 } });
    expect([...only].every((id) => rel.interfaces.get(id)?.namespace === ns)).toBe(true);
    const two = graph(t, { around: { namespace: ns, depth: 2 } });
    // All but chain-a: chain-b is two hops away too, through the macvlan on root's eth0.
    expect(two.namespaces.map((n) => n.label)).not.toContain('chain-a');
    expect(two.namespaces.length).toBe(t.namespaces.length - 1);
    const root = two.interfaces.filter((i) => i.ns === 'ns:4026531840');
    expect(root.length).toBeGreaterThan(8); // every port and both bridges, the root being drawn whole at depth 1
  });

  it('keeps every link whole: both ends in scope', () => {
    const r = randomTopology(60, 5);
    for (const n of r.namespaces.slice(0, 20)) {
      for (const depth of [0, 1, 2]) {
        const g = graph(r, { around: { namespace: n.id, depth } });
        const ids = new Set(g.interfaces.map((i) => i.id));
        for (const l of g.links) expect(ids.has(l.a) && ids.has(l.b)).toBe(true);
        expect(g.namespaces.some((x) => x.id === n.id)).toBe(true);
      }
    }
  });
});
