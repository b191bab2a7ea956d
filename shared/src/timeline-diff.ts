import type { Interface, Namespace, Topology, TopologyDiff } from './model.js';
import { linkState } from './state.js';
import type { LinkRef, NamespaceRef, TimelineChange } from './timeline.js';

/**
 * Kinds the kernel never moves between namespaces (NETIF_F_NETNS_LOCAL): every namespace
 * has its own `lo` with the same all-zero MAC, which would otherwise pair as a "move"
 * whenever one namespace goes and another comes in the same diff.
 */
const NEVER_MOVES = new Set(['loopback', 'bridge']);

/**
 * The topology a diff starts from, by id. `timelineOf` builds it from the topology (O(n));
 * a caller that follows every diff keeps one up to date instead (`TimelineIndex`, O(diff)).
 */
export interface BeforeIndex {
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly interfaces: ReadonlyMap<string, Interface>;
}

/** A `BeforeIndex` kept up to date diff by diff: what the server's timeline uses. */
export class TimelineIndex implements BeforeIndex {
  readonly namespaces = new Map<string, Namespace>();
  readonly interfaces = new Map<string, Interface>();

  constructor(topology: Topology) {
    for (const n of topology.namespaces) this.namespaces.set(n.id, n);
    for (const i of topology.interfaces) this.interfaces.set(i.id, i);
  }

  apply(diff: TopologyDiff): void {
    for (const id of diff.namespaces.remove) this.namespaces.delete(id);
    for (const n of diff.namespaces.upsert) this.namespaces.set(n.id, n);
    for (const id of diff.interfaces.remove) this.interfaces.delete(id);
    for (const i of diff.interfaces.upsert) this.interfaces.set(i.id, i);
  }
}

/** What the page would call things before and after one diff. */
class Lookup {
  readonly beforeNs: ReadonlyMap<string, Namespace>;
  readonly beforeIf: ReadonlyMap<string, Interface>;
  private readonly nsUpsert: Map<string, Namespace>;
  private readonly nsRemoved: Set<string>;
  private readonly ifUpsert: Map<string, Interface>;
  private readonly ifRemoved: Set<string>;

  constructor(before: BeforeIndex, diff: TopologyDiff) {
    this.beforeNs = before.namespaces;
    this.beforeIf = before.interfaces;
    this.nsUpsert = new Map(diff.namespaces.upsert.map((n) => [n.id, n]));
    this.nsRemoved = new Set(diff.namespaces.remove);
    this.ifUpsert = new Map(diff.interfaces.upsert.map((i) => [i.id, i]));
    this.ifRemoved = new Set(diff.interfaces.remove);
  }

  afterNs(id: string): Namespace | undefined {
    return this.nsUpsert.get(id) ?? (this.nsRemoved.has(id) ? undefined : this.beforeNs.get(id));
  }

  afterIf(id: string): Interface | undefined {
    return this.ifUpsert.get(id) ?? (this.ifRemoved.has(id) ? undefined : this.beforeIf.get(id));
  }

  nsRef(id: string, when: 'before' | 'after'): NamespaceRef {
    const n = when === 'before' ? (this.beforeNs.get(id) ?? this.afterNs(id)) : (this.afterNs(id) ?? this.beforeNs.get(id));
    // Every interface's namespace is in the same document; the fallback only keeps a
    // malformed diff from throwing in the middle of a flush.
    return n ? { id: n.id, name: n.name, kind: n.kind } : { id, name: id, kind: 'process' };
  }

  ref(i: Interface, when: 'before' | 'after'): LinkRef {
    return { id: i.id, name: i.name, kind: i.kind, namespace: this.nsRef(i.namespace, when) };
  }

  /** An interface by id as it was before (`before`) or is now (`after`), as a reference. */
  refById(id: string | null, when: 'before' | 'after'): LinkRef | null {
    if (id === null) return null;
    const i = when === 'before' ? (this.beforeIf.get(id) ?? this.afterIf(id)) : (this.afterIf(id) ?? this.beforeIf.get(id));
    return i ? this.ref(i, when) : null;
  }
}

/** Same MAC (or, without one, same name) and kind: the key a moved interface keeps. */
function moveKey(i: Interface): string | null {
  if (NEVER_MOVES.has(i.kind)) return null;
  const mac = i.mac && i.mac !== '00:00:00:00:00:00' ? i.mac : null;
  return `${i.kind}\0${mac ?? `name:${i.name}`}`;
}

/**
 * Pairs interfaces that left one namespace with those that arrived in another: `ip link
 * set X netns Y` keeps the MAC and kind; the ifindex is kept when free in Y, else a new one
 * is given (so the id changes either way). Ambiguous candidates (two containers with the
 * same MAC) are narrowed by name, then ifindex; still ambiguous means no move is claimed.
 */
function pairMoves(removed: Interface[], added: Interface[]): Map<Interface, Interface> {
  const byKey = new Map<string, Interface[]>();
  for (const a of added) {
    const k = moveKey(a);
    if (k === null) continue;
    const list = byKey.get(k);
    if (list) list.push(a);
    else byKey.set(k, [a]);
  }
  const moves = new Map<Interface, Interface>();
  const taken = new Set<Interface>();
  for (const r of removed) {
    const k = moveKey(r);
    if (k === null) continue;
    let candidates = (byKey.get(k) ?? []).filter((a) => a.namespace !== r.namespace && !taken.has(a));
    if (candidates.length > 1) candidates = candidates.filter((a) => a.name === r.name);
    if (candidates.length > 1) candidates = candidates.filter((a) => a.ifindex === r.ifindex);
    const a = candidates.length === 1 ? candidates[0] : undefined;
    if (!a) continue;
    moves.set(r, a);
    taken.add(a);
  }
  return moves;
}

/**
 * A replaced interface: the same id (namespace and ifindex) but evidently another device,
 * deleted and created within one diff with the ifindex reused.
 */
function replaced(prev: Interface, next: Interface): boolean {
  return prev.kind !== next.kind || (prev.mac !== next.mac && prev.name !== next.name);
}

/**
 * The timeline entries one diff makes, in a fixed order: namespaces that appeared or were
 * renamed, moves (with what the move changed), interfaces added, changes to existing ones
 * (rename, state, master, addresses, peer), interfaces removed, namespaces removed.
 * Pure: `before` is the topology the diff starts from (or an index of it). Interfaces that
 * come or go with their whole namespace are counted in the namespace's entry rather than
 * listed (every new namespace has its `lo`).
 */
export function timelineOf(before: Topology | BeforeIndex, diff: TopologyDiff): TimelineChange[] {
  const index: BeforeIndex = 'version' in before
    ? { namespaces: new Map(before.namespaces.map((n) => [n.id, n])), interfaces: new Map(before.interfaces.map((i) => [i.id, i])) }
    : before;
  const look = new Lookup(index, diff);
  const out: TimelineChange[] = [];
  const newNamespaces = new Set(diff.namespaces.upsert.filter((n) => !look.beforeNs.has(n.id)).map((n) => n.id));
  const goneNamespaces = new Set(diff.namespaces.remove);

  const added: Interface[] = [];
  const removed: Interface[] = [];
  const updated: Array<[Interface, Interface]> = [];
  for (const i of diff.interfaces.upsert) {
    const prev = look.beforeIf.get(i.id);
    if (!prev) added.push(i);
    else if (replaced(prev, i)) {
      removed.push(prev);
      added.push(i);
    } else updated.push([prev, i]);
  }
  for (const id of diff.interfaces.remove) {
    const prev = look.beforeIf.get(id);
    if (prev) removed.push(prev);
  }
  const moves = pairMoves(removed, added);
  const movedTo = new Map<string, string>([...moves].map(([r, a]) => [r.id, a.id]));
  const arrived = new Set(moves.values());

  const arriving = new Map<string, number>();
  for (const i of diff.interfaces.upsert) if (newNamespaces.has(i.namespace)) arriving.set(i.namespace, (arriving.get(i.namespace) ?? 0) + 1);
  for (const n of diff.namespaces.upsert) {
    const prev = look.beforeNs.get(n.id);
    if (!prev) {
      const interfaces = arriving.get(n.id) ?? 0;
      out.push({ kind: 'namespace-added', namespace: look.nsRef(n.id, 'after'), interfaces });
    } else if (prev.name !== n.name) {
      out.push({ kind: 'namespace-renamed', namespace: look.nsRef(n.id, 'after'), from: prev.name });
    }
  }
  const peerSeen = new Set<string>();
  /** One entry per pair: both ends usually change together. */
  const once = (kind: string, a: string, b: string): boolean => {
    const key = `${kind}\0${[a, b].sort().join('\0')}`;
    if (peerSeen.has(key)) return false;
    peerSeen.add(key);
    return true;
  };
  const peerChange = (prev: Interface, next: Interface, link: LinkRef): void => {
    if (prev.peer === next.peer) return;
    // The peer moved (or this end did, and the peer's id is this end's new one): the move says it.
    if (prev.peer !== null && movedTo.has(prev.peer)) return;
    const lost = look.refById(prev.peer, 'before');
    if (lost && once('lost', prev.id, lost.id)) out.push({ kind: 'peer-lost', link, peer: lost });
    const found = look.refById(next.peer, 'after');
    if (found && once('resolved', next.id, found.id)) out.push({ kind: 'peer-resolved', link, peer: found });
  };
  /** State, master and addresses, said of `link`. */
  const changes = (prev: Interface, next: Interface, link: LinkRef): void => {
    const from = linkState(prev);
    const to = linkState(next);
    if (from !== to) out.push({ kind: 'link-state', link, from, to });
    if (prev.master !== next.master) {
      out.push({ kind: 'master-changed', link, from: look.refById(prev.master, 'before'), to: look.refById(next.master, 'after') });
    }
    const had = new Set(prev.addresses);
    const has = new Set(next.addresses);
    for (const a of prev.addresses) if (!has.has(a)) out.push({ kind: 'address-removed', link, address: a });
    for (const a of next.addresses) if (!had.has(a)) out.push({ kind: 'address-added', link, address: a });
  };

  // `ip link set X netns Y` closes X, unlinks it from its bridge and drops its addresses in
  // the old namespace, then moves it: those changes are said there, before the move. The
  // kernel announces the close first, so the engine often publishes it in its own diff;
  // saying it the same way when all arrives in one diff keeps the timeline the same
  // whichever way the events were batched.
  for (const [r, a] of moves) {
    changes(r, a, look.ref(r, 'before'));
    const link = look.ref(a, 'after');
    out.push({ kind: 'link-moved', link, from: look.ref(r, 'before') });
    peerChange(r, a, link);
  }
  for (const a of added) {
    if (arrived.has(a) || newNamespaces.has(a.namespace)) continue;
    out.push({ kind: 'link-added', link: look.ref(a, 'after'), state: linkState(a), peer: look.refById(a.peer, 'after') });
  }
  for (const [prev, next] of updated) {
    const link = look.ref(next, 'after');
    if (prev.name !== next.name) out.push({ kind: 'link-renamed', link, from: prev.name });
    changes(prev, next, link);
    peerChange(prev, next, link);
  }

  for (const r of removed) {
    if (moves.has(r) || goneNamespaces.has(r.namespace)) continue;
    out.push({ kind: 'link-removed', link: look.ref(r, 'before'), peer: look.refById(r.peer, 'before') });
  }
  if (goneNamespaces.size > 0) {
    const held = new Map<string, number>();
    for (const i of index.interfaces.values()) if (goneNamespaces.has(i.namespace)) held.set(i.namespace, (held.get(i.namespace) ?? 0) + 1);
    for (const id of diff.namespaces.remove) {
      if (look.beforeNs.has(id)) out.push({ kind: 'namespace-removed', namespace: look.nsRef(id, 'before'), interfaces: held.get(id) ?? 0 });
    }
  }
  return out;
}
