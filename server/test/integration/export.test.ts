import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { checkDiagram, diagramGraph, layoutDiagram, svgSize, wholeTopology, type Topology } from '@vethmap/shared';
import { CLI as cli, decodePng, inkedPixels, inkNear, NetBuilder } from '@vethmap/testkit';
import { demoLab, dockerHost, hostileTopology } from '@vethmap/testkit/topologies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `vethmap export` as a real process: from a capture (no root, no kernel) and from this host
 * (real namespaces built for it), every format, the PNG decoded and looked at.
 */
const dir = mkdtempSync(join(tmpdir(), 'vethmap-export-'));
const capture = join(dir, 'lab.json');
const hostile = join(dir, 'hostile.json');
const net = new NetBuilder();
let mine: string;

function run(...args: string[]): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync('node', [cli, 'export', ...args], { maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

beforeAll(() => {
  writeFileSync(capture, JSON.stringify(demoLab()));
  writeFileSync(hostile, JSON.stringify(hostileTopology()));
  mine = net.netns('x');
  net.veth(net.name('hx'), null, 'eth0', mine);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('vethmap export', () => {
  it('draws the demo lab as a PNG of the picture the layout says, labels and all', () => {
    const out = join(dir, 'lab.png');
    const r = run('--format', 'png', '--from', capture, '-o', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const png = decodePng(readFileSync(out));
    // The same size as the SVG document the page would make, at scale 1.
    const d = layoutDiagram(diagramGraph(demoLab(), wholeTopology));
    const t = demoLab();
    const size = svgSize(d, { title: `vethmap · ${t.host}`, subtitle: `snapshot ${t.takenAt} · v1`, legend: true });
    expect(Math.abs(png.width - size.w)).toBeLessThan(1);
    expect(Math.abs(png.height - size.h)).toBeLessThan(1);
    expect(inkedPixels(png)).toBeGreaterThan(png.width * png.height * 0.05);
    // Every interface's outline is drawn where the layout puts it (its left edge; white around).
    for (const i of d.interfaces) {
      const edge = i.look === 'bridge' ? (i.w ?? 64) / 2 : i.look === 'lo' ? 6 : 10;
      expect(inkNear(png, i.at.x - size.x0 - edge, i.at.y - size.y0, 2, [255, 255, 255]), i.label).toBe(true);
    }
    // And the title: ink in the top-left band where its glyphs are.
    let title = 0;
    for (let x = 24; x < 220; x++) for (let y = 24; y < 48; y++) if (inkNear(png, x, y, 0, [255, 255, 255], 80)) title++;
    expect(title).toBeGreaterThan(200);
  });

  it('writes SVG, DOT, Mermaid and draw.io to standard output, and a dark PNG at 2x', () => {
    const svg = run('--format', 'svg', '--from', capture).stdout.toString();
    const doc = new DOMParser({ onError: (level, msg) => { throw new Error(`${level}: ${msg}`); } }).parseFromString(svg, 'image/svg+xml');
    expect(doc.getElementsByTagName('polyline').length).toBe(layoutDiagram(diagramGraph(demoLab(), wholeTopology)).links.length);
    expect(run('--format', 'dot', '--from', capture).stdout.toString()).toMatch(/^graph vethmap \{/);
    expect(run('--format', 'mermaid', '--from', capture).stdout.toString()).toContain('flowchart TB');
    expect(run('--format', 'drawio', '--from', capture).stdout.toString()).toContain('<mxfile');
    const dark = decodePng(run('--format', 'png', '--scale', '2', '--theme', 'dark', '--from', capture).stdout);
    expect(dark.rgba.slice(0, 3)).toEqual(new Uint8Array([0x12, 0x14, 0x17]));
    const light = decodePng(readFileSync(join(dir, 'lab.png')));
    expect(Math.abs(dark.width - light.width * 2)).toBeLessThanOrEqual(2);
  });

  it('draws one namespace and its neighbours, to a depth', () => {
    const t = demoLab();
    const h1 = t.namespaces.find((n) => n.name === 'vlab-h1');
    const svg = run('--format', 'svg', '--from', capture, '--netns', 'vlab-h1', '--depth', '1').stdout.toString();
    const ids = [...svg.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toContain(h1?.id);
    expect(ids).toContain(t.namespaces.find((n) => n.kind === 'root')?.id);
    expect(ids).not.toContain(t.namespaces.find((n) => n.name === 'vlab-h2')?.id);
    expect(svg).toContain('vlab-h1 and neighbours to depth 1');
    const deeper = run('--format', 'svg', '--from', capture, '--netns', 'vlab-h1', '--depth', '2').stdout.toString();
    expect(deeper).toContain(`data-id="${t.namespaces.find((n) => n.name === 'vlab-h2')?.id}"`);
  });

  it('escapes hostile names in every format', () => {
    for (const format of ['svg', 'drawio']) {
      const text = run('--format', format, '--from', hostile).stdout.toString();
      expect(() => new DOMParser({ onError: (level, msg) => { throw new Error(`${format} ${level}: ${msg}`); } }).parseFromString(text, 'text/xml')).not.toThrow();
      expect(text).not.toContain('<svg onload');
    }
    const dot = run('--format', 'dot', '--from', hostile).stdout.toString();
    const rendered = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    expect(decodePng(run('--format', 'png', '--from', hostile).stdout).width).toBeGreaterThan(100);
  });

  it('draws this host with no capture and no browser, and says what is wrong with a bad argument', () => {
    const t = JSON.parse(execFileSync('node', [cli, 'snapshot'], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Topology;
    const ns = t.namespaces.find((n) => n.name === mine);
    const svg = run('--format', 'svg', '--netns', mine, '--depth', '0').stdout.toString();
    expect(svg).toContain(`data-id="${ns?.id}"`);
    expect(svg.match(/<g data-id="ns:/g)?.length).toBe(1);
    const bad = run('--format', 'gif', '--from', capture);
    expect(bad.status).toBe(2); // a usage error (errors.ts ExitCode.usage)
    expect(bad.stderr).toMatch(/--format.*gif/);
    const missing = run('--format', 'svg', '--from', capture, '--netns', 'nope');
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('no namespace "nope"');
    // The picture of this host passes the geometric check too.
    expect(checkDiagram(layoutDiagram(diagramGraph(t, wholeTopology))).problems).toEqual([]);
  });
});

describe('vethmap export of a big host', () => {
  it('draws labels as glyph outlines (resvg would take seconds to lay them out) that still read', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify(dockerHost(300)));
    const r = run('--format', 'png', '--from', big);
    expect(r.stderr).toBe('');
    const png = decodePng(r.stdout);
    expect(inkedPixels(png)).toBeGreaterThan(png.width * png.height * 0.03);
    let title = 0;
    for (let x = 24; x < 220; x++) for (let y = 24; y < 48; y++) if (inkNear(png, x, y, 0, [255, 255, 255], 80)) title++;
    expect(title).toBeGreaterThan(200);
    const svg = run('--format', 'svg', '--from', big).stdout.toString();
    expect(svg).toContain('>web-12 / docker</text>');
  });
});
