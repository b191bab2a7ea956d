import type { LinkState } from '../state.js';

/**
 * The look of a diagram, one table for every renderer: the page's canvas stylesheet, the
 * SVG writer (and so every PNG), the legend, and the colours DOT, Mermaid and draw.io get.
 * Link states differ in colour AND line style (and an icon where there is text), so they
 * read in grey-scale prints and for colour-blind readers too.
 *
 * The colours are chosen for contrast and for colour-blind readers (client/src/graph/
 * palette.test.ts checks both from the page's computed style): at least 3:1 against every
 * background a state is drawn on (page, namespace box, root box, interface fill), light and
 * dark; at least ΔE 25 apart for normal vision and under simulated deuteranopia and
 * protanopia. The previous green, red and orange were ΔE 15.8 apart for deuteranopes (the
 * same olive), and the orange had 2.9:1 on a namespace box.
 */
export const STATE_LOOK: Record<LinkState, { color: string; dark: string; line: 'solid' | 'dashed' | 'dotted'; icon: string; label: string; hint: string }> = {
  up: { color: '#00796b', dark: '#8fe3ab', line: 'solid', icon: '▲', label: 'up', hint: 'admin up and carrier (both ends of a veth up)' },
  down: { color: '#a3001b', dark: '#ff6759', line: 'dashed', icon: '▼', label: 'down', hint: 'administratively down (ip link set … down), either end' },
  'no-carrier': { color: '#d35400', dark: '#ffa526', line: 'dotted', icon: '◇', label: 'no carrier', hint: 'admin up but no carrier: the far end is down' },
};

export type ThemeName = 'light' | 'dark';

export interface Theme {
  background: string;
  text: string;
  muted: string;
  box: { fill: string; stroke: string; text: string };
  hub: { fill: string; stroke: string; text: string };
  iface: { fill: string };
  lo: { fill: string; text: string };
  other: { fill: string };
  bridge: { fill: string; text: string };
  /** Arrow heads of vlan/macvlan lines. */
  arrow: string;
  state: (s: LinkState) => string;
}

export const THEMES: Record<ThemeName, Theme> = {
  light: {
    background: '#ffffff',
    text: '#263238',
    muted: '#607d8b',
    box: { fill: '#f5f7fa', stroke: '#90a4ae', text: '#37474f' },
    hub: { fill: '#eef3fd', stroke: '#1a73e8', text: '#0d47a1' },
    iface: { fill: '#ffffff' },
    lo: { fill: '#eceff1', text: '#78909c' },
    other: { fill: '#fff8e1' },
    bridge: { fill: '#1a73e8', text: '#ffffff' },
    arrow: '#607d8b',
    state: (s) => STATE_LOOK[s].color,
  },
  dark: {
    background: '#121417',
    text: '#e0e6eb',
    muted: '#90a4ae',
    box: { fill: '#1d2228', stroke: '#546e7a', text: '#cfd8dc' },
    hub: { fill: '#17243a', stroke: '#5e97f6', text: '#a8c7fa' },
    iface: { fill: '#121417' },
    lo: { fill: '#37474f', text: '#90a4ae' },
    other: { fill: '#3e3520' },
    bridge: { fill: '#3b78e7', text: '#ffffff' },
    arrow: '#90a4ae',
    state: (s) => STATE_LOOK[s].dark,
  },
};

/** Line widths: a veth pair, a bridge port, a vlan to its lower device. */
export const LINE_WIDTH = { veth: 2.5, port: 1.5, parent: 1.5 } as const;

/** Dash pattern for a line style at a width (SVG stroke-dasharray), or null for solid. */
export function dashArray(line: 'solid' | 'dashed' | 'dotted', width: number): string | null {
  if (line === 'dashed') return `${round(width * 2.4)} ${round(width * 1.6)}`;
  if (line === 'dotted') return `0.1 ${round(width * 2)}`;
  return null;
}

const round = (v: number): number => Math.round(v * 10) / 10;
