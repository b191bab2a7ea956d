import type { Browser, Page } from 'playwright-core';

export { launchBrowser } from './chromium.js';

/** Resolves once the page has drawn a topology of at least `minVersion`. */
export async function waitForVersion(page: Page, minVersion: number, timeoutMs = 15_000): Promise<number> {
  await page.waitForFunction((v) => (window.vethmap?.version ?? -1) >= v, minVersion, { timeout: timeoutMs, polling: 50 });
  return page.evaluate(() => window.vethmap?.version ?? -1);
}

/** Waits until cytoscape has an element with this id (a diff reached the canvas). */
export async function waitForElement(page: Page, id: string, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction((i) => (window.cy?.getElementById(i).length ?? 0) > 0, id, { timeout: timeoutMs, polling: 50 });
}

/**
 * Clicks a node on the canvas like a user: zoom in, centre it, let the view settle (on a
 * big host the interfaces near the viewport are drawn once it stops moving), then click at
 * its rendered position. Without the zoom a node is smaller than a pixel at 2k nodes.
 */
export async function clickNode(page: Page, id: string, zoom = 1.5): Promise<void> {
  await page.evaluate(([nodeId, z]) => {
    const cy = window.cy;
    if (!cy) throw new Error('no window.cy');
    // reveal() draws it first when the level of detail had left it out.
    if (!window.vethmap?.reveal(nodeId)) throw new Error(`no node ${nodeId}`);
    cy.zoom(z);
    cy.center(cy.getElementById(nodeId));
  }, [id, zoom] as const);
  await page.evaluate('new Promise((r) => setTimeout(r, 400))');
  const point = await page.evaluate((nodeId) => {
    const cy = window.cy;
    const node = cy?.getElementById(nodeId);
    if (!cy || !node || node.empty()) throw new Error(`no node ${nodeId} after settling`);
    const p = node.renderedPosition();
    if (node.renderedWidth() <= 8) throw new Error(`node ${nodeId} too small to click`);
    const box = cy.container()?.getBoundingClientRect();
    return { x: (box?.left ?? 0) + p.x, y: (box?.top ?? 0) + p.y };
  }, id);
  await page.mouse.click(point.x, point.y);
}

/**
 * Arms `window.clickDone`: resolves with the ms from the next mousedown to the frame after
 * some element carries `peer`. A string, not a function: tsx/esbuild's keepNames would
 * wrap named inner functions in a `__name()` helper that does not exist in the page.
 */
export async function armClickTimer(page: Page): Promise<void> {
  await page.evaluate(`window.clickDone = new Promise((resolve) => {
    document.addEventListener('mousedown', () => {
      const start = performance.now();
      const poll = () => {
        if (window.cy.$('.peer').length > 0) requestAnimationFrame(() => resolve(performance.now() - start));
        else requestAnimationFrame(poll);
      };
      poll();
    }, { capture: true, once: true });
  }); 0`);
}

/** A page on `url` in a fresh tab of `browser`, once it has drawn a first topology. */
export async function openPage(browser: Browser, url: string, options: { acceptDownloads?: boolean; viewport?: { width: number; height: number } } = {}, timeoutMs = 15_000): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
  await page.goto(url);
  await waitForVersion(page, 0, timeoutMs);
  return page;
}

/** Closes what a spec opened, whatever state it is in, server before namespaces. */
export async function closeAll(browser: Browser | undefined, server: { stop(): Promise<void> } | undefined): Promise<void> {
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
}

/** For the probe tools: a large page on `url` (a big host may take a while), given 1.5 s to settle. */
export async function openSettled(browser: Browser, url: string): Promise<Page> {
  const page = await openPage(browser, url, { viewport: { width: 1400, height: 900 } }, 60_000);
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.evaluate('new Promise((r) => setTimeout(r, 1500))');
  return page;
}

/** Opens the toolbar's Export menu (a <details>) unless it is open: its choices and Download are inside. */
export async function openExport(page: Page): Promise<void> {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
}

/** What went over a page's websocket since it loaded: each close's code, and messages by socket.io event. */
export interface SocketRecord {
  closes: number[];
  events: Record<string, number>;
}

/**
 * Records the page's websocket traffic from its next navigation on (call before `goto`):
 * a figure or a check taken while the page reconnects would measure the reconnect.
 */
export async function recordSocket(page: Page): Promise<void> {
  await page.addInitScript({
    content: `{
      const Ws = window.WebSocket;
      window.__socket = { closes: [], events: {} };
      window.WebSocket = class extends Ws {
        constructor(u, p) {
          super(u, p);
          this.addEventListener('close', (e) => window.__socket.closes.push(e.code));
          this.addEventListener('message', (e) => {
            const m = /^42\\["([^"]+)"/.exec(String(e.data));
            if (m) window.__socket.events[m[1]] = (window.__socket.events[m[1]] ?? 0) + 1;
          });
        }
      };
    }`,
  });
}

/** The page's SocketRecord so far (see recordSocket). */
export async function socketRecord(page: Page): Promise<SocketRecord> {
  return (await page.evaluate('window.__socket')) as SocketRecord;
}
