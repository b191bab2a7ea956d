import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Topology } from '@vethmap/shared';
import { pairToRoot } from '../support/scenarios.js';
import { CLI, NetBuilder, startServe } from '@vethmap/testkit';

const net = new NetBuilder();
const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-test-'));
let a: string;

beforeAll(() => {
  a = pairToRoot(net);
});
afterAll(() => {
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('vethmap serve', () => {
  it('listens on 127.0.0.1 by default', async () => {
    const s = await startServe([]);
    try {
      expect(new URL(s.url).hostname).toBe('127.0.0.1');
    } finally {
      await s.stop();
    }
  });

  it('serves a capture read-only, marked as not live, on a machine that need not see it', async () => {
    const file = path.join(dir, 'host.json');
    writeFileSync(file, execFileSync('node', [CLI, 'snapshot'], { maxBuffer: 1 << 28 }));
    const captured = Topology.parse(JSON.parse(readFileSync(file, 'utf8')));
    // The capture outlives what it shows.
    net.cleanup();
    const s = await startServe(['--from', file]);
    try {
      const served = Topology.parse(await (await fetch(`${s.url}/api/topology`)).json());
      expect(served).toEqual({ ...captured, live: false });
      expect(served.namespaces.some((n) => n.name === a)).toBe(true);
      expect(await (await fetch(`${s.url}/api/health`)).json()).toMatchObject({ live: false });
    } finally {
      await s.stop();
    }
  });

  it('rejects a file that is not a snapshot with a clear error', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, namespaces: 'x' }));
    const r = spawnSync('node', [CLI, 'serve', '--port', '0', '--from', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a vethmap snapshot');
    const missing = spawnSync('node', [CLI, 'serve', '--port', '0', '--from', path.join(dir, 'none.json')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read capture');
  });

  it('exposes Prometheus metrics that follow the topology and the events', async () => {
    const s = await startServe(['--log-level', 'debug']);
    try {
      const metric = async (name: string): Promise<number> => {
        const text = await (await fetch(`${s.url}/metrics`)).text();
        const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
        if (!m) throw new Error(`no ${name} in /metrics`);
        return Number(m[1]);
      };
      const t = Topology.parse(await (await fetch(`${s.url}/api/topology`)).json());
      expect(await metric('vethmap_namespaces')).toBe(t.namespaces.length);
      expect(await metric('vethmap_interfaces')).toBe(t.interfaces.length);
      expect(await metric('vethmap_scan_duration_seconds_count')).toBeGreaterThanOrEqual(1);
      const events = await metric('vethmap_netlink_events_total');
      // The root namespace is watched from the start; a new namespace may change before
      // its socket exists (its state is read anyway, but those events are never seen).
      net.ip('link', 'add', net.name('m1'), 'type', 'veth', 'peer', 'name', net.name('m2'));
      for (let i = 0; i < 200 && (await metric('vethmap_netlink_events_total')) === events; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await metric('vethmap_netlink_events_total')).toBeGreaterThan(events);
      expect(s.logs.join('\n')).toContain('"level":20'); // --log-level debug reaches pino
    } finally {
      await s.stop();
    }
  });
});
