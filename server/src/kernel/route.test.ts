import { describe, expect, it } from 'vitest';
import { parseRoute, parseRule, routeGetRequest, RTM_NEWROUTE, RTM_NEWRULE, type Route } from './route.js';
import { NetlinkError, parseMessages } from './rtnetlink.js';
import { messages, recorded } from '../../test/support/why-fixture.js';

const routes = (hex: string): Route[] => messages(hex, RTM_NEWROUTE).map((m) => parseRoute(m.payload)).filter((r): r is Route => r !== null);

describe('route codec on recorded kernel answers', () => {
  it('reads a dump of every table: gateways, onlink, multipath, blackhole, other tables', () => {
    const all = routes(recorded.a.routes);
    expect(all.find((r) => r.dst === 'default')).toMatchObject({ table: 'main', type: 'unicast', nexthops: [{ oif: 2, gateway: '10.77.0.254', onlink: true }] });
    expect(all.find((r) => r.dst === '10.55.0.0/24')!.nexthops.map((h) => h.gateway)).toEqual(['10.77.0.2', '10.77.0.3']);
    expect(all.find((r) => r.dst === '10.66.0.0/16')).toMatchObject({ type: 'blackhole', nexthops: [] });
    expect(all.find((r) => r.dst === '10.44.0.0/24')).toMatchObject({ table: '100' });
    expect(all.find((r) => r.dst === '10.77.0.0/24')).toMatchObject({ scope: 'link', prefsrc: '10.77.0.1', nexthops: [{ gateway: null }] });
    expect(all.find((r) => r.dst === '10.77.0.1/32')).toMatchObject({ type: 'local', table: 'local', scope: 'host' });
    expect(all.some((r) => r.family === 6 && r.dst === 'fe80::/64')).toBe(true);
  });

  it('reads the answers of route get: the resulting route, the matched entry (fibmatch), and errors', () => {
    expect(routes(recorded.a.getOnLink)[0]).toMatchObject({ dst: '10.77.0.2/32', prefsrc: '10.77.0.1', nexthops: [{ oif: 2, gateway: null }] });
    expect(routes(recorded.a.getOnLinkFibMatch)[0]).toMatchObject({ dst: '10.77.0.0/24', scope: 'link' });
    expect(routes(recorded.a.getDefault)[0]!.nexthops[0]!.gateway).toBe('10.77.0.254');
    expect(routes(recorded.a.getMultipath)[0]!.nexthops).toHaveLength(2);
    // A blackhole answers EINVAL; forwarding off answers EHOSTUNREACH for an input route.
    expect(() => parseMessages(Buffer.from(recorded.a.getBlackhole, 'hex'))).toThrow(new NetlinkError(22));
    expect(() => parseMessages(Buffer.from(recorded.h.getForwardOff, 'hex'))).toThrow(new NetlinkError(113));
  });

  it('reads policy rules, leaving out families other than IPv4/IPv6', () => {
    const rules = messages(recorded.a.rules, RTM_NEWRULE).map((m) => parseRule(m.payload));
    expect(rules.filter((r) => r === null).length).toBeGreaterThan(0); // ipmr rules in the same dump
    const mine = rules.find((r) => r?.priority === 100);
    expect(mine).toMatchObject({ family: 4, action: 'lookup', table: '100', from: '10.77.0.0/24', fwmark: 7 });
    expect(rules.filter((r) => r?.family === 4).map((r) => r!.table)).toEqual(['local', '100', 'main', 'default']);
  });

  it('encodes route get questions as `ip route get` does', () => {
    const b = routeGetRequest({ to: '10.0.0.2', from: '10.0.0.1', iif: 3, fibMatch: true });
    expect(b.readUInt32LE(0)).toBe(b.length);
    expect(b.readUInt16LE(4)).toBe(26); // RTM_GETROUTE, not a dump
    expect(b.readUInt16LE(6)).toBe(1);
    expect([b.readUInt8(16), b.readUInt8(17), b.readUInt8(18)]).toEqual([2, 32, 32]);
    expect(b.readUInt32LE(24)).toBe(0x2000); // RTM_F_FIB_MATCH
    expect(b.subarray(28).toString('hex')).toBe('080001000a000002' + '080002000a000001' + '0800030003000000');
    expect(routeGetRequest({ to: 'fd00::1' }).readUInt8(16)).toBe(10);
  });
});
