// Makes `npm start` and `npm test` work on a fresh clone: installs dependencies (which
// compiles the netlink addon) and builds what is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'build') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

const installed = path.join(root, 'node_modules/.package-lock.json');
const addon = path.join(root, 'server/build/Release/vethmap_netlink.node');
if (process.argv.includes('--force-install') || !existsSync(installed) || !existsSync(addon) || mtime(path.join(root, 'package-lock.json')) > mtime(installed)) {
  run('npm', existsSync(path.join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}
// The addon is compiled by `npm ci`; a changed C file needs it compiled again.
if (mtime(addon) < newest(path.join(root, 'server/native'))) run('npm', ['rebuild', '--workspace=server']);
const serverOut = path.join(root, 'server/dist/cli.js');
const clientOut = path.join(root, 'client/dist/index.html');
const sources = Math.max(newest(path.join(root, 'shared/src')), newest(path.join(root, 'server/src')), newest(path.join(root, 'client')));
if (mtime(serverOut) < sources || mtime(clientOut) < sources) run('npm', ['run', 'build']);
