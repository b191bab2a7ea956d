import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI as cli } from '@vethmap/testkit';

/**
 * What a `vethmap` process loads before it answers (docs/cli-startup.md): not timed (speed
 * is the bench's), but the modules that made start-up slow, observed in the real process.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-startup-'));
const probe = path.join(dir, 'probe.cjs');
// Preloaded with -r: at exit, writes Node's built-ins and the CommonJS files the process loaded.
writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify({
  builtins: process.moduleLoadList, files: Object.keys(require.cache) })));\n`);
// A module resolve hook (module.register, run with --import): every ES module the process resolves.
const hooks = path.join(dir, 'hooks.mjs');
writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.PROBE_URLS, r.url + '\\n');
  return r;
}\n`);
const register = path.join(dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Loaded { stdout: string; status: number | null; builtins: string[]; files: string[]; modules: string[] }

function run(args: string[]): Loaded {
  const out = path.join(dir, 'loaded.json');
  const urls = path.join(dir, 'urls.txt');
  rmSync(out, { force: true });
  writeFileSync(urls, '');
  const r = spawnSync('node', ['-r', probe, '--import', register, cli, ...args], { encoding: 'utf8', env: { ...process.env, PROBE_OUT: out, PROBE_URLS: urls } });
  const seen = JSON.parse(readFileSync(out, 'utf8')) as { builtins: string[]; files: string[] };
  const modules = readFileSync(urls, 'utf8').split('\n').filter((u) => u.startsWith('file:')).map((u) => path.relative(path.dirname(cli), fileURLToPath(u)));
  return { stdout: r.stdout, status: r.status, builtins: seen.builtins, files: seen.files.filter((f) => f !== probe), modules };
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('vethmap start-up', () => {
  it('answers --version and -V alone before loading commander, with the version commander prints', () => {
    for (const flag of ['--version', '-V']) {
      const r = run([flag]);
      expect(r).toMatchObject({ stdout: `${version}\n`, status: 0 });
      // program.js is cli.ts bundled with commander (scripts/bundle-cli.mjs).
      expect(r.modules).toEqual(['cli.js']);
    }
    // Among other arguments it is commander's --version, and the same answer.
    const viaCommander = run(['--log-level', 'warn', '--version']);
    expect(viaCommander).toMatchObject({ stdout: `${version}\n`, status: 0 });
    expect(viaCommander.modules).toContain('program.js');
  });

  it('run as `vethmap` (the bin, through a link as npm makes one), starts Node without NODE_EXTRA_CA_CERTS, arguments and exit codes intact', () => {
    const bin = path.join(dir, 'vethmap');
    symlinkSync(cli, bin);
    // A bundle that cannot be read: Node warns at start-up, before any JavaScript, when it reads the variable.
    const withCa = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'no-such-bundle.pem') };
    const throughNode = spawnSync('node', [cli, '--version'], { encoding: 'utf8', env: withCa });
    expect(throughNode.stdout).toBe(`${version}\n`);
    expect(throughNode.stderr).toContain('Ignoring extra certs');
    const asBin = spawnSync(bin, ['--version'], { encoding: 'utf8', env: withCa });
    expect(asBin).toMatchObject({ stdout: `${version}\n`, stderr: '', status: 0 });
    // What the shell of the launcher must not touch: spaces, quotes, $, globs, a newline.
    const odd = ['peer', 'x $HOME "q" * `id`\nnext', '--netns', 'root'];
    const a = spawnSync(bin, odd, { encoding: 'utf8', env: withCa });
    const b = spawnSync('node', [cli, ...odd], { encoding: 'utf8' });
    expect(a.status).toBe(3);
    expect(a.stderr).toContain('x $HOME \\"q\\" * `id`');
    expect({ stdout: a.stdout, stderr: a.stderr, status: a.status }).toEqual({ stdout: b.stdout, stderr: b.stderr, status: b.status });
    // What makes dropping the variable safe: the commands it speeds up never load TLS.
    for (const args of [['--version'], ['peer', 'lo', '--netns', 'root'], ['snapshot']]) {
      const r = run(args);
      expect(r.status).toBe(0);
      expect(r.builtins.filter((m) => /\btls\b|https/.test(m))).toEqual([]);
    }
  });

  it("peer does not load child_process: commander's require of it is made lazy in the bundle", () => {
    // commander requires it (with net, dgram and their streams) only to spawn executable subcommands.
    const peer = run(['peer', 'lo', '--netns', 'root']);
    expect(peer.status).toBe(0);
    expect(peer.modules).toContain('program.js');
    expect(peer.builtins).not.toContain('NativeModule child_process');
  });

  it('peer and --version load no CommonJS file from node_modules (each costs a trip through the ESM loader)', () => {
    // ipaddr.js, imported by the kernel module peer shares with why, once cost peer a quarter
    // of its instructions (cjs-module-lexer, the CommonJS loader); it is bundled now.
    const peer = run(['peer', 'lo', '--netns', 'root']);
    expect(peer.status).toBe(0);
    expect(peer.stdout).toContain('"lo" in namespace "root"');
    expect(peer.files.filter((f) => f.includes('node_modules'))).toEqual([]);
    expect(run(['--version']).files).toEqual([]);
  });
});
