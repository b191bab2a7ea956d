import { launchBrowser, waitForVersion } from './browser.js';
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(process.argv[2]!);
await waitForVersion(page, 0, 60_000);
await page.evaluate('window.cy.fit(undefined, 30)');
await page.evaluate('new Promise((r) => setTimeout(r, 1500))');
for (let k = 0; k < 4; k++) {
console.log(await page.evaluate(`(async () => {
  const cy = window.cy; const r = cy.renderer(); const log = []; const t0 = performance.now();
  const orig = r.render; r.render = function (...a) { const t = performance.now(); const v = orig.apply(this, a); log.push('render@' + Math.round(t - t0) + '+' + Math.round(performance.now() - t)); return v; };
  const v0 = window.vethmap.version;
  const res = await fetch('/flap', { method: 'POST' }); log.push('fetched@' + Math.round(performance.now() - t0));
  await new Promise((ok) => { const poll = () => { if (window.vethmap.version > v0) { log.push('drawn@' + Math.round(window.vethmap.drawnAt - t0) + ' draw ' + Math.round(window.vethmap.drawMs)); ok(); } else requestAnimationFrame(poll); }; poll(); });
  await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  log.push('done@' + Math.round(performance.now() - t0));
  r.render = orig;
  return log.join(' ');
})()`));
await page.evaluate('new Promise((r) => setTimeout(r, 1000))');
}
await browser.close();
