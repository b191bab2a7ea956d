import type { LinkState } from '../state.js';
import type { GraphLink, Look } from './graph.js';

export interface Point { x: number; y: number }
/** An axis-aligned rectangle by its corners. */
export interface Rect { x1: number; y1: number; x2: number; y2: number }

/**
 * Sizes in model pixels, shared by the layout, the canvas stylesheet and the SVG writer so
 * that the page, the exports and the geometric check see the same shapes.
 */
export const SIZE = {
  /** A veth or other interface: a circle (or diamond) this wide. */
  iface: 22,
  lo: 14,
  bridgeH: 26,
  bridgeMinW: 64,
  /** Interface labels are cut with an ellipsis beyond this width. */
  labelMax: 92,
  ifaceFont: 10,
  bridgeFont: 11,
  namespaceFont: 12,
  rootFont: 14,
} as const;

/** Width of a bridge bar: its label fits, up to a column's pitch. */
export function bridgeWidth(label: string): number {
  return Math.min(150, Math.max(SIZE.bridgeMinW, Math.ceil(label.length * SIZE.bridgeFont * 0.62) + 16));
}

/** The side of its box an interface sits on (facing its peer), or inside when it has no lines. */
export type Side = 'top' | 'bottom' | 'left' | 'right' | 'inside';

export interface PlacedBox {
  id: string;
  label: string;
  kind: string;
  /** The root namespace's box, drawn around the bridges and ports. */
  hub: boolean;
  rect: Rect;
  /** Where the label's centre goes. */
  labelAt: Point;
}

/** Where an interface's label sits, clear of the lines leaving it. */
export type LabelSide = 'below' | 'above' | 'right' | 'above-right' | 'below-right' | 'below-left' | 'center';

export interface PlacedInterface {
  id: string;
  ns: string;
  label: string;
  kind: string;
  look: Look;
  state: LinkState;
  /** Centre. */
  at: Point;
  side: Side;
  labelSide: LabelSide;
  /** Bridges only: the bar's width. */
  w?: number;
}

export interface PlacedLink extends GraphLink {
  /** The line as drawn, from the centre of `a` to the centre of `b`: axis-parallel segments. */
  points: Point[];
}

/** A laid-out picture: every box, interface and line where it is drawn. */
export interface Diagram {
  boxes: PlacedBox[];
  interfaces: PlacedInterface[];
  links: PlacedLink[];
  /** Everything drawn, labels included. */
  bounds: Rect;
}

/** The rectangle an interface covers (what a line must not cross unless it ends there). */
export function interfaceRect(i: Pick<PlacedInterface, 'at' | 'look' | 'w'>): Rect {
  const w = i.look === 'bridge' ? (i.w ?? SIZE.bridgeMinW) : i.look === 'lo' ? SIZE.lo : SIZE.iface;
  const h = i.look === 'bridge' ? SIZE.bridgeH : w;
  return { x1: i.at.x - w / 2, y1: i.at.y - h / 2, x2: i.at.x + w / 2, y2: i.at.y + h / 2 };
}
