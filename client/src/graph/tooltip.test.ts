import { demoLab, hostileTopology, HOSTILE_NAMES } from '@vethmap/testkit/topologies';
import { describe, expect, it } from 'vitest';
import { tooltipLines } from './tooltip.js';

describe('tooltipLines', () => {
  const t = demoLab();
  const id = (name: string) => t.interfaces.find((i) => i.name === name)!.id;

  it('says an interface\'s namespace, state, addresses and peer', () => {
    expect(tooltipLines(t, id('vlab-h1-eth0'))).toEqual([
      'vlab-h1-eth0 (veth)',
      'namespace: vlab-h1',
      'state: up (UP)',
      'addresses: 10.71.0.1/24',
      'peer: vlab-br0-h1 in root / host',
    ]);
    expect(tooltipLines(t, id('vlab-br0-h3'))).toContain('port of: vlab-br0');
    expect(tooltipLines(t, id('vlab-br0-h3'))[2]).toMatch(/^state: down \(.*admin down\)$/);
    expect(tooltipLines(t, id('vlab-br0'))).toContain('ports: 3');
  });

  it('names both ends of a line, and a namespace\'s size', () => {
    expect(tooltipLines(t, 'x', { a: id('vlab-a-eth0'), b: id('vlab-b-eth0'), role: 'veth' })).toEqual(['veth pair', 'vlab-a-eth0 in vlab-a  ↔  vlab-b-eth0 in vlab-b', 'state: up']);
    const h3 = t.namespaces.find((n) => n.name === 'vlab-h3')!.id;
    expect(tooltipLines(t, h3)).toEqual(['namespace vlab-h3', '2 interfaces, 1 veth end']);
  });

  it('writes hostile names escaped (control characters visible), never as markup it builds', () => {
    const h = hostileTopology();
    const lines = h.interfaces.flatMap((i) => tooltipLines(h, i.id)).join('\n');
    expect(lines).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    expect(HOSTILE_NAMES.length).toBeGreaterThan(0);
  });
});
