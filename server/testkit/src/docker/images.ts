import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DockerEngine } from './engine.js';
import { mountsUnder } from './host-state.js';
import { run } from './run.js';

/**
 * Images made from local files, for an engine that cannot pull: a busybox image, and two
 * stand-ins for the official node:20-bookworm and node:20-bookworm-slim that the project's
 * Dockerfile builds from.
 */

/** A static busybox (Debian busybox-static) with a few applet links, imported as `tag`. */
export async function importBusybox(engine: DockerEngine, tag: string): Promise<void> {
  const busybox = '/bin/busybox';
  // The dynamic busybox of Debian's `busybox` package would not run in an empty image.
  if (!existsSync(busybox) || hasInterpreter(readFileSync(busybox))) {
    throw new Error(`${busybox} is missing or not static: install the Debian package busybox-static`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-busybox-'));
  try {
    mkdirSync(path.join(dir, 'rootfs/bin'), { recursive: true });
    await run('cp', [busybox, path.join(dir, 'rootfs/bin/busybox')]);
    for (const applet of ['sh', 'sleep', 'ip', 'cat', 'ls']) symlinkSync('busybox', path.join(dir, 'rootfs/bin', applet));
    await run('tar', ['-C', path.join(dir, 'rootfs'), '--numeric-owner', '-cf', path.join(dir, 'rootfs.tar'), '.']);
    await engine.docker(['import', path.join(dir, 'rootfs.tar'), tag]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when an ELF64 executable names a program interpreter (PT_INTERP): it is dynamically linked. */
function hasInterpreter(elf: Buffer): boolean {
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) throw new Error('not an ELF64 executable');
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const size = elf.readUInt16LE(0x36);
  const count = elf.readUInt16LE(0x38);
  for (let i = 0; i < count; i++) if (elf.readUInt32LE(phoff + i * size) === 3) return true;
  return false;
}

export interface NodeBases {
  /** Stand-in for node:20-bookworm: bookworm minbase, python3, make, g++ and the host's Node. */
  full: string;
  /** Stand-in for node:20-bookworm-slim: bookworm minbase and the host's Node. */
  slim: string;
  /** Every tag this made or loaded (remove them when done). */
  tags: string[];
  /** 'cache' when loaded from the cache file, 'built' when assembled here. */
  source: 'cache' | 'built';
  ms: number;
}

const SUITE = 'bookworm';
const MIRROR = 'http://deb.debian.org/debian';

/**
 * The host's Node as the official images lay it out: /usr/local/bin/node, npm under
 * /usr/local/lib/node_modules, headers under /usr/local/include/node (the Dockerfile's
 * npm_config_nodedir=/usr/local needs them for node-gyp). Debian bookworm's own nodejs
 * (18) is too old for the project.
 */
function hostNode(): { node: string; npm: string; include: string } {
  const node = realpathSync(process.execPath);
  const prefix = path.dirname(path.dirname(node));
  const npm = path.join(prefix, 'lib/node_modules/npm');
  const include = path.join(prefix, 'include/node');
  for (const p of [npm, include]) if (!existsSync(p)) throw new Error(`the host's Node has no ${p}: a Node install with npm and headers is needed`);
  return { node, npm, include };
}

/**
 * The host's CA bundle. Node trusts only its own bundled CAs; where a TLS-intercepting
 * proxy sits between the build and the npm registry (these CI VMs have one), `npm ci` in
 * the build needs the proxy's CA, which the host trusts through this bundle.
 */
function hostCaBundle(): string | null {
  const candidates = [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

function slimDockerfile(minbase: string, withCa: boolean): string {
  return [
    `FROM ${minbase}`,
    'COPY node/ /usr/local/',
    ...(withCa ? ['COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt', 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt'] : []),
    'CMD ["node"]',
    '',
  ].join('\n');
}

function fullDockerfile(slim: string): string {
  // What the official node:20-bookworm has beyond -slim that the build needs.
  return [`FROM ${slim}`, 'RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*', ''].join('\n');
}

/**
 * node:20-bookworm and -slim stand-ins, from `debootstrap --variant=minbase bookworm`, the
 * host's Node and CA bundle. The result is cached as a `docker save` file in `cacheDir`,
 * keyed by everything that goes into it (recipe, Node version, CA bundle): debootstrap
 * alone takes ~1.5 min. A cache file from another key is deleted when a new one is written.
 */
export async function nodeBases(engine: DockerEngine, cacheDir: string): Promise<NodeBases> {
  const t0 = Date.now();
  const ca = hostCaBundle();
  const version = process.version.slice(1);
  const full = `vethmap-test/node:${version}-${SUITE}`;
  const slim = `vethmap-test/node:${version}-${SUITE}-slim`;
  const minbase = `vethmap-test/debian:${SUITE}-minbase`;
  const key = createHash('sha256')
    .update(JSON.stringify({ SUITE, MIRROR, version, recipe: [slimDockerfile(minbase, ca !== null), fullDockerfile(slim)], ca: ca && createHash('sha256').update(readFileSync(ca)).digest('hex') }))
    .digest('hex')
    .slice(0, 16);
  const cacheFile = path.join(cacheDir, `node-bases-${key}.tar`);
  const tags = [full, slim, minbase];
  if (existsSync(cacheFile)) {
    await engine.docker(['load', '-q', '-i', cacheFile]);
    return { full, slim, tags, source: 'cache', ms: Date.now() - t0 };
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-bases-'));
  try {
    const rootfs = path.join(dir, 'rootfs');
    await run('debootstrap', ['--variant=minbase', SUITE, rootfs, MIRROR], { timeoutMs: 15 * 60_000 });
    // As Debian's own images: no package lists or caches in the image.
    await run('sh', ['-c', 'rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin', 'sh', rootfs]);
    await run('tar', ['-C', rootfs, '--numeric-owner', '--one-file-system', '-cf', path.join(dir, 'rootfs.tar'), '.']);
    await engine.docker(['import', path.join(dir, 'rootfs.tar'), minbase]);

    const ctx = path.join(dir, 'slim');
    const n = hostNode();
    mkdirSync(path.join(ctx, 'node/bin'), { recursive: true });
    mkdirSync(path.join(ctx, 'node/lib/node_modules'), { recursive: true });
    mkdirSync(path.join(ctx, 'node/include'), { recursive: true });
    await run('cp', ['-a', n.node, path.join(ctx, 'node/bin/node')]);
    await run('cp', ['-a', n.npm, path.join(ctx, 'node/lib/node_modules/npm')]);
    await run('cp', ['-a', n.include, path.join(ctx, 'node/include/node')]);
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(ctx, 'node/bin/npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(ctx, 'node/bin/npx'));
    if (ca) await run('cp', [ca, path.join(ctx, 'ca-certificates.crt')]);
    writeFileSync(path.join(ctx, 'Dockerfile'), slimDockerfile(minbase, ca !== null));
    await engine.docker(['build', '-q', '-t', slim, ctx]);

    const fullCtx = path.join(dir, 'full');
    mkdirSync(fullCtx);
    writeFileSync(path.join(fullCtx, 'Dockerfile'), fullDockerfile(slim));
    await engine.docker(['build', '-q', '--network', 'host', '-t', full, fullCtx], { timeoutMs: 10 * 60_000 });

    mkdirSync(cacheDir, { recursive: true });
    for (const f of readdirSync(cacheDir)) if (/^node-bases-[0-9a-f]{16}\.tar(\.tmp)?$/.test(f)) rmSync(path.join(cacheDir, f), { force: true });
    await engine.docker(['save', '-o', `${cacheFile}.tmp`, full, slim, minbase]);
    renameSync(`${cacheFile}.tmp`, cacheFile);
  } finally {
    // debootstrap mounts /proc and /sys in the target while it works; never delete through a mount.
    for (const m of mountsUnder([dir]).sort((a, b) => b.length - a.length)) await run('umount', ['-l', m]).catch(() => undefined);
    await run('rm', ['-rf', '--one-file-system', dir]).catch(() => undefined);
  }
  return { full, slim, tags, source: 'built', ms: Date.now() - t0 };
}

/**
 * Builds the project's image from its Dockerfile with the given bases, every step run
 * (`--no-cache`: an engine that was already running may have cached them). `--network host`:
 * the steps that fetch (apt-get, npm ci) reach the network without the NAT a dockerd
 * started without iptables lacks, and whatever the engine's bridge setup is.
 */
export async function buildProjectImage(engine: DockerEngine, root: string, tag: string, bases: Pick<NodeBases, 'full' | 'slim'>): Promise<{ ms: number; log: string }> {
  const t0 = Date.now();
  const args = ['build', '--no-cache', '--progress', 'plain', '--network', 'host', '--build-arg', `NODE_IMAGE=${bases.full}`, '--build-arg', `NODE_SLIM_IMAGE=${bases.slim}`, '-t', tag, root];
  const { stdout, stderr } = await engine.dockerFull(args, { timeoutMs: 15 * 60_000 });
  return { ms: Date.now() - t0, log: stdout + stderr };
}
