import type { Core, NodeSingular } from 'cytoscape';

/**
 * Works around a cytoscape 3.34 renderer quirk. drawNode() calls drawImages() twice per node
 * (images inside, then over the border) and each call recomputes `_private.backgrounding`
 * from its own half of the images: for a node without a background image the first pass
 * says false, the second true, and each flip calls node.updateStyle(). Nodes drawn from
 * the texture cache rarely pay; nodes drawn directly every frame do. With compound boxes
 * that was every box: at 1000 namespaces a 1 px pan restyled 1000 boxes (200–250 ms per
 * frame zoomed in, 600 ms fitted; 50 and 220 ms with this fix). With plain-node boxes it
 * is the few too large to cache, like the root box: 2 restyles per frame measured without
 * this, 0 with it. vethmap draws no background images, so the state is pinned to false:
 * the `:backgrounding` selector it feeds is never used by our stylesheet.
 */
export function pinBackgrounding(cy: Core): void {
  const pin = (n: NodeSingular) => {
    const p = (n as unknown as { _private?: object })._private;
    if (!p || Object.getOwnPropertyDescriptor(p, 'backgrounding')?.get) return;
    Object.defineProperty(p, 'backgrounding', { get: () => false, set: () => undefined, configurable: true });
  };
  cy.nodes().forEach(pin);
  cy.on('add', 'node', (e) => pin(e.target as NodeSingular));
}
