import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine (docker-engine.test.ts
 * builds and runs them on one): Debian's docker-compose (v1) validates the file offline and prints it
 * normalised; that YAML is read with the YAML library docker-compose itself uses
 * (python3-yaml, one of its dependencies), then the security settings are asserted.
 * Under CI a missing docker-compose is a failure, not a skip (scripts/test.sh installs it).
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPOSE = ['-f', 'docker-compose.yml'];

async function have(cmd: string): Promise<boolean> {
  try {
    await run('sh', ['-c', 'command -v "$1"', 'sh', cmd]);
    return true;
  } catch {
    return false;
  }
}

const hasCompose = await have('docker-compose');
if (!hasCompose && process.env.CI) {
  throw new Error('docker-compose is missing under CI=true: install the Debian package docker-compose (scripts/test.sh does)');
}

interface BindVolume {
  type: string;
  source: string;
  target: string;
  read_only?: boolean;
  bind?: { propagation?: string };
}
interface Service {
  pid?: string;
  network_mode?: string;
  cap_drop?: string[];
  cap_add?: string[];
  privileged?: boolean;
  read_only?: boolean;
  security_opt?: string[];
  tmpfs?: string[] | string;
  volumes?: BindVolume[];
  ports?: unknown[];
  expose?: unknown[];
  command?: string[];
  environment?: Record<string, string>;
  restart?: string;
  healthcheck?: { test?: string[]; interval?: string; timeout?: string; retries?: number };
}

describe.skipIf(!hasCompose)('docker-compose.yml (docker-compose config)', () => {
  let service: Service;

  /** The file as docker-compose resolves it, with `env` as the environment it interpolates. */
  async function resolved(env: Record<string, string> = {}): Promise<Service> {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'VETHMAP_TOKEN'));
    const { stdout } = await run('docker-compose', [...COMPOSE, 'config'], { cwd: ROOT, env: { ...clean, ...env } });
    const toJson = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
    const child = run('python3', ['-c', toJson]);
    child.child.stdin?.end(stdout);
    const doc = JSON.parse((await child).stdout) as { services: Record<string, Service> };
    expect(Object.keys(doc.services)).toEqual(['vethmap']);
    return doc.services.vethmap!;
  }

  beforeAll(async () => {
    service = await resolved();
  });

  it('is valid for docker-compose (config -q exits 0, prints nothing)', async () => {
    const { stdout, stderr } = await run('docker-compose', [...COMPOSE, 'config', '-q'], { cwd: ROOT });
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/error|invalid/i);
  });

  it("sees the host's processes and namespaces, from the host's network namespace", () => {
    expect(service.pid).toBe('host');
    expect(service.network_mode).toBe('host');
  });

  it('drops every capability but the two it was measured to need', () => {
    expect(service.privileged).toBeFalsy();
    expect(service.cap_drop).toEqual(['ALL']);
    expect([...(service.cap_add ?? [])].sort()).toEqual(['SYS_ADMIN', 'SYS_PTRACE']);
  });

  it('runs read-only, with a tmpfs /tmp and no privilege gain', () => {
    expect(service.read_only).toBe(true);
    const tmpfs = [service.tmpfs ?? []].flat();
    expect(tmpfs.some((t) => t === '/tmp' || t.startsWith('/tmp:'))).toBe(true);
    expect(service.security_opt).toContain('no-new-privileges:true');
  });

  it('mounts the netns folders read-only with rslave propagation, the engine socket read-only', () => {
    const byTarget = new Map((service.volumes ?? []).map((v) => [v.target, v]));
    for (const dir of ['/var/run/netns', '/var/run/docker/netns']) {
      const v = byTarget.get(dir);
      expect(v, dir).toMatchObject({ type: 'bind', source: dir, read_only: true, bind: { propagation: 'rslave' } });
    }
    expect(byTarget.get('/var/run/docker.sock')).toMatchObject({ type: 'bind', read_only: true });
    // Nothing else of the host's file system.
    expect([...byTarget.keys()].sort()).toEqual(['/var/run/docker.sock', '/var/run/docker/netns', '/var/run/netns']);
    for (const v of service.volumes ?? []) expect(v.read_only, v.target).toBe(true);
  });

  it('publishes no port and listens on the loopback only', () => {
    expect(service.ports ?? []).toEqual([]);
    expect(service.expose ?? []).toEqual([]);
    const cmd = service.command ?? [];
    expect(cmd[0]).toBe('serve');
    expect(cmd[cmd.indexOf('--host') + 1]).toBe('127.0.0.1');
    expect(cmd.join(' ')).not.toMatch(/0\.0\.0\.0|::(?!1)/);
  });

  it('asks for a token: VETHMAP_TOKEN from the environment (or .env), else serve generates one', async () => {
    const cmd = service.command ?? [];
    expect(cmd).toContain('--require-token');
    // No token on the command line: /proc/PID/cmdline is readable by every user of the host.
    expect(cmd.join(' ')).not.toMatch(/--token(?!-)|token=/);
    // Unset, it is '' in the container, which serve takes as no token given (it generates one).
    expect(service.environment).toEqual({ VETHMAP_TOKEN: '' });
    expect((await resolved({ VETHMAP_TOKEN: 'given-token-0123456789' })).environment).toEqual({ VETHMAP_TOKEN: 'given-token-0123456789' });
  });

  it('checks /api/health with node (no curl in the slim image) and restarts unless stopped', () => {
    const test = service.healthcheck?.test ?? [];
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test[3]).toContain("fetch('http://127.0.0.1:7878/api/health')");
    expect(service.restart).toBe('unless-stopped');
  });
});

describe('Dockerfile', () => {
  let text: string;
  let stages: string[];
  beforeAll(async () => {
    text = await readFile(new URL('Dockerfile', `file://${ROOT}`), 'utf8');
    stages = text.split(/^FROM /m).slice(1);
  });

  it('takes every base from a build argument: node:20-bookworm and -slim unless told otherwise', () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20-bookworm$/m);
    expect(text).toMatch(/^ARG NODE_SLIM_IMAGE=node:20-bookworm-slim$/m);
    // A literal image in any FROM would need a pull where the Docker test builds (none can be made).
    const froms = text.match(/^FROM .*$/gm) ?? [];
    expect(froms.length).toBe(stages.length);
    for (const f of froms) expect(f).toMatch(/^FROM \$\{NODE(_SLIM)?_IMAGE\} AS \w+$/);
  });

  it('builds with node-gyp on the full base and runs on the slim one with iproute2', () => {
    expect(stages[0]).toMatch(/^\$\{NODE_IMAGE\} AS build/);
    expect(stages[0]).toMatch(/python3 make g\+\+/);
    expect(stages[0]).toMatch(/RUN npm ci/);
    expect(stages[0]).toMatch(/npm run build/);
    const runtime = stages.at(-1) ?? '';
    expect(runtime).toMatch(/^\$\{NODE_SLIM_IMAGE\} AS runtime/);
    expect(runtime).toMatch(/install -y --no-install-recommends iproute2/);
    expect(runtime).toMatch(/COPY --from=build \/app\/server\/build\/Release\/vethmap_netlink\.node/);
    expect(runtime).not.toMatch(/COPY --from=build \/app\/node_modules/); // production deps only, from the deps stage
    expect(runtime).toMatch(/ENTRYPOINT \["node", "\/app\/server\/dist\/cli\.js"\]/);
    expect(runtime).toMatch(/CMD \["serve", "--host", "127\.0\.0\.1", "--port", "7878", "--require-token"\]/);
  });

  it('keeps build context small and secrets out (.dockerignore)', async () => {
    const ignore = (await readFile(new URL('.dockerignore', `file://${ROOT}`), 'utf8')).split('\n').map((l) => l.trim());
    for (const p of ['**/node_modules', '**/dist', 'server/build', '.git']) expect(ignore).toContain(p);
  });
});
