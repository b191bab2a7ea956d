import { describe, expect, it } from 'vitest';
import { NFT_NEWCHAIN, NFT_NEWRULE } from '../kernel/nftables.js';
import { parseChain, parseRule } from '../kernel/nftables.js';
import { ChainJudge, evaluateRule, type PacketFacts } from './nft-eval.js';
import { messages, recorded } from '../../test/support/why-fixture.js';

// The recorded ruleset of a namespace acting as the host: Docker's rules (iptables-nft), an
// accept for br0 in DOCKER-USER with a comment, a drop for 10.77.0.0/24 ICMP at the end of
// FORWARD, and an inet table with a set lookup and a ct state rule.
const chains = messages(recorded.h.chains, NFT_NEWCHAIN).map((m) => parseChain(m.payload));
const rules = messages(recorded.h.nftRules, NFT_NEWRULE).map((m) => parseRule(m.payload));
const chain = (family: string, table: string, name: string) => chains.find((c) => c.family === family && c.table === table && c.name === name)!;

function packet(iif: string | null, oif: string | null, saddr = '10.77.0.1', daddr = '10.77.0.2'): PacketFacts {
  return { family: 4, saddr, daddr, l4proto: 1, icmpType: 8, iif: iif ? { name: iif, ifindex: 2 } : null, oif: oif ? { name: oif, ifindex: 2 } : null };
}

const judge = (p: PacketFacts, family: string, table: string, name: string) => new ChainJudge(rules, p).base(chain(family, table, name));
const outcomes = (p: PacketFacts, family = 'ip', table = 'filter', name = 'FORWARD') => [...judge(p, family, table, name).keys()];

describe('judging a packet against a recorded nf_tables ruleset', () => {
  it('accepts br0 ↔ br0 through DOCKER-USER: an xt comment match changes nothing', () => {
    const o = judge(packet('br0', 'br0'), 'ip', 'filter', 'FORWARD');
    expect([...o.keys()]).toEqual(['accept']);
    expect(o.get('accept')!.rule!.chain).toBe('DOCKER-USER');
  });

  it('drops by rule when a known match fires (ip saddr 10.77.0.0/24 and protocol icmp), by policy when none does', () => {
    const byRule = judge(packet('br1', 'br1'), 'ip', 'filter', 'FORWARD');
    expect([...byRule.keys()]).toEqual(['drop']);
    expect(byRule.get('drop')!.text).toMatch(/^rule handle \d+ in ip filter FORWARD \(meta l4proto 1 @network,96,24 0x0a4d00 counter packets \d+ drop\)$/);
    const byPolicy = judge(packet('br1', 'br1', '10.88.0.1'), 'ip', 'filter', 'FORWARD');
    expect([...byPolicy.keys()]).toEqual(['drop']);
    expect(byPolicy.get('drop')!.policy?.name).toBe('FORWARD');
  });

  it('follows Docker\'s jumps and returns for docker0 traffic', () => {
    expect(outcomes(packet('docker0', 'docker0', '172.17.0.2', '172.17.0.3'))).toEqual(['accept']);
    expect(outcomes(packet('docker0', 'eth0', '172.17.0.2', '1.1.1.1'))).toEqual(['accept']);
    // To docker0 from elsewhere: only the conntrack rule could accept, and vethmap does not read conntrack.
    expect(outcomes(packet('eth0', 'docker0', '1.1.1.1', '172.17.0.2')).sort()).toEqual(['accept', 'drop']);
  });

  it('says unknown where an xt target decides (MASQUERADE), and passes what no rule can match', () => {
    expect(outcomes(packet(null, 'eth0', '172.17.0.2', '1.1.1.1'), 'ip', 'nat', 'POSTROUTING').sort()).toEqual(['accept', 'unknown']);
    expect(outcomes(packet(null, 'eth0', '10.77.0.1', '1.1.1.1'), 'ip', 'nat', 'POSTROUTING')).toEqual(['accept']);
    // PREROUTING jumps to DOCKER on an addrtype match vethmap cannot read; DOCKER only returns: accept either way.
    expect(outcomes(packet('br0', null), 'ip', 'nat', 'PREROUTING')).toEqual(['accept']);
  });

  it('keeps every outcome a set lookup or a ct state could lead to', () => {
    const o = judge(packet('pa', null), 'inet', 'vm', 'screen');
    expect([...o.keys()].sort()).toEqual(['accept', 'drop']);
    expect(o.get('drop')!.text).toMatch(/lookup/);
  });

  it('evaluates masked comparisons byte by byte', () => {
    const drop = rules.find((r) => r.chain === 'FORWARD' && r.expressions.some((e) => e.kind === 'cmp' && e.data.length === 3))!;
    expect(evaluateRule(drop, packet('x', 'y', '10.77.0.9')).match).toBe(true);
    expect(evaluateRule(drop, packet('x', 'y', '10.77.1.9')).match).toBe(false);
    expect(evaluateRule(drop, { ...packet('x', 'y', '10.77.0.9'), l4proto: 6 }).match).toBe(false);
  });
});
