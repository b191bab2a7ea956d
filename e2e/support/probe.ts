// Where does a click's time go? `npx tsx e2e/support/probe.ts URL [runs]`: clicks interfaces
// like a user and reports, per click, cytoscape's render() time and the click→frame time.
import { armClickTimer, clickNode, launchBrowser, waitForVersion } from './browser.js';

const [url, runsArg, keep] = process.argv.slice(2);
if (!url) throw new Error('usage: probe.ts URL [runs] [keep]');
const runs = Number(runsArg ?? 5);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  const t0 = Date.now();
  await page.goto(url);
  await waitForVersion(page, 0, 60_000);
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  console.log('first picture ms', Date.now() - t0, 'elements', await page.evaluate(() => window.cy?.elements().length));
  // Strings, not functions: tsx's keepNames would inject __name() into the page.
  await page.evaluate(`(() => {
    const r = window.cy.renderer();
    const orig = r.render;
    window.renders = [];
    r.render = function (...a) { const t = performance.now(); const v = orig.apply(this, a); window.renders.push(performance.now() - t); if (window.t0) window.log.push('render@' + Math.round(t - window.t0) + '+' + Math.round(performance.now() - t)); return v; };
    window.log = [];
    document.addEventListener('mousedown', () => { window.t0 = performance.now(); window.log = ['down']; }, { capture: true });
    document.addEventListener('mouseup', () => { if (window.t0) window.log.push('up@' + Math.round(performance.now() - window.t0)); }, { capture: true });
    window.cy.on('tap', () => { if (window.t0) window.log.push('tapEnd@' + Math.round(performance.now() - window.t0) + ' draw ' + Math.round(window.vethmap.drawMs)); });
  })()`);
  const ids = await page.evaluate(() => window.cy?.edges('.veth').map((e) => String(e.data('a'))).slice(0, 200) ?? []);
  for (let k = 0; k < runs; k++) {
    const id = ids[(k * 37) % ids.length] ?? '';
    await page.evaluate('window.renders = []');
    await armClickTimer(page);
    await clickNode(page, id);
    const ms = Number(await page.evaluate('window.clickDone'));
    const renders = (await page.evaluate('window.renders')) as number[];
    console.log(`click ${Math.round(ms)} ms; renders ${renders.map((x) => Math.round(x)).join(',')}; ${(await page.evaluate('window.log.slice(0, 8).join(" ")')) as string}`);
    await page.evaluate('window.t0 = 0');
    // keep: the side panel stays open, so the next click does not resize the canvas.
    if (keep !== 'keep') await page.keyboard.press('Escape');
    await page.evaluate('new Promise((r) => setTimeout(r, 1500))');
  }
  // Fitted view (everything on screen): cost of one full frame.
  await page.evaluate(() => { window.cy?.fit(undefined, 30); });
  await page.evaluate('new Promise((r) => setTimeout(r, 500))');
  const full = await page.evaluate(`(async () => {
    const out = [];
    for (let i = 0; i < 5; i++) {
      window.renders = [];
      window.cy.zoom({ level: window.cy.zoom() * (i % 2 ? 1.01 : 1 / 1.01), renderedPosition: { x: 500, y: 400 } });
      await new Promise((r) => setTimeout(r, 400));
      out.push(window.renders.map((x) => Math.round(x)).join('+'));
    }
    return out;
  })()`);
  console.log('fitted frames', full);
} finally {
  await browser.close();
}
