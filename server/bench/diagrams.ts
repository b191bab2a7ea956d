/**
 * Diagram figures for `npm run bench` (or alone: `tsx server/bench/diagrams.ts`): the
 * layout's time and quality (the geometric check's counts) at 10, 100 and 1000 namespaces,
 * and `vethmap export` as a real process, from a capture: the demo lab and 1000 namespaces,
 * as PNG and SVG. No namespaces are built; the captures are the testkit's pure topologies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDiagram, diagramGraph, layoutDiagram, wholeTopology, type Topology } from '@vethmap/shared';
import { CLI } from '@vethmap/testkit';
import { demoLab, dockerHost } from '@vethmap/testkit/topologies';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const f = (x: number, d = 0): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

function layoutRow(name: string, t: Topology): string {
  const g = diagramGraph(t, wholeTopology);
  const t0 = performance.now();
  const d = layoutDiagram(g);
  const first = performance.now() - t0;
  const warm = median([0, 1, 2, 3, 4].map(() => {
    const a = performance.now();
    layoutDiagram(g);
    return performance.now() - a;
  }));
  const c = checkDiagram(d);
  const count = (k: string): number => c.problems.filter((p) => p.kind === k).length;
  return `| ${name} | ${f(first)} / ${f(warm)} | ${count('box')} / ${count('interface')} / ${count('overlap')} | ${c.lineCrossings} | ${Math.round(d.bounds.x2 - d.bounds.x1)}×${Math.round(d.bounds.y2 - d.bounds.y1)} |`;
}

/** Wall time of `vethmap export` (process start to exit), median of `runs`, and the PNG's size. */
function exportRow(name: string, capture: string, format: 'png' | 'svg', runs = 3): string {
  const out = join(capture, '..', `out.${format}`);
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    execFileSync('node', [CLI, 'export', '--format', format, '--from', capture, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - t0);
  }
  const file = readFileSync(out);
  const size = format === 'png' ? `${file.readUInt32BE(16)}×${file.readUInt32BE(20)} px, ${f(file.length / 1e6, 1)} MB` : `${f(file.length / 1e6, 1)} MB`;
  return `| ${name} | ${format.toUpperCase()} | ${f(median(times))} | ${size} |`;
}

export function diagramLines(): string[] {
  const lines = [
    '| layout | time, first / warm median of 5 (ms) | line×box / line×interface / overlaps | line crossings | size (px) |',
    '|---|---:|---:|---:|---:|',
    layoutRow('demo lab', demoLab()),
    ...[10, 100, 1000].map((n) => layoutRow(`docker-like, ${n} namespaces`, dockerHost(n))),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'vethmap-bench-export-'));
  try {
    const lab = join(dir, 'lab.json');
    const big = join(dir, 'docker1000.json');
    writeFileSync(lab, JSON.stringify(demoLab()));
    writeFileSync(big, JSON.stringify(dockerHost(1000)));
    lines.push(
      '',
      '| `vethmap export --from capture` | format | wall time, median of 3 (ms) | output |',
      '|---|---|---:|---:|',
      exportRow('demo lab', lab, 'png'),
      exportRow('docker-like, 1000 namespaces', big, 'png'),
      exportRow('docker-like, 1000 namespaces', big, 'svg'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  console.log(diagramLines().join('\n'));
}
