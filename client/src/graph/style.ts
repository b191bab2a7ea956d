import type { LinkState } from '@vethmap/shared';
import type { StylesheetJson } from 'cytoscape';

/**
 * Link states differ in colour AND line style, so they read in grey-scale prints and for
 * colour-blind users too. The legend (components/Legend.tsx) is drawn from this table.
 *
 * The colours are chosen for contrast and for colour-blind readers (palette.test.ts checks
 * both from the stylesheet): at least 3:1 against every background a state is drawn on
 * (page, namespace box, root box), light and dark; and at least ΔE 25 apart from each other
 * for normal vision and under simulated deuteranopia and protanopia. The previous green, red
 * and orange were ΔE 16 apart for deuteranopes (the same olive) and the orange had 2.9:1
 * on a namespace box.
 */
export const STATE_LOOK: Record<LinkState, { color: string; dark: string; line: 'solid' | 'dashed' | 'dotted'; icon: string; label: string; hint: string }> = {
  up: { color: '#00796b', dark: '#8fe3ab', line: 'solid', icon: '▲', label: 'up', hint: 'admin up and carrier (both ends of a veth up)' },
  down: { color: '#a3001b', dark: '#ff6759', line: 'dashed', icon: '▼', label: 'down', hint: 'administratively down (ip link set … down), either end' },
  'no-carrier': { color: '#d35400', dark: '#ffa526', line: 'dotted', icon: '◇', label: 'no carrier', hint: 'admin up but no carrier: the far end is down' },
};

export type ThemeName = 'light' | 'dark';

/** The canvas colours that are not a link state's, per theme. */
export const CANVAS: Record<ThemeName, {
  box: { fill: string; stroke: string; text: string };
  root: { fill: string; stroke: string; text: string };
  iface: { fill: string; text: string };
  lo: { fill: string; text: string };
  other: { fill: string };
  bridge: { fill: string; text: string };
  arrow: string;
}> = {
  light: {
    box: { fill: '#f5f7fa', stroke: '#90a4ae', text: '#37474f' },
    root: { fill: '#eef3fd', stroke: '#1a73e8', text: '#0d47a1' },
    iface: { fill: '#ffffff', text: '#263238' },
    lo: { fill: '#eceff1', text: '#78909c' },
    other: { fill: '#fff8e1' },
    bridge: { fill: '#1a73e8', text: '#0d47a1' },
    arrow: '#607d8b',
  },
  dark: {
    box: { fill: '#1d2228', stroke: '#546e7a', text: '#cfd8dc' },
    root: { fill: '#17243a', stroke: '#5e97f6', text: '#a8c7fa' },
    iface: { fill: '#121417', text: '#e0e6eb' },
    lo: { fill: '#37474f', text: '#90a4ae' },
    other: { fill: '#3e3520' },
    bridge: { fill: '#3b78e7', text: '#a8c7fa' },
    arrow: '#90a4ae',
  },
};

/** A link state's colour in a theme. */
export const stateColor = (s: LinkState, theme: ThemeName): string => (theme === 'dark' ? STATE_LOOK[s].dark : STATE_LOOK[s].color);

const stateRules = (theme: ThemeName): StylesheetJson => (Object.keys(STATE_LOOK) as LinkState[]).flatMap((s) => [
  { selector: `edge[state = "${s}"]`, style: { 'line-color': stateColor(s, theme), 'line-style': STATE_LOOK[s].line } },
  { selector: `node[state = "${s}"]`, style: { 'border-color': stateColor(s, theme), 'border-style': STATE_LOOK[s].line } },
]);

/**
 * Drawing order, compared across nodes and edges: boxes at the bottom, then edges, which
 * pass beneath the (opaque) boxes they cross like cables behind them, then interfaces; a
 * highlighted edge rises above the boxes.
 */
const Z = { box: 1, edge: 0, iface: 3, litEdge: 2 };

/** The canvas stylesheet of a theme. */
export function stylesheetFor(theme: ThemeName): StylesheetJson {
  const c = CANVAS[theme];
  return [
    { selector: 'node, edge', style: { 'z-index-compare': 'manual' } },
    {
      selector: 'node.namespace',
      style: {
        shape: 'round-rectangle',
        width: 'data(w)',
        height: 'data(h)',
        'z-index': Z.box,
        'background-color': c.box.fill,
        'background-opacity': 1,
        'border-color': c.box.stroke,
        'border-width': 1.5,
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -3,
        'font-size': 13,
        'font-weight': 'bold',
        color: c.box.text,
        'text-max-width': 'data(lw)',
        'text-wrap': 'ellipsis',
        // Below ~6 px on screen a label is unreadable and costs most of the frame at 2k nodes.
        'min-zoomed-font-size': 6,
      },
    },
    { selector: 'node.namespace.root', style: { 'background-color': c.root.fill, 'border-color': c.root.stroke, 'border-width': 3, color: c.root.text, 'font-size': 16 } },
    {
      selector: 'node.iface',
      style: {
        width: 22,
        height: 22,
        'z-index': Z.iface,
        shape: 'ellipse',
        'background-color': c.iface.fill,
        'border-width': 3,
        label: 'data(label)',
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-max-width': '100px',
        'text-wrap': 'ellipsis',
        color: c.iface.text,
        'min-zoomed-font-size': 7,
      },
    },
    { selector: 'node.bridge', style: { shape: 'round-rectangle', width: 64, height: 26, 'background-color': c.bridge.fill, color: c.bridge.text, 'font-weight': 'bold', 'font-size': 11 } },
    { selector: 'node.lo', style: { shape: 'ellipse', width: 14, height: 14, 'background-color': c.lo.fill, color: c.lo.text } },
    { selector: 'node.other', style: { shape: 'round-diamond', 'background-color': c.other.fill } },
    ...stateRules(theme),
    {
      selector: 'edge',
      style: { width: 2.5, 'curve-style': 'straight', 'line-cap': 'round', opacity: 0.9, 'z-index': Z.edge },
    },
    // Thinner than a veth pair; opaque enough that a state keeps 3:1 (palette.test.ts; 0.7 had 2.5:1).
    { selector: 'edge.port', style: { width: 1.5, opacity: 0.9 } },
    { selector: 'edge.parent', style: { width: 1.5, 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8, 'target-arrow-color': c.arrow } },
    // An edge drawn to a box or a bridge because an end is not drawn at this zoom. Not
    // clickable (click the box or zoom in): cytoscape hit-tests every clickable element on
    // every mouse event, and these are a thousand at 1000 namespaces (30 → 8 ms per event).
    { selector: 'edge.collapsed', style: { width: 1.5, opacity: 0.85, events: 'no' } },
    // Highlight: one selected element, its peer, the path between them; the rest fades.
    { selector: '.dimmed', style: { opacity: 0.15 } },
    { selector: 'node.namespace.dimmed', style: { opacity: 0.35 } },
    // No z-index change on lit nodes: a z change re-sorts every element (30 ms at 1000 namespaces).
    { selector: 'node.selected', style: { 'overlay-color': '#1a73e8', 'overlay-opacity': 0.25, 'overlay-padding': 8, 'border-width': 5 } },
    { selector: 'node.peer', style: { 'overlay-color': '#d81b60', 'overlay-opacity': 0.25, 'overlay-padding': 8, 'border-width': 5 } },
    { selector: 'node.related', style: { 'overlay-color': '#8e24aa', 'overlay-opacity': 0.15, 'overlay-padding': 6 } },
    { selector: 'edge.highlight', style: { width: 6, opacity: 1, 'z-index': Z.litEdge } },
    // Live traffic on veth edges (graph/overlay.ts): width grows with the rate, drops in red.
    { selector: 'edge.veth[traffic]', style: { label: 'data(traffic)', 'font-size': 9, color: c.iface.text, 'text-background-color': c.iface.fill, 'text-background-opacity': 0.85, 'text-background-padding': '1px', 'min-zoomed-font-size': 6, 'text-rotation': 'autorotate' } },
    { selector: 'edge.veth[tw]', style: { width: 'data(tw)' } },
    { selector: 'edge.veth.dropping', style: { color: '#c62828', 'font-weight': 'bold' } },
    // A trace (why): the path, and the first failing hop in red; above the selection's fading.
    { selector: '.on-path', style: { opacity: 1 } },
    { selector: 'edge.on-path', style: { 'line-color': '#1a73e8', 'line-style': 'solid', width: 6, 'z-index': Z.litEdge } },
    { selector: 'node.on-path', style: { 'overlay-color': '#1a73e8', 'overlay-opacity': 0.2, 'overlay-padding': 7 } },
    { selector: 'edge.path-fail', style: { 'line-color': '#d50000', 'line-style': 'solid', width: 8, opacity: 1, 'z-index': Z.litEdge } },
    { selector: 'node.path-fail', style: { 'overlay-color': '#d50000', 'overlay-opacity': 0.35, 'overlay-padding': 10, 'border-color': '#d50000', opacity: 1 } },
    { selector: 'node.match', style: { 'overlay-color': '#fbc02d', 'overlay-opacity': 0.45, 'overlay-padding': 10 } },
    { selector: 'node.export-title', style: { width: 1, height: 1, 'background-opacity': 0, 'border-width': 0, label: 'data(label)', 'text-halign': 'right', 'text-valign': 'center', color: c.iface.text, 'font-weight': 'bold', 'min-zoomed-font-size': 0, 'z-index': Z.iface } },
  ];
}

/** The light canvas stylesheet (tests, and the page until a theme is chosen). */
export const stylesheet: StylesheetJson = stylesheetFor('light');
