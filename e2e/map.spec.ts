import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '@vethmap/shared';
import { demoLab } from '@vethmap/testkit/topologies';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, launchBrowser, waitForVersion } from './support/browser.js';

/**
 * The map's everyday ergonomics (issue 12), in Chromium: on the demo lab (`vethmap lab up
 * all`, served from a capture of the testkit's topology, so the picture is the same on a
 * busy host) and on real namespaces for what a live host adds (hover on a hostile name).
 * Page-side code is passed as strings where it names inner functions (tsx's keepNames).
 */

/** Interface labels drawn inside the view, in CSS px on screen (font size × zoom). */
const LABEL_PX = `(() => {
  const cy = window.cy; const z = cy.zoom();
  return cy.nodes('node.iface[label]').filter((n) => !n.hasClass('bridge')).filter((n) => {
    const p = n.renderedPosition(); return p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height();
  }).map((n) => parseFloat(n.style('font-size')) * z);
})()`;

/** Whether every drawn element (labels included) lies inside the map, and how much of it the picture fills. */
const FITTED = `(() => {
  const cy = window.cy; const bb = cy.elements().renderedBoundingBox({ includeOverlays: false });
  return { inside: bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= cy.width() + 1 && bb.y2 <= cy.height() + 1, fill: Math.max(bb.w / cy.width(), bb.h / cy.height()) };
})()`;

/** Polls a page expression (a string: a string predicate in waitForFunction needs eval, which the page's CSP forbids). */
async function until(page: Page, expr: string, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; ; ) {
    if (await page.evaluate(expr)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr.slice(0, 80)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const HALOS = '.match, .selected, .peer, .related, .highlight, .flash';

describe('map ergonomics (demo lab capture and real namespaces)', () => {
  const lab = new NetBuilder('vme2e');
  let dir = '';
  let capture: ServeProcess | undefined;
  let live: ServeProcess | undefined;
  let browser: Browser | undefined;
  const t = demoLab();
  const byName = (name: string) => {
    const i = t.interfaces.find((x) => x.name === name);
    if (!i) throw new Error(`no ${name} in the demo lab`);
    return i;
  };
  const nsByName = (name: string) => t.namespaces.find((n) => n.name === name)!.id;

  async function open(query = '', viewport = { width: 1280, height: 800 }, server = capture): Promise<Page> {
    const page = await browser!.newPage({ viewport });
    await page.goto(`${server!.url}/${query}`);
    await waitForVersion(page, 0, 60_000);
    await settled(page);
    return page;
  }
  /** Two frames and the canvas's settle delay: the view has been drawn for what it shows. */
  const settled = (page: Page) => page.evaluate('new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 300))');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vethmap-map-'));
    const file = join(dir, 'lab.json');
    await writeFile(file, JSON.stringify(t));
    capture = await startServe(['--from', file]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await closeAll(browser, capture);
    await live?.stop().catch(() => undefined);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the toolbar on one row at 1400 and 1280 px wide (it wrapped at 1400), also with a namespace chosen', async () => {
    for (const [width, query] of [[1400, ''], [1280, ''], [1400, `?ns=${nsByName('vlab-h1')}`], [1280, `?ns=${nsByName('vlab-h1')}`]] as const) {
      const page = await open(query, { width, height: 800 });
      const rows = await page.evaluate(() => {
        const bar = document.querySelector('.toolbar')!;
        return new Set(Array.from(bar.children).map((c) => Math.round(c.getBoundingClientRect().top / 12))).size;
      });
      const clipped = await page.evaluate(() => Array.from(document.querySelectorAll('.toolbar > *')).some((c) => c.getBoundingClientRect().right > window.innerWidth));
      expect({ width, query, rows, clipped }).toEqual({ width, query, rows: 1, clipped: false });
      await page.close();
    }
  });

  it('draws interface labels at 11 px or more at the default fit, also when a link opens on a selection', async () => {
    const page = await open();
    const fit = (await page.evaluate(LABEL_PX)) as number[];
    expect(fit.length).toBeGreaterThan(5);
    expect(Math.min(...fit)).toBeGreaterThanOrEqual(11);
    await page.close();
    // The side panel is open: the whole lab squeezed beside it drew labels at 8 px.
    const h1 = byName('vlab-h1-eth0');
    const linked = await open(`?select=${encodeURIComponent(h1.id)}`);
    await linked.getByTestId('panel').waitFor();
    const sizes = (await linked.evaluate(LABEL_PX)) as number[];
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    await linked.close();
  });

  it('has a legend row for every style rule the map draws', async () => {
    const page = await open();
    await page.locator('.legend summary').click();
    const explained = new Set((await page.locator('[data-testid="legend"] [data-explains]').evaluateAll((rows) => rows.flatMap((r) => (r.getAttribute('data-explains') ?? '').split('\n')))));
    const selectors = (await page.evaluate(() => (window.cy!.style() as unknown as { json(): Array<{ selector: string }> }).json().map((b) => b.selector))) as string[];
    // Not a look of its own: shared base rules, label placement, routing, the addresses toggle
    // (it says what it does), a line made straight because the user moved its end.
    const geometry = /^(node, edge|node\.label-.*|edge\[se\]\[te\]|edge\[sw\]\[sd\]|edge\.free|node\.iface\[full\].*)$/;
    const unexplained = selectors.filter((s) => !geometry.test(s) && !explained.has(s));
    expect(unexplained).toEqual([]);
    // And it names what the issue found unexplained: the diamond, thin versus thick, the halos.
    const text = await page.getByTestId('legend').innerText();
    for (const words of ['other interface', 'veth pair (thick)', 'bridge port (thin)', 'search match', 'just changed', 'selected', 'its peer']) expect(text).toContain(words);
    await page.close();
  });

  it('shows addresses on the map when asked (off at first), and keeps the choice in the URL', async () => {
    const a = byName('vlab-a-eth0');
    const page = await open();
    const label = () => page.evaluate((id) => String(window.cy!.getElementById(id).style('label')), a.id);
    expect(await label()).toBe('vlab-a-eth0');
    await page.getByLabel('addresses').check();
    await page.waitForFunction((id) => String(window.cy!.getElementById(id).style('label')).includes('192.168.71.1/24'), a.id, { timeout: 10_000 });
    expect(await label()).toBe('vlab-a-eth0\n192.168.71.1/24');
    expect(new URL(page.url()).searchParams.get('addr')).toBe('1');
    await page.close();
  });

  it('says how many each filter hides, and re-fits when a filter changes', async () => {
    const page = await open();
    // lo: one loopback per namespace (7); hide down: vlab-br0-h3; only vlab-h1 + neighbours: the other 5.
    expect(await page.getByTestId('hidden-lo').innerText()).toBe('(7 hidden)');
    expect(await page.getByTestId('hidden-down').count()).toBe(0);
    // Looking somewhere else, zoomed in: a filter change shows the whole of what is left.
    await page.evaluate(() => { window.cy!.zoom(4); window.cy!.pan({ x: -3000, y: -3000 }); });
    await page.getByLabel('hide down').check();
    await page.getByTestId('hidden-down').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('hidden-down').innerText()).toBe('(1 hidden)');
    await until(page, `${FITTED}.inside`);
    expect(((await page.evaluate(FITTED)) as { fill: number }).fill).toBeGreaterThan(0.7);
    await page.getByLabel('hide down').uncheck();
    await page.evaluate(() => { window.cy!.zoom(4); window.cy!.pan({ x: -3000, y: -3000 }); });
    await page.getByLabel('show namespace').selectOption(nsByName('vlab-h1'));
    expect(await page.getByTestId('hidden-namespaces').innerText()).toBe('(5 namespaces hidden)');
    await until(page, `${FITTED}.inside`);
    await page.close();
  });

  it('draws "only X + neighbours" with boxes shrunk to what they keep (no huge empty root box)', async () => {
    const root = nsByName('root');
    const page = await open();
    const wholeRoot = (await page.evaluate((id) => window.cy!.getElementById(id).boundingBox().w, root)) as number;
    await page.getByLabel('show namespace').selectOption(nsByName('vlab-h1'));
    await page.waitForFunction(() => window.cy!.nodes('.namespace').length === 2, undefined, { timeout: 10_000 });
    await settled(page);
    const kept = await page.evaluate((id) => {
      const cy = window.cy!;
      const box = cy.getElementById(id).boundingBox({ includeLabels: false });
      const kids = cy.nodes('.iface').filter((n) => n.data('ns') === id).boundingBox({ includeLabels: false });
      return { box: { w: box.w, h: box.h }, kids: { w: kids.w, h: kids.h } };
    }, root);
    // The root keeps one bridge and one port: its box is about their size, not the host's.
    expect(kept.box.w).toBeLessThan(wholeRoot / 2);
    expect(kept.box.w).toBeLessThan(kept.kids.w + 250);
    expect(kept.box.h).toBeLessThan(kept.kids.h + 250);
    await page.close();
  });

  it('fits (the Fit button and `f`) into the room the timeline and the side panel leave', async () => {
    const h1 = byName('vlab-h1-eth0');
    const page = await open(`?select=${encodeURIComponent(h1.id)}`);
    await page.getByTestId('panel').waitFor();
    await page.getByTestId('timeline-toggle').click();
    await page.getByTestId('timeline').waitFor();
    // Every drawn element between the timeline's right edge and the side panel's left one.
    const clear = `(() => {
      const cy = window.cy; const box = cy.container().getBoundingClientRect();
      const left = document.querySelector('[data-testid="timeline"]').getBoundingClientRect().right;
      const right = document.querySelector('[data-testid="panel"]').getBoundingClientRect().left;
      const bb = cy.elements().renderedBoundingBox({ includeOverlays: false });
      return box.left + bb.x1 >= left - 1 && box.left + bb.x2 <= right + 1 && bb.y1 >= -1 && bb.y2 <= cy.height() + 1 && Math.max(bb.w / (right - left), bb.h / cy.height()) > 0.7;
    })()`;
    for (const how of ['button', 'key'] as const) {
      await page.evaluate(() => { window.cy!.zoom(4); window.cy!.pan({ x: -3000, y: -3000 }); });
      if (how === 'button') await page.getByRole('button', { name: 'Fit', exact: true }).click();
      else {
        await page.getByTestId('graph').focus();
        await page.keyboard.press('f');
      }
      await settled(page);
      await until(page, clear, 5000).catch(async (err: Error) => {
        throw new Error(`${how}: ${err.message}`);
      });
    }
    await page.close();
  });

  it('lands a search hit fully visible beside the panel, and Escape gives the whole map back', async () => {
    const page = await open();
    const fitZoom = (await page.evaluate(() => window.cy!.zoom())) as number;
    for (const name of ['vlab-h3-eth0', 'eth0', 'vlab-br0']) {
      await page.getByTestId('search').fill(name);
      await page.getByTestId('hits').waitFor();
      await page.getByTestId('search').press('Enter');
      await page.getByTestId('panel').waitFor({ timeout: 10_000 });
      await page.waitForFunction(() => window.cy!.$('.match').length === 1, undefined, { timeout: 10_000 });
      await settled(page);
      const seen = await page.evaluate(() => {
        const cy = window.cy!;
        const panel = document.querySelector('[data-testid="panel"]')!.getBoundingClientRect();
        const box = cy.container()!.getBoundingClientRect();
        const lit = cy.$('.match, .peer');
        const bb = lit.renderedBoundingBox({ includeOverlays: false });
        return { n: lit.length, inside: bb.x1 >= 0 && bb.y1 >= 0 && box.left + bb.x2 <= panel.left && bb.y2 <= cy.height() };
      });
      expect({ name, ...seen }).toEqual({ name, n: seen.n, inside: true });
      await page.keyboard.press('Escape');
      await page.getByTestId('panel').waitFor({ state: 'detached', timeout: 10_000 });
      await until(page, `${FITTED}.inside`);
      expect(Math.abs(((await page.evaluate(() => window.cy!.zoom())) as number) - fitZoom)).toBeLessThan(0.01);
    }
    await page.close();
  });

  it('stays responsive after a pan thousands of screens away', async () => {
    // (A minute once spent here was Playwright serialising the cytoscape instance a test's
    // evaluate returned — `() => cy.pan(…)` returns cy — not the page: return nothing.)
    const page = await open();
    await page.evaluate(() => { window.cy!.pan({ x: 100_000, y: 100_000 }); });
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    await page.focus('[data-testid="graph"]');
    await page.keyboard.press('f');
    await until(page, `${FITTED}.inside`);
    await page.close();
  });

  describe('on real namespaces', () => {
    const hostile = lab.nsName('<img src=x onerror=alert(1)>');
    let other = '';
    let page: Page;
    const dialogs: string[] = [];
    const ids = { ns: '', eth: '', peer: '' };

    beforeAll(async () => {
      lab.netnsNamed(hostile);
      other = lab.netns('mo');
      lab.veth('eth0', hostile, 'eth1', other);
      lab.ipIn(hostile, 'addr', 'add', '10.231.7.1/24', 'dev', 'eth0');
      live = await startServe([], { timeoutMs: 90_000 });
      for (const end = Date.now() + 60_000; ; ) {
        const topo = (await (await fetch(`${live.url}/api/topology`)).json()) as Topology;
        const ns = topo.namespaces.find((x) => x.name === hostile);
        const eth = topo.interfaces.find((i) => i.namespace === ns?.id && i.name === 'eth0');
        if (ns && eth?.peer && eth.addresses.length > 0) {
          Object.assign(ids, { ns: ns.id, eth: eth.id, peer: eth.peer });
          break;
        }
        if (Date.now() > end) throw new Error('the server never saw the pair');
        await new Promise((r) => setTimeout(r, 200));
      }
      page = await open(`?ns=${encodeURIComponent(ids.ns)}&detail=all`, undefined, live);
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.waitForFunction((id) => (window.cy?.getElementById(id).length ?? 0) > 0, ids.eth, { timeout: 60_000 });
      await settled(page);
    }, 180_000);

    const pointAt = (id: string) => page.evaluate((i) => {
      const cy = window.cy!;
      const p = cy.getElementById(i).renderedPosition();
      const b = cy.container()!.getBoundingClientRect();
      return { x: b.left + p.x, y: b.top + p.y };
    }, id);
    const cursor = () => page.evaluate(() => getComputedStyle(window.cy!.container()!.querySelector('canvas')!).cursor);

    it('hovering an interface tells its namespace, state, addresses and peer, as text; the cursor says it is clickable', async () => {
      const p = await pointAt(ids.eth);
      await page.mouse.move(p.x, p.y);
      const tip = page.getByTestId('tooltip');
      await tip.waitFor({ state: 'visible', timeout: 10_000 });
      const text = await tip.innerText();
      expect(text).toContain('eth0 (veth)');
      expect(text).toContain(`namespace: ${hostile}`);
      expect(text).toContain('state: up');
      expect(text).toContain('addresses: 10.231.7.1/24');
      expect(text).toContain(`peer: eth1 in ${other}`);
      expect(await cursor()).toBe('pointer');
      // The name stayed text: nothing was parsed out of it, nothing ran.
      expect(await page.locator('[data-testid="tooltip"] img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      // The pair's line says which ends it joins.
      const edge = await page.evaluate((id) => {
        const cy = window.cy!;
        const e = cy.getElementById(id).connectedEdges('.veth').first();
        const m = e.renderedMidpoint();
        const b = cy.container()!.getBoundingClientRect();
        return { x: b.left + m.x, y: b.top + m.y };
      }, ids.eth);
      await page.mouse.move(edge.x, edge.y, { steps: 3 });
      await page.waitForFunction(() => document.querySelector('[data-testid="tooltip"]')?.textContent?.includes('veth pair') ?? false, undefined, { timeout: 10_000 });
      // Off the elements: no tooltip, the plain cursor.
      await page.mouse.move(3, 790);
      await tip.waitFor({ state: 'hidden', timeout: 10_000 });
      expect(await cursor()).not.toBe('pointer');
    });

    it('Escape clears every halo at once and for good, however quickly it follows a search', async () => {
      for (let k = 0; k < 4; k++) {
        await page.getByTestId('search').fill(k % 2 ? 'eth1' : 'eth0');
        await page.getByTestId('hits').waitFor();
        await page.getByTestId('search').press('Enter');
        await page.keyboard.press('Escape');
        await page.waitForFunction((sel) => window.cy!.$(sel).length === 0, HALOS, { timeout: 5000 });
        await settled(page);
        expect(await page.evaluate((sel) => window.cy!.$(sel).map((e) => `${e.id()} ${e.classes().join(' ')}`), `${HALOS}, .dimmed`)).toEqual([]);
        expect(await page.getByTestId('panel').count()).toBe(0);
      }
    });
  });
});
