// Where does the browser's own time go when a live diff is drawn? `npx tsx
// e2e/support/trace-diff.ts URL [NETNS] [first]`: a Chromium trace (devtools.timeline) of
// one flap in the fitted view (or, with `first`, of the page's load up to its first
// picture), summed by event name per thread: the native work a CPU profile only calls
// "(program)" (style, layout, paint, raster, compositing) gets its name here.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { launchBrowser, openSettled } from './browser.js';

const [url, netnsArg, mode] = process.argv.slice(2);
const netns = netnsArg && netnsArg !== '-' ? netnsArg : undefined;
if (!url) throw new Error('usage: trace-diff.ts URL [NETNS|-] [first]');
const file = `/tmp/vethmap-trace-${process.pid}.json`;
const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'toplevel', 'blink', 'cc', 'gpu', 'v8', 'viz'];
const isUp = (ns: string): boolean => (JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link', 'show', 'eth0'], { encoding: 'utf8' })) as { flags: string[] }[])[0]?.flags.includes('UP') ?? false;

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tid: number; pid: number; args?: { name?: string; labels?: string } }

const browser = await launchBrowser();
let span = 0;
try {
  if (mode === 'first') {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await browser.startTracing(page, { path: file, categories });
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => (window.vethmap?.version ?? -1) >= 1 && (window.vethmap?.drawnAt ?? 0) > 0, undefined, { timeout: 60_000, polling: 50 });
    await page.evaluate('new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))');
    span = Date.now() - t0;
    await browser.stopTracing();
  } else {
    const page = await openSettled(browser, url);
    await page.evaluate('window.cy.fit(undefined, 30)');
    await page.evaluate('new Promise((r) => setTimeout(r, 1500))');
    const v0 = await page.evaluate(() => window.vethmap?.version ?? -1);
    await browser.startTracing(page, { path: file, categories });
    const t0 = Date.now();
    if (netns) execFileSync('ip', ['-n', netns, 'link', 'set', 'eth0', isUp(netns) ? 'down' : 'up']);
    else await fetch(`${url}/flap`, { method: 'POST' });
    await page.waitForFunction((v) => (window.vethmap?.version ?? -1) > v, v0, { timeout: 30_000, polling: 'raf' });
    await page.evaluate('new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))');
    span = Date.now() - t0;
    await browser.stopTracing();
  }
} finally {
  await browser.close();
}

const { traceEvents } = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
rmSync(file, { force: true });
const threads = new Map<string, string>();
const processes = new Map<number, string>();
for (const e of traceEvents) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
for (const e of traceEvents) if (e.ph === 'M' && e.name === 'process_labels') processes.set(e.pid, `${processes.get(e.pid) ?? ''}${e.args?.labels ?? ''}`);
for (const e of traceEvents) if (e.ph === 'M' && e.name === 'process_name' && !processes.has(e.pid)) processes.set(e.pid, e.args?.name ?? '?');
// Complete events (X) only: self time is not computed, so nested names overlap (FunctionCall holds v8 work, Paint holds its parts).
const sums = new Map<string, { ms: number; count: number }>();
for (const e of traceEvents) {
  if (e.ph !== 'X' || e.dur === undefined) continue;
  const key = `${processes.get(e.pid) ?? e.pid}/${threads.get(`${e.pid}:${e.tid}`) ?? e.tid} | ${e.name}`;
  const s = sums.get(key) ?? { ms: 0, count: 0 };
  s.ms += e.dur / 1000;
  s.count++;
  sums.set(key, s);
}
console.log(`${mode === 'first' ? 'load → first picture' : 'flap → drawn + 2 frames'}: ${span} ms`);
for (const [k, v] of [...sums].sort((a, b) => b[1].ms - a[1].ms).slice(0, 45)) console.log(`${v.ms.toFixed(1).padStart(9)} ms ${String(v.count).padStart(6)}× ${k}`);
