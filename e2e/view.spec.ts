import { readFile } from 'node:fs/promises';
import { diagramGraph, frameOf, layoutDiagram, STATE_LOOK, svgSize, type Topology } from '@vethmap/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickNode, closeAll, launchBrowser, openExport, waitForVersion } from './support/browser.js';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';

/**
 * The browser view against the real server and real namespaces: a bridge in root with two
 * namespaces on it, then live changes. Everything is named vme2e-<tag>… and removed after.
 */
describe('browser view (real server, real namespaces)', () => {
  const lab = new NetBuilder('vme2e');
  const nsA = lab.nsName('a');
  const nsB = lab.nsName('b');
  const nsC = lab.nsName('c');
  const hostile = lab.nsName('<svg onload=alert(1)>');
  const bridge = lab.name('br');
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const dialogs: string[] = [];

  async function topology(): Promise<Topology> {
    const res = await fetch(`${server?.url}/api/topology`);
    return (await res.json()) as Topology;
  }
  /** Waits (via the API) until the server has seen `pred`, then returns the topology. */
  async function serverSees(pred: (t: Topology) => boolean, timeoutMs = 30_000): Promise<Topology> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const t = await topology();
      if (pred(t)) return t;
      if (Date.now() > end) throw new Error('server never saw the expected change');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const iface = (t: Topology, ns: string, name: string) => {
    const n = t.namespaces.find((x) => x.name === ns);
    return t.interfaces.find((i) => i.namespace === n?.id && i.name === name);
  };

  beforeAll(async () => {
    lab.bridge(bridge);
    for (const [ns, port] of [[nsA, lab.name('pa')], [nsB, lab.name('pb')]] as const) {
      lab.netnsNamed(ns);
      lab.veth(port, null, 'eth0', ns);
      lab.ip('link', 'set', port, 'master', bridge);
      lab.ip('-n', ns, 'addr', 'add', ns === nsA ? '10.231.0.2/24' : '10.231.0.3/24', 'dev', 'eth0');
    }
    lab.netnsNamed(hostile);
    server = await startServe();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(server.url);
    await waitForVersion(page, 0);
  });

  afterAll(async () => {
    await closeAll(browser, server);
    lab.cleanup();
    expect(lab.leftovers()).toEqual([]);
  });

  it('draws the namespaces, the bridge and one edge per veth pair', async () => {
    const t = await serverSees((x) => !!iface(x, nsB, 'eth0')?.peer);
    const a = iface(t, nsA, 'eth0');
    const br = t.interfaces.find((i) => i.name === bridge);
    expect(a?.peer).toBeTruthy();
    const ids = [a?.namespace, a?.id, a?.peer, br?.id, `port:${a?.peer}`];
    await page.waitForFunction((list) => list.every((id) => (window.cy?.getElementById(id as string).length ?? 0) > 0), ids, { timeout: 30_000 });
    const vethEdges = await page.evaluate((id) => window.cy?.edges('.veth').filter((e) => e.source().id() === id || e.target().id() === id).map((e) => e.id()), a?.id);
    expect(vethEdges).toHaveLength(1);
  });

  it('draws a namespace added while the page is open, without reload', async () => {
    const before = await page.evaluate(() => window.vethmap?.version ?? 0);
    lab.netnsNamed(nsC);
    lab.veth(lab.name('pc'), null, 'eth0', nsC);
    lab.ip('link', 'set', lab.name('pc'), 'master', bridge);
    await page.waitForFunction((name) => window.cy?.nodes('.namespace').some((n) => n.data('label') === name) ?? false, nsC, { timeout: 30_000 });
    expect(await page.evaluate(() => window.vethmap?.version ?? 0)).toBeGreaterThan(before);
    const t = await serverSees((x) => !!iface(x, nsC, 'eth0')?.peer);
    const c = iface(t, nsC, 'eth0');
    await page.waitForFunction((id) => (window.cy?.getElementById(id).length ?? 0) > 0, c?.id ?? '', { timeout: 30_000 });
  });

  it('turns the edge to down (the palette\'s down colour, dashed) when one end is set down', async () => {
    const t = await topology();
    const a = iface(t, nsA, 'eth0');
    if (!a?.peer) throw new Error('no pair');
    const edgeId = a.id < a.peer ? `veth:${a.id}|${a.peer}` : `veth:${a.peer}|${a.id}`;
    lab.setDown('eth0', nsA);
    await page.waitForFunction((id) => window.cy?.getElementById(id).data('state') === 'down', edgeId, { timeout: 30_000 });
    const look = await page.evaluate((id) => {
      const e = window.cy?.getElementById(id);
      return { style: e?.style('line-style'), color: e?.style('line-color') };
    }, edgeId);
    expect(look.style).toBe('dashed');
    const hex = STATE_LOOK.down.color;
    expect(look.color).toBe(`rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')})`);
  });

  it('highlights exactly the peer of a clicked interface and shows the evidence', async () => {
    const t = await topology();
    const b = iface(t, nsB, 'eth0');
    const peer = t.interfaces.find((i) => i.id === b?.peer);
    if (!b || !peer) throw new Error('no pair');
    await clickNode(page, b.id);
    await page.waitForFunction(() => (window.cy?.$('.peer').length ?? 0) > 0, undefined, { timeout: 5000 });
    expect(await page.evaluate(() => window.cy?.$('.peer').map((e) => e.id()))).toEqual([peer.id]);
    expect(await page.evaluate(() => window.cy?.$('.selected').map((e) => e.id()))).toEqual([b.id]);
    const evidence = await page.getByTestId('evidence').innerText();
    expect(evidence).toContain(`has ifindex ${peer.ifindex}`);
    expect(evidence).toContain(`IFLA_LINK = ${b.link.ifindex}`);
    expect(evidence).not.toContain('✗');
    expect(await page.getByTestId('ifindex-peer').innerText()).toBe(String(peer.ifindex));
    expect(await page.getByTestId('commands').innerText()).toContain(`ip -n ${nsB} -d link show eth0`);
    expect(page.url()).toContain(`select=${encodeURIComponent(b.id)}`);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.cy?.$('.peer').length === 0, undefined, { timeout: 5000 });
  });

  it('filters: hides down interfaces, and shows one namespace with its neighbours', async () => {
    const t = await topology();
    const a = iface(t, nsA, 'eth0');
    const b = iface(t, nsB, 'eth0');
    if (!a || !b?.peer || a.adminUp) throw new Error('expected nsA eth0 down (set by an earlier test)');
    const has = (id: string) => page.evaluate((i) => (window.cy?.getElementById(i).length ?? 0) > 0, id);
    await page.getByLabel('hide down').check();
    await page.waitForFunction((id) => window.cy?.getElementById(id).length === 0, a.id, { timeout: 5000 });
    expect(await has(b.id)).toBe(true);
    await page.getByLabel('hide down').uncheck();
    await page.waitForFunction((id) => (window.cy?.getElementById(id).length ?? 0) > 0, a.id, { timeout: 5000 });

    await page.getByLabel('show namespace').selectOption(b.namespace);
    await page.waitForFunction((id) => window.cy?.getElementById(id).length === 0, a.namespace, { timeout: 5000 });
    const boxes = await page.evaluate(() => window.cy?.nodes('.namespace').map((n) => n.id()).sort());
    // nsB, and root where its peer (a bridge port) and the bridge are.
    expect(boxes).toEqual([b.namespace, t.namespaces.find((n) => n.kind === 'root')?.id].sort());
    expect(await has(b.peer)).toBe(true);
    expect(page.url()).toContain(`ns=${encodeURIComponent(b.namespace)}`);
    await page.getByLabel('show namespace').selectOption('');
    await page.waitForFunction((id) => (window.cy?.getElementById(id).length ?? 0) > 0, a.namespace, { timeout: 5000 });
  });

  it('exports the picture, not the viewport: the same PNG whatever the zoom, as large as the layout says', async () => {
    // One namespace and its neighbours: on a shared host the rest changes under our feet.
    const t = await topology();
    const b = iface(t, nsB, 'eth0');
    if (!b) throw new Error('no nsB');
    await page.getByLabel('show namespace').selectOption(b.namespace);
    await page.waitForFunction((id) => window.cy?.nodes('.namespace').length === 2 && (window.cy?.getElementById(id).length ?? 0) > 0, b.namespace, { timeout: 10_000 });
    await openExport(page);
    await page.getByLabel('export format').selectOption('png:1');
    const pageVersion = (): Promise<number> => page.evaluate(() => window.vethmap?.version ?? -1);
    // The picture's subtitle names the version it shows: other work on a shared host moves it,
    // so both exports and the expected size are taken at one version (again if it moved).
    let sizes: Array<[number, number]> = [];
    let shown: Topology | undefined;
    for (let attempt = 0; !shown; attempt++) {
      if (attempt === 5) throw new Error('the topology kept changing during the exports');
      const v0 = await pageVersion();
      sizes = [];
      for (const zoom of [4, 0.2]) {
        await page.evaluate((z) => { window.cy?.zoom(z); }, zoom);
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export').click()]);
        const png = await readFile(await download.path());
        expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
        sizes.push([png.readUInt32BE(16), png.readUInt32BE(20)]);
        expect(await page.getByTestId('status').innerText()).toContain(`${sizes[sizes.length - 1]?.[0]}×${sizes[sizes.length - 1]?.[1]} px`);
      }
      const now = (await page.evaluate(() => JSON.stringify(window.vethmap?.model?.topology ?? null))) as string;
      const drawn = JSON.parse(now) as Topology | null;
      if (drawn && drawn.version === v0) shown = drawn;
    }
    expect(sizes[0]).toEqual(sizes[1]);
    const d = layoutDiagram(diagramGraph(shown, { showLo: false, hideDown: false, around: { namespace: b.namespace, depth: 1 }, only: null }));
    const size = svgSize(d, { ...frameOf(shown, `${nsB} and neighbours to depth 1`), legend: true });
    expect(Math.abs((sizes[0]?.[0] ?? 0) - size.w)).toBeLessThanOrEqual(1);
    expect(Math.abs((sizes[0]?.[1] ?? 0) - size.h)).toBeLessThanOrEqual(1);
    await page.getByLabel('show namespace').selectOption('');
  });

  it('renders a hostile namespace name as text and runs nothing', async () => {
    await page.waitForFunction((name) => window.cy?.nodes('.namespace').some((n) => n.data('label') === name) ?? false, hostile, { timeout: 30_000 });
    await page.getByTestId('search').fill('<svg onload');
    const hit = page.getByTestId('hits').getByText(`namespace ${hostile}`, { exact: true });
    await hit.waitFor({ state: 'visible', timeout: 5000 });
    await hit.click();
    await page.getByTestId('panel').getByText(hostile, { exact: true }).waitFor({ state: 'visible', timeout: 5000 });
    expect(await page.locator('svg[onload]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(hostile.startsWith(lab.prefix)).toBe(true);
  });
});
