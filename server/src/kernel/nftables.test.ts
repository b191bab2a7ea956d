import { describe, expect, it } from 'vitest';
import { NFT_NEWCHAIN, NFT_NEWRULE, parseChain, parseRule } from './nftables.js';
import { messages, recorded } from '../../test/support/why-fixture.js';

describe('nf_tables codec on a recorded ruleset (Docker\'s rules loaded with iptables-nft, plus an inet table)', () => {
  const chains = messages(recorded.h.chains, NFT_NEWCHAIN).map((m) => parseChain(m.payload));
  const rules = messages(recorded.h.nftRules, NFT_NEWRULE).map((m) => parseRule(m.payload));

  it('reads base chains with hook, priority, policy and policy counters, and regular chains without', () => {
    expect(chains.find((c) => c.table === 'filter' && c.name === 'FORWARD')).toMatchObject({ family: 'ip', hook: 'forward', priority: 0, type: 'filter', policy: 'drop', counters: { packets: 0n } });
    expect(chains.find((c) => c.table === 'nat' && c.name === 'PREROUTING')).toMatchObject({ hook: 'prerouting', priority: -100, type: 'nat', policy: 'accept' });
    expect(chains.find((c) => c.name === 'DOCKER-USER')).toMatchObject({ hook: null, policy: null, counters: null });
    expect(chains.find((c) => c.family === 'inet')).toMatchObject({ table: 'vm', name: 'screen', hook: 'forward', priority: 10, counters: null });
  });

  it('decodes the expressions vethmap interprets and names the others', () => {
    const forward = rules.filter((r) => r.family === 'ip' && r.table === 'filter' && r.chain === 'FORWARD');
    expect(forward[0]!.expressions.map((e) => e.kind)).toEqual(['counter', 'immediate']);
    expect(forward[0]!.expressions[1]).toMatchObject({ kind: 'immediate', dreg: 0, verdict: { code: 'jump', chain: 'DOCKER-USER' } });
    const oifDocker = forward.find((r) => r.expressions.some((e) => e.kind === 'other' && e.detail === 'conntrack'))!;
    expect(oifDocker.expressions[0]).toMatchObject({ kind: 'meta', key: 'oifname', dreg: 1 });
    expect(oifDocker.expressions[1]).toMatchObject({ kind: 'cmp', sreg: 1, op: 'eq', data: Buffer.from('docker0\0') });
    const masq = rules.find((r) => r.chain === 'POSTROUTING')!;
    expect(masq.expressions).toContainEqual({ kind: 'payload', dreg: 1, base: 'network', offset: 12, len: 2 });
    expect(masq.expressions).toContainEqual({ kind: 'other', name: 'target', detail: 'MASQUERADE' });
    const ct = rules.find((r) => r.family === 'inet' && r.expressions.some((e) => e.kind === 'other' && e.name === 'ct'))!;
    expect(ct.expressions.map((e) => (e.kind === 'other' ? `${e.name} ${e.detail}` : e.kind))).toEqual(['ct get', 'bitwise', 'cmp', 'immediate']);
    expect(rules.find((r) => r.expressions.some((e) => e.kind === 'other' && e.name === 'lookup'))).toBeDefined();
    expect(rules.every((r) => r.handle > 0n)).toBe(true);
  });
});
