// The README's picture of the seed post's scenario: `npx tsx e2e/support/shoot-why.ts OUT.png` (root).
// Builds the "bridge can't ping" host inside namespaces of its own (FORWARD policy DROP under
// br_netfilter, as Docker leaves it), serves, traces in the page, screenshots, removes it all.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { B_ADDR, bridgeHost, inNs, NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';
import { launchBrowser, waitForVersion } from './browser.js';
import { servedBridgeHost } from './served-bridge-host.js';

const out = process.argv[2] ?? 'docs/why-seed.png';
const lab = new NetBuilder('vme2e');
let pinger: ChildProcess | undefined;
let server: ServeProcess | undefined;
let browser: Browser | undefined;
try {
  const seed = bridgeHost(lab);
  inNs(seed.h, 'iptables', '-P', 'FORWARD', 'DROP');
  pinger = spawn('ip', ['netns', 'exec', seed.a, 'ping', '-q', '-i', '0.2', '-s', '1000', B_ADDR], { stdio: 'ignore' });
  server = await startServe();
  browser = await launchBrowser();
  const { topology: t, nsId } = await servedBridgeHost(server.url, seed);
  const a = t.interfaces.find((i) => i.name === 'eth0' && i.namespace === nsId(seed.a))!;
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  await page.goto(`${server.url}/?ns=${encodeURIComponent(nsId(seed.h))}&select=${encodeURIComponent(a.id)}`);
  await waitForVersion(page, 0, 60_000);
  await page.getByTestId('why-to').fill(`${seed.b}/eth0`);
  await page.getByRole('button', { name: 'Trace' }).click();
  await page.getByTestId('why-verdict').waitFor({ timeout: 60_000 });
  // Let two traffic samples arrive so the veth edges carry their rates.
  await page.waitForFunction(() => window.cy!.edges('.veth').some((e) => /B\/s/.test(String(e.data('traffic') ?? ''))), undefined, { timeout: 30_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: out });
  console.log('saved', out);
} finally {
  pinger?.kill();
  await browser?.close();
  await server?.stop();
  lab.cleanup();
}
