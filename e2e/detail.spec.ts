import { readFile } from 'node:fs/promises';
import type { Topology } from '@vethmap/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickNode, closeAll, launchBrowser, openExport, openPage } from './support/browser.js';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';

/**
 * Level of detail against the real server and real namespaces. A big host would need a
 * thousand namespaces; `?detail=2` makes this small lab "big" (more than 2 interfaces), so
 * the same code paths run: boxes only when zoomed out, interfaces where the user looks, the
 * peer of a click drawn wherever it is, live changes and exports in full.
 */
describe('level of detail (real server, real namespaces)', () => {
  const lab = new NetBuilder('vme2e');
  const namespaces = [lab.nsName('d0'), lab.nsName('d1'), lab.nsName('d2')];
  const bridge = lab.name('dbr');
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let t: Topology;

  const eth0Of = (ns: string) => {
    const n = t.namespaces.find((x) => x.name === ns);
    const i = t.interfaces.find((x) => x.namespace === n?.id && x.name === 'eth0');
    if (!i?.peer || !n) throw new Error(`no eth0 pair in ${ns}`);
    return { ns: n.id, eth0: i.id, peer: i.peer, edge: i.id < i.peer ? `veth:${i.id}|${i.peer}` : `veth:${i.peer}|${i.id}` };
  };
  const settled = () => page.evaluate('new Promise((r) => setTimeout(r, 500))');
  const zoomTo = async (zoom: number, id?: string) => {
    await page.evaluate(([z, at]) => {
      const cy = window.cy;
      if (!cy) throw new Error('no cy');
      if (at) window.vethmap?.reveal(at);
      cy.zoom(z);
      if (at) cy.center(cy.getElementById(at));
    }, [zoom, id] as const);
    await settled();
  };

  beforeAll(async () => {
    lab.bridge(bridge);
    for (const [k, ns] of namespaces.entries()) {
      lab.netnsNamed(ns);
      lab.veth(lab.name(`dp${k}`), null, 'eth0', ns);
      lab.ip('link', 'set', lab.name(`dp${k}`), 'master', bridge);
    }
    server = await startServe();
    for (const end = Date.now() + 30_000; ; ) {
      t = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
      if (namespaces.every((ns) => t.interfaces.some((i) => i.name === 'eth0' && i.peer && t.namespaces.find((n) => n.id === i.namespace)?.name === ns))) break;
      if (Date.now() > end) throw new Error('server never saw the lab');
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launchBrowser();
    page = await openPage(browser, `${server.url}/?detail=2`, { acceptDownloads: true });
  });

  afterAll(async () => {
    await closeAll(browser, server);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
  });

  it('zoomed out, draws every namespace as a box and each pair as one edge to its bridge', async () => {
    await zoomTo(0.3);
    const a = eth0Of(namespaces[0] ?? '');
    const br = t.interfaces.find((i) => i.name === bridge)?.id ?? '';
    const seen = await page.evaluate(([edge, ns, eth0, peer, bridgeId]) => {
      const cy = window.cy;
      const e = cy?.getElementById(edge);
      return {
        boxes: cy?.nodes('.namespace').length,
        // The page's own topology (other engineers' namespaces come and go on a shared host).
        modelBoxes: window.vethmap?.model?.namespaces.length,
        bridges: window.vethmap?.model?.interfaces.filter((i) => i.look === 'bridge').map((i) => i.id) ?? [],
        interfaces: cy?.nodes('.iface').map((n) => n.id()),
        ends: e && e.nonempty() ? [e.data('source'), e.data('target')].sort() : null,
        real: e && e.nonempty() ? [e.data('a'), e.data('b')].sort() : null,
        hidden: window.vethmap?.hidden ?? 0,
        drawn: [ns, eth0, peer, bridgeId].map((id) => (cy?.getElementById(id).length ?? 0) > 0),
      };
    }, [a.edge, a.ns, a.eth0, a.peer, br] as const);
    expect(seen.boxes).toBe(seen.modelBoxes);
    expect(seen.boxes).toBeGreaterThanOrEqual(namespaces.length + 1);
    // Bridges stay; no other interface is drawn at this zoom.
    const bridges = new Set(seen.bridges);
    expect(seen.interfaces?.filter((id) => !bridges.has(id))).toEqual([]);
    expect(seen.interfaces).toContain(br);
    expect(seen.drawn).toEqual([true, false, false, true]);
    expect(seen.ends).toEqual([a.ns, br].sort());
    expect(seen.real).toEqual([a.eth0, a.peer].sort());
    expect(seen.hidden).toBeGreaterThan(0);
    expect(await page.getByTestId('detail-hint').innerText()).toContain('zoom in');
  });

  it('draws a live change on a pair whose ends are not drawn', async () => {
    const b = eth0Of(namespaces[1] ?? '');
    lab.setDown('eth0', namespaces[1] ?? '');
    await page.waitForFunction((id) => window.cy?.getElementById(id).data('state') === 'down', b.edge, { timeout: 30_000 });
    expect(await page.evaluate((id) => window.cy?.getElementById(id).style('line-style'), b.edge)).toBe('dashed');
  });

  it('zoomed in, draws the interfaces in view and their far ends, and a click highlights the peer off screen', async () => {
    const c = eth0Of(namespaces[2] ?? '');
    const far = eth0Of(namespaces[0] ?? '');
    // At zoom 5 the view is 256×160 model px: the root port ~170 px above is outside it,
    // yet drawn, so the edge runs to its real end; d0's eth0, two boxes away, is not drawn.
    await zoomTo(5, c.eth0);
    const seen = await page.evaluate(([eth0, peer, other]) => {
      const cy = window.cy;
      const drawn = [eth0, peer, other].map((id) => (cy?.getElementById(id).length ?? 0) > 0);
      const p = cy?.getElementById(peer).renderedPosition();
      const onScreen = !!p && p.x >= 0 && p.y >= 0 && p.x <= (cy?.width() ?? 0) && p.y <= (cy?.height() ?? 0);
      return { drawn, onScreen };
    }, [c.eth0, c.peer, far.eth0] as const);
    expect(seen).toEqual({ drawn: [true, true, false], onScreen: false });
    await clickNode(page, c.eth0, 5);
    await page.waitForFunction(() => (window.cy?.$('.peer').length ?? 0) > 0, undefined, { timeout: 5000 });
    const lit = await page.evaluate((edge) => ({
      peer: window.cy?.$('.peer').map((e) => e.id()),
      selected: window.cy?.$('.selected').map((e) => e.id()),
      edge: window.cy?.getElementById(edge).hasClass('highlight'),
      ends: [window.cy?.getElementById(edge).data('source'), window.cy?.getElementById(edge).data('target')].sort(),
    }), c.edge);
    expect(lit).toEqual({ peer: [c.peer], selected: [c.eth0], edge: true, ends: [c.eth0, c.peer].sort() });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.cy?.$('.peer').length === 0, undefined, { timeout: 5000 });
  });

  it('exports every interface to SVG, whatever the zoom left out, and leaves the view as it was', async () => {
    await zoomTo(0.3);
    const hiddenBefore = await page.evaluate(() => window.vethmap?.hidden ?? 0);
    expect(hiddenBefore).toBeGreaterThan(0);
    await openExport(page);
    await page.getByLabel('export format').selectOption('svg');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('export').click()]);
    const svg = await readFile(await download.path(), 'utf8');
    // Ours, not the whole host's: other engineers' namespaces come and go while this runs.
    const ours = new Set(t.namespaces.filter((n) => namespaces.includes(n.name)).map((n) => n.id));
    const br = t.interfaces.find((x) => x.name === bridge);
    const mine = t.interfaces.filter((x) => x.name !== 'lo' && (ours.has(x.namespace) || x.id === br?.id || x.master === br?.id));
    expect(mine.length).toBeGreaterThan(namespaces.length * 2);
    for (const i of mine) expect(svg, i.name).toContain(`data-id="${i.id}"`);
    const exported = new Set([...svg.matchAll(/data-id="(nif:[^"]+)"/g)].map((m) => m[1])).size;
    expect(await page.evaluate(() => window.cy?.nodes('.iface').length)).toBeLessThan(exported);
    expect(await page.evaluate(() => window.vethmap?.hidden ?? 0)).toBe(hiddenBefore);
  });
});
