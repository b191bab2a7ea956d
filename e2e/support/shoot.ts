// Screenshot helper for humans: `npx tsx e2e/support/shoot.ts URL OUT.png [selectId] [width height]`.
import { launchBrowser, waitForVersion } from './browser.js';

const [url, out, select, w, h] = process.argv.slice(2);
if (!url || !out) throw new Error('usage: shoot.ts URL OUT.png [selectId] [width height]');
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: Number(w ?? 1400), height: Number(h ?? 850) } });
  page.on('console', (m) => console.log('page:', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  const t0 = Date.now();
  await page.goto(select ? `${url}/?select=${encodeURIComponent(select)}` : url);
  await waitForVersion(page, 0, 30_000);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  console.log('first picture ms', Date.now() - t0, 'nodes', await page.evaluate(() => window.cy?.nodes().length));
  if (process.env.FIT) await page.evaluate(() => { window.cy?.fit(undefined, 20); });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: out });
} finally {
  await browser.close();
}
