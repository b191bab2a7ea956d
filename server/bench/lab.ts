import type { TopologyDiff } from '@vethmap/shared';
import { ip, type NetBuilder } from '@vethmap/testkit';

/** The bench's namespaces: `<prefix>-ns<i>`. */
export const benchNs = (net: NetBuilder, i: number): string => net.nsName(`ns${i}`);

/**
 * N namespaces, each with `eth0` peered to `<prefix>v<i>`, a port of the root bridge
 * `<prefix>br`, with an address (10.200.0.0/8, inside the namespaces only) and everything up.
 * `ip -batch`: a process per command would take minutes at 1000.
 */
export function buildLab(net: NetBuilder, n: number): void {
  const br = net.name('br');
  const root: string[] = [`link add name ${br} type bridge`, `link set dev ${br} up`];
  for (let i = 0; i < n; i++) {
    const port = net.name(`v${i}`);
    root.push(`netns add ${benchNs(net, i)}`, `link add name ${port} type veth peer name eth0 netns ${benchNs(net, i)}`, `link set dev ${port} master ${br}`, `link set dev ${port} up`);
  }
  net.batch(root);
  for (let i = 0; i < n; i++) {
    net.batch([`addr add 10.200.${((i + 1) >> 8) & 255}.${(i + 1) & 255}/8 dev eth0`, 'link set dev eth0 up', 'link set dev lo up'], benchNs(net, i));
  }
}

/** Removes everything the bench built; `ip -force -batch` first, as 1000 `netns del` processes take long. */
export function teardownLab(net: NetBuilder): void {
  const names = net.leftovers().filter((x) => x.startsWith(`${net.prefix}-`));
  if (names.length) {
    try { ip(['-force', '-batch', '-'], `${names.map((x) => `netns del ${x}`).join('\n')}\n`); } catch { /* -force goes on; cleanup() finishes */ }
  }
  net.cleanup();
}

/** Anything that emits diffs: the engine itself, or a socket.io client of the server. */
export interface DiffSource {
  on(event: 'diff', fn: (d: TopologyDiff) => void): unknown;
  off(event: 'diff', fn: (d: TopologyDiff) => void): unknown;
}

/**
 * The flap of one namespace in a bench lab: which interface goes which way (the first n
 * flaps take each one down, the next n bring them up), and when the first diff that shows
 * it arrives (performance.now()). Arm before making the change.
 */
export function awaitFlap(source: DiffSource, name: string, k: number, n: number): { state: 'up' | 'down'; seen: Promise<number> } {
  const state = Math.floor(k / n) % 2 === 0 ? 'down' : 'up';
  const seen = new Promise<number>((resolve) => {
    const on = (d: TopologyDiff): void => {
      if (d.interfaces.upsert.some((i) => i.name === name && i.adminUp === (state === 'up'))) {
        source.off('diff', on);
        resolve(performance.now());
      }
    };
    source.on('diff', on);
  });
  return { state, seen };
}
