import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { Capture, EventsResponse, Health, TimelineBatch, type ClientToServerEvents, type ServerToClientEvents, type TimelineEntry } from '@vethmap/shared';
import { NetBuilder, startServe, until, type ServeProcess } from '@vethmap/testkit';

/** The timeline over HTTP and socket.io, from a real `vethmap serve` watching real namespaces. */

const net = new NetBuilder('vtl');
const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-timeline-'));
let server: ServeProcess;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const batches: TimelineBatch[] = [];
/** The topology version the socket had received when each batch came. */
const versionAtBatch: number[] = [];
let diffVersion = 0;
let a: string;
let x: string;

const mine = (entries: readonly TimelineEntry[]) => entries.filter((e) => JSON.stringify(e).includes(net.prefix));

beforeAll(async () => {
  a = net.netns('a');
  x = net.name('x');
  net.veth(x, null, 'eth0', a);
  server = await startServe([], { timeoutMs: 90_000 });
  socket = io(server.url, { transports: ['websocket'], forceNew: true });
  socket.on('snapshot', (t) => { diffVersion = t.version; });
  socket.on('diff', (d) => { diffVersion = d.version; });
  socket.on('timeline', (b) => {
    batches.push(TimelineBatch.parse(b));
    versionAtBatch.push(diffVersion);
  });
  await until('the replay on connect', () => batches.length > 0, 20_000);
}, 120_000);

afterAll(async () => {
  socket?.close();
  await server?.stop();
  net.cleanup();
  rmSync(dir, { recursive: true, force: true });
  expect(net.leftovers()).toEqual([]);
});

async function events(query: string): Promise<Response> {
  return fetch(`${server.url}/api/events${query}`);
}

describe('the event timeline over HTTP and socket.io', () => {
  it('replays the recent entries on connect, then sends each change as it happens', async () => {
    expect(batches[0]!.replay).toBe(true);
    const before = batches.length;
    net.setDown(x, null);
    // The peer's carrier loss may come in the same change or in the next one (the kernel
    // announces it separately): both are awaited, each batch checked.
    const since = (): TimelineBatch[] => batches.slice(before);
    const entries = (): TimelineEntry[] => since().flatMap((b) => mine(b.entries));
    await until('both ends\' link-state entries', () => entries().filter((e) => e.kind === 'link-state').length >= 2, 10_000);
    for (const batch of since()) {
      expect(batch.replay).toBe(false);
      // Sent after the diff it describes: a page already has the element the entry names.
      expect(versionAtBatch[batches.indexOf(batch)]).toBeGreaterThanOrEqual(Math.max(...batch.entries.map((e) => e.version)));
    }
    expect(versionAtBatch[0]).toBeGreaterThan(0);
    expect(entries()).toContainEqual(expect.objectContaining({ kind: 'link-state', link: expect.objectContaining({ name: x, namespace: expect.objectContaining({ name: 'root' }) }), from: 'up', to: 'down' }));
    expect(entries()).toContainEqual(expect.objectContaining({ kind: 'link-state', link: expect.objectContaining({ name: 'eth0', namespace: expect.objectContaining({ name: a }) }), to: 'no-carrier' }));
  });

  it('GET /api/events?since= returns what came after, validated and bounded', async () => {
    const all = EventsResponse.parse(await (await events('?since=0')).json());
    const down = mine(all.entries).find((e) => e.kind === 'link-state' && e.link.name === x);
    expect(down).toBeDefined();
    const after = EventsResponse.parse(await (await events(`?since=${down!.seq}`)).json());
    expect(after.entries.every((e) => e.seq > down!.seq)).toBe(true);
    const one = EventsResponse.parse(await (await events('?since=0&limit=1')).json());
    expect(one.entries).toHaveLength(1);
    expect(one.more).toBe(all.entries.length > 1);
    for (const bad of ['?since=-1', '?since=abc', '?limit=0', '?limit=100000', '?since=1&since=2']) {
      const r = await events(bad);
      expect(r.status, bad).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(/since|limit/);
    }
  });

  it('reports its size in /api/health and /metrics', async () => {
    const health = Health.parse(await (await fetch(`${server.url}/api/health`)).json());
    expect(health.timeline).toBeDefined();
    expect(health.timeline!.entries).toBeGreaterThan(0);
    expect(health.timeline!.bytes).toBeGreaterThan(0);
    expect(health.timeline!.bytes).toBeLessThanOrEqual(health.timeline!.maxBytes);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^vethmap_timeline_entries [1-9]\d*$/m);
    expect(metrics).toMatch(/^vethmap_timeline_bytes [1-9]\d*$/m);
    expect(metrics).toMatch(/^vethmap_timeline_dropped_total \d+$/m);
  });

  it('a capture carries the recent timeline, and `serve --from` serves it again', async () => {
    const capture = Capture.parse(await (await fetch(`${server.url}/api/capture`)).json());
    const recorded = mine(capture.timeline ?? []);
    expect(recorded.some((e) => e.kind === 'link-state' && e.link.name === x)).toBe(true);
    const file = path.join(dir, 'capture.json');
    writeFileSync(file, JSON.stringify(capture));
    const replayed = await startServe(['--from', file]);
    try {
      const served = EventsResponse.parse(await (await fetch(`${replayed.url}/api/events?since=0`)).json());
      expect(mine(served.entries)).toEqual(recorded);
      expect(served.latest).toBe(capture.timeline!.at(-1)!.seq);
    } finally {
      await replayed.stop();
    }
  });
});
