import type { Page } from 'playwright-core';

interface Profile { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[]; samples: number[]; timeDeltas: number[] }

/**
 * CPU-profiles `during` in the page and prints the functions with the most inclusive and
 * self time (cytoscape is minified by Vite, so names are partial; url:line points into client/dist).
 */
export async function profileIn(page: Page, during: () => Promise<void>, top = 40): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await during();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  const self = new Map<number, number>();
  profile.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const keyOf = (id: number) => { const f = byId.get(id)?.callFrame; return f ? `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}` : '?'; };
  const incl = new Map<string, number>();
  const selfBy = new Map<string, number>();
  for (const [id, t] of self) {
    selfBy.set(keyOf(id), (selfBy.get(keyOf(id)) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(cur);
      if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); }
    }
  }
  console.log('--- inclusive');
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(v.toFixed(1).padStart(8), k);
  console.log('--- self');
  for (const [k, v] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, top / 2)) console.log(v.toFixed(1).padStart(8), k);
}
