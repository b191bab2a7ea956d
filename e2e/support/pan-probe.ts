import { launchBrowser, waitForVersion } from './browser.js';
const url = process.argv[2]!;
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(url);
await waitForVersion(page, 0, 60_000);
await page.evaluate('new Promise((r) => setTimeout(r, 1500))');
const out = await page.evaluate(`(async () => {
  const cy = window.cy; const r = cy.renderer(); const orig = r.render; let renders = [];
  r.render = function (...a) { const t = performance.now(); const v = orig.apply(this, a); renders.push(performance.now() - t); return v; };
  const res = {};
  for (const z of ['fit', 1.5]) {
    if (z === 'fit') cy.fit(undefined, 30); else { cy.zoom(1.5); cy.center(cy.nodes('.veth').eq(50)); }
    await new Promise((r) => setTimeout(r, 800));
    const xs = [];
    for (let i = 0; i < 6; i++) { renders = []; cy.panBy({ x: i % 2 ? 1 : -1, y: 0 }); await new Promise((r) => setTimeout(r, 300)); xs.push(renders.map(Math.round).join('+')); }
    const ys = [];
    for (let i = 0; i < 4; i++) { renders = []; const e = cy.edges('.veth').eq(10 + i); const t = performance.now(); e.data('state', e.data('state') === 'up' ? 'down' : 'up'); await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); ys.push(Math.round(performance.now() - t) + '/' + renders.map(Math.round).join('+')); }
    res[z] = { pan: xs.join(' '), data: ys.join(' ') };
  }
  return res;
})()`);
console.log(JSON.stringify(out));
await browser.close();
