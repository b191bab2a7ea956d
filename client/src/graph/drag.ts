import type { Point } from '@vethmap/shared';
import type { Core, EventObject, NodeCollection, NodeSingular } from 'cytoscape';
import type { NodeDef } from './elements.js';
import type { Model } from './model.js';

/**
 * What the user moved by hand. A box carries its interfaces (they are not compound
 * children: detail.ts says why). Moves are kept as offsets from the layout's spot, so a
 * node drawn later (level of detail, a live addition) goes where its box now is, and a new
 * layout keeps what the user moved where they moved it relative to its new spot. The lines
 * of whatever was moved go straight: their routes were made for the layout's positions.
 */
export class Drag {
  private readonly offsets = new Map<string, Point>();
  private carried: { id: string; last: Point; kids: NodeCollection } | null = null;

  constructor(private readonly cy: Core, private readonly model: () => Model | null) {
    cy.on('grab', 'node.namespace', (e: EventObject) => {
      const box = e.target as NodeSingular;
      const id = box.id();
      this.carried = { id, last: { ...box.position() }, kids: cy.nodes('.iface').filter((n) => n.data('ns') === id) };
    });
    cy.on('drag', 'node.namespace', (e: EventObject) => {
      const box = e.target as NodeSingular;
      const c = this.carried;
      if (!c || c.id !== box.id()) return;
      const p = box.position();
      const d = { x: p.x - c.last.x, y: p.y - c.last.y };
      c.last = { ...p };
      cy.batch(() => {
        c.kids.forEach((k) => {
          const q = k.position();
          k.position({ x: q.x + d.x, y: q.y + d.y });
        });
      });
    });
    cy.on('dragfree', 'node', (e: EventObject) => this.dropped(e.target as NodeSingular));
  }

  private offset(id: string | undefined): Point {
    return (id ? this.offsets.get(id) : undefined) ?? { x: 0, y: 0 };
  }

  /** Where a node goes: its layout position plus what the user moved (it, and its box). */
  place(def: NodeDef): Point {
    const own = this.offset(def.data.id);
    const box = this.offset(def.data.ns);
    return { x: def.position.x + own.x + box.x, y: def.position.y + own.y + box.y };
  }

  /** Where an interface is, or would be drawn (the level of detail asks for all of them). */
  where(id: string): Point | undefined {
    const at = this.model()?.at.get(id);
    if (!at) return undefined;
    if (this.offsets.size === 0) return at.at;
    const own = this.offset(id);
    const box = this.offset(at.ns);
    return { x: at.at.x + own.x + box.x, y: at.at.y + own.y + box.y };
  }

  private dropped(n: NodeSingular): void {
    const m = this.model();
    if (!m) return;
    const p = n.position();
    if (n.hasClass('namespace')) {
      const r = m.boxes.get(n.id())?.rect;
      if (r) this.offsets.set(n.id(), { x: p.x - (r.x1 + r.x2) / 2, y: p.y - (r.y1 + r.y2) / 2 });
      this.carried = null;
    } else {
      const at = m.at.get(n.id());
      const box = this.offset(at?.ns);
      if (at) this.offsets.set(n.id(), { x: p.x - at.at.x - box.x, y: p.y - at.at.y - box.y });
    }
    this.freeMovedEdges();
  }

  /** Lines touching anything moved by hand (or held by a moved box) are drawn straight. */
  freeMovedEdges(): void {
    if (this.offsets.size === 0) return;
    const m = this.model();
    const moved = (id: string): boolean => this.offsets.has(id) || this.offsets.has(m?.nsOf.get(id) ?? '');
    this.cy.batch(() => {
      this.cy.edges().forEach((e) => {
        const free = moved(String(e.data('a'))) || moved(String(e.data('b'))) || moved(e.data('source') as string) || moved(e.data('target') as string);
        if (free && !e.hasClass('free')) e.addClass('free');
      });
    });
  }
}
