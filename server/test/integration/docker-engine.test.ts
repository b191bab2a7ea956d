import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topology } from '@vethmap/shared';
import { docker, NetBuilder } from '@vethmap/testkit';
import { launchBrowser } from '../../../e2e/support/chromium.js';
import { measure, nsInode, tableRow, VARIANTS, variantsFile, withPort, type Measured, type ServiceConfig } from '../support/docker-privilege.js';
import { hostSnapshot, servedTopology, untilServedAgreesWithHost } from '../support/docker-topology.js';

/**
 * The image built and run against a real Docker engine (Debian's docker.io 20.10 and
 * docker-compose 1.29): built from the project's Dockerfile on bases made here (nothing
 * can be pulled), run with the project's docker-compose.yml, checked from outside, then
 * the containers-by-name feature against real containers, then each privilege of the
 * compose file taken away in turn. A dockerd is started only if none runs, and stopped
 * again; everything made is removed, even on failure, and the test asserts it.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** debootstrap takes ~1.5 min: its result is cached here (see nodeBases). */
const CACHE = process.env.VETHMAP_TEST_CACHE ?? '/var/cache/vethmap-test';
const SERVICE = 'vethmap';
/** The shipped command: the host's loopback, port 7878, a token asked for (docs/deploy.md, "The token"). */
const SHIPPED_COMMAND = ['serve', '--host', '127.0.0.1', '--port', '7878', '--require-token'];
/** Some sandboxes refuse even root pid 1's namespace (kernel/netns.ts falls back to its own). */
const pid1Readable = (() => {
  try {
    return statSync('/proc/1/ns/net').ino > 0;
  } catch {
    return false;
  }
})();

const have = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const missing = ['dockerd', 'docker-compose', 'debootstrap', 'busybox'].filter((c) => !have(c));
if (missing.length > 0 && process.env.CI) {
  throw new Error(`missing under CI=true: ${missing.join(', ')} (scripts/test.sh installs docker.io, docker-compose, debootstrap, busybox-static)`);
}

describe.skipIf(missing.length > 0)('a real Docker engine', () => {
  const net = new NetBuilder('vmdk');
  const prefix = net.prefix;
  const image = `${prefix}/vethmap:test`;
  const busybox = `${prefix}/busybox:test`;
  const images = [image, busybox];
  const objects: docker.DockerObjects = { prefix, images };
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const timings: Record<string, string> = {};
  let engine: docker.DockerEngine | undefined;
  let project: docker.ComposeProject | undefined;
  let variants: docker.ComposeProject | undefined;
  let browser: Browser | undefined;
  let buildLog = '';
  let url = '';
  let named = '';
  // Given the way docs/deploy.md recommends for a service (VETHMAP_TOKEN, interpolated by
  // the compose file): stable across restarts, never logged.
  const token = randomBytes(32).toString('hex');
  const auth = { Authorization: `Bearer ${token}` };

  beforeAll(async () => {
    const t0 = Date.now();
    engine = await docker.DockerEngine.open();
    // A run killed before its teardown left these in an engine that kept running (runs are
    // serialised by the engine's lock, and `vmdk` is this test's prefix alone).
    await docker.removeDockerObjects(engine, { prefix: /^vmdk[0-9a-f]{4}/, images: /^(vmdk[0-9a-f]{4}|vethmap-test)\// });
    timings.engine = engine.startedHere ? `dockerd started here in ${engine.report.startMs} ms` : 'dockerd already running';
    const bases = await docker.nodeBases(engine, CACHE);
    images.push(...bases.tags);
    timings.bases = `${bases.source} in ${bases.ms} ms`;
    await docker.importBusybox(engine, busybox);
    const build = await docker.buildProjectImage(engine, ROOT, image, bases);
    buildLog = build.log;
    timings.build = `${build.ms} ms`;

    // Something of the host's for the container to find: a named namespace peered to the root
    // (`ip netns add` also makes /var/run/netns the shared mount rslave needs).
    named = net.netns('named');
    net.veth('eth0', named, net.name('r'), null);
    // The quick start's one-time step (docs/deploy.md): bind sources must exist, and dockerd
    // makes its netns folder only with its first container.
    mkdirSync('/var/run/docker/netns', { recursive: true });

    // The port the project's file uses, unless something on this host holds it already.
    const port = (await portIsFree(7878)) ? 7878 : await freePort();
    const health = `fetch('http://127.0.0.1:${port}/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`;
    const override = {
      version: '3.9',
      services: {
        [SERVICE]: {
          image,
          // Test only: the shipped 30 s interval would hold the first probe back 30 s (not 1 s:
          // each probe starts a Node process); on a host loaded by other tests (a thousand
          // namespaces being scanned) the first scan and the probe's own Node start-up can
          // outlast the shipped 10 s start period. Failures within the start period do not
          // count, and one passing probe makes it healthy.
          healthcheck: { interval: '2s', start_period: '120s', ...(port === 7878 ? {} : { test: ['CMD', 'node', '-e', health] }) },
          ...(port === 7878 ? {} : { command: withPort(SHIPPED_COMMAND, port) }),
        },
      },
    };
    writeFileSync(path.join(dir, 'override.yml'), JSON.stringify(override));
    url = `http://127.0.0.1:${port}`;
    project = new docker.ComposeProject(engine, prefix, [path.join(ROOT, 'docker-compose.yml'), path.join(dir, 'override.yml')], ROOT, { VETHMAP_TOKEN: token });
    const t1 = Date.now();
    await project.up();
    await project.healthy(SERVICE, 150_000);
    timings.composeHealthy = `${Date.now() - t1} ms`;
    timings.setup = `${Date.now() - t0} ms`;
  }, 25 * 60_000);

  afterAll(async () => {
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      try {
        return await fn();
      } finally {
        timings[`teardown ${name}`] = `${Date.now() - t} ms`;
      }
    };
    await step('browser', async () => browser?.close().catch(() => undefined));
    await step('variants down', async () => variants?.down());
    await step('compose down', async () => project?.down());
    let left: string[] = [];
    if (engine) {
      await step('objects', () => docker.removeDockerObjects(engine!, objects));
      left = await docker.dockerLeftovers(engine, objects);
    }
    net.cleanup();
    const report = await step('engine', async () => engine?.close());
    if (report?.stopMs) timings['teardown engine'] += ` (dockerd stop ${report.stopMs} ms, clean-up ${report.cleanMs} ms)`;
    rmSync(dir, { recursive: true, force: true });
    console.log('docker engine test timings:', timings);
    expect(left).toEqual([]);
    expect(report?.leftovers ?? []).toEqual([]);
    expect(net.leftovers()).toEqual([]);
  }, 5 * 60_000);

  describe("the image, from the project's Dockerfile on bases made here", () => {
    it('is built with npm ci and apt-get run inside the build, on the two local bases', () => {
      // Built with --no-cache: the fetching steps ran, whatever the engine had cached.
      expect(buildLog).toMatch(/npm ci --no-audit --no-fund/);
      expect(buildLog).toMatch(/added \d+ packages/);
      expect(buildLog).toMatch(/apt-get install -y --no-install-recommends iproute2/);
      expect(buildLog).toMatch(/Fetched [\d.]+ [kM]B/); // apt-get's own report of what it downloaded
    });

    it('runs the CLI as its entry point, with iproute2 and without a compiler (the slim base)', async () => {
      const [config] = JSON.parse(await engine!.docker(['image', 'inspect', image])) as Array<{ Config: { Entrypoint: string[]; Cmd: string[]; User: string; Healthcheck: { Test: string[] } } }>;
      expect(config!.Config.Entrypoint).toEqual(['node', '/app/server/dist/cli.js']);
      expect(config!.Config.Cmd).toEqual(SHIPPED_COMMAND);
      expect(config!.Config.Healthcheck.Test.join(' ')).toContain("fetch('http://127.0.0.1:7878/api/health')");
      expect(await engine!.docker(['run', '--rm', '--entrypoint', 'ip', image, '-V'])).toMatch(/iproute2/);
      await expect(engine!.docker(['run', '--rm', '--entrypoint', 'sh', image, '-c', 'command -v g++'])).rejects.toThrow();
    });
  });

  describe("docker-compose up with the project's docker-compose.yml", () => {
    it('is healthy by its healthcheck, with the settings of the file', async () => {
      const s = await project!.inspect(SERVICE);
      expect(s.State.Health?.Status).toBe('healthy');
      // A probe passed; on a loaded host a later one may have timed out without changing the status.
      expect(s.State.Health?.Log?.some((l) => l.ExitCode === 0)).toBe(true);
      expect(s.HostConfig.PidMode).toBe('host');
      expect(s.HostConfig.NetworkMode).toBe('host');
      expect(s.HostConfig.Privileged).toBe(false);
      expect(s.HostConfig.CapDrop?.map((c) => c.replace(/^CAP_/, ''))).toEqual(['ALL']);
      expect(s.HostConfig.CapAdd?.map((c) => c.replace(/^CAP_/, '')).sort()).toEqual(['SYS_ADMIN', 'SYS_PTRACE']);
      expect(s.HostConfig.ReadonlyRootfs).toBe(true);
      expect(s.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
      const mounts = Object.fromEntries(s.Mounts.map((m) => [m.Destination, m]));
      for (const d of ['/var/run/netns', '/var/run/docker/netns']) expect(mounts[d]).toMatchObject({ Type: 'bind', RW: false, Propagation: 'rslave' });
      expect(mounts['/var/run/docker.sock']).toMatchObject({ Type: 'bind', RW: false });
      if (url.endsWith(':7878')) expect(s.Config.Cmd).toEqual(SHIPPED_COMMAND);
      expect(s.Config.Env).toContain(`VETHMAP_TOKEN=${token}`);
    });

    it("answers /api/health on the host's loopback: only its status without the token, everything with it", async () => {
      // What the healthcheck sees: up or not, nothing about the host.
      const open = await fetch(`${url}/api/health`);
      expect(open.status).toBe(200);
      expect(await open.json()).toEqual({ status: 'ok' });
      const res = await fetch(`${url}/api/health`, { headers: auth });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; live: boolean; namespaces: number };
      expect(body).toMatchObject({ status: 'ok', live: true });
      expect(body.namespaces).toBeGreaterThan(1);
    });

    it('refuses the page and the API without the token, and never logs the token it was given', async () => {
      for (const p of ['/', '/api/topology', '/metrics']) {
        const without = await fetch(`${url}${p}`, { redirect: 'manual' });
        expect(without.status, p).toBe(401);
        expect(await without.text(), p).toMatch(/vethmap needs its token/);
        expect((await fetch(`${url}${p}`, { headers: { Authorization: `Bearer ${token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))}` } })).status, `${p}, wrong token`).toBe(401);
        expect((await fetch(`${url}${p}`, { headers: auth })).status, `${p}, with the token`).toBe(200);
      }
      const logs = await engine!.dockerFull(['logs', project!.container(SERVICE)]);
      const listening = (logs.stdout + logs.stderr).split('\n').find((l) => l.includes('"msg":"listening"'));
      expect(listening).toBeDefined();
      expect(JSON.parse(listening!)).toMatchObject({ token: 'environment', url: url });
      expect(logs.stdout + logs.stderr).not.toContain(token);
    });

    it('serves the same topology as `vethmap snapshot` on the host', async () => {
      const agreed = await untilServedAgreesWithHost(`${url}/api/topology`, 90_000, auth);
      timings.agreement = `try ${agreed.tries}: ${agreed.compared} namespaces and interfaces equal, ${agreed.inFlux.size} changing meanwhile left out`;
      const ours = agreed.topology.namespaces.find((n) => n.name === named);
      expect(ours?.kind).toBe('named');
      const root = agreed.topology.namespaces.find((n) => n.kind === 'root')!;
      // What this test made and the root were compared, not left out as changing.
      for (const id of [ours!.id, root.id, ...agreed.topology.interfaces.filter((i) => i.namespace === ours!.id).map((i) => i.id)]) expect(agreed.inFlux.has(id), id).toBe(false);
      expect(agreed.compared).toBeGreaterThan(2);
    }, 120_000);
  });

  describe('containers by name, on a real engine', () => {
    const web = `${prefix}-web`;
    const app = `${prefix}-app`;
    const network = `${prefix}-net`;
    let networkId = '';

    beforeAll(async () => {
      // Started after vethmap: their namespaces appear live, through rslave propagation.
      await engine!.docker(['run', '-d', '--name', web, busybox, '/bin/sleep', '7200']);
      networkId = (await engine!.docker(['network', 'create', network])).trim();
      await engine!.docker(['run', '-d', '--name', app, '--network', network, busybox, '/bin/sleep', '7200']);
    }, 60_000);

    const expectNamed = (t: Topology, name: string, bridge: string) => {
      const ns = t.namespaces.find((n) => n.name === name);
      expect(ns, `${name} in ${t.namespaces.map((n) => n.name).join(', ')}`).toBeDefined();
      expect(ns!.kind).toBe('docker');
      expect(ns!.container).toMatchObject({ name, image: busybox });
      const eth0 = t.interfaces.find((i) => i.namespace === ns!.id && i.name === 'eth0')!;
      const peer = t.interfaces.find((i) => i.id === eth0.peer);
      expect(peer, `peer of ${name}'s eth0`).toBeDefined();
      expect(peer!.kind).toBe('veth');
      const where = t.namespaces.find((n) => n.id === peer!.namespace);
      expect(where?.kind, `${name}'s eth0 (${eth0.id}) peered with ${peer!.id} (${peer!.name}) in ${where?.id} (${where?.name})`).toBe('root');
      expect(t.interfaces.find((i) => i.id === peer!.master)?.name).toBe(bridge);
    };

    it('names each namespace after its container, with its image, its eth0 peered to docker0 / br-<id>', async () => {
      const bridges: Array<[string, string]> = [[web, 'docker0'], [app, `br-${networkId.slice(0, 12)}`]];
      const host = await hostSnapshot();
      for (const [name, bridge] of bridges) expectNamed(host, name, bridge);
      // The containerised server sees them too, once its /proc re-list (2 s) has run.
      const deadline = Date.now() + 120_000;
      let served = await servedTopology(`${url}/api/topology`, auth);
      while (!bridges.every(([n]) => served.namespaces.some((ns) => ns.name === n)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        served = await servedTopology(`${url}/api/topology`, auth);
      }
      if (!bridges.every(([n]) => served.namespaces.some((ns) => ns.name === n))) {
        // What the engine says of them, what the server shows, and what it logged.
        const inspect = await engine!.docker(['inspect', '--format', '{{.Name}} pid={{.State.Pid}} sandbox={{.NetworkSettings.SandboxKey}} mode={{.HostConfig.NetworkMode}}', web, app]).catch((e: Error) => e.message);
        const shown = served.namespaces.filter((n) => n.kind !== 'root').map((n) => JSON.stringify(n)).join('\n');
        const logs = await engine!.docker(['logs', '--tail', '40', project!.container(SERVICE)]).catch((e: Error) => e.message);
        expect.fail(`not named in the served topology within 120 s\nengine:\n${inspect}\nserved:\n${shown}\nserver log:\n${logs}`);
      }
      for (const [name, bridge] of bridges) expectNamed(served, name, bridge);
    }, 180_000);

    it('serves the page, opened with the token: Chromium draws the containers', async () => {
      const html = await (await fetch(`${url}/`, { headers: auth })).text();
      const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
      expect(script, html).toBeDefined();
      const js = await fetch(new URL(script!, url), { headers: auth });
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      browser = await launchBrowser();
      // Without the token, the browser gets the refusal, not the page.
      const stranger = await browser.newPage();
      expect((await stranger.goto(`${url}/`, { timeout: 60_000 }))?.status()).toBe(401);
      await stranger.close();
      // The URL a user opens: the token is traded for a cookie and leaves the address bar.
      const page = await browser.newPage();
      const opened = await page.goto(`${url}/?token=${token}`, { timeout: 60_000 });
      expect(opened?.status()).toBe(200);
      expect(page.url()).toBe(`${url}/`);
      // Functions, not strings: the page's CSP forbids eval, which a string predicate needs.
      await page.waitForFunction(() => ((globalThis as PageGlobals).vethmap?.version ?? -1) >= 0, undefined, { timeout: 60_000 });
      const host = await hostSnapshot();
      const ids = [web, app].map((n) => host.namespaces.find((ns) => ns.name === n)!.id);
      await page.waitForFunction((want) => want.every((id) => ((globalThis as PageGlobals).cy?.getElementById(id).length ?? 0) > 0), ids, { timeout: 60_000 });
    }, 240_000);

    describe('least privilege, measured: each setting of the compose file taken away in turn', () => {
      const results = new Map<string, Measured>();
      /** The shipped variant, started as the quick start does (no VETHMAP_TOKEN): what it printed, and what it let in. */
      let generated: { listening: Record<string, unknown>; without: number; withToken: number } | undefined;

      beforeAll(async () => {
        // The file as the quick start reads it: VETHMAP_TOKEN unset, interpolated to ''.
        const quickStart = new docker.ComposeProject(engine!, prefix, [path.join(ROOT, 'docker-compose.yml')], ROOT, { VETHMAP_TOKEN: undefined });
        const config = JSON.parse(
          execFileSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
            input: await quickStart.compose(['config']),
            encoding: 'utf8',
          }),
        ) as { services: Record<string, ServiceConfig> };
        const ports = new Map<string, number>();
        for (const v of VARIANTS) ports.set(v.service, await freePort());
        writeFileSync(path.join(dir, 'variants.yml'), JSON.stringify(variantsFile(config.services[SERVICE]!, image, ports)));
        variants = new docker.ComposeProject(engine!, `${prefix}lp`, [path.join(dir, 'variants.yml')], ROOT);
        const containers = [];
        for (const name of [web, app]) {
          const s = JSON.parse(await engine!.docker(['inspect', name])) as docker.ContainerState[];
          containers.push({ name, image: busybox, inode: nsInode(`/proc/${s[0]!.State.Pid}/ns/net`) });
        }
        const scene = { hostRoot: nsInode('/proc/self/ns/net'), named, containers };
        // One at a time: ten servers scanning a busy host at once would measure the load.
        for (const [i, v] of VARIANTS.entries()) {
          // A fresh holder each time: the testkit's `unshare --net sleep` lives 10 minutes.
          const holder = await net.processNamespace();
          await variants.compose(['up', '-d', v.service]);
          const namedLate = net.netns(`late${i}`); // made after the container started
          results.set(v.service, await measure(engine!, variants, v.service, ports.get(v.service)!, { ...scene, namedLate, processHeld: nsInode(`/proc/${holder}/ns/net`) }));
          if (v.service === 'shipped') generated = await generatedToken(engine!, variants.container(v.service), ports.get(v.service)!);
          await engine!.docker(['rm', '-f', variants.container(v.service)]); // SIGKILL: nothing to wait for
          net.ip('netns', 'del', namedLate);
          net.kill(holder);
        }
        console.log([...results.values()].map((r) => `| ${tableRow(r).join(' | ')} |`).join('\n'));
      }, 30 * 60_000);

      // What each setting buys, as docs/deploy.md states it. Columns: serves on the host's
      // loopback; the namespace taken for the root; the named namespace made before / after
      // the container started; the process-held one; the two busybox containers; warnings.
      const read = 'read';
      const both = 'docker, name+image';
      const expected: Record<string, string[]> = {
        shipped: ['yes', "the host's", 'read / read', read, both, 'none'],
        // setns(2) refused: every namespace is listed, none but the root is entered.
        'no-sys-admin': ['yes', "the host's", 'listed, not read / listed, not read', 'listed, not read', `${both}, not read`, 'one per namespace: `setns: Operation not permitted`'],
        // /proc/PID/ns/net refused: process-held namespaces vanish; Docker's are still
        // found through /var/run/docker/netns, and labelled through their SandboxKey.
        'no-sys-ptrace': ['yes', "the host's", 'read / read', 'missing', both, "`N processes' namespaces could not be opened: run as root with CAP_SYS_PTRACE to see every container`"],
        // Its own /proc: process-held namespaces vanish, without a warning.
        'no-pid-host': ['yes', "the host's", 'read / read', 'missing', both, 'none'],
        // Serves its own loopback; and where pid 1's namespace cannot be opened (this VM),
        // its own namespace is taken for the root (see kernel/netns.ts).
        'no-host-network': ['inside the container only', pid1Readable ? "the host's" : "the container's own", 'read / read', read, both, 'none'],
        'no-netns': ['yes', "the host's", 'missing / missing', read, both, 'none'],
        // Without propagation the container keeps the mounts it started with.
        'netns-private': ['yes', "the host's", 'read / missing', read, both, 'none'],
        // Found through /proc instead (pid: host + SYS_PTRACE), as plain process namespaces.
        'no-docker-netns': ['yes', "the host's", 'read / read', read, 'process, name+image', 'none'],
        'no-socket': ['yes', "the host's", 'read / read', read, 'docker, short id', 'none'],
        'no-tmpfs': ['yes', "the host's", 'read / read', read, both, 'none'],
      };

      it('as shipped, without VETHMAP_TOKEN: serve generates a token and prints it in the URL of its logs', () => {
        expect(generated).toBeDefined();
        expect(generated!.listening).toMatchObject({ token: 'generated' });
        expect(String(generated!.listening.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
        expect(generated!.without).toBe(401);
        expect(generated!.withToken).toBe(200);
      });

      const docs = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');

      it.each(VARIANTS.map((v) => [v.service, v] as const))('%s', (service, v) => {
        const m = results.get(service);
        expect(m, `${service} was measured`).toBeDefined();
        expect(tableRow(m!)).toEqual([v.label, ...expected[service]!]);
        // ... and is the row docs/deploy.md shows.
        expect(docs).toContain(`| ${tableRow(m!).join(' | ')} |`);
      });
    });
  });
});

/** What the page exposes for tests (e2e/support/globals.d.ts), as far as this file reads it. */
interface PageGlobals {
  vethmap?: { version: number };
  cy?: { getElementById(id: string): { length: number } };
}

/** The `listening` line a container logged, and /api/topology's answer without and with the token its URL carries. */
async function generatedToken(engine: docker.DockerEngine, container: string, port: number): Promise<{ listening: Record<string, unknown>; without: number; withToken: number }> {
  const logs = await engine.dockerFull(['logs', container]);
  const line = (logs.stdout + logs.stderr).split('\n').find((l) => l.includes('"msg":"listening"'));
  if (!line) throw new Error(`${container} logged no listening line:\n${logs.stdout}${logs.stderr}`);
  const listening = JSON.parse(line) as Record<string, unknown>;
  const printed = new URL(String(listening.url)).searchParams.get('token') ?? '';
  const status = async (headers: Record<string, string>) => (await fetch(`http://127.0.0.1:${port}/api/topology`, { headers })).status;
  return { listening, without: await status({}), withToken: await status({ Authorization: `Bearer ${printed}` }) };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}
