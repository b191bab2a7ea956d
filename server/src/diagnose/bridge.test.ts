import { describe, expect, it } from 'vitest';
import type { BridgePort } from '../kernel/index.js';
import { egressHop, ingressHop, type BridgeFacts } from './bridge.js';
import { TopologyBuilder } from '../../test/support/topology.js';

// VLAN filtering cannot be switched on in the kernel the tests run on (CONFIG_BRIDGE_VLAN_FILTERING
// is off: `ip link set br0 type bridge vlan_filtering 1` answers EOPNOTSUPP), so the VLAN checks
// are tested here on the decoded form the kernel would give (see kernel/bridge.test.ts for the codec).
function host(vlansA: BridgePort['vlans'], vlansB: BridgePort['vlans'], fdbOn: 'pa' | 'pb' | null = null) {
  const t = new TopologyBuilder();
  const h = t.ns('h');
  const br = t.iface(h, 'br0', { kind: 'bridge' });
  const pa = t.iface(h, 'pa', { master: br.id });
  const pb = t.iface(h, 'pb', { master: br.id });
  const ctx = t.context();
  const port = (p: typeof pa, vlans: BridgePort['vlans']): BridgePort => ({ ifindex: p.ifindex, name: p.name, master: br.ifindex, state: 'forwarding', vlans });
  const facts: BridgeFacts = {
    bridge: br,
    options: { ifindex: br.ifindex, name: 'br0', vlanFiltering: true, defaultPvid: 1, stpState: 0, nfCallIptables: false, nfCallIp6tables: false },
    ports: new Map([[pa.ifindex, port(pa, vlansA)], [pb.ifindex, port(pb, vlansB)]]),
    fdb: fdbOn ? [{ ifindex: (fdbOn === 'pa' ? pa : pb).ifindex, master: br.ifindex, mac: '02:00:00:00:00:99', vlan: 10, permanent: false, self: false }] : [],
  };
  return { ctx, facts, pa, pb };
}

describe('crossing a VLAN-filtering bridge', () => {
  it('puts an untagged frame in the ingress port\'s PVID and lets it out of a port carrying that VLAN untagged', () => {
    const { ctx, facts, pa, pb } = host([{ vid: 10, pvid: true, untagged: true }], [{ vid: 10, pvid: true, untagged: true }], 'pb');
    const i = ingressHop(ctx, facts, pa);
    expect([i.hop.ok, i.vlan]).toEqual([true, 10]);
    const e = egressHop(ctx, facts, pb, 10, '02:00:00:00:00:99');
    expect(e.ok).toBe(true);
    expect(e.evidence).toMatch(/FDB: 02:00:00:00:00:99 learned on pb/);
  });

  it('names a VLAN mismatch between two ports, with the fix', () => {
    const { ctx, facts, pa, pb } = host([{ vid: 10, pvid: true, untagged: true }], [{ vid: 20, pvid: true, untagged: true }]);
    const e = egressHop(ctx, facts, pb, ingressHop(ctx, facts, pa).vlan, null);
    expect(e.ok).toBe(false);
    expect(e.what).toMatch(/VLAN mismatch: port pb is not a member of VLAN 10/);
    expect(e.fix).toBe('bridge -n h vlan add vid 10 dev pb pvid untagged');
  });

  it('names an ingress port without PVID, and a VLAN leaving tagged', () => {
    const noPvid = host([{ vid: 10, pvid: false, untagged: false }], [{ vid: 10, pvid: true, untagged: true }]);
    const i = ingressHop(noPvid.ctx, noPvid.facts, noPvid.pa);
    expect(i.hop.ok).toBe(false);
    expect(i.hop.what).toMatch(/no PVID/);
    const tagged = host([{ vid: 10, pvid: true, untagged: true }], [{ vid: 10, pvid: false, untagged: false }]);
    expect(egressHop(tagged.ctx, tagged.facts, tagged.pb, 10, null).what).toMatch(/sends VLAN 10 tagged/);
  });

  it('names an FDB entry pointing the wrong way', () => {
    const { ctx, facts, pb } = host(null, null, 'pa');
    facts.options!.vlanFiltering = false;
    const e = egressHop(ctx, facts, pb, null, '02:00:00:00:00:99');
    expect(e.ok).toBe(false);
    expect(e.what).toMatch(/FDB says 02:00:00:00:00:99 is behind pa, not pb/);
  });
});
