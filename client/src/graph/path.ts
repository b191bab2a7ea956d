import type { Topology, WhyReport } from '@vethmap/shared';
import { vethEdgeId } from './elements.js';

/** What a trace lights up on the map: the path, and the first failing hop in red. */
export interface PathMarks {
  nodes: Set<string>;
  edges: Set<string>;
  failNodes: Set<string>;
  failEdges: Set<string>;
}

/** The edge between two interfaces next to each other on a path: a veth pair, or a bridge port. */
function edgeBetween(byId: Map<string, { peer: string | null; master: string | null }>, x: string, y: string): string | null {
  const a = byId.get(x);
  const b = byId.get(y);
  if (!a || !b) return null;
  if (a.peer === y) return vethEdgeId(x, y);
  if (a.master === y) return `port:${x}`;
  if (b.master === x) return `port:${y}`;
  return null;
}

/** Pure: the elements a report's path and first failing hop cover (ids as the map's). */
export function pathMarks(report: WhyReport, topology: Topology): PathMarks {
  const byId = new Map(topology.interfaces.map((i) => [i.id, i]));
  const marks: PathMarks = { nodes: new Set(report.path), edges: new Set(), failNodes: new Set(), failEdges: new Set() };
  for (let k = 1; k < report.path.length; k++) {
    const e = edgeBetween(byId, report.path[k - 1]!, report.path[k]!);
    if (e) marks.edges.add(e);
  }
  const failed = report.hops.find((h) => h.ok === false);
  if (failed) {
    for (const id of failed.ids) marks.failNodes.add(id);
    for (const x of failed.ids) for (const y of failed.ids) {
      const e = x < y ? edgeBetween(byId, x, y) : null;
      if (e) marks.failEdges.add(e);
    }
  }
  return marks;
}
