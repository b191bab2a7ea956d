/**
 * Diagrams of a topology, with no DOM and no canvas library: what is in the picture
 * (graph.ts, scope.ts), where everything goes and how lines run (layout/), the check that
 * no line lies (check.ts), and the writers for documentation (svg, dot, mermaid, drawio).
 * The page's canvas and `vethmap export` both draw from here.
 */
export * from './names.js';
export * from './relations.js';
export * from './memo.js';
export * from './graph.js';
export * from './scope.js';
export * from './geometry.js';
export * from './check.js';
export { layoutDiagram, gridColumns, groupColumns, PITCH, TRACK } from './layout/index.js';
export * from './style.js';
export { toSvg, labelPlacement, svgSize, type SvgOptions, type TextRenderer, type TextSpec } from './write/svg.js';
export { escapeXml, ellipsis } from './write/xml.js';
export * from './write/index.js';
