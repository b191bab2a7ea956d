/**
 * The measurement behind the layout choice: vethmap's channel router (shared/src/diagram/
 * layout) against elkjs (layered, orthogonal routing, namespaces as compound nodes holding
 * their interfaces, hierarchy handled across levels), on the same graphs, judged by the
 * same geometric check. `npx tsx e2e/layout-compare.ts [sizes]` prints a table.
 * elkjs is a dev dependency of e2e only: nothing ships it.
 */
import elkModule from 'elkjs/lib/elk.bundled.js';
import { checkDiagram, diagramGraph, layoutDiagram, SIZE, wholeTopology, bridgeWidth, type Diagram, type DiagramGraph, type PlacedLink, type Point, type Topology } from '@vethmap/shared';
import { demoLab, dockerHost, randomTopology } from '@vethmap/testkit/topologies';

interface ElkNode { id: string; x?: number; y?: number; width?: number; height?: number; children?: ElkNode[]; edges?: ElkEdge[]; layoutOptions?: Record<string, string> }
interface ElkEdge { id: string; sources: string[]; targets: string[]; container?: string; sections?: Array<{ startPoint: Point; endPoint: Point; bendPoints?: Point[] }> }

// A CommonJS module: under NodeNext its default import is the module object.
const ELK = (elkModule as unknown as { default: new () => { layout(g: unknown): Promise<unknown> } }).default ?? (elkModule as unknown as new () => { layout(g: unknown): Promise<unknown> });
const elk = new ELK();

function elkGraph(g: DiagramGraph): ElkNode {
  const byNs = new Map<string, ElkNode[]>();
  for (const i of g.interfaces) {
    const w = i.look === 'bridge' ? bridgeWidth(i.label) : i.look === 'lo' ? SIZE.lo : SIZE.iface;
    const h = i.look === 'bridge' ? SIZE.bridgeH : w;
    byNs.set(i.ns, [...(byNs.get(i.ns) ?? []), { id: i.id, width: w, height: h }]);
  }
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '30',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.padding': '[top=30,left=20,bottom=20,right=20]',
    },
    children: g.namespaces.map((n) => ({ id: n.id, children: byNs.get(n.id) ?? [], layoutOptions: { 'elk.padding': '[top=30,left=20,bottom=20,right=20]' } })),
    edges: g.links.map((l) => ({ id: l.id, sources: [l.a], targets: [l.b] })),
  };
}

/** ELK's result in vethmap's Diagram shape, so the same check judges it. */
function toDiagram(g: DiagramGraph, out: ElkNode): Diagram {
  const abs = new Map<string, Point>([['root', { x: 0, y: 0 }]]);
  const boxes: Diagram['boxes'] = [];
  const centres = new Map<string, Point>();
  for (const ns of out.children ?? []) {
    const o = { x: ns.x ?? 0, y: ns.y ?? 0 };
    abs.set(ns.id, o);
    const meta = g.namespaces.find((n) => n.id === ns.id);
    boxes.push({ id: ns.id, label: meta?.label ?? '', kind: meta?.kind ?? 'named', hub: meta?.kind === 'root', rect: { x1: o.x, y1: o.y, x2: o.x + (ns.width ?? 0), y2: o.y + (ns.height ?? 0) }, labelAt: o });
    for (const c of ns.children ?? []) centres.set(c.id, { x: o.x + (c.x ?? 0) + (c.width ?? 0) / 2, y: o.y + (c.y ?? 0) + (c.height ?? 0) / 2 });
  }
  const interfaces: Diagram['interfaces'] = g.interfaces.map((i) => ({ id: i.id, ns: i.ns, label: i.label, kind: i.kind, look: i.look, state: i.state, at: centres.get(i.id) ?? { x: 0, y: 0 }, side: 'inside', labelSide: 'below', ...(i.look === 'bridge' ? { w: bridgeWidth(i.label) } : {}) }));
  const links: PlacedLink[] = [];
  const edges = [...(out.edges ?? []), ...(out.children ?? []).flatMap((c) => c.edges ?? [])];
  for (const l of g.links) {
    const e = edges.find((x) => x.id === l.id);
    const s = e?.sections?.[0];
    const base = abs.get(e?.container ?? 'root') ?? { x: 0, y: 0 };
    const a = centres.get(l.a);
    const b = centres.get(l.b);
    if (!s || !a || !b) continue;
    const shift = (p: Point): Point => ({ x: p.x + base.x, y: p.y + base.y });
    links.push({ ...l, points: [a, shift(s.startPoint), ...(s.bendPoints ?? []).map(shift), shift(s.endPoint), b] });
  }
  return { boxes, interfaces, links, bounds: { x1: 0, y1: 0, x2: out.width ?? 0, y2: out.height ?? 0 } };
}

async function row(name: string, t: Topology): Promise<string> {
  const g = diagramGraph(t, wholeTopology);
  const t0 = performance.now();
  const ours = layoutDiagram(g);
  const t1 = performance.now();
  const c1 = checkDiagram(ours);
  let elkCell = 'timed out (> 120 s)';
  const t2 = performance.now();
  const done = await Promise.race([elk.layout(elkGraph(g) as never) as Promise<ElkNode>, new Promise<null>((r) => setTimeout(() => r(null), 120_000))]);
  const t3 = performance.now();
  if (done) {
    const d = toDiagram(g, done);
    const c2 = checkDiagram(d);
    const box = c2.problems.filter((p) => p.kind === 'box').length;
    const iface = c2.problems.filter((p) => p.kind === 'interface').length;
    const overlap = c2.problems.filter((p) => p.kind === 'overlap').length;
    elkCell = `${(t3 - t2).toFixed(0)} ms | ${box} / ${iface} / ${overlap} | ${c2.lineCrossings} | ${Math.round(d.bounds.x2)}×${Math.round(d.bounds.y2)}`;
  }
  const size = `${Math.round(ours.bounds.x2 - ours.bounds.x1)}×${Math.round(ours.bounds.y2 - ours.bounds.y1)}`;
  const p = (k: string): number => c1.problems.filter((x) => x.kind === k).length;
  return `| ${name} | ${(t1 - t0).toFixed(0)} ms | ${p('box')} / ${p('interface')} / ${p('overlap')} | ${c1.lineCrossings} | ${size} | ${elkCell} |`;
}

const sizes = (process.argv[2] ?? '10,100,1000').split(',').map(Number);
console.log('| topology | vethmap: time | line×box / line×interface / overlaps | line crossings | size (px) | elkjs: time | line×box / line×interface / overlaps | line crossings | size (px) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(await row('demo lab', demoLab()));
for (const n of sizes) console.log(await row(`docker-like, ${n} namespaces`, dockerHost(n)));
for (const n of sizes.filter((x) => x <= 200)) console.log(await row(`random, ${n} namespaces`, randomTopology(n, 1)));
