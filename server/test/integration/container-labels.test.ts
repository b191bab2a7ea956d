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
const mounted: string[] = [];
afterAll(() => {
  for (const file of mounted) {
    try { execFileSync('umount', [file], { stdio: 'ignore' }); } catch { /* not mounted */ }
  }
  rmSync(dir, { recursive: true, force: true });
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

/**
 * The engine's whole view of processes: a /proc holding this process as pid 1 (in the root
 * namespace) and `pids`, so no other namespace appearing on the host can cause a question.
 */
function fakeProc(name: string, pids: number[] = []): string {
  const proc = path.join(dir, name);
  mkdirSync(proc);
  symlinkSync(`/proc/${process.pid}`, path.join(proc, '1'));
  for (const pid of pids) symlinkSync(`/proc/${pid}`, path.join(proc, String(pid)));
  return proc;
}

/** A folder like /var/run/docker/netns: `bind` mounts a new namespace of this test's at `file` and returns its inode. */
function dockerFolder(name: string): { folder: string; bind: (file: string, ns: string) => number } {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const bind = (file: string, ns: string): number => {
    const made = `/var/run/netns/${net.netns(ns)}`;
    const at = path.join(folder, file);
    closeSync(openSync(at, 'a'));
    execFileSync('mount', ['--bind', made, at]);
    mounted.push(at);
    return statSync(made).ino;
  };
  return { folder, bind };
}

function startLive(labelContainers: ContainerLabeller, procRoot: string, dockerDir: string | null): LiveTopology {
  const live = new LiveTopology({
    log: pino({ level: 'silent' }),
    labelContainers,
    sources: { procRoot, namedDirs: dockerDir ? [{ dir: dockerDir, kind: 'docker' }] : [] },
  });
  live.start();
  return live;
}

describe('container names', () => {
  it('names a Docker-folder namespace whose container the engine knew only after the namespace appeared', async () => {
    // Docker makes the namespace's file under /var/run/docker/netns before the container
    // runs: the engine's first answer does not know it, and on a quiet host nothing else
    // happens. The namespace and its bind mount are real; the engine is a stand-in that
    // knows the container from its second question on. The engine sees only this test's
    // Docker folder and no other process.
    const { folder, bind } = dockerFolder('docker');
    bind('sandbox', 'dk');

    const id = 'c0ffee'.padEnd(64, '0');
    let asked = 0;
    const engine: ContainerLabeller = async (candidates) => {
      const mine = candidates.find((c) => c.name === 'sandbox');
      if (mine) asked++;
      if (!mine) return new Map();
      // First what a cgroup tells (the short id, no image), then the engine's answer.
      return new Map([[mine.inode, asked > 1 ? { id, name: 'web-1', image: 'busybox:stand-in' } : { id, name: id.slice(0, 12), image: null }]]);
    };
    const live = startLive(engine, fakeProc('proc'), folder);
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
    const { folder, bind } = dockerFolder('late');
    const inodes = new Map<string, number>([['first', bind('first', 'lt1')]]);

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
    const live = startLive(engine, fakeProc('proc-late'), folder);
    try {
      const named = (file: string) => live.topology.namespaces.find((n) => n.inode === inodes.get(file));
      // While the first (slow) question is out, a second namespace appears and asks again.
      await until('the first sandbox listed', () => named('first'), 10_000);
      inodes.set('second', bind('second', 'lt2'));
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
    const procRoot = fakeProc('proc-held', [pid]);
    const inode = statSync(`/proc/${pid}/ns/net`).ino;
    const id = 'beef'.padEnd(64, '2');
    let asked = 0;
    const engine: ContainerLabeller = async (candidates) => {
      const mine = candidates.find((c) => c.inode === inode);
      if (!mine) return new Map();
      asked++;
      return new Map([[inode, asked > 1 ? { id, name: 'app-1', image: 'busybox:stand-in' } : { id, name: id.slice(0, 12), image: null }]]);
    };
    const live = startLive(engine, procRoot, null);
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
