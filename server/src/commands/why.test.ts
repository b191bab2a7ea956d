import { describe, expect, it } from 'vitest';
import type { Hop, WhyReport } from '@vethmap/shared';
import { exitCode, formatWhy } from './why.js';

const hop = (fields: Partial<Hop>): Hop => ({ ok: true, where: 'a', what: 'fine', evidence: 'e', confirm: 'c', fix: null, concern: 'route', direction: 'request', ids: [], ...fields });
const report = (hops: Hop[], reachable: boolean | null): WhyReport => ({
  reachable, summary: 's', hops, path: [],
  from: { asked: 'a', namespace: null, interface: null, address: null }, to: { asked: 'b', namespace: null, interface: null, address: null },
});

describe('the why report as text', () => {
  it('prints ✓ hops on one line, ✗ hops with evidence, confirm and fix, and the reply apart', () => {
    const text = formatWhy(report([hop({}), hop({ ok: false, what: 'dropped', evidence: 'line 1\nline 2', fix: 'do it' }), hop({ direction: 'reply', ok: null, what: 'unknown' })], false));
    expect(text).toMatch(/^✓ route {7}a: fine$/m);
    expect(text).toMatch(/^✗ route {7}a: dropped\n {14}evidence  line 1\n {24}line 2\n {14}confirm   c\n {14}fix       do it$/m);
    expect(text).toMatch(/^the reply:\n\? route/m);
    expect(text).toMatch(/NOT reachable: s$/);
  });

  it('escapes control characters from kernel names', () => {
    const text = formatWhy(report([hop({ ok: false, where: 'ns\u001b]0;pwned\u0007 / eth0' })], false));
    expect(text).not.toMatch(/\u001b|\u0007/);
    expect(text).toContain('ns\\x1b]0;pwned\\x07 / eth0');
  });

  it('maps the answer to the exit code: 0 reachable, 4 a hop fails, 5 cannot tell', () => {
    expect([true, false, null].map((r) => exitCode(report([], r)))).toEqual([0, 4, 5]);
  });
});
