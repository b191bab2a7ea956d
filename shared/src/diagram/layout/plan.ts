import type { DiagramGraph, GraphInterface, GraphLink } from '../graph.js';

/**
 * Where things go, as grid cells: the first step of the layout, before any coordinate.
 *
 *   ┌ root ──────────────────────────────────────────────────┐
 *   │ lo  eth0                                     (misc)     │
 *   │ vethA  vethB                 (linked: root pairs, …)    │
 *   │        [docker0]                 [br-lab]   (bridges)   │
 *   │ ═══════╪════════════ bus ═════════╪═══════              │
 *   │  p    p    p    p          p     p          (port rows: │
 *   │  p    p    p    p          p     p           one per    │
 *   └──┼────┼────┼────┼──────────┼─────┼─────────  cell)     ┘
 *     [ns] [ns] [ns] [ns]       [ns]  [ns]     [ns]─[ns]  (namespace rows)
 *     [ns] [ns]                 [ns]
 *
 * Columns are shared by everything in them: a namespace grid per group (the root bridge
 * its veths reach, `direct` when they reach a plain root veth, `other` when they do not
 * reach the root), and above each namespace column the root's ports leading into it,
 * stacked so that the port of the deepest namespace is the highest: every line then runs
 * down the channel left of its column, nested inside the lines of deeper namespaces, and
 * crosses nothing (route.ts). Between columns and rows run the channels that carry lines.
 */

export type RowKind = 'misc' | 'linked' | 'bridges' | 'ports' | 'ns';

export interface Plan {
  /** The root namespace, drawn as the hub above everything, when it is in the picture. */
  hub: string | undefined;
  columns: number;
  rows: RowKind[];
  /** Index of namespace row 0 in `rows`. */
  nsRow0: number;
  /** Cell of each namespace box but the hub. */
  nsCell: Map<string, Cell>;
  /** Cell of each interface of the hub, with its slot in the cell (0, 1, … along the column). */
  hubCell: Map<string, Cell & { slot: number; half: boolean }>;
  /** For a port in the lowest port row: the namespace interface straight below it. */
  straight: Map<string, string>;
  /** Each namespace's interfaces linked to hub ports, in slot order (left to right on its top side). */
  uplinks: Map<string, string[]>;
  /** Which group (bridge id, `direct`, `other`) each column belongs to. */
  groupOfColumn: string[];
  ifaces: Map<string, GraphInterface>;
  /** Links at each interface. */
  linksAt: Map<string, GraphLink[]>;
}

export interface Cell { col: number; row: number }

function inodeOf(nsId: string): number {
  const n = Number(nsId.slice(nsId.indexOf(':') + 1));
  return Number.isFinite(n) ? n : 0;
}

export function byInode(a: string, b: string): number {
  return inodeOf(a) - inodeOf(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Grid width that changes only at 1, 2, 4, 8, ... so one more namespace rarely reflows. */
export function gridColumns(count: number): number {
  if (count <= 1) return 1;
  return 2 ** Math.ceil(Math.log2(Math.sqrt(count)));
}

/** A small group in one row (the picture people draw), a large one in a near-square grid. */
export function groupColumns(count: number): number {
  return count <= 6 ? Math.max(1, count) : gridColumns(count);
}

export function otherEnd(l: GraphLink, id: string): string {
  return l.a === id ? l.b : l.a;
}

export function makePlan(graph: DiagramGraph): Plan {
  const ifaces = new Map(graph.interfaces.map((i) => [i.id, i]));
  const linksAt = new Map<string, GraphLink[]>();
  for (const l of graph.links) {
    for (const end of [l.a, l.b]) {
      const list = linksAt.get(end);
      if (list) list.push(l);
      else linksAt.set(end, [l]);
    }
  }
  const nsOf = (id: string): string => ifaces.get(id)?.ns ?? '';
  const hub = graph.namespaces.find((n) => n.kind === 'root')?.id;
  const members = new Map<string, GraphInterface[]>(graph.namespaces.map((n) => [n.id, []]));
  for (const i of graph.interfaces) members.get(i.ns)?.push(i);
  const hubMembers = hub ? members.get(hub) ?? [] : [];
  const label = (id: string): string => ifaces.get(id)?.label ?? '';
  const byLabel = (a: string, b: string): number => compare(label(a), label(b)) || compare(a, b);

  // The hub's interfaces by what they do.
  const bridges = hubMembers.filter((i) => i.look === 'bridge').map((i) => i.id).sort(byLabel);
  const masterOf = new Map<string, string>();
  for (const l of graph.links) if (l.role === 'port') masterOf.set(l.a, l.b);
  /** Hub interface → the namespace (not the hub) its veth leads to. */
  const uplinkTo = new Map<string, string>();
  for (const i of hubMembers) {
    if (i.look === 'bridge') continue;
    const veth = (linksAt.get(i.id) ?? []).find((l) => l.role === 'veth');
    const far = veth ? nsOf(otherEnd(veth, i.id)) : '';
    if (far && far !== hub) uplinkTo.set(i.id, far);
  }
  const loose = hubMembers.filter((i) => i.look !== 'bridge' && !uplinkTo.has(i.id) && masterOf.has(i.id)).map((i) => i.id);
  const linked: string[] = [];
  const misc: string[] = [];
  for (const i of hubMembers) {
    if (i.look === 'bridge' || uplinkTo.has(i.id) || masterOf.has(i.id)) continue;
    ((linksAt.get(i.id) ?? []).length > 0 ? linked : misc).push(i.id);
  }

  // Groups: the bridge most of a namespace's uplinks hang from, else direct, else other.
  const groupKeys = [...bridges, 'direct', 'other'];
  const groups = new Map<string, string[]>(groupKeys.map((k) => [k, []]));
  const nsIds = graph.namespaces.map((n) => n.id).filter((id) => id !== hub).sort(byInode);
  const uplinksOf = new Map<string, string[]>();
  for (const [port, ns] of uplinkTo) push(uplinksOf, ns, port);
  for (const ns of nsIds) {
    const votes = new Map<string, number>();
    for (const p of uplinksOf.get(ns) ?? []) {
      // A port of something not drawn as a bridge (a bond) counts as a plain root veth.
      const master = masterOf.get(p);
      const key = master && bridges.includes(master) ? master : 'direct';
      votes.set(key, (votes.get(key) ?? 0) + 1);
    }
    let best = 'other';
    let bestVotes = 0;
    for (const k of groupKeys) {
      const v = votes.get(k) ?? 0;
      if (v > bestVotes) [best, bestVotes] = [k, v];
    }
    groups.get(best)?.push(ns);
  }
  groups.set('other', chainOrder(groups.get('other') ?? [], members, linksAt, nsOf));

  // Columns and namespace rows.
  const nsCell = new Map<string, Cell>();
  const groupOfColumn: string[] = [];
  const spans = new Map<string, { first: number; cols: number }>();
  let nsRows = 0;
  for (const key of groupKeys) {
    const list = groups.get(key) ?? [];
    if (list.length === 0 && !bridges.includes(key)) continue;
    const cols = groupColumns(list.length);
    const first = groupOfColumn.length;
    for (let c = 0; c < cols; c++) groupOfColumn.push(key);
    spans.set(key, { first, cols });
    list.forEach((ns, k) => nsCell.set(ns, { col: first + (k % cols), row: Math.floor(k / cols) }));
    nsRows = Math.max(nsRows, Math.ceil(list.length / cols));
  }
  const columns = Math.max(1, groupOfColumn.length);

  // Each namespace's uplinks in slot order; the rightmost one's port sits lowest.
  const uplinks = new Map<string, string[]>();
  for (const [ns, ports] of uplinksOf) {
    const ends = ports.map((p) => {
      const veth = (linksAt.get(p) ?? []).find((l) => l.role === 'veth');
      return veth ? otherEnd(veth, p) : '';
    }).filter(Boolean).sort(byLabel);
    uplinks.set(ns, ends);
  }
  const peerOf = (id: string): string => {
    const veth = (linksAt.get(id) ?? []).find((l) => l.role === 'veth');
    return veth ? otherEnd(veth, id) : '';
  };

  // Rows: the hub's bands, then one block of port rows per namespace row (deepest on top).
  const rows: RowKind[] = [];
  const hubCell = new Map<string, Cell & { slot: number; half: boolean }>();
  const straight = new Map<string, string>();
  if (hub) {
    const spread = (ids: string[], kind: RowKind): void => {
      if (ids.length === 0) return;
      const row = rows.length;
      rows.push(kind);
      const per = Math.ceil(ids.length / columns);
      ids.forEach((id, k) => hubCell.set(id, { col: Math.floor(k / per), row, slot: k % per, half: false }));
    };
    spread(misc.sort(byLabel), 'misc');
    spread(linked.sort(byLabel), 'linked');
    if (bridges.length > 0) {
      const row = rows.length;
      rows.push('bridges');
      for (const b of bridges) {
        const s = spans.get(b);
        if (s) hubCell.set(b, { col: s.first + Math.floor((s.cols - 1) / 2), row, slot: 0, half: true });
      }
    }
    // Loose ports (a NIC in a bridge, a port whose peer is not drawn): rows under their bridge.
    const looseBy = new Map<string, string[]>();
    for (const p of loose.sort(byLabel)) {
      const key = masterOf.get(p) ?? '';
      push(looseBy, key, p);
    }
    let looseRows = 0;
    for (const [key, ports] of looseBy) looseRows = Math.max(looseRows, Math.ceil(ports.length / (spans.get(key)?.cols ?? 1)));
    const looseTop = rows.length;
    for (let k = 0; k < looseRows; k++) rows.push('ports');
    for (const [key, ports] of looseBy) {
      const s = spans.get(key) ?? { first: 0, cols: 1 };
      ports.forEach((p, k) => hubCell.set(p, { col: s.first + (k % s.cols), row: looseTop + Math.floor(k / s.cols), slot: 0, half: false }));
    }
    // Uplink ports: block of namespace row r holds as many rows as its namespaces have uplinks.
    const depth = new Array<number>(nsRows).fill(0);
    for (const [ns, ends] of uplinks) {
      const cell = nsCell.get(ns);
      if (cell) depth[cell.row] = Math.max(depth[cell.row] ?? 0, ends.length);
    }
    const blockTop = new Array<number>(nsRows).fill(0);
    for (let r = nsRows - 1; r >= 0; r--) {
      blockTop[r] = rows.length;
      for (let k = 0; k < (depth[r] ?? 0); k++) rows.push('ports');
    }
    for (const [ns, ends] of uplinks) {
      const cell = nsCell.get(ns);
      if (!cell) continue;
      const m = depth[cell.row] ?? 0;
      ends.forEach((end, k) => {
        // Slot k (left to right) ↔ sub-row m-1-(len-1-k) counted from the block's bottom.
        const fromBottom = ends.length - 1 - k;
        const port = peerOf(end);
        const row = (blockTop[cell.row] ?? 0) + m - 1 - fromBottom;
        hubCell.set(port, { col: cell.col, row, slot: fromBottom === 0 ? k : 0, half: false });
        if (cell.row === 0 && fromBottom === 0) straight.set(port, end);
      });
    }
    if (rows.length === 0) rows.push('misc');
  }
  const nsRow0 = rows.length;
  for (let r = 0; r < nsRows; r++) rows.push('ns');
  for (const c of nsCell.values()) c.row += nsRow0;
  return { hub, columns, rows, nsRow0, nsCell, hubCell, straight, uplinks, groupOfColumn, ifaces, linksAt };
}

/** Orders namespaces not reaching the hub so that namespace-to-namespace chains sit side by side. */
function chainOrder(list: string[], members: Map<string, GraphInterface[]>, linksAt: Map<string, GraphLink[]>, nsOf: (id: string) => string): string[] {
  const inList = new Set(list);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const start of list) {
    if (seen.has(start)) continue;
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const ns = queue.shift() as string;
      out.push(ns);
      const next = new Set<string>();
      for (const i of members.get(ns) ?? []) {
        for (const l of linksAt.get(i.id) ?? []) {
          const other = nsOf(otherEnd(l, i.id));
          if (inList.has(other) && !seen.has(other)) next.add(other);
        }
      }
      for (const n of [...next].sort(byInode)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return out;
}

/** Appends to the list under `key`, making it if needed. */
function push<K, V>(m: Map<K, V[]>, key: K, v: V): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

/** Plain code-unit order: deterministic everywhere and far cheaper than localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
