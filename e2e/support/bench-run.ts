// Runs benchBrowser against N lab namespaces on a bridge: `npx tsx e2e/support/bench-run.ts 100`.
// The lead's `npm run bench` does the same with its own lab; this is for the client's owner.
import { benchBrowser } from '../bench-browser.js';
import { NetBuilder, startServe } from '@vethmap/testkit';

const n = Number(process.argv[2] ?? 100);
const lab = new NetBuilder('vme2e');
const server = { stop: async () => undefined } as { stop: () => Promise<void> };
// Ctrl-C while 1000 namespaces exist: remove them before leaving.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void server.stop().then(() => lab.cleanup()).finally(() => process.exit(130));
  });
}
try {
  const br = lab.name('br');
  lab.bridge(br);
  for (let k = 0; k < n; k++) {
    const ns = lab.netnsNamed(lab.name(`n${k}`));
    const port = lab.name(`p${k}`);
    lab.veth(port, null, 'eth0', ns);
    lab.ip('link', 'set', port, 'master', br);
  }
  const s = await startServe();
  server.stop = s.stop;
  await new Promise((r) => setTimeout(r, 1000));
  const result = await benchBrowser(s.url, async (k) => { lab.ip('-n', lab.name('n0'), 'link', 'set', 'eth0', k % 2 ? 'up' : 'down'); });
  console.log(JSON.stringify({ namespaces: n, ...result }));
} finally {
  await server.stop();
  lab.cleanup();
  const left = lab.leftovers();
  if (left.length) console.error('LEFT BEHIND', left);
}
