import {
  diagramGraph, FILE_EXTENSION, frameOf, PNG_BUDGET, layoutDiagram, printable, relationsOf, svgSize, toSvg, writeDiagram,
  type Diagram, type Scope, type TextFormat, type ThemeName, type Topology,
} from '@vethmap/shared';
import { scopeOf, type ViewOptions } from './elements.js';
import { highlightFor } from './highlight.js';

/** What to export: the picture as filtered on screen, the selection and what it lights up, or everything. */
export type ExportScope = 'view' | 'selection' | 'all';
export type ExportFormat = 'png' | TextFormat | 'json';

export interface ExportRequest { scope: ExportScope; format: ExportFormat; theme: ThemeName; /** PNG only: 1 or 2. */ scale: number }

export interface ExportResult { blob: Blob; filename: string; note: string }

/** Chromium's canvas limits (FRONTEND-NOTES): beyond them a canvas yields an empty Blob. */
const MAX_PIXELS = 2.6e8;
const MAX_SIDE = 65000;

/** The export scale for a picture of w×h model pixels at `want`: within the limits and the budget. */
export function pngScale(w: number, h: number, want = 1): number {
  if (w <= 0 || h <= 0) return 1;
  return Math.min(want, Math.sqrt(PNG_BUDGET / (w * h)), Math.sqrt(MAX_PIXELS / (w * h)), MAX_SIDE / w, MAX_SIDE / h);
}

/** The shared scope for an export, and how the picture's subtitle names it. */
export function exportScope(kind: ExportScope, topology: Topology, options: ViewOptions, selection: string | null): { scope: Scope; label: string } {
  const rel = relationsOf(topology);
  if (kind === 'selection' && selection) {
    const h = highlightFor(topology, selection);
    const name = rel.interfaces.get(selection)?.name ?? rel.namespaces.get(selection)?.name ?? selection;
    return { scope: { showLo: true, hideDown: false, around: null, only: h ? [h.selected, ...h.peers, ...h.related] : [selection] }, label: `selection: ${name}` };
  }
  if (kind === 'view') {
    const parts: string[] = [];
    if (options.focusNamespace) parts.push(`${rel.namespaces.get(options.focusNamespace)?.name ?? options.focusNamespace} and neighbours to depth ${options.focusDepth}`);
    if (options.hideDown) parts.push('down links hidden');
    return { scope: scopeOf(options), label: parts.join(', ') };
  }
  return { scope: { showLo: options.showLo, hideDown: false, around: null, only: null }, label: '' };
}

/** Width and height from a PNG's IHDR, to tell the user what they really got. */
export async function pngSize(blob: Blob): Promise<{ width: number; height: number } | null> {
  const head = new DataView(await blob.slice(0, 24).arrayBuffer());
  if (head.byteLength < 24 || head.getUint32(0) !== 0x89504e47) return null;
  return { width: head.getUint32(16), height: head.getUint32(20) };
}

/**
 * A PNG of the SVG document: the browser rasterises the same SVG a user could save, so the
 * two never differ. Halves the scale until the canvas accepts it.
 */
export async function svgToPng(svg: string, w: number, h: number, scale: number): Promise<{ blob: Blob; width: number; height: number; scale: number }> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    for (let s = scale, attempt = 0; attempt < 6; attempt++, s /= 2) {
      const width = Math.max(1, Math.round(w * s));
      const height = Math.max(1, Math.round(h * s));
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      ctx.drawImage(img, 0, 0, width, height);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      canvas.width = 0;
      if (blob && blob.size > 0) return { blob, width, height, scale: s };
    }
    throw new Error('the browser refused every canvas size for this diagram');
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The laid-out picture an export draws (the page's layout, on the scoped topology). */
export function exportDiagram(topology: Topology, scope: Scope): Diagram {
  return layoutDiagram(diagramGraph(topology, scope));
}

/** Runs one export; the caller saves the blob. */
export async function runExport(req: ExportRequest, topology: Topology, options: ViewOptions, selection: string | null): Promise<ExportResult> {
  const stamp = topology.takenAt.replace(/\.\d+Z$/, 'Z').replace(/[:]/g, '');
  const base = `vethmap-${printable(topology.host).replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp}`;
  if (req.format === 'json') {
    return { blob: new Blob([JSON.stringify(topology, null, 2)], { type: 'application/json' }), filename: `${base}.json`, note: 'JSON saved' };
  }
  const { scope, label } = exportScope(req.scope, topology, options, selection);
  const diagram = exportDiagram(topology, scope);
  const frame = frameOf(topology, label);
  const counts = `${diagram.boxes.length} namespaces, ${diagram.interfaces.length} interfaces`;
  if (req.format === 'png') {
    const svg = toSvg(diagram, { ...frame, legend: true, theme: req.theme });
    const { w, h } = svgSize(diagram, { ...frame, legend: true });
    const png = await svgToPng(svg, w, h, pngScale(w, h, req.scale));
    const scaled = png.scale < req.scale ? ` (scale ${png.scale.toFixed(2)}: within the PNG budget)` : '';
    return { blob: png.blob, filename: `${base}.png`, note: `PNG saved: ${png.width}×${png.height} px, ${(png.blob.size / 1e6).toFixed(1)} MB, ${counts}${scaled}` };
  }
  const text = writeDiagram(diagram, frame, req.format, req.theme);
  const type = req.format === 'svg' ? 'image/svg+xml' : req.format === 'drawio' ? 'application/xml' : 'text/plain';
  return { blob: new Blob([text], { type }), filename: `${base}.${FILE_EXTENSION[req.format]}`, note: `${req.format.toUpperCase()} saved: ${counts}` };
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: Chromium reads the blob asynchronously after the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
