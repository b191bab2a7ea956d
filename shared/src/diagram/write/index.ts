import type { Topology } from '../../model.js';
import { diagramGraph } from '../graph.js';
import type { Diagram } from '../geometry.js';
import { layoutDiagram } from '../layout/index.js';
import type { Scope } from '../scope.js';
import type { ThemeName } from '../style.js';
import { toDot } from './dot.js';
import { toDrawio } from './drawio.js';
import { frameOf, type Frame } from './frame.js';
import { toMermaid } from './mermaid.js';
import { toSvg } from './svg.js';

/** The formats documentation toolchains take, PNG being the SVG rasterised (browser or resvg). */
export const TEXT_FORMATS = ['svg', 'dot', 'mermaid', 'drawio'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

/**
 * Pixels a PNG export is made no larger than: above, encoding alone takes seconds and the
 * file tens of MB (the page's canvas and resvg alike). 1000 namespaces fit at about 0.6×;
 * a document wants the part that matters (a scope) at 1× or 2× anyway.
 */
export const PNG_BUDGET = 2.4e7;

export const FILE_EXTENSION: Record<TextFormat | 'png', string> = { svg: 'svg', dot: 'dot', mermaid: 'mmd', drawio: 'drawio', png: 'png' };

export interface Rendered { diagram: Diagram; frame: Frame; text: string }

/**
 * One export, from the topology to the text of a file: scope, layout (the page's), frame
 * (host, time, scope) and the writer. The page and `vethmap export` both call this.
 */
export function renderDiagram(topology: Topology, scope: Scope, scopeLabel: string, format: TextFormat, theme: ThemeName = 'light'): Rendered {
  const diagram = layoutDiagram(diagramGraph(topology, scope));
  const frame = frameOf(topology, scopeLabel);
  return { diagram, frame, text: writeDiagram(diagram, frame, format, theme) };
}

export function writeDiagram(diagram: Diagram, frame: Frame, format: TextFormat, theme: ThemeName = 'light'): string {
  switch (format) {
    case 'svg': return toSvg(diagram, { ...frame, legend: true, theme });
    case 'dot': return toDot(diagram, frame, theme);
    case 'mermaid': return toMermaid(diagram, frame, theme);
    case 'drawio': return toDrawio(diagram, frame, theme);
  }
}

export { toDot, quoteDot } from './dot.js';
export { toMermaid, quoteMermaid } from './mermaid.js';
export { toDrawio } from './drawio.js';
export { frameOf, type Frame } from './frame.js';
