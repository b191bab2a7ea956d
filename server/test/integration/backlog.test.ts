import { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { diffTopology, type Topology, type TopologyDiff } from '@vethmap/shared';
import { RawSocketClient, TopologyMirror, syntheticCapture, until } from '@vethmap/testkit';
import { serve, type RunningServer } from '../../src/http/server.js';

/**
 * A topology that changes on demand: each change flips `adminUp` on a slice of the
 * interfaces, so its diff is ~100 KB, enough to fill a client that reads nothing.
 */
class ChangingTopology extends EventEmitter<{ diff: [TopologyDiff] }> {
  topology: Topology = syntheticCapture(1000);

  change(): void {
    const before = this.topology;
    const start = (before.version * 250) % before.interfaces.length;
    const interfaces = before.interfaces.map((i, k) => (k >= start && k < start + 250 ? { ...i, adminUp: !i.adminUp } : i));
    const diff = diffTopology(before, { ...before, interfaces })!;
    this.topology = { ...before, interfaces, version: diff.version };
    this.emit('diff', diff);
  }
}

/**
 * A real server (in this process, on loopback) with a small backlog allowance, a raw
 * websocket that reads nothing and answers heartbeats blindly (so engine.io's ping
 * timeout never drops it), and a well-behaved reader. Before the fix the server queued
 * every diff for the raw client for as long as it kept answering pings.
 */
describe('a client that does not read', () => {
  const source = new ChangingTopology();
  let server: RunningServer | undefined;
  afterAll(async () => server?.close());

  it('is dropped once its backlog passes the cap, and the reader keeps up', { timeout: 120_000 }, async () => {
    server = await serve(source, { host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), limits: { clientBacklogBytes: 1 << 20 } });
    const reader = new TopologyMirror(server.url, { keepDiffs: false });
    const raw = await RawSocketClient.open(server.url);
    const pongs = setInterval(() => raw.send('3'), 20);
    let closed = false;
    raw.socket.once('close', () => (closed = true));
    try {
      await reader.ready();
      // ~100 KB per diff: the kernel's socket buffers take the first few MB, then the
      // server's own queue grows until the cap (one snapshot + 1 MiB).
      for (let k = 0; k < 300 && !closed; k++) {
        source.change();
        await new Promise((r) => setImmediate(r));
        if (k % 10 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      await until('the raw client to be dropped', () => closed || raw.socket.destroyed, 20_000);
      expect(server.io.engine.clientsCount).toBe(1);
      await until('the reader to catch up', () => reader.view?.version === source.topology.version, 20_000);
      expect(reader.view).toEqual(source.topology);
      expect(reader.gaps).toBe(0);
    } finally {
      clearInterval(pongs);
      raw.close();
      reader.close();
    }
  });
});
