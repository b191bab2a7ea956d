import type { LinkState } from '@vethmap/shared';
import type { StylesheetJson } from 'cytoscape';

/**
 * Link states differ in colour AND line style, so they read in grey-scale prints and for
 * colour-blind users too. The legend (components/Legend.tsx) is drawn from this table.
 */
export const STATE_LOOK: Record<LinkState, { color: string; line: 'solid' | 'dashed' | 'dotted'; label: string; hint: string }> = {
  up: { color: '#2e7d32', line: 'solid', label: 'up', hint: 'admin up and carrier (both ends of a veth up)' },
  down: { color: '#c62828', line: 'dashed', label: 'down', hint: 'administratively down (ip link set … down), either end' },
  'no-carrier': { color: '#ef6c00', line: 'dotted', label: 'no carrier', hint: 'admin up but no carrier: the far end is down' },
};

const stateRules: StylesheetJson = (Object.keys(STATE_LOOK) as LinkState[]).flatMap((s) => [
  { selector: `edge[state = "${s}"]`, style: { 'line-color': STATE_LOOK[s].color, 'line-style': STATE_LOOK[s].line } },
  { selector: `node[state = "${s}"]`, style: { 'border-color': STATE_LOOK[s].color, 'border-style': STATE_LOOK[s].line === 'dotted' ? 'dotted' : STATE_LOOK[s].line } },
]);

/**
 * Drawing order, compared across nodes and edges: boxes at the bottom, then edges, which
 * pass beneath the (opaque) boxes they cross like cables behind them, then interfaces; a
 * highlighted edge rises above the boxes.
 */
const Z = { box: 1, edge: 0, iface: 3, litEdge: 2 };

export const stylesheet: StylesheetJson = [
  { selector: 'node, edge', style: { 'z-index-compare': 'manual' } },
  {
    selector: 'node.namespace',
    style: {
      shape: 'round-rectangle',
      width: 'data(w)',
      height: 'data(h)',
      'z-index': Z.box,
      'background-color': '#f5f7fa',
      'background-opacity': 1,
      'border-color': '#90a4ae',
      'border-width': 1.5,
      label: 'data(label)',
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -3,
      'font-size': 13,
      'font-weight': 'bold',
      color: '#37474f',
      'text-max-width': 'data(lw)',
      'text-wrap': 'ellipsis',
      // Below ~6 px on screen a label is unreadable and costs most of the frame at 2k nodes.
      'min-zoomed-font-size': 6,
    },
  },
  { selector: 'node.namespace.root', style: { 'background-color': '#dbe7fd', 'background-opacity': 0.45, 'border-color': '#1a73e8', 'border-width': 3, color: '#0d47a1', 'font-size': 16 } },
  {
    selector: 'node.iface',
    style: {
      width: 22,
      height: 22,
      'z-index': Z.iface,
      shape: 'ellipse',
      'background-color': '#ffffff',
      'border-width': 3,
      label: 'data(label)',
      'font-size': 10,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-max-width': '100px',
      'text-wrap': 'ellipsis',
      color: '#263238',
      'min-zoomed-font-size': 7,
    },
  },
  { selector: 'node.bridge', style: { shape: 'round-rectangle', width: 64, height: 26, 'background-color': '#1a73e8', color: '#0d47a1', 'font-weight': 'bold', 'font-size': 11 } },
  { selector: 'node.lo', style: { shape: 'ellipse', width: 14, height: 14, 'background-color': '#eceff1', color: '#78909c' } },
  { selector: 'node.other', style: { shape: 'round-diamond', 'background-color': '#fff8e1' } },
  ...stateRules,
  {
    selector: 'edge',
    style: { width: 2.5, 'curve-style': 'straight', 'line-cap': 'round', opacity: 0.9, 'z-index': Z.edge },
  },
  { selector: 'edge.port', style: { width: 1.5, opacity: 0.7 } },
  { selector: 'edge.parent', style: { width: 1.5, 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8, 'target-arrow-color': '#607d8b' } },
  // An edge drawn to a box or a bridge because an end is not drawn at this zoom. Not
  // clickable (click the box or zoom in): cytoscape hit-tests every clickable element on
  // every mouse event, and these are a thousand at 1000 namespaces (30 → 8 ms per event).
  { selector: 'edge.collapsed', style: { width: 1.5, opacity: 0.6, events: 'no' } },
  // Highlight: one selected element, its peer, the path between them; the rest fades.
  { selector: '.dimmed', style: { opacity: 0.15 } },
  { selector: 'node.namespace.dimmed', style: { opacity: 0.35 } },
  // No z-index change on lit nodes: a z change re-sorts every element (30 ms at 1000 namespaces).
  { selector: 'node.selected', style: { 'overlay-color': '#1a73e8', 'overlay-opacity': 0.25, 'overlay-padding': 8, 'border-width': 5 } },
  { selector: 'node.peer', style: { 'overlay-color': '#d81b60', 'overlay-opacity': 0.25, 'overlay-padding': 8, 'border-width': 5 } },
  { selector: 'node.related', style: { 'overlay-color': '#8e24aa', 'overlay-opacity': 0.15, 'overlay-padding': 6 } },
  { selector: 'edge.highlight', style: { width: 6, opacity: 1, 'z-index': Z.litEdge } },
  // Live traffic on veth edges (graph/overlay.ts): width grows with the rate, drops in red.
  { selector: 'edge.veth[traffic]', style: { label: 'data(traffic)', 'font-size': 9, color: '#37474f', 'text-background-color': '#ffffff', 'text-background-opacity': 0.85, 'text-background-padding': '1px', 'min-zoomed-font-size': 6, 'text-rotation': 'autorotate' } },
  { selector: 'edge.veth[tw]', style: { width: 'data(tw)' } },
  { selector: 'edge.veth.dropping', style: { color: '#c62828', 'font-weight': 'bold' } },
  // A trace (why): the path, and the first failing hop in red; above the selection's fading.
  { selector: '.on-path', style: { opacity: 1 } },
  { selector: 'edge.on-path', style: { 'line-color': '#1a73e8', 'line-style': 'solid', width: 6, 'z-index': Z.litEdge } },
  { selector: 'node.on-path', style: { 'overlay-color': '#1a73e8', 'overlay-opacity': 0.2, 'overlay-padding': 7 } },
  { selector: 'edge.path-fail', style: { 'line-color': '#d50000', 'line-style': 'solid', width: 8, opacity: 1, 'z-index': Z.litEdge } },
  { selector: 'node.path-fail', style: { 'overlay-color': '#d50000', 'overlay-opacity': 0.35, 'overlay-padding': 10, 'border-color': '#d50000', opacity: 1 } },
  { selector: 'node.match', style: { 'overlay-color': '#fbc02d', 'overlay-opacity': 0.45, 'overlay-padding': 10 } },
  { selector: 'node.export-title', style: { width: 1, height: 1, 'background-opacity': 0, 'border-width': 0, label: 'data(label)', 'text-halign': 'right', 'text-valign': 'center', color: '#263238', 'font-weight': 'bold', 'min-zoomed-font-size': 0, 'z-index': Z.iface } },
];
