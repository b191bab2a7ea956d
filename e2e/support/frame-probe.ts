// Frame costs by kind of change at the current scale: `npx tsx e2e/support/frame-probe.ts URL`.
import { launchBrowser, openSettled } from './browser.js';

const [url] = process.argv.slice(2);
if (!url) throw new Error('usage: frame-probe.ts URL');
const browser = await launchBrowser();
try {
  const page = await openSettled(browser, url);
  const out = await page.evaluate(`(async () => {
    const cy = window.cy;
    const r = cy.renderer();
    const orig = r.render;
    let renders = [];
    r.render = function (...a) { const t = performance.now(); const v = orig.apply(this, a); renders.push(Math.round(performance.now() - t)); return v; };
    const frames = (n) => new Promise((res) => { const f = () => (n-- <= 0 ? res() : requestAnimationFrame(f)); f(); });
    const res = {};
    const step = async (name, fn) => { await frames(3); renders = []; const t = performance.now(); fn(); const sync = performance.now() - t; await frames(3); res[name] = { sync: Math.round(sync), renders: renders.slice() }; };
    const node = cy.edges('.veth').eq(40).source();
    await step('zoom1.5', () => { cy.zoom(1.5); cy.center(node); });
    await step('pan1px', () => cy.panBy({ x: 1, y: 0 }));
    await step('pan1px again', () => cy.panBy({ x: 1, y: 0 }));
    await step('class on 1', () => node.addClass('peer'));
    const ext = cy.extent();
    const vis = cy.elements().filter((e) => { const b = e.boundingBox(); return b.x1 <= ext.x2 && ext.x1 <= b.x2 && b.y1 <= ext.y2 && ext.y1 <= b.y2; });
    res.visible = vis.length;
    await step('bb all', () => cy.elements().forEach((e) => e.boundingBox()));
    await step('dim visible', () => vis.addClass('dimmed'));
    await step('undim visible', () => vis.removeClass('dimmed'));
    await step('dim 600 offscreen', () => cy.elements().not(vis).slice(0, 600).addClass('dimmed'));
    await step('fit', () => cy.fit(undefined, 30));
    await step('pan1px fitted', () => cy.panBy({ x: 1, y: 0 }));
    await step('class on 1 fitted', () => node.removeClass('peer'));
    await step('data on 1 fitted', () => node.data('state', 'down'));
    return res;
  })()`);
  for (const [k, v] of Object.entries(out as Record<string, unknown>)) console.log(k.padEnd(20), JSON.stringify(v));
} finally {
  await browser.close();
}
