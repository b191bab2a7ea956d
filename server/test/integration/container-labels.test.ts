import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { NetBuilder, until } from '@vethmap/testkit';
import { LiveTopology } from '../../src/engine/live.js';
import type { ContainerLabeller } from '../../src/engine/snapshot.js';

const net = new NetBuilder();
const dir = mkdtempSync(path.join(tmpdir(), `${net.prefix}-`));
afterAll(() => {
  try { execFileSync('umount', [path.join(dir, 'docker', 'sandbox')], { stdio: 'ignore' }); } catch { /* not mounted */ }
  rmSync(dir, { recursive: true, force: true });
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('container names', () => {
  it('names a Docker-folder namespace whose container the engine knew only after the namespace appeared', async () => {
    // Docker makes the namespace's file under /var/run/docker/netns before the container
    // runs: the engine's first answer does not know it, and on a quiet host nothing else
    // happens. The namespace and its bind mount are real; the engine is a stand-in that
    // knows the container from its second question on. The engine sees only this test's
    // Docker folder and no other process (a /proc holding only itself), so no other namespace
    // appearing on the host can cause a second question.
    const folder = path.join(dir, 'docker');
    mkdirSync(folder);
    // Its only "process" is this one, in the root namespace, standing for pid 1.
    mkdirSync(path.join(dir, 'proc'));
    symlinkSync(`/proc/${process.pid}`, path.join(dir, 'proc', '1'));
    const file = path.join(folder, 'sandbox');
    closeSync(openSync(file, 'a'));
    execFileSync('mount', ['--bind', `/var/run/netns/${net.netns('dk')}`, file]);

    const id = 'c0ffee'.padEnd(64, '0');
    let asked = 0;
    const engine: ContainerLabeller = async (candidates) => {
      const mine = candidates.find((c) => c.name === 'sandbox');
      if (mine) asked++;
      if (!mine) return new Map();
      // First what a cgroup tells (the short id, no image), then the engine's answer.
      return new Map([[mine.inode, asked > 1 ? { id, name: 'web-1', image: 'busybox:stand-in' } : { id, name: id.slice(0, 12), image: null }]]);
    };
    const live = new LiveTopology({
      log: pino({ level: 'silent' }),
      labelContainers: engine,
      sources: { procRoot: path.join(dir, 'proc'), namedDirs: [{ dir: folder, kind: 'docker' }] },
    });
    live.start();
    try {
      const shown = () => live.topology.namespaces.find((n) => n.kind === 'docker');
      await until('the sandbox listed', () => shown(), 10_000);
      // Retried after 0.25 s and 1 s; without the retry, never (the full listing, every
      // 30 s, finds nothing new to ask about).
      await until('the sandbox named after its container', () => shown()?.container?.name === 'web-1', 10_000);
      expect(shown()).toMatchObject({ kind: 'docker', container: { id, name: 'web-1', image: 'busybox:stand-in' } });
    } finally {
      live.stop();
    }
  }, 60_000);
});
