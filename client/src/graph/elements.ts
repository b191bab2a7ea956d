import type { LinkState, Scope } from '@vethmap/shared';
export { vethLinkId as vethEdgeId } from '@vethmap/shared';

/** What the user chose to see. Filters only remove elements; they never move anything. */
export interface ViewOptions {
  /** Loopbacks have no edges and only add noise, so they are hidden unless asked for. */
  showLo: boolean;
  /** Hide interfaces that are administratively down (`ip link set X down`). */
  hideDown: boolean;
  /** Show only this namespace and its neighbours up to `focusDepth` hops (shared scope.ts). */
  focusNamespace: string | null;
  focusDepth: number;
  /**
   * Interface addresses on the map, under the names. Off by default: the layout keeps one
   * line of name clear beside each interface, and 2–3 more lines run into lines and
   * neighbours' labels; the tooltip and the side panel show them anyway.
   */
  showAddresses: boolean;
  /** Up to this many interfaces all are drawn at every zoom; above, only those in view (detail.ts). */
  detailAll: number;
}

/** The default for `detailAll`: where a frame on a software canvas stays under ~50 ms. */
export const DETAIL_ALL_MAX = 800;

export const defaultViewOptions: ViewOptions = { showLo: false, hideDown: false, focusNamespace: null, focusDepth: 1, showAddresses: false, detailAll: DETAIL_ALL_MAX };

/** The shared scope these options describe. */
export function scopeOf(o: ViewOptions): Scope {
  return { showLo: o.showLo, hideDown: o.hideDown, around: o.focusNamespace ? { namespace: o.focusNamespace, depth: o.focusDepth } : null, only: null };
}

/** A namespace box, an interface, or a bridge (an interface drawn as a bar), as cytoscape data. */
export interface NodeData {
  id: string;
  label: string;
  role: 'namespace' | 'interface' | 'bridge';
  /** Namespace kind (root, named, docker, process) or interface kind (veth, bridge, ...). */
  kind: string;
  /** Link state of an interface; absent on namespaces. */
  state?: LinkState;
  /** The namespace of an interface: drawn on its box, not inside a compound parent (detail.ts). */
  ns?: string;
  /** A box's (or a bridge bar's) size from the layout. */
  w?: number;
  h?: number;
  /** A box's label: how wide before it is ellipsised, and how far below the centre it sits. */
  lw?: number;
  ly?: number;
  /** An interface's addresses, one a line (shown with ViewOptions.showAddresses). */
  addr?: string;
  /** Its name and addresses: the label when addresses are shown. */
  full?: string;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  /** veth: the two ends of a pair; port: a bridge port to its bridge; parent: vlan/macvlan to its lower device. */
  role: 'veth' | 'port' | 'parent';
  state: LinkState;
  /** The interfaces the edge really joins, when an end is drawn as its box or bridge (detail.ts). */
  a: string;
  b: string;
  /**
   * The routed line (shared layout), as cytoscape draws segments: where it leaves the source
   * and enters the target relative to their centres (`se`, `te`: "Xpx Ypx"), and each bend
   * as a weight along that line and a distance off it (`sw`, `sd`). Absent on a straight edge.
   */
  se?: string;
  te?: string;
  sw?: string;
  sd?: string;
}

export interface NodeDef { group: 'nodes'; data: NodeData; classes: string; position: { x: number; y: number } }
export interface EdgeDef { group: 'edges'; data: EdgeData; classes: string }
export type ElementDef = NodeDef | EdgeDef;
