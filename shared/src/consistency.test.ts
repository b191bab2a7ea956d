import { describe, expect, it } from 'vitest';
import { validateTopology } from './consistency.js';
import type { Interface, Topology } from './model.js';

const iface = (id: string, patch: Partial<Interface> = {}): Interface => ({
  id, namespace: 'ns:1', ifindex: 1, name: id, kind: 'veth', mac: null, mtu: 1500,
  operstate: 'UP', adminUp: true, lowerUp: true, master: null, peer: null, parent: null, addresses: [],
  link: { ifindex: null, netnsid: null }, ...patch,
});
const topo = (interfaces: Interface[], extraNs: Topology['namespaces'] = []): Topology => ({
  version: 1, host: 'h', takenAt: 't', live: false,
  namespaces: [{ id: 'ns:1', inode: 1, kind: 'root', name: 'root', pid: 1, container: null }, ...extraNs],
  interfaces, warnings: [],
});

describe('validateTopology', () => {
  it('accepts a document whose references all hold', () => {
    const t = topo([iface('br'), iface('a', { peer: 'b', master: 'br' }), iface('b', { peer: 'a' }), iface('v', { parent: 'a', kind: 'macvlan' })]);
    expect(validateTopology(t)).toEqual({ first: [], count: 0 });
  });

  it('names each kind of broken reference', () => {
    const t = topo(
      [
        iface('x', { namespace: 'ns:404' }),
        iface('dup'),
        iface('dup'),
        iface('m', { master: 'nowhere' }),
        iface('p', { parent: 'gone' }),
        iface('lonely', { peer: 'ghost' }),
        iface('one', { peer: 'two' }),
        iface('two', { peer: null }),
        iface('self', { peer: 'self' }),
      ],
      [{ id: 'ns:1', inode: 1, kind: 'root', name: 'again', pid: null, container: null }],
    );
    const r = validateTopology(t, 20);
    expect(r.first).toEqual([
      'namespace id "ns:1" appears twice',
      'interface id "dup" appears twice',
      'interface "x" is in namespace "ns:404", which is not in the document',
      'interface "m": master "nowhere" is not in the document',
      'interface "p": parent "gone" is not in the document',
      'interface "lonely": peer "ghost" is not in the document',
      'interface "one": peer "two" does not point back (its peer is null)',
      'interface "self" is its own peer',
    ]);
    expect(r.count).toBe(8);
  });

  it('lists only the first few but counts them all', () => {
    const many = Array.from({ length: 50 }, (_, k) => iface(`i${k}`, { peer: `missing${k}` }));
    const r = validateTopology(topo(many), 3);
    expect(r.first).toHaveLength(3);
    expect(r.count).toBe(50);
  });
});
