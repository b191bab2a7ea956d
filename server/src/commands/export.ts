import { writeFileSync } from 'node:fs';
import { PNG_BUDGET, renderDiagram, svgSize, toSvg, wholeTopology, type Scope, type TextFormat, type ThemeName, type Topology } from '@vethmap/shared';
import type { Namespace } from '@vethmap/shared';
import { NotFoundError } from '../errors.js';
import { quote } from '../terminal.js';
import { containerLabeller } from './labels.js';

export const EXPORT_FORMATS = ['png', 'svg', 'dot', 'mermaid', 'drawio'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** One namespace (netns name, pid, `root` or `ns:<inode>`) and its neighbours up to `depth` hops. */
  netns?: string;
  depth: number;
  /** A capture instead of this host. */
  from?: string;
  /** The file to write; standard output when absent (or `-`). */
  output?: string;
  theme: ThemeName;
  /** PNG only: pixels per layout unit. */
  scale: number;
  /** Draw loopbacks too. */
  lo: boolean;
}

/** What commander hands over (cli.ts): the options above, plus where the inputs come from. */
export interface ExportCommandOptions extends Omit<ExportOptions, 'lo'> {
  lo?: boolean;
  maxCaptureMb: number;
  dockerSocket?: string;
}


/**
 * `vethmap export`: the picture the page draws, for a docs pipeline or a CI job. Same scope,
 * layout, style and writers as the page (shared/diagram); PNG is the SVG rendered by resvg.
 * No browser, no server.
 */
/** Glyphs in labels above which they are drawn as outlines rather than laid out by resvg. */
const OUTLINES_ABOVE = 3000;

export async function run(command: ExportCommandOptions): Promise<void> {
  const opts: ExportOptions = { ...command, lo: command.lo ?? false };
  const topology = await read(command);
  const { scope, label } = scopeFor(topology, opts);
  const format: TextFormat = opts.format === 'png' ? 'svg' : opts.format;
  const out = renderDiagram(topology, scope, label, format, opts.theme);
  if (opts.format !== 'png') {
    write(opts.output, out.text);
    return;
  }
  // Text as glyph outlines when there is a lot of it: resvg lays text out at ~0.1 ms per
  // glyph, loading the font for outlines costs ~0.3 s (render/outlines.ts).
  const glyphs = out.diagram.interfaces.reduce((n, i) => n + i.label.length, 0) + out.diagram.boxes.reduce((n, b) => n + b.label.length, 0);
  const outlines = glyphs > OUTLINES_ABOVE ? (await import('../render/outlines.js')).outlineRenderer() : null;
  if (glyphs > OUTLINES_ABOVE && !outlines) process.stderr.write('vethmap: DejaVu Sans not found (Debian: fonts-dejavu-core); text is laid out by resvg, which is slow on big hosts\n');
  const svg = toSvg(out.diagram, { ...out.frame, legend: true, theme: opts.theme, textAs: outlines ?? undefined });
  const { w, h } = svgSize(out.diagram, { ...out.frame, legend: true });
  const scale = Math.min(opts.scale, Math.sqrt(PNG_BUDGET / (w * h)));
  if (scale < opts.scale) process.stderr.write(`vethmap: ${Math.round(w)}×${Math.round(h)} at scale ${opts.scale} is over ${PNG_BUDGET / 1e6} Mpx; drawing at scale ${scale.toFixed(2)} (--netns NAME --depth N draws a part)\n`);
  write(opts.output, await renderPng(svg, scale, !outlines));
}

async function read(opts: ExportCommandOptions): Promise<Topology> {
  if (opts.from !== undefined) {
    const { readCapture } = await import('../http/capture.js');
    return readCapture(opts.from, opts.maxCaptureMb << 20);
  }
  // The engine (and the native addon) only when reading this host: `--from` needs neither.
  const { snapshotOnce } = await import('../engine/snapshot.js');
  return snapshotOnce({ labelContainers: containerLabeller(opts.dockerSocket) });
}

/** A namespace as `peer` and `why` take it: id, name, `root`, a pid in it, its inode, a container name. */
export function findNamespace(t: Topology, text: string): Namespace {
  const list = t.namespaces;
  const found = list.find((n) => n.id === text || n.name === text) ??
    (text === 'root' ? list.find((n) => n.kind === 'root') : undefined) ??
    (/^\d+$/.test(text) ? list.find((n) => n.pid === Number(text) || n.inode === Number(text)) : undefined) ??
    list.find((n) => n.container?.name === text);
  if (!found) throw new NotFoundError(`no namespace ${quote(text)} (see \`vethmap snapshot\`)`);
  return found;
}

function scopeFor(t: Topology, opts: ExportOptions): { scope: Scope; label: string } {
  const base = { ...wholeTopology, showLo: opts.lo };
  if (opts.netns === undefined) return { scope: base, label: '' };
  const ns = findNamespace(t, opts.netns);
  return { scope: { ...base, around: { namespace: ns.id, depth: opts.depth } }, label: `${ns.name} and neighbours to depth ${opts.depth}` };
}

/** The SVG rendered with resvg (a prebuilt napi module), text in the system's fonts. */
export async function renderPng(svg: string, scale: number, text = true): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    // Only an SVG that still has <text> needs the system's fonts (a scan of every font file).
    font: { loadSystemFonts: text, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

function write(file: string | undefined, data: string | Buffer): void {
  if (file === undefined || file === '-') process.stdout.write(data);
  else writeFileSync(file, data);
}
