import { describe, expect, it } from 'vitest';
import { pathInterfaces, searchSegment } from './segment.js';
import { TopologyBuilder } from '../../test/support/topology.js';

describe('searching the segment an interface sends on', () => {
  function twoBridges() {
    const t = new TopologyBuilder();
    const h = t.ns('h');
    const a = t.ns('a');
    const b = t.ns('b');
    const br0 = t.iface(h, 'br0', { kind: 'bridge' });
    const br1 = t.iface(h, 'br1', { kind: 'bridge', addresses: ['10.0.0.254/24'] });
    const [eth0a, pa] = t.pair(a, 'eth0', h, 'pa', { addresses: ['10.0.0.1/24'] }, { master: br0.id });
    t.pair(h, 'x0', h, 'x1', { master: br0.id }, { master: br1.id }); // the bridges are wired together
    const [, eth0b] = t.pair(h, 'pb', b, 'eth0', { master: br1.id }, { addresses: ['10.0.0.2/24'] });
    return { t, eth0a, pa, eth0b, br1 };
  }

  it('follows veths and bridges, across a bridge-to-bridge pair, to the owner of the address', () => {
    const { t, eth0a, eth0b } = twoBridges();
    const s = searchSegment(t.context(), eth0a, '10.0.0.2');
    expect(s.found.map((p) => p.owner.id)).toEqual([eth0b.id]);
    expect(s.opaque).toEqual([]);
    const kinds = s.found[0]!.steps.map((x) => (x.kind === 'veth' ? `${x.from.name}>${x.to.name}` : `${x.ingress?.name}|${x.bridge.name}|${x.egress?.name}`));
    expect(kinds).toEqual(['eth0>pa', 'pa|br0|x0', 'x0>x1', 'x1|br1|pb', 'pb>eth0']);
    expect(pathInterfaces(eth0a, s.found[0]!)).toHaveLength(8);
  });

  it('finds the bridge device itself as the owner (a gateway on the bridge)', () => {
    const { t, eth0a, br1 } = twoBridges();
    const s = searchSegment(t.context(), eth0a, '10.0.0.254');
    expect(s.found.map((p) => p.owner.id)).toEqual([br1.id]);
    expect(s.found[0]!.steps.at(-1)).toMatchObject({ kind: 'bridge', egress: null });
  });

  it('reports every owner (a duplicate address) and where the segment leaves what vethmap sees', () => {
    const t = new TopologyBuilder();
    const h = t.ns('h');
    const a = t.ns('a');
    const b = t.ns('b');
    const c = t.ns('c');
    const br = t.iface(h, 'br0', { kind: 'bridge' });
    const nic = t.iface(h, 'eno1', { kind: 'device', master: br.id });
    const [eth0a] = t.pair(a, 'eth0', h, 'pa', { addresses: ['10.0.0.1/24'] }, { master: br.id });
    t.pair(h, 'pb', b, 'eth0', { master: br.id }, { addresses: ['10.0.0.2/24'] });
    t.pair(h, 'pc', c, 'eth0', { master: br.id }, { addresses: ['10.0.0.2/24'] });
    const s = searchSegment(t.context(), eth0a, '10.0.0.2');
    expect(s.found).toHaveLength(2);
    expect(s.opaque.map((i) => i.id)).toEqual([nic.id]);
    expect(searchSegment(t.context(), eth0a, '10.0.0.9').found).toEqual([]);
  });
});
