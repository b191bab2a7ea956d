// CPU profile of one click on an interface: `npx tsx e2e/support/profile-click.ts URL [fit]`.
// Prints the functions with the most self time and total time (cytoscape is minified by
// Vite, so names are partial; the url:line points into client/dist).
import { clickNode, launchBrowser, waitForVersion } from './browser.js';

const [url, mode] = process.argv.slice(2);
if (!url) throw new Error('usage: profile-click.ts URL');
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await waitForVersion(page, 0, 60_000);
  await page.evaluate('new Promise((r) => setTimeout(r, 1000))');
  const id = await page.evaluate(() => window.cy?.edges('.veth').eq(40).source().id() ?? '');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  if (mode === 'diff') {
    await cdp.send('Profiler.start');
    await page.evaluate(`window.cy.fit(undefined, 30)`);
  }
  await cdp.send('Profiler.start');
  await clickNode(page, id);
  await page.evaluate('new Promise((r) => setTimeout(r, 800))');
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<number, number>();
  profile.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byKey = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    byKey.set(key, (byKey.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  // Inclusive time per function, and who spends it in the hottest one.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const keyOf = (id: number) => { const f = byId.get(id)?.callFrame; return f ? `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}` : '?'; };
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(cur);
      if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); }
    }
  }
  console.log('--- inclusive');
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(v.toFixed(1).padStart(8), k);
  console.log('--- self');
  const top = [...byKey].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [k, v] of top) console.log(v.toFixed(1).padStart(8), k);
} finally {
  await browser.close();
}
