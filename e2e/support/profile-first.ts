// The page's JavaScript from navigation to the first picture: `npx tsx e2e/support/profile-first.ts URL`
// (build the client with `npx vite build --minify false` first, for names).
import { launchBrowser } from './browser.js';
import { profileIn } from './cpu-profile.js';

const [url] = process.argv.slice(2);
if (!url) throw new Error('usage: profile-first.ts URL');
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto('about:blank');
  await profileIn(page, async () => {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => (window.vethmap?.version ?? -1) >= 1, undefined, { timeout: 60_000, polling: 50 });
    await page.evaluate('new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))');
    console.log(`first picture ${Date.now() - t0} ms`);
  }, 60);
} finally {
  await browser.close();
}
