#!/usr/bin/env node
/**
 * What `vethmap` runs first in the bundle (scripts/bundle-cli.mjs makes this
 * `server/dist/cli.js`): `vethmap --version` (or `-V`) alone is answered here, from the same
 * package.json commander would read, without loading commander (which requires
 * child_process, net and streams: a third of that command's start-up). Everything else,
 * including `--version` among other arguments, goes to the commander program in `cli.ts`.
 * Nothing else may be imported here: every command pays for it.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Same file and field as cli.ts; this module sits one level below server/ as cli.ts does.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  // `vethmap --version | head -0` closing the pipe early is not an error (as in cli.ts).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
  process.stdout.write(`${pkg.version}\n`);
} else {
  await import('./cli.js');
}
