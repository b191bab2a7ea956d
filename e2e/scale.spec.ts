import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, launchBrowser, recordSocket, socketRecord, waitForVersion, type SocketRecord } from './support/browser.js';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';

const N = 250;

/**
 * A page on a host of 250 namespaces says which ~250 interfaces it shows (`stats:watch`,
 * ~6 KB). A server that bounded client frames below that (4 KiB) closed the page's socket
 * on every connect (1009); the page reconnected, said it again, and showed changes only as
 * the snapshot of its next reconnect. The page must keep one connection and draw a change
 * from its diff.
 */
describe(`a page on ${N} namespaces (real namespaces, real browser)`, () => {
  const lab = new NetBuilder('vme2e');
  const first = lab.nsName('s0');
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    const br = lab.name('br');
    const root = [`link add name ${br} type bridge`, `link set dev ${br} up`];
    for (let i = 0; i < N; i++) {
      const ns = lab.nsName(`s${i}`);
      const port = lab.name(`s${i}`);
      root.push(`netns add ${ns}`, `link add name ${port} type veth peer name eth0 netns ${ns}`, `link set dev ${port} master ${br}`, `link set dev ${port} up`);
    }
    lab.batch(root);
    server = await startServe();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await recordSocket(page);
    await page.goto(server.url);
    await waitForVersion(page, 0, 60_000);
  }, 180_000);

  afterAll(async () => {
    await closeAll(browser, server);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
  });

  const statsSeen = async (): Promise<number> => (await socketRecord(page)).events.stats ?? 0;
  const zoomTo = (z: number) => page.evaluate((zoom) => { window.cy!.zoom(zoom); window.cy!.center(); }, z);

  it('keeps one connection while it watches every pair it shows, and draws a change from its diff', async () => {
    // Close enough for traffic to show (TRAFFIC_MIN_ZOOM) with every pair still in view.
    await zoomTo(0.25);
    // Rates arrive only for a watch the server took: two of them prove it was sent and kept.
    await page.waitForFunction(() => {
      const s = (window as unknown as { __socket: SocketRecord }).__socket;
      return (s.events.stats ?? 0) >= 2 || s.closes.length > 0;
    }, undefined, { timeout: 20_000 });
    expect((await socketRecord(page)).closes).toEqual([]);

    const v = await page.evaluate(() => window.vethmap?.version ?? 0);
    lab.ip('-n', first, 'link', 'set', 'eth0', 'up');
    await waitForVersion(page, v + 1, 15_000);
    const after = await socketRecord(page);
    expect(after.closes).toEqual([]);
    expect(after.events.snapshot).toBe(1);
    expect(after.events.diff).toBeGreaterThanOrEqual(1);
  });

  it('watches no pair where traffic cannot be seen, and watches them again closer', async () => {
    await zoomTo(0.1);
    // The watch follows the view once it settles (~0.5 s); a sample already on its way may still come.
    await page.waitForTimeout(2000);
    const quiet = await statsSeen();
    await page.waitForTimeout(2500);
    expect(await statsSeen()).toBe(quiet);
    await zoomTo(0.25);
    await page.waitForFunction((n) => ((window as unknown as { __socket: SocketRecord }).__socket.events.stats ?? 0) >= n + 2, quiet, { timeout: 10_000 });
    expect((await socketRecord(page)).closes).toEqual([]);
  });
});
