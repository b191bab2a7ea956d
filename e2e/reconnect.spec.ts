import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, launchBrowser, openPage, waitForVersion } from './support/browser.js';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';

/**
 * The server goes away and comes back (a restart: its versions start again from 1): the
 * page says so, and after reconnecting it shows what changed meanwhile.
 */
describe('reconnect (real server restarted, real namespaces)', () => {
  const lab = new NetBuilder('vme2e');
  const before = lab.nsName('r0');
  const during = lab.nsName('r1');
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const boxNamed = (name: string) =>
    page.waitForFunction((n) => window.cy?.nodes('.namespace').some((x) => x.data('label') === n) ?? false, name, { timeout: 30_000 });

  beforeAll(async () => {
    lab.netnsNamed(before);
    lab.veth(lab.name('rp0'), null, 'eth0', before);
    server = await startServe();
    browser = await launchBrowser();
    page = await openPage(browser, server.url);
  });

  afterAll(async () => {
    await closeAll(browser, server);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
  });

  it('shows the loss, then resynchronises with the restarted server', async () => {
    await boxNamed(before);
    // Some history first, so the page's version is ahead of what a fresh server starts at.
    for (const state of ['down', 'up', 'down', 'up']) {
      const v = await page.evaluate(() => window.vethmap?.version ?? 0);
      lab.ip('-n', before, 'link', 'set', 'eth0', state);
      await waitForVersion(page, v + 1);
    }
    const versionBefore = await page.evaluate(() => window.vethmap?.version ?? 0);
    const url = server?.url ?? '';
    const port = new URL(url).port;
    await server?.stop();
    const banner = page.getByTestId('banner');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await banner.innerText()).toMatch(/Disconnected|reconnecting/);
    // Changed while nobody was watching: no diff will ever say so.
    lab.netnsNamed(during);
    lab.veth(lab.name('rp1'), null, 'eth0', during);
    server = await startServe(['--port', port]);
    expect(server.url).toBe(url);
    await boxNamed(during);
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    // The picture is the new server's, not a mix: its version, both namespaces.
    const seen = await page.evaluate(() => window.vethmap?.version ?? -1);
    const api = (await (await fetch(`${url}/api/topology`)).json()) as { version: number };
    expect(api.version).toBeLessThan(versionBefore);
    expect(seen).toBeLessThanOrEqual(api.version);
    await boxNamed(before);
  });
});
