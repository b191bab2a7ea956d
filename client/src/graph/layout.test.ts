import { describe, expect, it } from 'vitest';
import { makeTopology } from '../testing/fixture.js';
import { defaultViewOptions, toElements, type NodeDef } from './elements.js';
import { IF_W, gridColumns, layoutGeometry, layoutPositions } from './layout.js';

/** The label drawn above a box (style.ts: 13–16 px bold plus its margin). */
const LABEL_BAND = 22;

/** Namespace boxes as drawn, label band included, checked to hold their members. */
function boxes(els: ReturnType<typeof toElements>) {
  const g = layoutGeometry(els);
  const out = new Map<string, { x1: number; x2: number; y1: number; y2: number }>();
  for (const [ns, r] of g.boxes) out.set(ns, { x1: r.x - r.w / 2, x2: r.x + r.w / 2, y1: r.y - r.h / 2 - LABEL_BAND, y2: r.y + r.h / 2 });
  for (const n of els.filter((e): e is NodeDef => e.group === 'nodes' && !!e.data.parent)) {
    const p = g.positions.get(n.data.id);
    const b = out.get(n.data.parent ?? '');
    if (!p || !b) throw new Error(`${n.data.id} has no position or box`);
    expect(p.x > b.x1 && p.x < b.x2 && p.y > b.y1 && p.y < b.y2, `${n.data.id} inside its box`).toBe(true);
  }
  return out;
}

describe('layoutPositions', () => {
  for (const n of [1, 6, 40, 300]) {
    it(`places every interface and never overlaps boxes (${n} namespaces)`, () => {
      const els = toElements(makeTopology(n), { ...defaultViewOptions, showLo: true, hideDown: false, focusNamespace: null });
      const pos = layoutPositions(els);
      for (const e of els) if (e.group === 'nodes' && e.data.parent) expect(pos.has(e.data.id)).toBe(true);
      const list = [...boxes(els).entries()];
      for (let a = 0; a < list.length; a++) {
        for (let b = a + 1; b < list.length; b++) {
          const [ia, A] = list[a] ?? ['', { x1: 0, x2: 0, y1: 0, y2: 0 }];
          const [ib, B] = list[b] ?? ['', { x1: 0, x2: 0, y1: 0, y2: 0 }];
          const overlap = A.x1 < B.x2 && B.x1 < A.x2 && A.y1 < B.y2 && B.y1 < A.y2;
          if (overlap) throw new Error(`${ia} overlaps ${ib}: ${JSON.stringify(A)} ${JSON.stringify(B)}`);
        }
      }
    });
  }

  it('is deterministic', () => {
    const els = toElements(makeTopology(50));
    expect([...layoutPositions(els)]).toEqual([...layoutPositions(toElements(makeTopology(50)))]);
  });

  it('moves nothing when one namespace is added (within a grid size, rows of ports included)', () => {
    // 40 → 41 namespaces: 33 on docker0 starts a fifth row; gridColumns stays 8.
    expect(gridColumns(40)).toBe(gridColumns(41));
    const before = layoutPositions(toElements(makeTopology(40)));
    const after = layoutPositions(toElements(makeTopology(41)));
    // The root box grows upwards: only what sits above its ports (bridges, eth0) moves up.
    const above = new Set(['nif:4026531840:2', 'nif:4026531840:3', 'nif:4026531840:4']);
    for (const [id, p] of before) {
      if (above.has(id)) expect(after.get(id)?.y).toBeLessThan(p.y);
      else expect(after.get(id), id).toEqual(p);
    }
    expect(after.size).toBeGreaterThan(before.size);
  });

  it('puts a bridge port above the namespace it leads to (short veth edges)', () => {
    const t = makeTopology(12);
    const pos = layoutPositions(toElements(t));
    for (const i of t.interfaces.filter((x) => x.master && x.peer)) {
      const port = pos.get(i.id);
      const far = pos.get(i.peer ?? '');
      expect(port && far && Math.abs(port.x - far.x)).toBeLessThanOrEqual(IF_W);
      expect(port && far && far.y > port.y).toBe(true);
    }
  });
});
