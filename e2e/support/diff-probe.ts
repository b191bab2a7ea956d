// Where does a live diff's time go? `npx tsx e2e/support/diff-probe.ts URL [NETNS]`: in the
// fitted view, flaps a link (with NETNS: `ip -n NETNS link set eth0 down|up`, as root;
// without: the dev server's POST /flap) and prints, from the flap, when the page drew the
// new version, each render() and when two frames later it was on screen.
import { execFileSync } from 'node:child_process';
import { launchBrowser, openSettled } from './browser.js';

const [url, netns] = process.argv.slice(2);
const isUp = (ns: string): boolean => (JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link', 'show', 'eth0'], { encoding: 'utf8' })) as { flags: string[] }[])[0]?.flags.includes('UP') ?? false;
if (!url) throw new Error('usage: diff-probe.ts URL [NETNS]');
const browser = await launchBrowser();
try {
  const page = await openSettled(browser, url);
  await page.evaluate('window.cy.fit(undefined, 30)');
  await page.evaluate('new Promise((r) => setTimeout(r, 1500))');
  for (let k = 0; k < 4; k++) {
    // Page times as wall-clock ms (timeOrigin + now), comparable with Date.now() here.
    await page.evaluate(`(() => {
      const r = window.cy.renderer();
      window.probeLog = [];
      window.probeV0 = window.vethmap.version;
      window.probeOrig ??= r.render;
      r.render = function (...a) { const t = performance.timeOrigin + performance.now(); const v = window.probeOrig.apply(this, a); window.probeLog.push(['render', t, performance.timeOrigin + performance.now() - t]); return v; };
    })()`);
    const t0 = Date.now();
    if (netns) execFileSync('ip', ['-n', netns, 'link', 'set', 'eth0', isUp(netns) ? 'down' : 'up']);
    else await fetch(`${url}/flap`, { method: 'POST' });
    const t1 = Date.now();
    const log = (await page.evaluate(`(async () => {
      await new Promise((ok) => { const poll = () => (window.vethmap.version > window.probeV0 ? ok() : requestAnimationFrame(poll)); poll(); });
      const drawn = [performance.timeOrigin + window.vethmap.drawnAt, window.vethmap.drawMs];
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      return { drawn, done: performance.timeOrigin + performance.now(), renders: window.probeLog };
    })()`)) as { drawn: [number, number]; done: number; renders: [string, number, number][] };
    const at = (t: number) => Math.round(t - t0);
    console.log(`flap ${t1 - t0} ms; drawn@${at(log.drawn[0])} (draw ${Math.round(log.drawn[1])}); ${log.renders.map(([, t, d]) => `render@${at(t)}+${Math.round(d)}`).join(' ')}; on screen@${at(log.done)}`);
    await page.evaluate('new Promise((r) => setTimeout(r, 1000))');
  }
} finally {
  await browser.close();
}
