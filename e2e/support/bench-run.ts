// Runs benchBrowser against N lab namespaces on a bridge: `npx tsx e2e/support/bench-run.ts 100`.
// The lead's `npm run bench` does the same with its own lab; this is for the client's owner.
import { benchBrowser } from '../bench-browser.js';
import { Lab, leftovers } from './lab.js';
import { startServer } from './server.js';

const n = Number(process.argv[2] ?? 100);
const lab = new Lab();
const server = { stop: async () => undefined } as { stop: () => Promise<void> };
// Ctrl-C while 1000 namespaces exist: remove them before leaving.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void server.stop().then(() => lab.cleanup()).finally(() => process.exit(130));
  });
}
try {
  const br = lab.name('br');
  await lab.addBridge(br);
  for (let k = 0; k < n; k++) {
    const ns = await lab.addNamespace(lab.name(`n${k}`));
    const port = lab.name(`p${k}`);
    await lab.addVeth(port, null, 'eth0', ns);
    await lab.ip('link', 'set', port, 'master', br);
  }
  const s = await startServer();
  server.stop = s.stop;
  await new Promise((r) => setTimeout(r, 1000));
  const result = await benchBrowser(s.url, (k) => lab.ip('-n', lab.name('n0'), 'link', 'set', 'eth0', k % 2 ? 'up' : 'down').then(() => undefined));
  console.log(JSON.stringify({ namespaces: n, ...result }));
} finally {
  await server.stop();
  await lab.cleanup();
  const left = await leftovers();
  if (left.length) console.error('LEFT BEHIND', left);
}
