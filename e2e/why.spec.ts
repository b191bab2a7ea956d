import { spawn } from 'node:child_process';
import type { Topology } from '@vethmap/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { B_ADDR, bridgeHost, inNs, NetBuilder, startServe, type BridgeHost, type ServeProcess } from '@vethmap/testkit';
import { closeAll, launchBrowser, waitForVersion } from './support/browser.js';

/**
 * The seed post's "bridge can't ping", in the browser: select a namespace's eth0, ask why it
 * cannot reach the other one, see the path with the first failing hop in red; then live
 * traffic on the veth edges and in the side panel. Real server, real namespaces.
 */
describe('why can\'t it reach, and live traffic (browser)', () => {
  const lab = new NetBuilder('vme2e');
  let seed: BridgeHost;
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let aEth0: string;
  let bEth0: string;
  let hostNs: string;

  beforeAll(async () => {
    seed = bridgeHost(lab);
    inNs(seed.h, 'iptables', '-P', 'FORWARD', 'DROP');
    server = await startServe();
    for (let i = 0; ; i++) {
      const t = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
      const eth0 = (ns: string) => t.interfaces.find((x) => x.name === 'eth0' && x.namespace === t.namespaces.find((n) => n.name === ns)?.id && x.peer);
      if (eth0(seed.a) && eth0(seed.b)) {
        aEth0 = eth0(seed.a)!.id;
        bEth0 = eth0(seed.b)!.id;
        hostNs = t.namespaces.find((n) => n.name === seed.h)!.id;
        break;
      }
      if (i > 300) throw new Error('the server never saw the seed namespaces');
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    // The host namespace and its neighbours only: the machine may hold hundreds of other namespaces.
    await page.goto(`${server.url}/?ns=${encodeURIComponent(hostNs)}&select=${encodeURIComponent(aEth0)}`);
    await waitForVersion(page, 0, 60_000);
  });

  afterAll(async () => {
    await closeAll(browser, server);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
  });

  it('traces to a typed destination and draws the path, the firewall hop in red', async () => {
    await page.getByTestId('why-to').fill(`${seed.b}/eth0`);
    await page.getByRole('button', { name: 'Trace' }).click();
    await page.getByTestId('why-verdict').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('why-verdict').textContent()).toMatch(/^Not reachable: .*firewall in .*drops it/);
    const failing = page.locator('[data-testid=hop].hop-bad').first();
    expect(await failing.textContent()).toContain(`${seed.h}: the firewall in ${seed.h} drops it`);
    expect(await failing.locator('details').getAttribute('open')).not.toBeNull();
    const drawn = await page.evaluate(() => ({ path: window.cy!.$('.on-path').map((e) => e.id()), fail: window.cy!.$('.path-fail').map((e) => e.id()) }));
    expect(drawn.path).toEqual(expect.arrayContaining([expect.stringMatching(/^veth:/), expect.stringMatching(/^port:/)]));
    expect(drawn.path.length).toBeGreaterThanOrEqual(7); // 5 interfaces and at least 2 wires
    expect(drawn.fail.length).toBeGreaterThan(0);
  });

  it('picks the destination on the map, and says reachable once the firewall is fixed', async () => {
    inNs(seed.h, 'iptables', '-P', 'FORWARD', 'ACCEPT');
    await page.getByTestId('why-pick').click();
    await page.evaluate((id) => {
      window.vethmap!.reveal(id);
      window.cy!.getElementById(id).emit('tap');
    }, bEth0);
    await page.waitForFunction(() => /^Reachable/.test(document.querySelector('[data-testid=why-verdict]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.cy!.$('.path-fail').length)).toBe(0);
    expect(await page.evaluate((id) => new URL(location.href).searchParams.get('select') === id, aEth0)).toBe(true); // the pick did not change the selection
  });

  it('shows live traffic on the veth edge and in the side panel', async () => {
    // Traffic in the background for the whole wait: ten 1200-byte pings a second.
    const pinger = spawn('ip', ['netns', 'exec', seed.a, 'ping', '-q', '-i', '0.1', '-c', '150', '-s', '1200', B_ADDR], { stdio: 'ignore' });
    try {
      await page.waitForFunction((id) => {
        const row = document.querySelector(`[data-testid="traffic-${id}"]`);
        return row !== null && /kB\/s/.test(row.textContent ?? '');
      }, aEth0, { timeout: 30_000 });
      const label = await page.waitForFunction((id) => {
        const e = window.cy!.edges('.veth').filter((x) => x.source().id() === id || x.target().id() === id);
        const t = e.nonempty() ? String(e.data('traffic') ?? '') : '';
        return /B\/s/.test(t) ? t : false;
      }, aEth0, { timeout: 30_000 });
      expect(await label.jsonValue()).toMatch(/^\d+(\.\d)? (B|kB)\/s$/);
    } finally {
      pinger.kill();
    }
  });
});
