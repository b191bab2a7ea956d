import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TimelineEntry, type TimelineKind } from '@vethmap/shared';
import { CLI, NetBuilder, until } from '@vethmap/testkit';

/**
 * `vethmap events --json` against the real kernel: a scripted sequence of `ip` changes must
 * print exactly the expected entries, step by step, in order, and nothing else about this
 * test's names (the host may be busy with other namespaces: only our prefix is looked at).
 */

const net = new NetBuilder('vtl');
let child: ChildProcess | undefined;
const stderr: string[] = [];
const mine: TimelineEntry[] = [];
let a: string, b: string, c: string, d: string;
let x: string, x2: string, y: string, br: string, z1: string;

const mentionsMe = (e: TimelineEntry): boolean => JSON.stringify(e).includes(net.prefix);

beforeAll(async () => {
  a = net.netns('a');
  b = net.netns('b');
  c = net.nsName('c');
  d = net.nsName('d');
  x = net.name('x');
  x2 = net.name('x2');
  y = net.name('y');
  br = net.name('br');
  z1 = net.name('z1');
  const z2 = net.name('z2');
  net.ip('link', 'add', 'name', x, 'netns', a, 'type', 'veth', 'peer', 'name', y, 'netns', b);
  net.ipIn(a, 'link', 'add', 'name', br, 'type', 'bridge');
  net.ipIn(a, 'link', 'add', 'name', z1, 'type', 'veth', 'peer', 'name', z2);
  net.ipIn(a, 'link', 'set', 'dev', z1, 'master', br);
  // No IPv6 link-local addresses: they arrive after duplicate address detection, 1-2 s
  // later, and would interleave with the next step. The bridge keeps a port with carrier
  // (z1) so that its own carrier never changes: the kernel's linkwatch reports a device's
  // carrier changes at most once a second, which would spread them over several steps.
  for (const [ns, dev] of [[a, x], [b, y], [a, br], [a, z1], [a, z2]] as const) {
    net.ipIn(ns, 'link', 'set', 'dev', dev, 'addrgenmode', 'none');
    net.ipIn(ns, 'link', 'set', 'dev', dev, 'up');
  }
  child = spawn(process.execPath, [CLI, 'events', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const e = TimelineEntry.parse(JSON.parse(line));
    if (mentionsMe(e)) mine.push(e);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  // The first scan reads every namespace of the host: seconds on a busy one.
  await until('vethmap events to start watching', () => stderr.some((l) => l.includes('watching')), 90_000);
}, 120_000);

afterAll(() => {
  child?.kill('SIGTERM');
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

interface Expected { kind: TimelineKind; [k: string]: unknown }
const ns = (name: string) => ({ name });
const link = (name: string, nsName: string) => ({ name, namespace: { name: nsName } });

/**
 * Runs one change and checks what was printed for it: waits for as many entries as
 * expected (on a timeout, the comparison below says what came), then a quiet moment, so an
 * extra entry shows up here and not in the next step.
 */
async function step(change: () => void, expected: Expected[]): Promise<void> {
  const start = mine.length;
  change();
  await until(`${expected.length} entries`, () => mine.length - start >= expected.length, 10_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 400));
  const got = mine.slice(start);
  // Within one kernel operation the two ends of a pair (and a bridge) may be reported by
  // different namespaces' sockets in either order; across steps, the order is fixed.
  const key = (e: { kind: string; link?: unknown; namespace?: unknown }): string => {
    const l = e.link as { name: string; namespace: { name: string } } | undefined;
    return `${e.kind} ${l ? `${l.namespace.name}/${l.name}` : (e.namespace as { name: string }).name}`;
  };
  const sorted = [...got].sort((p, q) => key(p).localeCompare(key(q)));
  const exp = [...expected].sort((p, q) => key(p).localeCompare(key(q)));
  // toMatchObject on arrays: same length, each entry matching.
  expect(sorted).toMatchObject(exp);
}

describe('vethmap events --json', () => {
  it('prints exactly the expected entries for a scripted sequence, in order', async () => {
    await step(() => net.netnsNamed(c), [{ kind: 'namespace-added', namespace: { name: c, kind: 'named' }, interfaces: 1 }]);
    await step(() => net.ipIn(a, 'link', 'set', 'dev', x, 'down'), [
      { kind: 'link-state', link: link(x, a), from: 'up', to: 'down' },
      { kind: 'link-state', link: link(y, b), from: 'up', to: 'no-carrier' },
    ]);
    await step(() => net.ipIn(a, 'addr', 'add', '10.77.0.1/24', 'dev', x), [{ kind: 'address-added', link: link(x, a), address: '10.77.0.1/24' }]);
    await step(() => net.ipIn(a, 'link', 'set', 'dev', x, 'name', x2), [{ kind: 'link-renamed', link: link(x2, a), from: x }]);
    await step(() => net.ipIn(a, 'link', 'set', 'dev', x2, 'master', br), [{ kind: 'master-changed', link: link(x2, a), from: null, to: link(br, a) }]);
    await step(() => net.ipIn(a, 'link', 'set', 'dev', x2, 'up'), [
      { kind: 'link-state', link: link(x2, a), from: 'down', to: 'up' },
      { kind: 'link-state', link: link(y, b), from: 'no-carrier', to: 'up' },
    ]);
    // Moving closes y in b first (its peer loses carrier), then moves it.
    await step(() => net.ipIn(b, 'link', 'set', 'dev', y, 'netns', c), [
      { kind: 'link-state', link: link(y, b), from: 'up', to: 'down' },
      { kind: 'link-moved', link: link(y, c), from: link(y, b) },
      { kind: 'link-state', link: link(x2, a), from: 'up', to: 'no-carrier' },
    ]);
    // The IPv6 settings are the new namespace's: no link-local address there either.
    await step(() => net.ipIn(c, 'link', 'set', 'dev', y, 'addrgenmode', 'none', 'up'), [
      { kind: 'link-state', link: link(y, c), from: 'down', to: 'up' },
      { kind: 'link-state', link: link(x2, a), from: 'no-carrier', to: 'up' },
    ]);
    await step(() => net.ipIn(a, 'link', 'set', 'dev', x2, 'nomaster'), [{ kind: 'master-changed', link: link(x2, a), from: link(br, a), to: null }]);
    // `ip link del` closes an up device first, announced on its own and often published as
    // its own diff: down first, so that the deletion is one step whatever the batching.
    await step(() => net.ipIn(a, 'link', 'set', 'dev', br, 'down'), [{ kind: 'link-state', link: link(br, a), from: 'up', to: 'down' }]);
    await step(() => net.ipIn(a, 'link', 'del', 'dev', br), [
      { kind: 'master-changed', link: link(z1, a), from: link(br, a), to: null },
      { kind: 'link-removed', link: { ...link(br, a), kind: 'bridge' }, peer: null },
    ]);
    await step(() => net.netnsNamed(d), [{ kind: 'namespace-added', namespace: ns(d), interfaces: 1 }]);
    await step(() => net.ip('netns', 'del', d), [{ kind: 'namespace-removed', namespace: ns(d), interfaces: 1 }]);

    // Numbered in the order printed, and nothing else about our names afterwards.
    const seqs = mine.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((p, q) => p - q));
    expect(mine.filter((e) => e.kind === 'peer-lost' || e.kind === 'peer-resolved')).toEqual([]);
  }, 180_000);
});
