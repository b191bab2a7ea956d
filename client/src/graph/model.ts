import {
  diagramGraph, layoutDiagram, wholeTopology,
  type Diagram, type DiagramGraph, type GraphInterface, type GraphLink, type GraphNamespace, type PlacedBox, type PlacedInterface, type Point, type Topology,
} from '@vethmap/shared';
import { scopeOf, type ViewOptions } from './elements.js';

/**
 * What the canvas needs to know about one topology under one set of options, computed once:
 * the layout (positions and routed lines) of the picture without the lo and down filters, so
 * those never move anything, and what the filters let through. "Only X + neighbours" is laid
 * out on its own, as its export is: kept in the whole picture's places, the root box stayed
 * as large as the host's, mostly empty (issue 12).
 */
export interface Model {
  topology: Topology;
  options: ViewOptions;
  /** Positions and routes (shared layout); reused while the structure is the same. */
  diagram: Diagram;
  /** The graph the layout was made from: a diff that only changes state keeps its layout. */
  laidOut: DiagramGraph;
  /** The graph the filters let through (namespaces, interfaces, links below). */
  shown: DiagramGraph;
  /** What the filters let through. */
  namespaces: GraphNamespace[];
  interfaces: GraphInterface[];
  links: GraphLink[];
  at: Map<string, PlacedInterface>;
  boxes: Map<string, PlacedBox>;
  routes: Map<string, Point[]>;
  nsOf: Map<string, string>;
  /** The bridge each drawn port hangs from. */
  masterOf: Map<string, string>;
  /** The other end of each veth and vlan/macvlan link, both ways. */
  linked: Map<string, string[]>;
  bridges: Set<string>;
}

/**
 * Whether two graphs are laid out alike: the same namespaces, interfaces and links in the same
 * order, with the same labels and looks (states aside). Objects the topology's diff left alone
 * are the same objects (diagramGraph memoises them), so most checks are one comparison: a
 * string key of the whole graph instead cost 64 ms of every live diff at 1000 namespaces.
 */
export function sameStructure(a: DiagramGraph, b: DiagramGraph): boolean {
  if (a === b) return true;
  if (a.namespaces.length !== b.namespaces.length || a.interfaces.length !== b.interfaces.length || a.links.length !== b.links.length) return false;
  for (let k = 0; k < a.namespaces.length; k++) {
    const x = a.namespaces[k]!;
    const y = b.namespaces[k]!;
    if (x !== y && (x.id !== y.id || x.label !== y.label || x.kind !== y.kind)) return false;
  }
  for (let k = 0; k < a.interfaces.length; k++) {
    const x = a.interfaces[k]!;
    const y = b.interfaces[k]!;
    if (x !== y && (x.id !== y.id || x.ns !== y.ns || x.label !== y.label || x.look !== y.look || x.kind !== y.kind)) return false;
  }
  for (let k = 0; k < a.links.length; k++) {
    const x = a.links[k]!;
    const y = b.links[k]!;
    if (x !== y && (x.id !== y.id || x.role !== y.role || x.a !== y.a || x.b !== y.b)) return false;
  }
  return true;
}

/**
 * The model of `topology` under `options`. The layout (tens of ms at 1000 namespaces) is
 * taken from `previous` when the structure it depends on has not changed.
 */
export function buildModel(topology: Topology, options: ViewOptions, previous?: Model | null): Model {
  const around = options.focusNamespace ? { namespace: options.focusNamespace, depth: options.focusDepth } : null;
  const whole = diagramGraph(topology, { ...wholeTopology, showLo: options.showLo, around });
  const diagram = previous && sameStructure(previous.laidOut, whole) ? previous.diagram : layoutDiagram(whole);
  const shown = options.hideDown || options.focusNamespace ? diagramGraph(topology, scopeOf(options)) : whole;
  const reuse = previous && previous.diagram === diagram;
  // The relations below depend on the structure only: a state change keeps them.
  if (reuse && sameStructure(previous.shown, shown)) {
    return { ...previous, topology, options, laidOut: whole, shown, namespaces: shown.namespaces, interfaces: shown.interfaces, links: shown.links };
  }
  const nsOf = new Map(shown.interfaces.map((i) => [i.id, i.ns]));
  const masterOf = new Map<string, string>();
  const linked = new Map<string, string[]>();
  for (const l of shown.links) {
    if (l.role === 'port') {
      masterOf.set(l.a, l.b);
      continue;
    }
    for (const [x, y] of [[l.a, l.b], [l.b, l.a]] as const) {
      const list = linked.get(x);
      if (list) list.push(y);
      else linked.set(x, [y]);
    }
  }
  return {
    topology,
    options,
    diagram,
    laidOut: whole,
    shown,
    namespaces: shown.namespaces,
    interfaces: shown.interfaces,
    links: shown.links,
    at: reuse ? previous.at : new Map(diagram.interfaces.map((i) => [i.id, i])),
    boxes: reuse ? previous.boxes : new Map(diagram.boxes.map((b) => [b.id, b])),
    routes: reuse ? previous.routes : new Map(diagram.links.map((l) => [l.id, l.points])),
    nsOf,
    masterOf,
    linked,
    bridges: new Set(shown.interfaces.filter((i) => i.look === 'bridge').map((i) => i.id)),
  };
}
