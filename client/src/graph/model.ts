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
  /** Everything the layout depends on, as one string: a diff that only changes state keeps it. */
  layoutKey: string;
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

/** The layout of `graph`, as a string of everything it depends on. */
export function layoutKeyOf(graph: DiagramGraph): string {
  const parts: string[] = [];
  for (const n of graph.namespaces) parts.push(`${n.id}\u0000${n.label}\u0000${n.kind}`);
  for (const i of graph.interfaces) parts.push(`${i.id}\u0000${i.ns}\u0000${i.label}\u0000${i.look}`);
  for (const l of graph.links) parts.push(`${l.id}\u0000${l.a}\u0000${l.b}`);
  return parts.join('\u0001');
}

/**
 * The model of `topology` under `options`. The layout (tens of ms at 1000 namespaces) is
 * taken from `previous` when the structure it depends on has not changed.
 */
export function buildModel(topology: Topology, options: ViewOptions, previous?: Model | null): Model {
  const around = options.focusNamespace ? { namespace: options.focusNamespace, depth: options.focusDepth } : null;
  const whole = diagramGraph(topology, { ...wholeTopology, showLo: options.showLo, around });
  const layoutKey = layoutKeyOf(whole);
  const diagram = previous && previous.layoutKey === layoutKey ? previous.diagram : layoutDiagram(whole);
  const shown = options.hideDown || options.focusNamespace ? diagramGraph(topology, scopeOf(options)) : whole;
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
  const reuse = previous && previous.diagram === diagram;
  return {
    topology,
    options,
    diagram,
    layoutKey,
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
