import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Topology } from '@vethmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, launchBrowser, waitForVersion } from './support/browser.js';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';

/**
 * Issue 12 on the page, against a real server and real namespaces: the timeline entry of a
 * real `ip link set … down` appears, glows on the map and locates its element; a change
 * outside the view is counted; copy puts a command on the clipboard; the keyboard paths;
 * the dark theme; and, last (it stops the server), the map dimmed with states "unknown".
 */
describe('timeline and everyday ergonomics (real server, real namespaces)', () => {
  const lab = new NetBuilder('vme2e');
  let a = '';
  let b = '';
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let t: Topology;
  const ids = { a: '', b: '', aEth: '', bEth: '' };

  beforeAll(async () => {
    a = lab.netns('ta');
    b = lab.netns('tb');
    lab.veth('eth0', a, 'eth1', b);
    server = await startServe([], { timeoutMs: 90_000 });
    for (const end = Date.now() + 60_000; ; ) {
      t = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
      const ns = t.namespaces.find((x) => x.name === a);
      if (t.interfaces.some((i) => i.name === 'eth0' && i.namespace === ns?.id && i.peer)) break;
      if (Date.now() > end) throw new Error('the server never saw the pair');
      await new Promise((r) => setTimeout(r, 200));
    }
    const nsId = (n: string) => t.namespaces.find((x) => x.name === n)!.id;
    ids.a = nsId(a);
    ids.b = nsId(b);
    ids.aEth = t.interfaces.find((i) => i.namespace === ids.a && i.name === 'eth0')!.id;
    ids.bEth = t.interfaces.find((i) => i.namespace === ids.b && i.name === 'eth1')!.id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    // Focused on the pair, every interface drawn: the host may hold a thousand other namespaces.
    await page.goto(`${server.url}/?ns=${encodeURIComponent(ids.a)}&detail=all&timeline=1`);
    await waitForVersion(page, 0, 90_000);
    await page.waitForFunction((id) => (window.cy?.getElementById(id).length ?? 0) > 0, ids.aEth, { timeout: 90_000 });
  }, 240_000);

  afterAll(async () => {
    await closeAll(browser, server);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
  });

  it('lists a real `ip link set … down` in the timeline, flashes the element, and a click locates it', async () => {
    lab.setDown('eth0', a);
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="link-state"]', { hasText: a }).filter({ hasText: 'eth0' }).first();
    await entry.waitFor({ timeout: 30_000 });
    expect(await entry.innerText()).toMatch(/up → down/);
    // The glow lasts 1.6 s from the entry's arrival.
    await page.waitForFunction((id) => window.cy!.getElementById(id).hasClass('flash'), ids.aEth, { timeout: 10_000, polling: 'raf' });
    await entry.click();
    await page.getByTestId('panel').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('select')).toBe(ids.aEth);
    // The whole pair framed, clear of the side panel (issue 12: selecting frames the whole pair).
    const inView = await page.evaluate((pair) => {
      const cy = window.cy!;
      const panel = document.querySelector('[data-testid="panel"]')!.getBoundingClientRect();
      const box = cy.container()!.getBoundingClientRect();
      return pair.map((id) => {
        const p = cy.getElementById(id).renderedPosition();
        return p.x > 0 && p.y > 0 && box.left + p.x < panel.left && p.y < cy.height();
      });
    }, [ids.aEth, ids.bEth]);
    expect(inView).toEqual([true, true]);
  }, 180_000);

  it('counts a change outside the view in a badge that opens the timeline', async () => {
    await page.keyboard.press('Escape');
    // Closing the panel gives its room back (a re-fit, in the frame after React commits):
    // pan only after that, or the re-fit brings the ends back into view.
    await page.getByTestId('panel').waitFor({ state: 'detached', timeout: 15_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
    // Looking somewhere else: both ends are out of view.
    // Just past the view, as a user scrolls away (not thousands of screens off).
    await page.evaluate((id) => {
      const cy = window.cy!;
      const p = cy.getElementById(id).renderedPosition();
      cy.panBy({ x: -(p.x + 200), y: 0 });
    }, ids.bEth);
    const offscreen = await page.evaluate((id) => {
      const cy = window.cy!;
      const p = cy.getElementById(id).renderedPosition();
      return p.x < 0 || p.y < 0 || p.x > cy.width() || p.y > cy.height() || cy.getElementById(id).empty();
    }, ids.bEth);
    expect(offscreen).toBe(true);
    await page.getByTestId('timeline-toggle').click(); // closed: the badge is the only sign
    lab.ipIn(b, 'addr', 'add', '10.99.0.2/24', 'dev', 'eth1');
    const badge = page.getByTestId('offscreen-badge');
    await badge.waitFor({ timeout: 30_000 });
    expect(await badge.innerText()).toMatch(/^\d+ changes? off-screen$/);
    await badge.click();
    await page.getByTestId('timeline').waitFor();
  }, 180_000);

  it('copies a command to the clipboard, one button per command, grouped per end', async () => {
    // Narrowed to a's namespace: on a busy host other entries keep arriving above it.
    await page.getByTestId('timeline-namespace').selectOption(ids.a);
    expect(await page.locator('[data-testid="timeline-entry"]', { hasText: b }).count()).toBe(0);
    await page.locator('[data-testid="timeline-entry"][data-kind="link-state"]', { hasText: a }).filter({ hasText: 'eth0' }).first().click({ timeout: 30_000 });
    const commands = page.getByTestId('commands');
    await commands.waitFor({ timeout: 15_000 });
    const headings = await commands.locator('h5').allInnerTexts();
    expect(headings).toEqual([`This end: eth0 in ${a}`, `Peer: eth1 in ${b}`]);
    const lines = await commands.getByTestId('command').allInnerTexts();
    expect(lines[0]).toBe(`ip -n ${a} -d link show eth0`);
    expect(await commands.getByTestId('copy').count()).toBe(lines.length);
    await commands.getByTestId('copy').first().click();
    await page.waitForFunction(() => document.querySelector('[data-testid="copy"]')?.textContent === 'copied', undefined, { timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(lines[0]);
    expect(await commands.locator('.command-note').first().innerText()).toMatch(/needs ethtool.*apt-get install ethtool/);
    // Wrapped, never clipped: no command is wider than its box.
    expect(await page.evaluate(() => Array.from(document.querySelectorAll('[data-testid="command"]')).every((c) => c.scrollWidth <= c.clientWidth + 1))).toBe(true);
  }, 180_000);

  it('keyboard: / searches, arrows and Enter pick, f fits, + zooms, Escape clears every halo, the map takes focus', async () => {
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 790 } }).catch(() => undefined);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search');
    await page.keyboard.type(b);
    await page.getByTestId('hits').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('select') !== null, undefined, { timeout: 10_000 });
    await page.waitForFunction(() => (window.cy?.$('.match').length ?? 0) > 0, undefined, { timeout: 10_000 });
    // The map is reachable by Tab, and the keys work from it.
    await page.focus('[data-testid="graph"]');
    await page.keyboard.press('-');
    const z0 = await page.evaluate(() => window.cy!.zoom());
    await page.keyboard.press('+');
    expect(await page.evaluate(() => window.cy!.zoom())).toBeGreaterThan(z0);
    await page.keyboard.press('f');
    const fitted = await page.evaluate(() => {
      const cy = window.cy!;
      const bb = cy.elements().renderedBoundingBox({ includeOverlays: false });
      return bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= cy.width() + 1 && bb.y2 <= cy.height() + 1;
    });
    expect(fitted).toBe(true);
    await page.keyboard.press('Escape');
    // Cleared within 2 s and staying cleared (a debounced search once re-applied its
    // halo just after Escape: 4 elements in 1 of 4 runs).
    await page.waitForFunction(() => window.cy!.$('.match, .selected, .peer, .related, .highlight').length === 0, undefined, { timeout: 2000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await page.evaluate(() => window.cy!.$('.match, .selected, .peer, .related, .highlight').length)).toBe(0);
    expect(await page.getByTestId('panel').count()).toBe(0);
    // Every control is reachable by Tab: nothing interactive has tabindex -1 except the result buttons.
    expect(await page.evaluate(() => document.querySelector('[data-testid="graph"]')?.getAttribute('tabindex'))).toBe('0');
  }, 180_000);

  it('renders the dark theme when the browser prefers it, and toggles back', async () => {
    const dark = await browser!.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    try {
      await dark.goto(`${server!.url}/?ns=${encodeURIComponent(ids.a)}&detail=all`);
      await waitForVersion(dark, 0, 90_000);
      expect(await dark.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(18, 20, 23)');
      // The canvas too: a box's fill is the dark theme's.
      expect(await dark.evaluate((id) => window.cy!.getElementById(id).style('background-color'), ids.a)).toBe('rgb(29,34,40)');
      await dark.getByTestId('theme-toggle').click();
      expect(await dark.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      expect(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
      expect(await dark.evaluate((id) => window.cy!.getElementById(id).style('background-color'), ids.a)).toBe('rgb(245,247,250)');
    } finally {
      await dark.close();
    }
  }, 180_000);

  it('dims the map and reads states "unknown" when the server is gone', async () => {
    await page.locator('[data-testid="timeline-entry"][data-kind="link-state"]', { hasText: a }).filter({ hasText: 'eth0' }).first().click();
    await page.getByTestId('panel').waitFor();
    expect(await page.locator('.badge.state-unknown').count()).toBe(0);
    await server!.stop();
    server = undefined;
    await page.locator('.main.stale').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => Number(getComputedStyle(document.querySelector('[data-testid="graph"]')!).opacity) < 0.6, undefined, { timeout: 5000 });
    expect(await page.locator('.badge.state-unknown').count()).toBeGreaterThan(0);
    expect(await page.locator('.badge:not(.state-unknown)').count()).toBe(0);
  }, 60_000);
});
