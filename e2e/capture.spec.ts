import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Topology } from '@vethmap/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, waitForVersion } from './support/browser.js';
import { NetBuilder, startServe, type ServeProcess } from '@vethmap/testkit';

const run = promisify(execFile);
const CLI = new URL('../server/dist/cli.js', import.meta.url).pathname;

/**
 * `vethmap snapshot > file` then `vethmap serve --from file`: the page must say it shows a
 * capture (host and time), draw it, and not cry "disconnected" about a server that is gone.
 */
describe('a capture served with --from', () => {
  const lab = new NetBuilder('vme2e');
  const ns = lab.nsName('cap');
  let dir = '';
  let snap: Topology;
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    lab.netnsNamed(ns);
    dir = await mkdtemp(join(tmpdir(), 'vethmap-capture-'));
    const file = join(dir, 'capture.json');
    const { stdout } = await run(process.execPath, [CLI, 'snapshot'], { maxBuffer: 256 * 1024 * 1024 });
    await writeFile(file, stdout);
    snap = JSON.parse(await readFile(file, 'utf8')) as Topology;
    // The capture is all the server needs: the namespace may go before it starts.
    lab.cleanup();
    server = await startServe(['--from', file]);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await waitForVersion(page, 0, 30_000);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    lab.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(lab.leftovers()).toEqual([]);
  });

  it('says whose capture it is and when it was taken', async () => {
    expect(snap.namespaces.some((n) => n.name === ns)).toBe(true);
    expect(await page.getByTestId('banner').innerText()).toBe(`Capture of ${snap.host} taken ${snap.takenAt} — not live`);
  });

  it('draws the captured namespaces, including one that no longer exists', async () => {
    const drawn = await page.evaluate(() => window.cy?.nodes('.namespace').map((n) => n.id()) ?? []);
    expect(drawn.sort()).toEqual(snap.namespaces.map((n) => n.id).sort());
    const mine = snap.namespaces.find((n) => n.name === ns);
    expect(await page.evaluate((id) => window.cy?.getElementById(id).data('label') as string | undefined, mine?.id ?? '')).toBe(ns);
  });

  it('does not turn into connection noise when the server goes away', async () => {
    await server?.stop();
    server = undefined;
    await page.waitForTimeout(1500);
    const banners = await page.getByTestId('banner').allInnerTexts();
    expect(banners).toEqual([`Capture of ${snap.host} taken ${snap.takenAt} — not live`]);
  });
});
