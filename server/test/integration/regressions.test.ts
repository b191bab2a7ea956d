import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { interfaceId } from '@vethmap/shared';
import { replay, Session, type SessionOptions } from '../../fuzz/session.js';
import type { Op } from '../../fuzz/world.js';

/**
 * Every bug the fuzzer (server/fuzz) found, as the minimal recipe it printed, replayed
 * against a real `vethmap serve`: the live picture must come to equal a fresh scan and the
 * scan must equal what was built. The deadline here is generous (5 s, not the fuzzer's 1 s)
 * so that these fail only on the bug, never on a slow machine: each of these pictures
 * stayed wrong for good (or, where said, for a time no deadline can tell).
 */
const options: SessionOptions = { deadlineMs: 5000, scope: 'mine' };
// Each recipe starts its own server and scans the host after every step.
const SLOW_MACHINE_MS = 120_000;

const recipes: Record<string, Op[]> = {
  // The kernel announces a new pair's first end before tying the two (IFLA_LINK 0) and
  // sends no later event while both stay down: that end had no peer, for good.
  'a pair made in the root and left down: `ip link add name a type veth peer name b`': [
    { t: 'veth-add', a: 'l1', aNs: 'root', aName: '~a', b: 'l2', bNs: 'root', bName: '~b', form: 'inside', up: false, byPid: false },
  ],
  'both ends placed in other namespaces at creation: `ip link add name a netns A type veth peer name b netns B`': [
    { t: 'netns-add', ns: 'n1', name: '~-A' },
    { t: 'netns-add', ns: 'n2', name: '~-B' },
    { t: 'veth-add', a: 'l1', aNs: 'n1', aName: 'a1', b: 'l2', bNs: 'n2', bName: 'b1', form: 'both-netns', up: false, byPid: false },
  ],
  // Shrunk by the fuzzer (seed 5, settling disabled) from a 9-step failure.
  'made inside a Docker-folder namespace no process holds, peer sent to the root by pid': [
    { t: 'docker-add', ns: 'n4', file: '~-dn4', holder: false },
    { t: 'veth-add', a: 'l8', aNs: 'n4', aName: '~l8', b: 'l9', bNs: 'root', bName: '~l9', form: 'peer-netns', up: false, byPid: true },
  ],
};

describe('fuzzer findings, replayed', () => {
  for (const [name, ops] of Object.entries(recipes)) {
    it(name, async () => {
      const { failure } = await replay(ops, options);
      expect(failure).toBeNull();
    }, SLOW_MACHINE_MS);
  }

  it('shows a new link-local address while the kernel still holds it tentative (no wait for DAD)', async () => {
    // A link that starts running gets its fe80:: address at once, tentative; the kernel
    // announces it only when duplicate address detection is done. Here DAD is made to take
    // 10 minutes (in the test's own namespace), so the address can only appear by being read.
    const s = await Session.start(options);
    try {
      await s.step({ t: 'netns-add', ns: 'n1', name: '~-dad' }, 0);
      const ns = s.world.namespaces.get('n1')!.name!;
      // One probe a second (net.ipv6.neigh.default.retrans_time_ms), 600 of them: still tentative however slow the host.
      execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.dad_transmits=600']);
      const failure = await s.step({ t: 'veth-add', a: 'l1', aNs: 'n1', aName: 'eth0', b: 'l2', bNs: 'n1', bName: 'eth1', form: 'inside', up: true, byPid: false }, 1);
      expect(failure).toBeNull();
      const shown = (await (await fetch(`${s.url}/api/topology`)).json()) as { interfaces: Array<{ id: string; addresses: string[] }> };
      const eth0 = shown.interfaces.find((i) => i.id === interfaceId(s.world.namespaces.get('n1')!.inode, ifindexOf(ns, 'eth0')));
      const ll = eth0?.addresses.find((a) => a.startsWith('fe80:'));
      expect(ll).toBeDefined();
      // Still tentative in the kernel: vethmap did not wait for the announcement.
      expect(execFileSync('ip', ['-n', ns, '-6', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' })).toMatch(/fe80:.*tentative/);
    } finally {
      expect(await s.stop()).toEqual([]);
    }
  }, SLOW_MACHINE_MS);
});

function ifindexOf(ns: string, name: string): number {
  return Number(execFileSync('ip', ['netns', 'exec', ns, 'cat', `/sys/class/net/${name}/ifindex`], { encoding: 'utf8' }).trim());
}
