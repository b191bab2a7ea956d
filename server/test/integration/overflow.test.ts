import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Topology } from '@vethmap/shared';
import { ip, NetBuilder, until } from '@vethmap/testkit';
import { LiveTopology } from '../../src/engine/live.js';
import { snapshotOnce } from '../../src/engine/snapshot.js';

const net = new NetBuilder();
afterAll(() => {
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

const mine = (t: Topology) => JSON.stringify(t.interfaces.filter((i) => i.name.startsWith(net.prefix)).sort((a, b) => a.id.localeCompare(b.id)));

describe('lost events', () => {
  it('notices the kernel dropping events (ENOBUFS), re-reads the namespace that lost them and ends equal to a fresh scan', async () => {
    const bridge = net.name('br');
    net.bridge(bridge);
    const ports: string[] = [];
    for (let i = 0; i < 40; i++) {
      const ns = net.netns(`o${i}`);
      ports.push(net.name(`p${i}`));
      net.veth(net.name(`p${i}`), null, 'eth0', ns);
    }
    // Event sockets of ~4 KiB (the kernel doubles it): a burst this size cannot fit.
    const live = new LiveTopology({ log: pino({ level: 'silent' }), receiveBuffer: 4096 });
    live.start();
    try {
      const lines = ports.flatMap((p) => [`link set dev ${p} master ${bridge}`, `link set dev ${p} down`, `link set dev ${p} name ${p}x`, `link set dev ${p}x name ${p}`]);
      // Synchronous: the engine cannot read while the burst runs, so the kernel must drop.
      ip(['-batch', '-'], `${lines.join('\n')}\n`);
      await until('an overflow', () => live.stats.overflows > 0, 10_000);
      // A scan blocks the event loop (the engine's too): look every 200 ms, not every tick.
      const end = Date.now() + 30_000;
      while (mine(live.topology) !== mine(await snapshotOnce())) {
        if (Date.now() > end) expect(mine(live.topology)).toBe(mine(await snapshotOnce()));
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(live.stats.resyncs).toBeGreaterThan(0);
      const t = live.topology;
      const br = t.interfaces.find((i) => i.name === bridge)!;
      for (const p of ports) expect(t.interfaces.find((i) => i.name === p)).toMatchObject({ adminUp: false, master: br.id });
    } finally {
      live.stop();
    }
  }, 60_000);
});
