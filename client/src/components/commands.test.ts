import { describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { confirmCommands, confirmSteps, pairEvidence, shellQuote } from './commands.js';

describe('confirm commands', () => {
  it('quotes hostile names for the shell', () => {
    expect(shellQuote('eth0')).toBe('eth0');
    expect(shellQuote("<svg onload='x'>")).toBe(`'<svg onload='\\''x'\\''>'`);
  });

  it('uses ip -n for named namespaces and nsenter for pid-held ones', () => {
    const t = makeTopology(5);
    const lab = t.namespaces.find((n) => n.kind === 'named' && n.name.startsWith('lab'));
    const eth0 = t.interfaces.find((i) => i.namespace === lab?.id && i.name === 'eth0');
    if (!eth0 || !lab) throw new Error('fixture');
    const lines = confirmCommands(eth0, lab);
    expect(lines[0]).toBe(`ip -n ${lab.name} -d link show eth0`);
    expect(lines).toContain(`ip netns exec ${lab.name} cat /sys/class/net/eth0/iflink`);
    expect(lines).toContain(`ip netns exec ${lab.name} ethtool -S eth0 | grep peer_ifindex`);
    const docker = t.namespaces[1];
    const d0 = t.interfaces.find((i) => i.namespace === docker?.id && i.name === 'eth0');
    if (!d0) throw new Error('fixture');
    expect(confirmCommands(d0, docker)[0]).toBe(`nsenter -t ${docker?.pid} -n ip -d link show eth0`);
  });

  it('says which command needs a package a minimal host lacks (ethtool), and only that one', () => {
    const t = makeTopology(2);
    const a = t.interfaces.find((i) => i.name === 'eth0' && i.kind === 'veth');
    if (!a) throw new Error('fixture');
    const steps = confirmSteps(a, t.namespaces.find((n) => n.id === a.namespace));
    expect(steps.filter((s) => s.needs)).toEqual([{ command: expect.stringContaining('ethtool -S eth0'), needs: { tool: 'ethtool', package: 'ethtool' } }]);
  });

  it('states the ifindex evidence both ways', () => {
    const t = makeTopology(2);
    const a = t.interfaces.find((i) => i.name === 'eth0' && i.kind === 'veth');
    const b = t.interfaces.find((i) => i.id === a?.peer);
    if (!a || !b) throw new Error('fixture');
    const ev = pairEvidence(a, b);
    expect(ev.every((e) => e.ok)).toBe(true);
    expect(ev[0]?.text).toContain(`has ifindex ${b.ifindex}`);
  });
});
