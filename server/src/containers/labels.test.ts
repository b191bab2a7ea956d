import { copyFile, link, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engineSockets, labelContainers, type NamespaceToLabel } from './index.js';

/**
 * A real HTTP server on a unix socket answers with recorded Docker Engine API documents;
 * a temporary directory stands in for /proc. nsfs inodes cannot be made in a temp dir,
 * but a regular file has an inode too: /proc/PID/ns/net is a file here, and processes of
 * one namespace share it through hard links, so the default `stat` lookup is exercised.
 */

const FIXTURES = new URL('../../test/fixtures/docker/', import.meta.url);
const fixture = async (name: string): Promise<unknown> => JSON.parse(await readFile(new URL(name, FIXTURES), 'utf8')) as unknown;

const WEB = '3f4e8c2a9b1d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f';
const DB = '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b';
const INSPECT: Record<string, string> = {
  [WEB]: 'container-inspect-web.json',
  [DB]: 'container-inspect-db.json',
  c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2: 'container-inspect-node-exporter.json',
  '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f': 'container-inspect-debug.json',
};

type Mode = 'ok' | 'hang' | 'error500' | 'garbage';

let dir: string;
let procRoot: string;
let socketPath: string;
let server: http.Server;
let mode: Mode = 'ok';
const requests: string[] = [];
const sockets = new Set<Socket>();
let ns: Record<'root' | 'web' | 'db' | 'named', NamespaceToLabel>;

/** /proc/PID/ns/net as a file; `sameAs` makes it a hard link (same inode: same namespace). */
async function proc(pid: number, cgroupFixture: string | null, sameAs?: number): Promise<number> {
  const nsDir = path.join(procRoot, String(pid), 'ns');
  await mkdir(nsDir, { recursive: true });
  const net = path.join(nsDir, 'net');
  if (sameAs === undefined) await writeFile(net, '');
  else await link(path.join(procRoot, String(sameAs), 'ns', 'net'), net);
  if (cgroupFixture) await copyFile(new URL(cgroupFixture, FIXTURES), path.join(procRoot, String(pid), 'cgroup'));
  return (await stat(net)).ino;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vethmap-containers-'));
  procRoot = path.join(dir, 'proc');
  socketPath = path.join(dir, 'docker.sock');

  const rootInode = await proc(1, 'cgroup-v2-host-session.txt');
  await proc(1893, null, 1); // node-exporter: network_mode host, so in the root namespace
  const webInode = await proc(24511, 'cgroup-v2-docker-systemd.txt');
  await proc(24530, 'cgroup-v2-docker-systemd.txt', 24511); // an nginx worker
  await proc(25002, null, 24511); // shop-debug-1 joined web's namespace
  const dbInode = await proc(24377, 'cgroup-v1-docker-cgroupfs.txt');
  await proc(30000, 'cgroup-v2-host-session.txt'); // a host shell that nsenter'd somewhere
  await writeFile(path.join(dir, 'named'), '');
  const namedInode = (await stat(path.join(dir, 'named'))).ino;
  ns = {
    root: { inode: rootInode, pids: [1, 1893], kind: 'root' },
    web: { inode: webInode, pids: [25002, 24530, 24511], kind: 'process' },
    db: { inode: dbInode, pids: [24377], kind: 'docker', name: '2c1d0e9f8a7b' },
    named: { inode: namedInode, pids: [], kind: 'named', name: 'blue' },
  };

  server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (mode === 'hang') return; // accept, never answer
    if (mode === 'error500') {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"daemon is shutting down"}');
      return;
    }
    if (mode === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>not an engine</html>');
      return;
    }
    const send = (body: unknown, status = 200): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Api-Version': '1.47', Server: 'Docker/27.3.1 (linux)' }).end(JSON.stringify(body));
    };
    const m = /^\/containers\/([^/]+)\/json$/.exec(req.url ?? '');
    if (req.method !== 'GET') return send({ message: 'vethmap must only read' }, 405);
    if (req.url === '/containers/json') return void fixture('containers-json.json').then((b) => send(b));
    const file = m?.[1] ? INSPECT[m[1]] : undefined;
    if (file) return void fixture(file).then((b) => send(b));
    send({ message: `No such container: ${m?.[1] ?? req.url}` }, 404);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  mode = 'ok';
  requests.length = 0;
});
afterEach(() => {
  for (const s of sockets) s.destroy(); // drop the hanging ones
});

const all = (): NamespaceToLabel[] => [ns.root, ns.web, ns.db, ns.named];

describe('labelContainers with an engine socket', () => {
  it('names namespaces after their containers, through State.Pid → /proc/PID/ns/net', async () => {
    const labels = await labelContainers(all(), { dockerSocket: socketPath, procRoot });
    expect(Object.fromEntries(labels)).toEqual({
      // shop-debug-1 (network_mode container:web) joined it: the owner names it.
      [ns.web.inode]: { id: WEB, name: 'shop-web-1', image: 'nginx:1.27' },
      [ns.db.inode]: { id: DB, name: 'shop-db-1', image: 'postgres:16-bookworm' },
    });
    // The host-network node-exporter does not rename the root namespace.
    expect(labels.has(ns.root.inode)).toBe(false);
    // Read-only: a list and one inspect per container, all GET.
    expect(requests[0]).toBe('GET /containers/json');
    expect(requests.every((r) => r.startsWith('GET /containers/'))).toBe(true);
    expect(requests).toHaveLength(5);
  });

  it('uses an injected inode lookup (the seam for real nsfs)', async () => {
    const asked: number[] = [];
    const labels = await labelContainers([ns.db], {
      dockerSocket: socketPath,
      procRoot: '/nonexistent',
      inodeOfPid: (pid) => {
        asked.push(pid);
        return Promise.resolve(pid === 24377 ? ns.db.inode : null);
      },
    });
    expect(labels.get(ns.db.inode)?.name).toBe('shop-db-1');
    expect(asked).toContain(24377);
  });

  it('falls back to SandboxKey when the pid cannot be seen (no pid: host)', async () => {
    const byPath = await labelContainers([ns.db], {
      dockerSocket: socketPath,
      inodeOfPid: () => Promise.resolve(null),
      inodeOfPath: (file) => Promise.resolve(file === '/var/run/docker/netns/2c1d0e9f8a7b' ? ns.db.inode : null),
    });
    expect(byPath.get(ns.db.inode)?.name).toBe('shop-db-1');
    // No way to stat it either: the docker-netns entry of the same name still matches.
    const byName = await labelContainers([ns.db], { dockerSocket: socketPath, inodeOfPid: () => Promise.resolve(null), inodeOfPath: () => Promise.resolve(null) });
    expect(byName.get(ns.db.inode)).toEqual({ id: DB, name: 'shop-db-1', image: 'postgres:16-bookworm' });
  });

  it('labels only the namespaces it was given', async () => {
    const labels = await labelContainers([ns.named], { dockerSocket: socketPath, procRoot });
    expect(labels.size).toBe(0);
  });
});

describe('labelContainers without a usable engine', () => {
  const cgroupOnly = {
    [WEB]: { id: WEB, name: '3f4e8c2a9b1d', image: null },
    [DB]: { id: DB, name: '8a7b6c5d4e3f', image: null },
  };
  const expected = (): Record<number, unknown> => ({ [ns.web.inode]: cgroupOnly[WEB], [ns.db.inode]: cgroupOnly[DB] });

  it('is not an error when the socket is absent: labels come from /proc/PID/cgroup', async () => {
    const labels = await labelContainers(all(), { dockerSocket: path.join(dir, 'no-such.sock'), procRoot });
    expect(Object.fromEntries(labels)).toEqual(expected());
  });

  it('gives up on a socket that never answers within the timeout', async () => {
    mode = 'hang';
    const t0 = Date.now();
    const labels = await labelContainers(all(), { dockerSocket: socketPath, procRoot, timeoutMs: 200 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(requests).toEqual(['GET /containers/json']);
    expect(Object.fromEntries(labels)).toEqual(expected());
  });

  it.each(['error500', 'garbage'] as const)('is not an error when the engine answers %s', async (m) => {
    mode = m;
    const labels = await labelContainers(all(), { dockerSocket: socketPath, procRoot });
    expect(Object.fromEntries(labels)).toEqual(expected());
  });

  it('asks no engine when told not to', async () => {
    const labels = await labelContainers(all(), { dockerSocket: false, procRoot });
    expect(requests).toEqual([]);
    expect(labels.size).toBe(2);
  });

  it("lets a namespace's lowest pid decide: whoever made it, not who entered later", async () => {
    const enteredLater: NamespaceToLabel = { inode: 4242, pids: [30000, 24377], kind: 'process' };
    const unreadableFirst: NamespaceToLabel = { inode: 4343, pids: [24511, 1893], kind: 'process' }; // 1893: no cgroup file
    const madeByHost: NamespaceToLabel = { inode: 4444, pids: [24511, 1], kind: 'process' };
    const labels = await labelContainers([enteredLater, unreadableFirst, madeByHost], { dockerSocket: false, procRoot });
    expect(labels.get(4242)?.name).toBe('8a7b6c5d4e3f');
    expect(labels.get(4343)?.name).toBe('3f4e8c2a9b1d');
    expect(labels.has(4444)).toBe(false);
    // The root namespace is never a container, whatever its processes say.
    expect((await labelContainers([{ inode: 1, pids: [24511], kind: 'root' }], { dockerSocket: false, procRoot })).size).toBe(0);
  });
});

describe('engineSockets', () => {
  it('prefers the explicit socket, then DOCKER_HOST (unix only), then the defaults', () => {
    expect(engineSockets('/tmp/x.sock', {})).toEqual(['/tmp/x.sock']);
    expect(engineSockets(false, { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual([]);
    expect(engineSockets(undefined, { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual([
      '/run/user/1000/docker.sock', '/var/run/docker.sock', '/run/podman/podman.sock',
    ]);
    expect(engineSockets(undefined, { DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual(['/var/run/docker.sock', '/run/podman/podman.sock']);
  });
});
