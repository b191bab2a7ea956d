// The README's pictures of the timeline and the dark theme (root):
// `npx tsx e2e/support/shoot-timeline.ts [docs/timeline.png] [docs/dark.png]`.
// Builds a small bridge host in namespaces of its own, serves it, makes a few real changes
// (a port down and up again, an address added), screenshots, removes it all.
import type { Browser } from 'playwright-core';
import { bridgeHost, NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';
import { launchBrowser, waitForVersion } from './browser.js';
import { servedBridgeHost } from './served-bridge-host.js';

const [lightOut = 'docs/timeline.png', darkOut = 'docs/dark.png'] = process.argv.slice(2);
const lab = new NetBuilder('vme2e');
let server: ServeProcess | undefined;
let browser: Browser | undefined;
const frames = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';
try {
  const seed = bridgeHost(lab);
  server = await startServe();
  browser = await launchBrowser();
  const { topology: t, nsId } = await servedBridgeHost(server.url, seed);
  const url = `${server.url}/?ns=${encodeURIComponent(nsId(seed.h))}&detail=all&timeline=1`;
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 }, colorScheme: 'light' });
  await page.goto(url);
  await waitForVersion(page, 0, 60_000);
  lab.setDown('pb', seed.h);
  await new Promise((r) => setTimeout(r, 700));
  lab.ipIn(seed.a, 'addr', 'add', '10.77.0.99/24', 'dev', 'eth0');
  await new Promise((r) => setTimeout(r, 700));
  lab.ipIn(seed.h, 'link', 'set', 'pb', 'up');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-entry"]').length >= 4, undefined, { timeout: 30_000 });
  await page.locator('[data-testid="timeline-entry"][data-kind="link-state"]').last().click();
  await new Promise((r) => setTimeout(r, 600));
  await page.evaluate(frames);
  await page.screenshot({ path: lightOut });
  console.log('saved', lightOut);
  const dark = await browser.newPage({ viewport: { width: 1400, height: 820 }, colorScheme: 'dark' });
  const a = t.interfaces.find((i) => i.name === 'eth0' && i.namespace === nsId(seed.a))!;
  await dark.goto(`${url}&select=${encodeURIComponent(a.id)}`);
  await waitForVersion(dark, 0, 60_000);
  await new Promise((r) => setTimeout(r, 600));
  await dark.evaluate(frames);
  await dark.screenshot({ path: darkOut });
  console.log('saved', darkOut);
} finally {
  await browser?.close();
  await server?.stop();
  lab.cleanup();
}
