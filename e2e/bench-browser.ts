import { readFile } from 'node:fs/promises';
import { armClickTimer, clickNode, launchBrowser, openExport, recordSocket, socketRecord, waitForVersion } from './support/browser.js';

export interface BrowserBench {
  /** Navigation start to the first frame with the topology drawn. */
  firstPictureMs: number;
  /** Mouse down on an interface to the frame showing its peer highlighted: median of five. */
  clickPeerMs: number;
  /** The first of those five clicks. */
  firstClickMs: number;
  /** `flap(k)` called (a link set down or up) to the frame showing the diff, end to end: median of five. */
  diffDrawnMs: number;
  /** Of which the page's own synchronous work (toElements, patch, highlight), before the frame. */
  diffDrawSyncMs: number;
  /** PNG button to the download finished. */
  pngMs: number;
  pngBytes: number;
  pngWidth: number;
  pngHeight: number;
}

const twoFrames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/**
 * Measures the browser view against a running server at `url` (the caller builds the
 * namespaces and the server). `flap(k)` must change something the view shows each time it
 * is called, e.g. set a veth down for even k and up for odd; the time until the page has
 * drawn the resulting version is diffDrawnMs.
 */
export async function benchBrowser(url: string, flap: (k: number) => Promise<void>): Promise<BrowserBench> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('crash', () => console.error('bench: the page crashed'));
    page.on('pageerror', (e) => console.error('bench: page error', e.message));
    // A figure taken while the page reconnects measures the reconnect: the page's socket
    // must stay open throughout (a 4 KiB frame bound once closed it at 1000 namespaces, 1009,
    // and "live diff drawn" timed a snapshot after backoff).
    await recordSocket(page);
    const t0 = Date.now();
    await page.goto(url);
    await waitForVersion(page, 0, 60_000);
    await page.evaluate(twoFrames);
    const firstPictureMs = Date.now() - t0;

    // Five interfaces with a veth peer, spread over the graph; the median is reported (the
    // first click of a page also pays for compiling the click path, ~30-60 ms more).
    const ids = await page.evaluate(() => window.cy?.edges('.veth').map((e) => String(e.data('a'))) ?? []);
    if (ids.length === 0) throw new Error('no veth pair in the topology to click');
    const clicks: number[] = [];
    for (let k = 0; k < 5; k++) {
      await armClickTimer(page);
      await clickNode(page, ids[Math.floor((k * ids.length) / 5)] ?? '');
      clicks.push(Number(await page.evaluate('window.clickDone')));
      await page.keyboard.press('Escape');
      await page.evaluate('new Promise((r) => setTimeout(r, 300))');
    }
    const clickPeerMs = [...clicks].sort((a, b) => a - b)[2] ?? -1;
    await page.evaluate(() => { window.cy?.fit(undefined, 30); });
    await page.evaluate('new Promise((r) => setTimeout(r, 300))');
    await page.evaluate(twoFrames);

    // Five flaps, the median reported; after each, a pause for the follow-up diff (the
    // peer's carrier) so that the next flap starts from a quiet page.
    const diffs: number[] = [];
    let diffDrawSyncMs = -1;
    for (let k = 0; k < 5; k++) {
      const v0 = await page.evaluate(() => window.vethmap?.version ?? 0);
      const t1 = Date.now();
      await flap(k);
      await page.waitForFunction((v) => (window.vethmap?.version ?? -1) >= v, v0 + 1, { timeout: 60_000, polling: 'raf' });
      await page.evaluate(twoFrames);
      diffs.push(Date.now() - t1);
      diffDrawSyncMs = Math.round(await page.evaluate(() => window.vethmap?.drawMs ?? -1));
      await page.evaluate('new Promise((r) => setTimeout(r, 700))');
    }
    const diffDrawnMs = [...diffs].sort((a, b) => a - b)[2] ?? -1;
    const { closes } = await socketRecord(page);
    if (closes.length > 0) throw new Error(`the page's connection closed during the bench (codes ${JSON.stringify(closes)})`);

    await openExport(page);
    const t2 = Date.now();
    // The default export: what is on screen (everything here), PNG at 1x within the PNG budget.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('export').click()]);
    const png = await readFile(await download.path());
    const pngMs = Date.now() - t2;
    if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('export is not a PNG');
    return { firstPictureMs, clickPeerMs: Math.round(clickPeerMs), firstClickMs: Math.round(clicks[0] ?? -1), diffDrawnMs, diffDrawSyncMs, pngMs, pngBytes: png.length, pngWidth: png.readUInt32BE(16), pngHeight: png.readUInt32BE(20) };
  } finally {
    await browser.close();
  }
}

/**
 * Run on its own by `npm run bench` (server/bench), which builds the lab and the server:
 * `tsx e2e/bench-browser.ts URL NETNS` flaps NETNS's eth0 and prints the figures as JSON.
 */
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [url, netns] = process.argv.slice(2);
  if (!url || !netns) throw new Error('usage: tsx e2e/bench-browser.ts URL NETNS');
  const { ip } = await import('@vethmap/testkit');
  // Whatever state the caller's latency and load runs left eth0 in, each flap is a real
  // change: the opposite of what the kernel says now (a flap to the state it already had
  // changes nothing, and the page waited for a version that never came).
  const { execFileSync } = await import('node:child_process');
  const isUp = (): boolean => /<[^>]*\bUP\b[^>]*>/.test(execFileSync('ip', ['-n', netns, '-o', 'link', 'show', 'eth0'], { encoding: 'utf8' }));
  const result = await benchBrowser(url, async () => { ip(['-n', netns, 'link', 'set', 'eth0', isUp() ? 'down' : 'up']); });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
