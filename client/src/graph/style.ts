import { LINE_WIDTH, SIZE, STATE_LOOK, THEMES, type LinkState, type ThemeName } from '@vethmap/shared';
import type { StylesheetJson, StylesheetJsonBlock } from 'cytoscape';

export { STATE_LOOK, type ThemeName } from '@vethmap/shared';

/** The halos' colours (the legend draws the same). */
export const HALO = { selected: '#1a73e8', peer: '#d81b60', related: '#8e24aa', match: '#fbc02d', flash: '#7c4dff', path: '#1a73e8', fail: '#d50000' } as const;

/** A link state's colour in a theme. */
export const stateColor = (s: LinkState, theme: ThemeName): string => THEMES[theme].state(s);

/**
 * The canvas stylesheet, from the same tables as the SVG writer (shared/diagram/style.ts,
 * geometry.ts): colours, sizes, line widths and dash patterns, label positions. The page
 * and every export draw one picture.
 */
/**
 * cytoscape 3.34's types lag its runtime: `edge-distances: endpoints` and data() mappers on
 * numeric properties are documented and work (the e2e reads the drawn lines back), but are
 * not in the declared unions.
 */
const block = (b: { selector: string; style: Record<string, unknown> }): StylesheetJsonBlock => b as unknown as StylesheetJsonBlock;

const stateRules = (theme: (typeof THEMES)[ThemeName]): StylesheetJson => (Object.keys(STATE_LOOK) as LinkState[]).flatMap((s) => [
  { selector: `edge[state = "${s}"]`, style: { 'line-color': theme.state(s), 'line-style': STATE_LOOK[s].line } },
  { selector: `node[state = "${s}"]`, style: { 'border-color': theme.state(s), 'border-style': STATE_LOOK[s].line } },
]);

/**
 * Drawing order, compared across nodes and edges: boxes at the bottom, then lines (they
 * never cross a box they do not belong to, so they may lie on top), then interfaces.
 */
const Z = { box: 1, edge: 2, iface: 3, litEdge: 2 };

/** Label positions by the layout's labelSide (the SVG writer's labelPlacement). */
const labelRules: StylesheetJson = [
  { selector: 'node.label-below', style: { 'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-y': 3 } },
  { selector: 'node.label-above', style: { 'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -3 } },
  { selector: 'node.label-right', style: { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': 4 } },
  { selector: 'node.label-above-right', style: { 'text-valign': 'top', 'text-halign': 'right', 'text-margin-x': -7, 'text-margin-y': -3 } },
  { selector: 'node.label-below-right', style: { 'text-valign': 'bottom', 'text-halign': 'right', 'text-margin-x': -7, 'text-margin-y': 3 } },
  { selector: 'node.label-below-left', style: { 'text-valign': 'bottom', 'text-halign': 'left', 'text-margin-x': 7, 'text-margin-y': 3 } },
];

/** What the stylesheet draws besides the theme: interface addresses under their names. */
export interface StyleOptions { addresses?: boolean }

/** The canvas stylesheet of a theme (the page follows the browser's or the user's choice). */
export function stylesheetFor(name: ThemeName, opts: StyleOptions = {}): StylesheetJson {
  const theme = THEMES[name];
  return [
    { selector: 'node, edge', style: { 'z-index-compare': 'manual' } },
    block({
      selector: 'node.namespace',
      style: {
        shape: 'round-rectangle',
        width: 'data(w)',
        height: 'data(h)',
        'z-index': Z.box,
        'background-color': theme.box.fill,
        'background-opacity': 1,
        'border-color': theme.box.stroke,
        'border-width': 1.5,
        label: 'data(label)',
        'text-valign': 'center',
        'text-halign': 'center',
        'text-margin-y': 'data(ly)',
        'font-size': SIZE.namespaceFont,
        'font-weight': 'bold',
        color: theme.box.text,
        'text-max-width': 'data(lw)',
        'text-wrap': 'ellipsis',
        // Below ~6 px on screen a label is unreadable and costs most of the frame at 2k nodes.
        'min-zoomed-font-size': 6,
      },
    }),
    { selector: 'node.namespace.root', style: { 'background-color': theme.hub.fill, 'border-color': theme.hub.stroke, 'border-width': 3, color: theme.hub.text, 'font-size': SIZE.rootFont } },
    {
      selector: 'node.iface',
      style: {
        width: SIZE.iface,
        height: SIZE.iface,
        'z-index': Z.iface,
        shape: 'ellipse',
        'background-color': theme.iface.fill,
        'border-width': 2.5,
        label: 'data(label)',
        'font-size': SIZE.ifaceFont,
        'text-max-width': `${SIZE.labelMax}px`,
        'text-wrap': 'ellipsis',
        color: theme.text,
        'min-zoomed-font-size': 7,
      },
    },
    ...labelRules,
    // The addresses toggle: name and addresses, one a line (detail.ts `full`).
    ...(opts.addresses ? [{ selector: 'node.iface[full][role = "interface"]', style: { label: 'data(full)', 'text-wrap': 'wrap' as const } }] : []),
    block({
      selector: 'node.bridge',
      style: {
        shape: 'round-rectangle', width: 'data(w)', height: SIZE.bridgeH, 'background-color': theme.bridge.fill, color: theme.bridge.text,
        'font-weight': 'bold', 'font-size': SIZE.bridgeFont, 'text-valign': 'center', 'text-halign': 'center', 'text-margin-y': 0, 'text-max-width': 'data(w)',
      },
    }),
    { selector: 'node.lo', style: { width: SIZE.lo, height: SIZE.lo, 'background-color': theme.lo.fill, color: theme.lo.text } },
    { selector: 'node.other', style: { shape: 'round-diamond', 'background-color': theme.other.fill } },
    ...stateRules(theme),
    { selector: 'edge', style: { width: LINE_WIDTH.veth, 'curve-style': 'straight', 'line-cap': 'round', opacity: 0.95, 'z-index': Z.edge } },
    // The layout's route: exact ends, and bends as weights along and distances off the line
    // between them (detail.ts). Only where the data is, or cytoscape warns per element.
    block({ selector: 'edge[se][te]', style: { 'source-endpoint': 'data(se)', 'target-endpoint': 'data(te)' } }),
    block({ selector: 'edge[sw][sd]', style: { 'curve-style': 'segments', 'edge-distances': 'endpoints', 'segment-weights': 'data(sw)', 'segment-distances': 'data(sd)' } }),
    // Thinner than a veth pair; opaque enough that every state keeps 3:1 (palette.test.ts).
    { selector: 'edge.port', style: { width: LINE_WIDTH.port, opacity: 0.9 } },
    { selector: 'edge.parent', style: { width: LINE_WIDTH.parent, 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8, 'target-arrow-color': theme.arrow } },
    // An edge drawn to a box or a bridge because an end is not drawn at this zoom. Not
    // clickable (click the box or zoom in): cytoscape hit-tests every clickable element on
    // every mouse event, and these are a thousand at 1000 namespaces (30 → 8 ms per event).
    { selector: 'edge.collapsed', style: { width: 1.5, opacity: 0.85, events: 'no' } },
    // The user moved an end: its route no longer fits, the line goes straight.
    { selector: 'edge.free', style: { 'curve-style': 'straight', 'source-endpoint': 'outside-to-node', 'target-endpoint': 'outside-to-node' } },
    // Highlight: one selected element, its peer, the path between them; the rest fades.
    { selector: '.dimmed', style: { opacity: 0.15 } },
    { selector: 'node.namespace.dimmed', style: { opacity: 0.35 } },
    // No z-index change on lit nodes: a z change re-sorts every element (30 ms at 1000 namespaces).
    { selector: 'node.selected', style: { 'overlay-color': HALO.selected, 'overlay-opacity': 0.25, 'overlay-padding': 8, 'border-width': 5 } },
    { selector: 'node.peer', style: { 'overlay-color': HALO.peer, 'overlay-opacity': 0.25, 'overlay-padding': 8, 'border-width': 5 } },
    { selector: 'node.related', style: { 'overlay-color': HALO.related, 'overlay-opacity': 0.15, 'overlay-padding': 6 } },
    { selector: 'edge.highlight', style: { width: 6, opacity: 1, 'z-index': Z.litEdge } },
    // Live traffic on veth edges (graph/overlay.ts): width grows with the rate, drops in red.
    // Level text: routed pairs share vertical channels, where rotated labels ran into one
    // another end to end (a bridge's ports at 300 namespaces); level ones sit a box apart.
    { selector: 'edge.veth[traffic]', style: { label: 'data(traffic)', 'font-size': 9, color: theme.text, 'text-background-color': theme.background, 'text-background-opacity': 0.85, 'text-background-padding': '1px', 'min-zoomed-font-size': 6, 'text-rotation': 'none' } },
    { selector: 'edge.veth[tw]', style: { width: 'data(tw)' } },
    { selector: 'edge.veth.dropping', style: { color: '#c62828', 'font-weight': 'bold' } },
    // A trace (why): the path, and the first failing hop in red; above the selection's fading.
    { selector: '.on-path', style: { opacity: 1 } },
    { selector: 'edge.on-path', style: { 'line-color': HALO.path, 'line-style': 'solid', width: 6, 'z-index': Z.litEdge } },
    { selector: 'node.on-path', style: { 'overlay-color': HALO.path, 'overlay-opacity': 0.2, 'overlay-padding': 7 } },
    { selector: 'edge.path-fail', style: { 'line-color': HALO.fail, 'line-style': 'solid', width: 8, opacity: 1, 'z-index': Z.litEdge } },
    { selector: 'node.path-fail', style: { 'overlay-color': HALO.fail, 'overlay-opacity': 0.35, 'overlay-padding': 10, 'border-color': HALO.fail, opacity: 1 } },
    // A change that just happened (timeline): a violet glow for FLASH_MS (canvas.ts).
    { selector: 'node.flash', style: { 'overlay-color': HALO.flash, 'overlay-opacity': 0.45, 'overlay-padding': 12 } },
    { selector: 'edge.flash', style: { 'overlay-color': HALO.flash, 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
    { selector: 'node.match', style: { 'overlay-color': HALO.match, 'overlay-opacity': 0.45, 'overlay-padding': 10 } },
  ];
}

/** The light canvas stylesheet (tests). */
export const stylesheet: StylesheetJson = stylesheetFor('light');
