import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, symlinkSync } from 'node:fs';
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
  for (const file of ['docker/sandbox', 'late/first', 'late/second']) {
    try { execFileSync('umount', [path.join(dir, file)], { stdio: 'ignore' }); } catch { /* not mounted */ }
  }
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

  it('asks one question at a time, and a failed or late answer never takes back a container\'s name', async () => {
    // Seen on a loaded host: an answer to an older question (the engine was waiting on a
    // starting container) landed after a newer one and the container lost its name; an
    // engine that fails once turned every name into a short id. The stand-in engine
    // answers the first question late (with a cgroup's short id), knows `web-1` from the
    // second, and then fails (short ids again).
    const folder = path.join(dir, 'late');
    mkdirSync(folder);
    mkdirSync(path.join(dir, 'proc-late'));
    symlinkSync(`/proc/${process.pid}`, path.join(dir, 'proc-late', '1'));
    const inodes = new Map<string, number>();
    const bind = (file: string, ns: string) => {
      const made = `/var/run/netns/${net.netns(ns)}`;
      inodes.set(file, statSync(made).ino);
      closeSync(openSync(path.join(folder, file), 'a'));
      execFileSync('mount', ['--bind', made, path.join(folder, file)]);
    };
    bind('first', 'lt1');

    const id = 'feed'.padEnd(64, '1');
    let asked = 0;
    let inFlight = 0;
    let mostInFlight = 0;
    let answered = 0;
    const engine: ContainerLabeller = async (candidates) => {
      const n = ++asked;
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        const first = candidates.find((c) => c.name === 'first');
        if (n === 1) {
          await new Promise((r) => setTimeout(r, 1500));
          // What a cgroup tells while the engine is busy: the short id, no image.
          return new Map(first ? [[first.inode, { id, name: id.slice(0, 12), image: null }]] : []);
        }
        if (n === 2) return new Map(first ? [[first.inode, { id, name: 'web-1', image: 'busybox:stand-in' }]] : []);
        // What labelContainers answers when the engine fails: the cgroups' short ids.
        return new Map(first ? [[first.inode, { id, name: id.slice(0, 12), image: null }]] : []);
      } finally {
        inFlight--;
        answered++;
      }
    };
    const live = new LiveTopology({
      log: pino({ level: 'silent' }),
      labelContainers: engine,
      sources: { procRoot: path.join(dir, 'proc-late'), namedDirs: [{ dir: folder, kind: 'docker' }] },
    });
    live.start();
    try {
      const named = (file: string) => live.topology.namespaces.find((n) => n.inode === inodes.get(file));
      // While the first (slow) question is out, a second namespace appears and asks again.
      await until('the first sandbox listed', () => named('first'), 10_000);
      bind('second', 'lt2');
      await until('the second sandbox listed', () => named('second'), 10_000);
      await until('the first sandbox named after its container', () => named('first')?.container?.name === 'web-1', 10_000);
      // Then the engine fails (the next retry, or a new namespace asks), and every answer is in.
      await until('three answers, the slow one among them', () => answered >= 3 && inFlight === 0, 10_000);
      await new Promise((r) => setImmediate(r));
      expect(named('first')?.container).toMatchObject({ id, name: 'web-1', image: 'busybox:stand-in' });
      expect(mostInFlight).toBe(1);
    } finally {
      live.stop();
    }
  }, 60_000);

  it("asks again about a process-held namespace that only its cgroup names (a container seen before the engine lists it)", async () => {
    // Seen in the containerised server: a container's process was found by the /proc look
    // before its Docker-folder file, while the engine did not list it yet; the cgroup's short
    // id stayed for good, as only Docker-folder namespaces were asked about again.
    const pid = await net.processNamespace();
    mkdirSync(path.join(dir, 'proc-held'));
    symlinkSync(`/proc/${process.pid}`, path.join(dir, 'proc-held', '1'));
    symlinkSync(`/proc/${pid}`, path.join(dir, 'proc-held', String(pid)));
    const inode = statSync(`/proc/${pid}/ns/net`).ino;
    const id = 'beef'.padEnd(64, '2');
    let asked = 0;
    const engine: ContainerLabeller = async (candidates) => {
      const mine = candidates.find((c) => c.inode === inode);
      if (!mine) return new Map();
      asked++;
      return new Map([[inode, asked > 1 ? { id, name: 'app-1', image: 'busybox:stand-in' } : { id, name: id.slice(0, 12), image: null }]]);
    };
    const live = new LiveTopology({
      log: pino({ level: 'silent' }),
      labelContainers: engine,
      sources: { procRoot: path.join(dir, 'proc-held'), namedDirs: [] },
    });
    live.start();
    try {
      const shown = () => live.topology.namespaces.find((n) => n.inode === inode);
      await until('the process-held namespace listed', () => shown(), 10_000);
      expect(shown()?.kind).toBe('process');
      await until('named after its container', () => shown()?.container?.name === 'app-1', 10_000);
    } finally {
      live.stop();
      net.kill(pid);
    }
  }, 60_000);
});
