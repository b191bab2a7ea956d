import type { Interface, Namespace, Topology, TopologyDiff } from './model.js';

interface Keyed { id: string }

/**
 * Structural equality of JSON values (what the wire carries). Comparing field by field
 * instead of stringifying is ~10x faster: at 3000 interfaces diffing dominated a flush.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function diffById<T extends Keyed>(before: readonly T[], after: readonly T[]): { upsert: T[]; remove: string[] } {
  // The server reuses the same array while nothing was re-read: no need to look inside.
  if (before === after) return { upsert: [], remove: [] };
  const old = new Map(before.map((e) => [e.id, e]));
  const upsert: T[] = [];
  for (const e of after) {
    const prev = old.get(e.id);
    if (!prev || !sameJson(prev, e)) upsert.push(e);
    old.delete(e.id);
  }
  return { upsert, remove: [...old.keys()] };
}

/** The diff taking `before` to `after`, or null when nothing a client sees changed. */
export function diffTopology(before: Topology, after: Omit<Topology, 'version'>): TopologyDiff | null {
  const namespaces = diffById<Namespace>(before.namespaces, after.namespaces);
  const interfaces = diffById<Interface>(before.interfaces, after.interfaces);
  const warningsChanged = !sameJson(before.warnings, after.warnings);
  const empty = namespaces.upsert.length + namespaces.remove.length + interfaces.upsert.length + interfaces.remove.length === 0;
  if (empty && !warningsChanged) return null;
  return {
    fromVersion: before.version,
    version: before.version + 1,
    takenAt: after.takenAt,
    namespaces,
    interfaces,
    warnings: warningsChanged ? after.warnings : null,
  };
}

function applyById<T extends Keyed>(list: readonly T[], change: { upsert: T[]; remove: string[] }): T[] {
  const byId = new Map(list.map((e) => [e.id, e]));
  for (const id of change.remove) byId.delete(id);
  for (const e of change.upsert) byId.set(e.id, e);
  return [...byId.values()];
}

/** Applies a diff; throws when it does not start at this topology's version (resync then). */
export function applyDiff(topology: Topology, diff: TopologyDiff): Topology {
  if (diff.fromVersion !== topology.version) {
    throw new VersionGapError(topology.version, diff.fromVersion);
  }
  return {
    ...topology,
    version: diff.version,
    takenAt: diff.takenAt,
    namespaces: applyById(topology.namespaces, diff.namespaces),
    interfaces: applyById(topology.interfaces, diff.interfaces),
    warnings: diff.warnings ?? topology.warnings,
  };
}

export class VersionGapError extends Error {
  constructor(readonly have: number, readonly got: number) {
    super(`diff starts at version ${got} but this topology is at ${have}: resync`);
    this.name = 'VersionGapError';
  }
}
