import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';

/**
 * Our own SVG export (cytoscape-svg is GPL-3.0 and is not shipped). It serialises what the
 * stylesheet draws, read back through `ele.style()`, so colours and dash patterns follow
 * `style.ts` and the legend. Painted in cytoscape's order: edges (below the opaque boxes,
 * `z-compound-depth: bottom`), namespace boxes, highlighted edges, interfaces and bridges,
 * labels.
 *
 * Names come from the kernel and from whoever created the namespace; they are untrusted.
 * They only ever enter the document as escaped text or escaped attribute values.
 */

/** Characters XML 1.0 forbids even when escaped (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text or an attribute value (double- or single-quoted) for XML. */
export function escapeXml(s: string): string {
  return s
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Short, stable numbers: one decimal is finer than any screen or print needs. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function num(ele: NodeSingular | EdgeSingular, prop: string, fallback = 0): number {
  const v = parseFloat(String(ele.style(prop)));
  return Number.isFinite(v) ? v : fallback;
}

function str(ele: NodeSingular | EdgeSingular, prop: string): string {
  return String(ele.style(prop) ?? '');
}

/** `text-wrap: ellipsis` approximated by character count (SVG has no layout engine). */
function ellipsis(label: string, fontSize: number, maxWidth: number): string {
  const max = Math.max(3, Math.floor(maxWidth / (fontSize * 0.6)));
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

function dash(line: string, width: number): string {
  if (line === 'dashed') return ` stroke-dasharray="${n(width * 2.4)} ${n(width * 1.6)}"`;
  if (line === 'dotted') return ` stroke-dasharray="0.1 ${n(width * 2)}" stroke-linecap="round"`;
  return '';
}

function opacityAttr(ele: NodeSingular | EdgeSingular): string {
  const o = num(ele, 'opacity', 1);
  return o < 1 ? ` opacity="${n(o)}"` : '';
}

function shapeOf(node: NodeSingular, x: number, y: number, w: number, h: number, paint: string): string {
  const shape = str(node, 'shape');
  if (shape === 'ellipse') return `<ellipse cx="${n(x)}" cy="${n(y)}" rx="${n(w / 2)}" ry="${n(h / 2)}"${paint}/>`;
  if (shape === 'round-diamond' || shape === 'diamond') {
    return `<polygon points="${n(x)},${n(y - h / 2)} ${n(x + w / 2)},${n(y)} ${n(x)},${n(y + h / 2)} ${n(x - w / 2)},${n(y)}" stroke-linejoin="round"${paint}/>`;
  }
  const r = shape === 'round-rectangle' ? Math.min(8, w / 4, h / 4) : 0;
  return `<rect x="${n(x - w / 2)}" y="${n(y - h / 2)}" width="${n(w)}" height="${n(h)}" rx="${n(r)}"${paint}/>`;
}

function nodePaint(node: NodeSingular): string {
  const bw = num(node, 'border-width');
  const fillOpacity = num(node, 'background-opacity', 1);
  const line = str(node, 'border-style');
  return ` fill="${escapeXml(str(node, 'background-color'))}"${fillOpacity < 1 ? ` fill-opacity="${n(fillOpacity)}"` : ''}`
    + (bw > 0 ? ` stroke="${escapeXml(str(node, 'border-color'))}" stroke-width="${n(bw)}"${dash(line, bw)}` : ' stroke="none"');
}

function labelOf(node: NodeSingular, box: { x1: number; x2: number; y1: number; y2: number }): string {
  const raw = String(node.data('label') ?? '');
  if (!raw || str(node, 'label') === '') return '';
  const size = num(node, 'font-size', 10);
  const maxWidth = num(node, 'text-max-width', 200);
  const text = str(node, 'text-wrap') === 'ellipsis' ? ellipsis(raw, size, maxWidth) : raw;
  const valign = str(node, 'text-valign');
  const cx = (box.x1 + box.x2) / 2;
  const marginY = num(node, 'text-margin-y');
  const y = valign === 'top' ? box.y1 - size * 0.35 + marginY : valign === 'bottom' ? box.y2 + size * 0.95 + marginY : (box.y1 + box.y2) / 2 + size * 0.35;
  const weight = str(node, 'font-weight');
  return `<text x="${n(cx)}" y="${n(y)}" font-size="${n(size)}" fill="${escapeXml(str(node, 'color'))}"${weight === 'bold' || Number(weight) >= 600 ? ' font-weight="bold"' : ''}${opacityAttr(node)}>${escapeXml(text)}</text>`;
}

function edgeLine(e: EdgeSingular): string {
  const s = e.source().position();
  const t = e.target().position();
  const w = num(e, 'width', 1);
  const color = escapeXml(str(e, 'line-color'));
  const arrow = str(e, 'target-arrow-shape') !== 'none' ? ' marker-end="url(#arrow)"' : '';
  // Line ends at the node border rather than its centre, so arrowheads stay visible.
  const tr = Math.max(e.target().width(), e.target().height()) / 2;
  const len = Math.hypot(t.x - s.x, t.y - s.y) || 1;
  const ex = arrow ? t.x - ((t.x - s.x) / len) * tr : t.x;
  const ey = arrow ? t.y - ((t.y - s.y) / len) * tr : t.y;
  return `<line data-id="${escapeXml(e.id())}" x1="${n(s.x)}" y1="${n(s.y)}" x2="${n(ex)}" y2="${n(ey)}" stroke="${color}" stroke-width="${n(w)}"${dash(str(e, 'line-style'), w)}${opacityAttr(e)}${arrow}/>`;
}

export interface SvgOptions {
  /** Shown above the drawing, e.g. "vethmap · host · 2025-01-01T00:00:00Z · v12". */
  title: string;
}

/** The whole diagram (not the viewport) as a standalone SVG document. */
export function toSvg(cy: Core, { title }: SvgOptions): string {
  const visible = cy.elements().filter((e) => e.visible() && !e.hasClass('export-title'));
  const nodes = visible.nodes();
  const boxes = nodes.filter((x) => x.hasClass('namespace'));
  const leaves = nodes.not(boxes);
  const edges = visible.edges().filter((e) => e.source().visible() && e.target().visible());
  const bb = visible.nonempty() ? visible.boundingBox({ includeLabels: true, includeOverlays: false }) : { x1: 0, y1: 0, x2: 400, y2: 200, w: 400, h: 200 };

  const titleSize = Math.max(18, Math.round(bb.w / 60));
  const pad = 20;
  const x0 = bb.x1 - pad;
  const y0 = bb.y1 - pad - titleSize * 1.6;
  const w = bb.w + 2 * pad;
  const h = bb.y2 + pad - y0;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(x0)} ${n(y0)} ${n(w)} ${n(h)}" width="${n(w)}" height="${n(h)}" font-family="system-ui, sans-serif" text-anchor="middle">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#607d8b"/></marker></defs>');
  out.push(`<rect x="${n(x0)}" y="${n(y0)}" width="${n(w)}" height="${n(h)}" fill="#ffffff"/>`);
  out.push(`<text x="${n(bb.x1)}" y="${n(y0 + pad / 2 + titleSize)}" font-size="${titleSize}" font-weight="bold" fill="#263238" text-anchor="start">${escapeXml(title)}</text>`);

  // Edges under the boxes as on screen (style.ts), a highlighted one above them.
  const boxZ = boxes.nonempty() ? num(boxes[0] as NodeSingular, 'z-index') : 0;
  const below = edges.filter((e) => num(e, 'z-index') < boxZ);
  const above = edges.not(below);
  out.push('<g class="edges" fill="none">');
  below.forEach((e) => {
    out.push(edgeLine(e));
  });
  out.push('</g>');

  out.push('<g class="namespaces">');
  boxes.forEach((box) => {
    const b = box.boundingBox({ includeLabels: false, includeOverlays: false });
    const bw = num(box, 'border-width');
    // The bounding box includes the border; the rect's stroke is centred on its outline.
    const paint = nodePaint(box);
    out.push(`<g data-id="${escapeXml(box.id())}"${opacityAttr(box)}>${shapeOf(box, (b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2, b.w - bw, b.h - bw, paint)}</g>`);
  });
  out.push('</g>');

  out.push('<g class="edges highlighted" fill="none">');
  above.forEach((e) => {
    out.push(edgeLine(e));
  });
  out.push('</g>');

  out.push('<g class="interfaces">');
  leaves.forEach((node) => {
    const p = node.position();
    out.push(`<g data-id="${escapeXml(node.id())}"${opacityAttr(node)}>${shapeOf(node, p.x, p.y, node.width(), node.height(), nodePaint(node))}</g>`);
  });
  out.push('</g>');

  out.push('<g class="labels">');
  nodes.forEach((node) => {
    const box = node.hasClass('namespace')
      ? node.boundingBox({ includeLabels: false, includeOverlays: false })
      : (() => {
          const p = node.position();
          const bw = num(node, 'border-width');
          return { x1: p.x - node.width() / 2, x2: p.x + node.width() / 2, y1: p.y - node.height() / 2 - bw / 2, y2: p.y + node.height() / 2 + bw / 2 };
        })();
    const label = labelOf(node, box);
    if (label) out.push(label);
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}

export function exportSvg(cy: Core, title: string): Blob {
  return new Blob([toSvg(cy, { title })], { type: 'image/svg+xml' });
}
