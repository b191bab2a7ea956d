import { readFile } from 'node:fs/promises';
import { checkDiagram, diagramGraph, frameOf, layoutDiagram, relationsOf, SIZE, svgSize, type Diagram, type Look, type Point, type Topology } from '@vethmap/shared';
import { decodePng, inkedPixels, inkNear, NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, launchBrowser, openExport, openPage } from './support/browser.js';

/**
 * The picture on the page and in its exports, against real namespaces shaped like the seed
 * posts and the demo lab (a pair, a bridge with a port down, a pair in the root, a
 * process-held namespace on its own bridge, a veth straight to the root, a router on two
 * bridges) and namespaces with hostile names. Everything is named vme2e-<tag>… and removed.
 */
describe('diagrams on the page and in exports (real server, real namespaces)', () => {
  const lab = new NetBuilder('vme2e');
  const HOSTILE = ['<svg onload=alert(1)>', 'q"d', "it's", 'b\\s', 'a-->x', 'c]]>', 'end', 'm&lt;', '\u202egnp', '%%{x}%%'];
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let h1 = '';

  async function topology(): Promise<Topology> {
    return (await (await fetch(`${server?.url}/api/topology`)).json()) as Topology;
  }

  beforeAll(async () => {
    const a = lab.netns('a');
    const b = lab.netns('b');
    lab.veth('veth0', a, 'veth1', b);
    const br = lab.name('br');
    lab.bridge(br);
    for (const k of [1, 2, 3]) {
      const h = lab.netns(`h${k}`);
      if (k === 1) h1 = h;
      lab.veth(lab.name(`p${k}`), null, 'eth0', h);
      lab.ip('link', 'set', lab.name(`p${k}`), 'master', br);
    }
    lab.setDown(lab.name('p3'), null);
    lab.veth(lab.name('r0'), null, lab.name('r1'), null);
    const cbr = lab.name('cbr');
    lab.bridge(cbr);
    const pid = await lab.processNamespace();
    lab.veth(lab.name('c0'), null, 'eth0', pid);
    lab.ip('link', 'set', lab.name('c0'), 'master', cbr);
    const d = lab.netns('d');
    lab.veth(lab.name('d0'), null, 'veth1', d);
    const q = lab.netns('q');
    lab.veth(lab.name('q1'), null, 'qr', q);
    lab.ip('link', 'set', lab.name('q1'), 'master', br);
    lab.veth(lab.name('q2'), null, 'qg', q);
    lab.ip('link', 'set', lab.name('q2'), 'master', cbr);
    HOSTILE.forEach((name, k) => {
      const ns = lab.netnsNamed(lab.nsName(name));
      lab.veth(lab.name(`x${k}`), null, 'eth0', ns);
      lab.ip('link', 'set', lab.name(`x${k}`), 'master', br);
    });
    server = await startServe();
    // Until the server has resolved every pair of the lab.
    for (const end = Date.now() + 30_000; ; ) {
      const t = await topology();
      const rel = relationsOf(t);
      const mine = t.interfaces.filter((i) => rel.namespaces.get(i.namespace)?.name.startsWith(lab.prefix) && i.kind === 'veth');
      if (mine.length >= 16 && mine.every((i) => i.peer)) break;
      if (Date.now() > end) throw new Error('server never saw the lab');
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launchBrowser();
    // Everything drawn, whatever else this shared host holds: the check is on every line.
    page = await openPage(browser, `${server.url}/?detail=all`, { acceptDownloads: true, viewport: { width: 1400, height: 900 } }, 30_000);
  });

  afterAll(async () => {
    await closeAll(browser, server);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
  });

  /** What cytoscape has drawn, as a Diagram the shared check can judge. */
  async function drawn(): Promise<Diagram> {
    const raw = await page.evaluate(() => {
      const cy = window.cy;
      if (!cy) throw new Error('no cy');
      const boxes = cy.nodes('.namespace').map((n) => ({ id: n.id(), p: n.position(), w: Number(n.data('w')), h: Number(n.data('h')) }));
      const ifaces = cy.nodes('.iface').map((n) => ({ id: n.id(), ns: String(n.data('ns')), p: n.position(), look: ['bridge', 'lo', 'veth', 'other'].find((c) => n.hasClass(c)) ?? 'other', w: Number(n.data('w') ?? 0) }));
      const links = cy.edges().map((e) => ({ id: e.id(), role: String(e.data('role')), a: e.source().id(), b: e.target().id(), points: [e.sourceEndpoint(), ...(e.segmentPoints() ?? []), e.targetEndpoint()] }));
      return { boxes, ifaces, links };
    });
    const at = new Map(raw.ifaces.map((i) => [i.id, i.p]));
    return {
      boxes: raw.boxes.map((b) => ({ id: b.id, label: '', kind: 'named', hub: false, rect: { x1: b.p.x - b.w / 2, y1: b.p.y - b.h / 2, x2: b.p.x + b.w / 2, y2: b.p.y + b.h / 2 }, labelAt: b.p })),
      interfaces: raw.ifaces.map((i) => ({ id: i.id, ns: i.ns, label: '', kind: '', look: i.look as Look, state: 'up', at: i.p, side: 'inside', labelSide: 'below', ...(i.w ? { w: i.w } : {}) })),
      links: raw.links.map((l) => {
        // An arrow ends on its device's outline; the line it continues is the device's centre.
        const end = at.get(l.b) as Point;
        const last = l.points[l.points.length - 1] as Point;
        const points = Math.hypot(last.x - end.x, last.y - end.y) > 0.5 ? [...l.points, end] : l.points;
        return { id: l.id, role: l.role as 'veth', a: l.a, b: l.b, state: 'up', points };
      }),
      bounds: { x1: 0, y1: 0, x2: 0, y2: 0 },
    };
  }

  it('draws every line the layout routed, and none crosses a box or an interface it does not connect to', async () => {
    const d = await drawn();
    expect(d.links.length).toBeGreaterThan(25);
    const result = checkDiagram(d);
    expect(result.problems.slice(0, 5)).toEqual([]);
    // The canvas draws the layout's routes: bends where the shared layout put them.
    const routes = await page.evaluate(() => [...(window.vethmap?.model?.routes ?? new Map()).entries()].map(([id, pts]) => [id, pts.length]));
    const bent = new Map(routes as Array<[string, number]>);
    expect(d.links.filter((l) => (bent.get(l.id) ?? 0) > 2 && l.points.length > 2).length).toBeGreaterThan(10);
  });

  it('exports the view of one namespace and its neighbours as a PNG that shows exactly that view', async () => {
    const t = await topology();
    const ns = t.namespaces.find((n) => n.name === h1);
    if (!ns) throw new Error('no h1');
    await page.getByLabel('show namespace').selectOption(ns.id);
    await page.waitForFunction((id) => window.cy?.nodes('.namespace').length === 2 && (window.cy?.getElementById(id).length ?? 0) > 0, ns.id, { timeout: 10_000 });
    const view = await page.evaluate(() => window.cy?.elements().map((e) => e.id()).sort() ?? []);
    await openExport(page);
    await page.getByLabel('export scope').selectOption('view');
    await page.getByLabel('export format').selectOption('svg');
    const [svgDownload] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('export').click()]);
    const svg = await readFile(await svgDownload.path(), 'utf8');
    expect([...svg.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(view);
    expect(svg).toContain(`${h1} and neighbours to depth 1`);

    await page.getByLabel('export format').selectOption('png:1');
    const [pngDownload] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export').click()]);
    const png = decodePng(await readFile(await pngDownload.path()));
    expect(inkedPixels(png)).toBeGreaterThan(png.width * png.height * 0.03);
    // The same picture laid out here from the same topology and scope: every box and
    // interface outline is where the PNG has ink.
    const d = layoutDiagram(diagramGraph(t, { showLo: false, hideDown: false, around: { namespace: ns.id, depth: 1 }, only: null }));
    const frame = frameOf(t, `${h1} and neighbours to depth 1`);
    const size = svgSize(d, { ...frame, legend: true });
    expect(Math.abs(png.width - size.w)).toBeLessThanOrEqual(1);
    const px = (p: Point) => ({ x: p.x - size.x0, y: p.y - size.y0 });
    for (const i of d.interfaces) {
      const edge = i.look === 'bridge' ? (i.w ?? SIZE.bridgeMinW) / 2 : i.look === 'lo' ? 6 : 10;
      const p = px(i.at);
      expect(inkNear(png, p.x - edge, p.y, 2, [255, 255, 255]), `interface ${i.label}`).toBe(true);
    }
    for (const b of d.boxes) expect(inkNear(png, px({ x: b.rect.x1, y: (b.rect.y1 + b.rect.y2) / 2 }).x, px({ x: 0, y: (b.rect.y1 + b.rect.y2) / 2 }).y, 2, [255, 255, 255]), `box ${b.label}`).toBe(true);
    expect(await page.getByTestId('status').innerText()).toContain(`${png.width}×${png.height} px`);
    await page.getByLabel('show namespace').selectOption('');
  });

  it('exports the selection and what it lights up, and nothing else', async () => {
    const t = await topology();
    const rel = relationsOf(t);
    const qr = t.interfaces.find((i) => i.name === 'qr' && rel.namespaces.get(i.namespace)?.name === lab.nsName('q'));
    if (!qr?.peer) throw new Error('no qr');
    await page.goto(`${server?.url}/?detail=all&select=${encodeURIComponent(qr.id)}`);
    await page.waitForFunction((id) => (window.cy?.$('.selected').map((e) => e.id()) ?? []).includes(id), qr.id, { timeout: 20_000 });
    await openExport(page);
    await page.getByLabel('export scope').selectOption('selection');
    await page.getByLabel('export format').selectOption('drawio');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('export').click()]);
    const xml = await readFile(await download.path(), 'utf8');
    const ids = [...xml.matchAll(/vethmapId="([^"]+)"/g)].map((m) => m[1]).sort();
    const port = rel.interfaces.get(qr.peer);
    const expected = [qr.id, qr.peer, port?.master, qr.namespace, port?.namespace, `veth:${[qr.id, qr.peer].sort().join('|')}`, `port:${qr.peer}`].sort();
    expect(ids).toEqual(expected);
  });

  it('exports hostile names escaped in every format, and runs nothing', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (dl) => {
      dialogs.push(dl.message());
      void dl.dismiss();
    });
    await openExport(page);
    await page.getByLabel('export scope').selectOption('all');
    for (const [format, check] of [
      ['svg', (s: string) => expect(s).toContain('&lt;svg onload=alert(1)&gt;')],
      ['dot', (s: string) => expect(s).toContain('q\\"d')],
      ['mermaid', (s: string) => expect(s).toContain('a--#62;x')],
      ['drawio', (s: string) => expect(s).toContain('c]]&gt;')],
    ] as const) {
      await page.getByLabel('export format').selectOption(format);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export').click()]);
      check(await readFile(await download.path(), 'utf8'));
    }
    expect(await page.locator('svg[onload]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
