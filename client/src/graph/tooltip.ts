import { linkState, namespaceLabel, printable, relationsOf, STATE_LOOK, type Interface, type Topology } from '@vethmap/shared';
import type { Core, EventObject, SingularElementReturnValue } from 'cytoscape';

/**
 * What a hover says about an element, as lines of plain text: its namespace, state,
 * addresses and peer (issue 12). Pure, from the topology (not from what is drawn), so a
 * pair drawn to a box or a bridge at a low level of detail still names its real ends.
 * Names go through `printable` and are put on the page as text only (see `Tooltip`).
 */
export function tooltipLines(t: Topology, id: string, ends?: { a: string; b: string; role: string }): string[] {
  const rel = relationsOf(t);
  const where = (i: Interface) => `${printable(i.name)} in ${nsName(t, i.namespace)}`;
  if (ends) {
    const a = rel.interfaces.get(ends.a);
    const b = rel.interfaces.get(ends.b);
    if (!a || !b) return [];
    const what = ends.role === 'port' ? 'bridge port' : ends.role === 'parent' ? `${printable(a.kind)} on its lower device` : 'veth pair';
    const state = ends.role === 'port' ? linkState(a) : worst(linkState(a), linkState(b));
    return [what, `${where(a)}  ↔  ${where(b)}`, `state: ${STATE_LOOK[state].label}`];
  }
  const i = rel.interfaces.get(id);
  if (i) {
    const peer = i.peer ? rel.interfaces.get(i.peer) : undefined;
    const master = i.master ? rel.interfaces.get(i.master) : undefined;
    const ports = i.kind === 'bridge' ? (rel.ports.get(i.id)?.length ?? 0) : 0;
    return [
      `${printable(i.name)} (${printable(i.kind)})`,
      `namespace: ${nsName(t, i.namespace)}`,
      `state: ${STATE_LOOK[linkState(i)].label} (${printable(i.operstate)}${i.adminUp ? '' : ', admin down'})`,
      `addresses: ${i.addresses.length ? i.addresses.map(printable).join(', ') : 'none'}`,
      ...(i.peer ? [`peer: ${peer ? where(peer) : 'not resolved'}`] : []),
      ...(master ? [`port of: ${printable(master.name)}`] : []),
      ...(i.kind === 'bridge' ? [`ports: ${ports}`] : []),
    ];
  }
  const ns = rel.namespaces.get(id);
  if (ns) {
    const members = rel.members.get(id) ?? [];
    const pairs = members.filter((m) => m.peer).length;
    return [`namespace ${namespaceLabel(ns.name, ns.kind)}`, `${members.length} interface${members.length === 1 ? '' : 's'}, ${pairs} veth end${pairs === 1 ? '' : 's'}`];
  }
  return [];
}

function nsName(t: Topology, id: string): string {
  const ns = relationsOf(t).namespaces.get(id);
  return ns ? namespaceLabel(ns.name, ns.kind) : id;
}

/** A pair is as good as its worse end (shared pairState's order). */
function worst(a: keyof typeof STATE_LOOK, b: keyof typeof STATE_LOOK): keyof typeof STATE_LOOK {
  const order = ['down', 'no-carrier', 'up'] as const;
  return order.find((s) => s === a || s === b) ?? 'up';
}

/**
 * The hover tooltip and the pointer cursor over anything clickable. A plain DOM box over
 * the canvas, filled with text nodes only: a name is never parsed as HTML.
 */
export class Tooltip {
  readonly el: HTMLDivElement;
  private over: string | null = null;

  constructor(private readonly cy: Core, private readonly topology: () => Topology | null) {
    const container = cy.container();
    this.el = document.createElement('div');
    this.el.className = 'map-tooltip';
    this.el.dataset.testid = 'tooltip';
    this.el.setAttribute('role', 'tooltip');
    this.el.hidden = true;
    container?.parentElement?.appendChild(this.el);
    cy.on('mouseover', 'node, edge', (e: EventObject) => this.show(e));
    cy.on('mousemove', 'node, edge', (e: EventObject) => this.move(e));
    cy.on('mouseout', 'node, edge', () => this.hide());
    // The picture moves under the pointer: what was under it may not be any more.
    cy.on('viewport tapstart grab remove', () => this.hide());
  }

  private show(e: EventObject): void {
    const t = this.topology();
    const ele = e.target as SingularElementReturnValue;
    if (!t || ele.style('events') === 'no') return;
    const lines = ele.group() === 'edges'
      ? tooltipLines(t, ele.id(), { a: String(ele.data('a')), b: String(ele.data('b')), role: String(ele.data('role')) })
      : tooltipLines(t, ele.id());
    const container = this.cy.container();
    if (container) container.style.cursor = 'pointer';
    if (lines.length === 0) return;
    this.over = ele.id();
    this.el.dataset.for = ele.id();
    this.el.replaceChildren(...lines.map((l, k) => {
      const d = document.createElement(k === 0 ? 'strong' : 'div');
      d.textContent = l;
      return d;
    }));
    this.el.hidden = false;
    this.move(e);
  }

  private move(e: EventObject): void {
    if (!this.over || !e.renderedPosition) return;
    const container = this.cy.container();
    if (!container) return;
    // Beside the pointer, flipped to stay inside the map.
    const { x, y } = e.renderedPosition;
    const w = this.el.offsetWidth;
    const h = this.el.offsetHeight;
    const left = container.offsetLeft + (x + 14 + w > container.clientWidth ? x - 14 - w : x + 14);
    const top = container.offsetTop + (y + 14 + h > container.clientHeight ? y - 10 - h : y + 14);
    this.el.style.left = `${Math.max(0, left)}px`;
    this.el.style.top = `${Math.max(0, top)}px`;
  }

  hide(): void {
    this.over = null;
    this.el.hidden = true;
    const container = this.cy.container();
    if (container) container.style.cursor = '';
  }

  destroy(): void {
    this.el.remove();
  }
}
