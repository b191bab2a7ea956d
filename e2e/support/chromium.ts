import { chromium, type Browser } from 'playwright-core';

/**
 * Debian Chromium, headless, software rendering, and nothing that phones home; `extraArgs`
 * added. In a file of its own, free of page-side (DOM) code, so tests outside e2e can
 * import it too.
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}
