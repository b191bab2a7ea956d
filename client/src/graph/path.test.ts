import { describe, expect, it } from 'vitest';
import type { Hop, WhyReport } from '@vethmap/shared';
import { makeTopology } from '../testing/fixture.js';
import { vethEdgeId } from './elements.js';
import { pathMarks } from './path.js';

const hop = (fields: Partial<Hop>): Hop => ({ ok: true, where: '', what: '', evidence: '', confirm: '', fix: null, concern: 'link', direction: 'request', ids: [], ...fields });

describe('a trace on the map', () => {
  const t = makeTopology(3);
  const inner = (k: number) => t.interfaces.find((i) => i.namespace === t.namespaces[k + 1]!.id && i.name === 'eth0')!;
  const a = inner(0);
  const b = inner(1);
  const report: WhyReport = {
    reachable: false, summary: '', from: { asked: '', namespace: null, interface: a.id, address: null }, to: { asked: '', namespace: null, interface: b.id, address: null },
    path: [a.id, a.peer!, 'nif:4026531840:3', b.peer!, b.id],
    hops: [hop({}), hop({ ok: false, concern: 'bridge', ids: ['nif:4026531840:3', b.peer!] }), hop({ ok: false, ids: [b.id] })],
  };

  it('marks the interfaces and wires of the path, and the first failing hop apart', () => {
    const m = pathMarks(report, t);
    expect([...m.nodes]).toEqual(report.path);
    expect([...m.edges].sort()).toEqual([vethEdgeId(a.id, a.peer!), vethEdgeId(b.id, b.peer!), `port:${a.peer}`, `port:${b.peer}`].sort());
    expect([...m.failNodes]).toEqual(['nif:4026531840:3', b.peer]);
    expect([...m.failEdges]).toEqual([`port:${b.peer}`]);
  });
});
