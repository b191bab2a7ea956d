import { describe, expect, it } from 'vitest';
import { applyEvents } from './events.js';
import { loadScenario } from '../../test/support/fixture.js';

describe('applying link events to a namespace scan', () => {
  const { prefix, scans } = loadScenario('shared-names');
  const fresh = () => structuredClone(scans.root!);

  it('replaces a link by ifindex, and a deletion takes its addresses and reports a leaving veth', () => {
    const scan = fresh();
    const s1 = { ...scan.links.find((l) => l.name === `${prefix}s1`)!, adminUp: false };
    applyEvents(scan, [{ kind: 'link', op: 'new', link: s1 }]);
    expect(scan.links.filter((l) => l.ifindex === s1.ifindex)).toEqual([s1]);
    const { departedVeths: departed } = applyEvents(scan, [{ kind: 'link', op: 'del', link: s1 }]);
    expect(departed.map((l) => l.name)).toEqual([`${prefix}s1`]);
    expect(scan.links.some((l) => l.ifindex === s1.ifindex)).toBe(false);
    expect(scan.addrs.some((a) => a.ifindex === s1.ifindex)).toBe(false);
  });

  it('reports links that start or stop running: their IPv6 link-local address is not announced yet', () => {
    const scan = fresh();
    const s1 = scan.links.find((l) => l.name === `${prefix}s1`)!;
    const down = { ...s1, adminUp: false, lowerUp: false, operstate: 'DOWN' };
    const up = { ...s1, adminUp: true, lowerUp: true, operstate: 'UP' };
    applyEvents(scan, [{ kind: 'link', op: 'new', link: down }]);
    expect(applyEvents(scan, [{ kind: 'link', op: 'new', link: { ...down, mtu: 1400 } }]).runningChanged).toEqual([]);
    expect(applyEvents(scan, [{ kind: 'link', op: 'new', link: { ...up, lowerUp: false } }]).runningChanged).toEqual([]);
    // `ip link set X up` announces carrier before operstate: the address comes with the second message.
    expect(applyEvents(scan, [{ kind: 'link', op: 'new', link: { ...up, operstate: 'DOWN' } }]).runningChanged).toEqual([]);
    expect(applyEvents(scan, [{ kind: 'link', op: 'new', link: up }]).runningChanged).toEqual([s1.ifindex]);
    expect(applyEvents(scan, [{ kind: 'link', op: 'new', link: down }]).runningChanged).toEqual([s1.ifindex]);
  });

  it('keeps one entry per address when the kernel announces it twice (IPv6 DAD done)', () => {
    const scan = fresh();
    const address = { ifindex: 1, family: 6 as const, cidr: 'fd00::9/64' };
    applyEvents(scan, [{ kind: 'address', op: 'new', address }, { kind: 'address', op: 'new', address }]);
    expect(scan.addrs.filter((a) => a.cidr === 'fd00::9/64')).toHaveLength(1);
    applyEvents(scan, [{ kind: 'address', op: 'del', address }]);
    expect(scan.addrs.some((a) => a.cidr === 'fd00::9/64')).toBe(false);
  });
});
