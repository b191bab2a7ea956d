import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetBuilder, RawSocketClient, TopologyMirror, rssMb, startServe, until, type ServeProcess } from '@vethmap/testkit';

/**
 * Clients that try to make the live server hold what they never read (issue 8 §4): a
 * socket.io client flooding `resync`, and raw websockets sending thousands of
 * `42["resync"]` frames and reading nothing, one of them answering heartbeats blindly.
 * Before, every resync queued a fresh snapshot for its client: 1,000 frames grew a
 * server from ~80 MB to gigabytes. The server's RSS is read from /proc while it happens,
 * and a well-behaved client connected at the same time must keep receiving diffs.
 */
const NAMESPACES = 200;
const FRAMES = 5000;
/**
 * Growth allowed while under attack. What the server may hold for it: one snapshot per
 * version, shared by all clients (~0.3 MB here), and per client at most one snapshot
 * plus an 8 MiB backlog before it is dropped (4 clients: < 40 MB); on top, V8's heap
 * grows while it parses tens of thousands of frames (measured +15-45 MB, most of it
 * garbage not yet collected). Without the fix the same attack queues a snapshot per
 * frame: FRAMES x 0.3 MB, over a gigabyte per client, until V8 aborts.
 */
const BOUND_MB = 200;

describe('hostile clients against the live server', () => {
  const net = new NetBuilder();
  let server: ServeProcess | undefined;

  beforeAll(() => {
    const br = net.name('br');
    const root = [`link add ${br} type bridge`, `link set ${br} up`];
    for (let i = 0; i < NAMESPACES; i++) {
      const port = net.name(`p${i}`);
      root.push(`netns add ${net.nsName(`n${i}`)}`, `link add ${port} type veth peer name eth0 netns ${net.nsName(`n${i}`)}`, `link set ${port} master ${br}`, `link set ${port} up`);
    }
    net.batch(root);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    net.cleanup();
    expect(net.leftovers()).toEqual([]);
  }, 300_000);

  it('stays bounded in memory and keeps serving diffs to a reader', { timeout: 300_000 }, async () => {
    server = await startServe([], { timeoutMs: 120_000 });
    const pid = server.child.pid!;
    const reader = new TopologyMirror(server.url, { keepDiffs: false });
    // It reads what it is sent, like any socket.io client: only its resyncs are hostile.
    const flooder = new TopologyMirror(server.url, { keepDiffs: false });
    const raws: RawSocketClient[] = [];
    let pongs: NodeJS.Timeout | undefined;
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssMb(pid));
      } catch { /* exited: the assertions below say so */ }
    }, 25);
    try {
      const first = await reader.ready(120_000);
      expect(first.namespaces.length).toBeGreaterThan(NAMESPACES);
      await new Promise((r) => setTimeout(r, 1000));
      const baseline = rssMb(pid);
      peak = baseline;
      // Fails as soon as the bound is passed: an unbounded server would otherwise take
      // gigabytes of this shared machine before the assertions below.
      const withinBound = (): true => {
        if (peak - baseline >= BOUND_MB) throw new Error(`server RSS grew from ${baseline.toFixed(0)} to ${peak.toFixed(0)} MB`);
        return true;
      };

      // The attack: all at once, then never a byte read by the raw ones (the second one
      // answers heartbeats blindly, so engine.io's ping timeout never drops it).
      await flooder.ready(60_000);
      raws.push(await RawSocketClient.open(server.url), await RawSocketClient.open(server.url));
      for (let i = 0; i < FRAMES; i++) {
        flooder.socket.emit('resync');
        for (const raw of raws) raw.send('42["resync"]');
      }
      pongs = setInterval(() => raws[1]!.send('3'), 100);

      // Meanwhile the host changes: the reader sees every change.
      let version = (await reader.ready()).version;
      for (let k = 0; k < 6; k++) {
        const ns = net.nsName(`n${Math.floor(k / 2)}`); // up, then down again, in three namespaces
        // eth0 was made down: up first, so that every step is a change (a no-op makes no diff).
        net.ipIn(ns, 'link', 'set', 'eth0', k % 2 === 0 ? 'up' : 'down');
        await until(`the reader to see ${ns} change`, () => {
          withinBound();
          const eth0 = reader.view?.interfaces.find((i) => i.name === 'eth0' && reader.view?.namespaces.find((n) => n.id === i.namespace)?.name === ns);
          return reader.view && reader.view.version > version && eth0?.adminUp === (k % 2 === 0);
        }, 60_000);
        version = reader.view!.version;
        // More resyncs, now that the version moved: still at most one snapshot each.
        for (const raw of raws) for (let i = 0; i < 500; i++) raw.send('42["resync"]');
      }
      for (let i = 0; i < 20; i++) {
        withinBound();
        await new Promise((r) => setTimeout(r, 100));
      }

      expect(server.child.exitCode).toBeNull();
      expect(peak - baseline).toBeLessThan(BOUND_MB);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const metric = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(metric('vethmap_resync_requests_total')).toBeGreaterThanOrEqual(3 * FRAMES);
      // One snapshot per connection (4), and at most one per raw client and version
      // change while the kernel's socket buffers still take bytes (never per frame).
      expect(metric('vethmap_snapshots_sent_total')).toBeLessThanOrEqual(4 + 2 * 6);
      console.log(`RSS baseline ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB under ${3 * FRAMES} resync frames; snapshots sent: ${metric('vethmap_snapshots_sent_total')}`);
    } finally {
      clearInterval(sampler);
      clearInterval(pongs);
      for (const raw of raws) raw.close();
      flooder.close();
      reader.close();
    }
  });
});
