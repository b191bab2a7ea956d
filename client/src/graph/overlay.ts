import type { InterfaceRates } from '@vethmap/shared';
import type { Core, EdgeSingular } from 'cytoscape';
import type { PathMarks } from './path.js';
import { edgeTraffic, type DrawnPair } from './traffic.js';

const PATH_CLASSES = 'on-path path-fail';

/** Marks a trace's path on the canvas (and clears the previous one). */
export function applyPath(cy: Core, marks: PathMarks | null): void {
  cy.batch(() => {
    cy.$('.on-path, .path-fail').removeClass(PATH_CLASSES);
    if (!marks) return;
    for (const id of [...marks.nodes, ...marks.edges]) cy.getElementById(id).addClass('on-path');
    for (const id of [...marks.failNodes, ...marks.failEdges]) cy.getElementById(id).addClass('path-fail');
  });
}

/** The two interfaces a drawn veth edge joins (an end may be drawn as its box or bridge: detail.ts keeps them in a/b). */
function ends(e: EdgeSingular): [string, string] {
  return [String(e.data('a') ?? e.data('source')), String(e.data('b') ?? e.data('target'))];
}

/**
 * Writes each drawn veth edge's traffic (label, width, `dropping` class) from the latest
 * rates; touches only edges whose look changes (a data write restyles the element).
 */
export function applyTraffic(cy: Core, rates: ReadonlyMap<string, InterfaceRates>): void {
  cy.batch(() => {
    cy.edges('.veth').forEach((e) => {
      const [a, b] = ends(e);
      const t = edgeTraffic(rates.get(a), rates.get(b));
      const label = t?.label ?? '';
      if ((e.data('traffic') ?? '') !== label) e.data({ traffic: label, tw: t && label ? t.width : undefined });
      if (e.hasClass('dropping') !== Boolean(t?.dropping)) e.toggleClass('dropping', Boolean(t?.dropping));
    });
  });
}

/** The veth pairs drawn with at least one end in the viewport, with their namespaces. */
export function pairsInView(cy: Core, nsOf: (id: string) => string | undefined): DrawnPair[] {
  const ext = cy.extent();
  const inside = (p: { x: number; y: number }): boolean => p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2;
  const out: DrawnPair[] = [];
  cy.edges('.veth').forEach((e) => {
    if (!inside(e.source().position()) && !inside(e.target().position())) return;
    const [a, b] = ends(e);
    const nsA = nsOf(a);
    const nsB = nsOf(b);
    if (nsA && nsB) out.push({ a, b, nsA, nsB });
  });
  return out;
}
