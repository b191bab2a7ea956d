// Bundles the CLI (server/src/cli.ts) into server/dist/cli.js, replacing tsc's output of it,
// with one chunk per command under server/dist/chunks/ (esbuild, MIT). A whole `vethmap`
// process spends most of its life loading modules: one file per command instead of a
// hundred (zod alone is ~100 files) halves that (measured: docs/cli.md). tsc's
// server/dist/cli.js works too (same code, unbundled), so a `tsc -b` alone never breaks it.
//
// Bundled: our code, commander, zod and @vethmap/shared (from source; side-effect free, so a
// command that only needs ids does not load the schemas). Everything else the server
// depends on (express, socket.io, pino, prom-client, …) stays in node_modules: only `serve`
// loads them, and they do their own dynamic requires (pino's workers, ws' optional addons).
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = path.join(root, 'server');
const outdir = path.join(server, 'dist');
const BUNDLED = new Set(['commander', 'zod', '@vethmap/shared', 'ipaddr.js']);

// commander requires child_process when it loads, only to spawn executable subcommands
// (`.command('name', 'description')`), which vethmap does not declare; with it come net,
// dgram and their streams: 19M of the 219M instructions of a `vethmap peer`
// (docs/cli-startup.md). Here it is required on first use instead. The edit is checked: a
// commander that loads or uses child_process differently fails the build, not the CLI.
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      const uses = source.match(/childProcess\.\w+/g) ?? [];
      if (source.split(eager).length !== 2 || uses.some((u) => u !== 'childProcess.spawn')) {
        throw new Error(`commander's ${args.path} no longer loads child_process as bundle-cli.mjs expects: update lazyChildProcess`);
      }
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

const deps = Object.keys(JSON.parse(readFileSync(path.join(server, 'package.json'), 'utf8')).dependencies ?? {});
rmSync(path.join(outdir, 'chunks'), { recursive: true, force: true });

const result = await build({
  // dist/cli.js (the `bin`) is bin.ts: it answers `--version` alone, else imports
  // dist/program.js, the commander program (cli.ts). Both sit one level below server/.
  entryPoints: { cli: path.join(server, 'src/bin.ts'), program: path.join(server, 'src/cli.ts') },
  outdir,
  entryNames: '[name]',
  // Chunks sit two levels below server/, like tsc's dist/kernel/native.js and
  // dist/http/server.js: their paths relative to import.meta.url (the addon, the page) hold.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Minified: less to read and compile on every start (--version: 70 -> 30 ms over bare
  // node on a busy VM). Errors print messages, not stacks; `node --enable-source-maps
  // server/dist/cli.js` maps a stack back to the sources.
  minify: true,
  sourcemap: true,
  metafile: true,
  alias: { '@vethmap/shared': path.join(root, 'shared/src/index.ts') },
  external: deps.filter((d) => !BUNDLED.has(d)),
  // commander is CommonJS: its require('node:events') needs a require in an ES module.
  banner: { js: "import { createRequire as __vethmapRequire } from 'node:module'; const require = __vethmapRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});

// The entries are one level below server/: code that finds files next to itself must not land there.
for (const name of ['cli.js', 'program.js']) {
  const entry = result.metafile.outputs[path.relative(process.cwd(), path.join(outdir, name))];
  const anchored = Object.keys(entry?.inputs ?? {}).filter((i) => /kernel\/native\.ts$|http\/server\.ts$/.test(i));
  if (!entry || anchored.length) {
    console.error(`bundle-cli: ${entry ? `${anchored.join(', ')} ended up in server/dist/${name} (imported statically from cli.ts?)` : `no server/dist/${name} output`}`);
    process.exit(1);
  }
}

// dist/cli.js, executed as `vethmap`, starts as a POSIX sh script that execs Node on itself
// without NODE_EXTRA_CA_CERTS; to Node the second line is a string and a comment. Node
// parses that bundle (and its ~140 roots) before any JavaScript runs: 40-50 ms of every
// `vethmap` process where it is set (docs/cli-startup.md), for a program that opens no TLS
// connection. `node server/dist/cli.js` skips the first two lines and keeps the environment.
const LAUNCHER = ['#!/bin/sh', '":" //; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"'];
const bin = path.join(outdir, 'cli.js');
const [hashbang, ...rest] = readFileSync(bin, 'utf8').split('\n');
if (hashbang !== '#!/usr/bin/env node') {
  console.error(`bundle-cli: server/dist/cli.js starts with ${JSON.stringify(hashbang)}, not bin.ts's hashbang: update the launcher`);
  process.exit(1);
}
writeFileSync(bin, [...LAUNCHER, ...rest].join('\n'));
chmodSync(bin, 0o755);
// One generated line more before the code: its source map says so (';' = a line with no mappings).
const mapFile = `${bin}.map`;
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
map.mappings = `;${map.mappings}`;
writeFileSync(mapFile, JSON.stringify(map));
