import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Topology } from '@vethmap/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickNode, launchBrowser, openExport, waitForVersion } from './support/browser.js';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';

/**
 * What a browser may do with vethmap (issue 10 §2), in Debian Chromium against the real
 * server: a DNS-rebinding page is refused, the page works under its CSP, and the token
 * travels from the printed URL into a cookie.
 */
const lab = new NetBuilder('vme2e');
const ns = lab.nsName('sec');
const servers: ServeProcess[] = [];
let browser: Browser | undefined;

beforeAll(async () => {
  lab.netnsNamed(ns);
  lab.veth(lab.name('s0'), null, 'eth0', ns);
  // Any name a page could have, resolved to this machine: what a rebinding attacker's
  // DNS answers once the page is loaded.
  browser = await launchBrowser(['--host-resolver-rules=MAP evil.example 127.0.0.1']);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await Promise.all(servers.map((s) => s.stop()));
  lab.cleanup();
  expect(lab.leftovers()).toEqual([]);
});

async function serve(args: string[] = []): Promise<ServeProcess> {
  const s = await startServe(args);
  servers.push(s);
  return s;
}

/** What a script of the page can get: the topology (same-origin fetch) and a socket.io websocket. */
function probe(page: Page): Promise<{ api: number; body: string; socket: string }> {
  return page.evaluate(async () => {
    const r = await fetch('/api/topology');
    const body = (await r.text()).slice(0, 300);
    const socket = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/socket.io/?EIO=4&transport=websocket`);
      const timer = setTimeout(() => resolve('no answer'), 10_000);
      ws.onmessage = (e) => {
        clearTimeout(timer);
        resolve(`open: ${String(e.data).slice(0, 8)}`);
        ws.close();
      };
      ws.onerror = () => {
        clearTimeout(timer);
        resolve('refused');
      };
    });
    return { api: r.status, body, socket };
  });
}

describe('DNS rebinding', () => {
  it('refuses the page, its fetch and its websocket when served as evil.example; serves them at 127.0.0.1', async () => {
    const s = await serve();
    const port = new URL(s.url).port;
    const page = await browser!.newPage();
    try {
      const refused = await page.goto(`http://evil.example:${port}/`);
      expect(refused?.status()).toBe(403);
      expect(await page.locator('body').innerText()).toContain('DNS rebinding');
      // The attacker's script runs in a page of that origin: same-origin for the browser.
      const evil = await probe(page);
      expect(evil.api).toBe(403);
      expect(evil.body).not.toContain('"namespaces"');
      expect(evil.socket).toBe('refused');

      const ok = await page.goto(`http://127.0.0.1:${port}/`);
      expect(ok?.status()).toBe(200);
      await waitForVersion(page, 1, 30_000);
      const good = await probe(page);
      expect(good.api).toBe(200);
      expect(good.body).toContain('"namespaces"');
      expect(good.socket).toBe('open: 0{"sid":');
    } finally {
      await page.close();
    }
  });
});

describe('the page under its Content-Security-Policy', () => {
  it('loads, selects an interface, exports every format with no violation', async () => {
    const s = await serve();
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const consoleCsp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(m.text());
    });
    await page.addInitScript(`window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));`);
    try {
      const res = await page.goto(s.url);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await waitForVersion(page, 1, 30_000);
      const t = (await (await fetch(`${s.url}/api/topology`)).json()) as Topology;
      const mine = t.namespaces.find((n) => n.name === ns);
      const eth0 = t.interfaces.find((i) => i.namespace === mine?.id && i.name === 'eth0');
      if (!eth0?.peer) throw new Error('the test pair was not seen');
      await page.waitForFunction((id) => (window.cy?.getElementById(id).length ?? 0) > 0, eth0.id, { timeout: 30_000 });
      await clickNode(page, eth0.id);
      await page.waitForFunction((peer) => window.cy?.$('.peer').map((e) => e.id()).includes(peer) ?? false, eth0.peer, { timeout: 10_000 });
      // Every format of the export menu (PNG draws the SVG through an <img> and a canvas).
      await openExport(page);
      for (const [choice, kind] of [['png:1', 'png'], ['png:2', 'png'], ['svg', 'svg'], ['dot', 'dot'], ['mermaid', 'mmd'], ['drawio', 'drawio']]) {
        await page.getByLabel('export format').selectOption(choice!);
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export').click()]);
        expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${kind}$`));
        const file = readFileSync(await download.path());
        if (kind === 'png') expect(file.length).toBeGreaterThan(1000);
        else expect(file.toString('utf8')).toContain(ns);
      }
      // The live socket (same-origin ws: under connect-src 'self') kept working.
      lab.setDown('eth0', ns);
      await page.waitForFunction((id) => window.cy?.getElementById(id).data('state') === 'down', eth0.id, { timeout: 30_000 });

      expect(await page.evaluate('window.__csp')).toEqual([]);
      expect(consoleCsp).toEqual([]);

      // And the listener does catch what the policy forbids: an injected inline script.
      await page.evaluate(`const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s); 0`);
      await page.waitForFunction('window.__csp.length > 0', undefined, { timeout: 5000 });
      expect(await page.evaluate('window.__ran')).toBeUndefined();
      expect(String(await page.evaluate('window.__csp[0]'))).toMatch(/^script-src/);
    } finally {
      await page.close();
    }
  });

  it('is built without inline script or style', () => {
    const html = readFileSync(new URL('../client/dist/index.html', import.meta.url), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});

describe('the token in a browser', () => {
  it('works from the printed URL, leaves the address bar, and is asked for again after a restart', async () => {
    const port = await freePort();
    let s = await serve(['--require-token', '--port', String(port)]);
    const first = new URL(s.url);
    expect(first.searchParams.get('token')).toBeTruthy();
    const origin = first.origin;
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const stranger = await browser!.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/?token=${first.searchParams.get('token')}&lo=1`);
      await waitForVersion(page, 1, 30_000);
      expect(page.url()).toBe(`${origin}/?lo=1`);
      expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: no script reads it
      await page.reload();
      await waitForVersion(page, 1, 30_000);

      const other = await stranger.newPage();
      const refused = await other.goto(`${origin}/`);
      expect(refused?.status()).toBe(401);
      expect(await other.locator('body').innerText()).toContain('vethmap needs its token');

      // A restart generates a new token: the open page says what it needs...
      await s.stop();
      s = await serve(['--require-token', '--port', String(port)]);
      const banner = page.getByTestId('banner');
      await page.waitForFunction(() => document.querySelector('[data-testid="banner"]')?.textContent?.includes('asks for its token') ?? false, undefined, { timeout: 30_000 });
      // ...and picks up by itself once the new URL was opened in another tab.
      const tab = await context.newPage();
      await tab.goto(s.url);
      await waitForVersion(tab, 1, 30_000);
      await banner.waitFor({ state: 'detached', timeout: 30_000 });
      await waitForVersion(page, 1, 30_000);
    } finally {
      await context.close();
      await stranger.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
