// CPU profile of the view: `npx tsx e2e/support/profile-frame.ts URL pan|click|diff`.
// pan: frames after 1 px pans at zoom 1.5 (nothing changed); click: one click on an
// interface; diff: POST URL/flap (the dev server's live change) drawn in the fitted view,
// or with NETNS (as root, a real server): `ip -n NETNS link set eth0 down|up`.
import { execFileSync } from 'node:child_process';
import { clickNode, launchBrowser, openSettled, waitForVersion } from './browser.js';
import { profileIn } from './cpu-profile.js';

const [url, mode = 'pan', netns] = process.argv.slice(2);
if (!url) throw new Error('usage: profile-frame.ts URL pan|click|diff [NETNS]');
const browser = await launchBrowser();
try {
  const page = await openSettled(browser, url);
  const id = await page.evaluate(() => String(window.cy?.edges('.veth').eq(40).data('a') ?? ''));
  const twoFrames = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';
  if (mode === 'pan') {
    await clickNode(page, id);
    await page.keyboard.press('Escape');
    await page.evaluate('new Promise((r) => setTimeout(r, 1000))');
    await profileIn(page, () => page.evaluate(`(async () => { for (let k = 0; k < 5; k++) { window.cy.panBy({ x: 1, y: 0 }); await ${twoFrames}; } })()`));
  } else if (mode === 'click') {
    await profileIn(page, async () => {
      await clickNode(page, id);
      await page.evaluate('new Promise((r) => setTimeout(r, 800))');
    });
  } else {
    await page.evaluate('window.cy.fit(undefined, 30)');
    await page.evaluate('new Promise((r) => setTimeout(r, 1000))');
    const v = await page.evaluate(() => window.vethmap?.version ?? 0);
    let ms = 0;
    await profileIn(page, async () => {
      const t0 = Date.now();
      if (netns) {
        const up = /<[^>]*\bUP\b[^>]*>/.test(execFileSync('ip', ['-n', netns, '-o', 'link', 'show', 'eth0'], { encoding: 'utf8' }));
        execFileSync('ip', ['-n', netns, 'link', 'set', 'eth0', up ? 'down' : 'up']);
      } else await fetch(`${url}/flap`, { method: 'POST' });
      await waitForVersion(page, v + 1);
      await page.evaluate(twoFrames);
      ms = Date.now() - t0;
    });
    console.log('flap to drawn ms', ms);
    console.log('drawMs', await page.evaluate(() => JSON.stringify([window.vethmap?.drawMs, window.vethmap?.patched])));
  }
} finally {
  await browser.close();
}
