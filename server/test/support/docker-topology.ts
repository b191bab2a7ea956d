import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { Topology, type Interface, type Namespace } from '@vethmap/shared';
import { CLI } from '@vethmap/testkit';

const execFileP = promisify(execFile);

/** `vethmap snapshot` run on the host, parsed with the shared schema. */
export async function hostSnapshot(): Promise<Topology> {
  const { stdout } = await execFileP(process.execPath, [CLI, 'snapshot'], { maxBuffer: 1 << 28 });
  return Topology.parse(JSON.parse(stdout));
}

/** GET `url` (with `headers`, e.g. the token) and parse it as a Topology. */
export async function servedTopology(url: string, headers: Record<string, string> = {}): Promise<Topology> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return Topology.parse(await res.json());
}

/**
 * What two readers of the same kernel must agree on. Left out, and only these (besides
 * what changed while they read: see untilServedAgreesWithHost):
 * - `version`: each process counts its own scans from 1;
 * - `takenAt`: each process stamps its own scan.
 * Everything else must be equal. Nothing about the container itself needs leaving out:
 * with `pid: host` and `network_mode: host` the containerised server lives in the host's
 * root network namespace and sees the host's /proc, so it adds no namespace of its own;
 * the healthcheck's `docker exec` runs there too; `host` is equal because Docker gives a
 * host-network container the host's hostname.
 */
function comparable(t: Topology): Omit<Topology, 'version' | 'takenAt'> {
  const { version: _version, takenAt: _takenAt, ...rest } = t;
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { ...rest, namespaces: [...t.namespaces].sort(byId), interfaces: [...t.interfaces].sort(byId) };
}

/** The differences between two topologies, one line each (empty when they agree); ids in `skip` are not compared. */
export function topologyDiff(a: Topology, b: Topology, names: [string, string] = ['a', 'b'], skip: ReadonlySet<string> = new Set()): string[] {
  const ca = comparable(a);
  const cb = comparable(b);
  const out: string[] = [];
  for (const k of ['host', 'live', 'warnings'] as const) {
    if (!isDeepStrictEqual(ca[k], cb[k])) out.push(`${k}: ${names[0]} ${JSON.stringify(ca[k])}, ${names[1]} ${JSON.stringify(cb[k])}`);
  }
  const byKind = [
    ['namespace', ca.namespaces, cb.namespaces],
    ['interface', ca.interfaces, cb.interfaces],
  ] as Array<[string, Array<Namespace | Interface>, Array<Namespace | Interface>]>;
  for (const [kind, xs, ys] of byKind) {
    const ym = new Map(ys.map((y) => [y.id, y]));
    const xm = new Map(xs.map((x) => [x.id, x]));
    for (const x of xs) {
      if (skip.has(x.id)) continue;
      const y = ym.get(x.id);
      if (!y) out.push(`${kind} ${x.id} (${x.name}) only in ${names[0]}`);
      else if (!isDeepStrictEqual(x, y)) out.push(`${kind} ${x.id}: ${names[0]} ${JSON.stringify(x)}, ${names[1]} ${JSON.stringify(y)}`);
    }
    for (const y of ys) if (!xm.has(y.id) && !skip.has(y.id)) out.push(`${kind} ${y.id} (${y.name}) only in ${names[1]}`);
  }
  return out;
}

/** Ids of namespaces and interfaces that differ between two reads of the host. */
function changedBetween(a: Topology, b: Topology): Set<string> {
  const changed = new Set<string>();
  for (const key of ['namespaces', 'interfaces'] as const) {
    const am = new Map<string, unknown>(a[key].map((x) => [x.id, x]));
    const bm = new Map<string, unknown>(b[key].map((x) => [x.id, x]));
    for (const [id, x] of am) if (!isDeepStrictEqual(x, bm.get(id))) changed.add(id);
    for (const id of bm.keys()) if (!am.has(id)) changed.add(id);
  }
  return changed;
}

export interface Agreement {
  tries: number;
  /** The served topology of the try that agreed. */
  topology: Topology;
  /** Namespaces and interfaces compared, and left out because they changed during the try. */
  compared: number;
  inFlux: Set<string>;
}

/**
 * Waits until the served topology agrees with `vethmap snapshot` on the host. Both read the
 * same kernel, but not at the same instant, and other tests on a shared host keep adding,
 * flapping and removing their namespaces. So each try reads the host, gives the server
 * 2.5 s to catch up (its /proc re-list runs every 2 s; link events arrive at once), reads
 * the server, reads the host again. What changed between the two host reads is left out
 * (neither reader is wrong about it); everything else must be equal. On a quiet host
 * nothing is left out.
 */
export async function untilServedAgreesWithHost(url: string, ms: number, headers: Record<string, string> = {}): Promise<Agreement> {
  const deadline = Date.now() + ms;
  for (let tries = 1; ; tries++) {
    const before = await hostSnapshot();
    await new Promise((r) => setTimeout(r, 2500));
    const served = await servedTopology(url, headers);
    const after = await hostSnapshot();
    const inFlux = changedBetween(before, after);
    const diff = topologyDiff(served, after, ['served', 'host'], inFlux);
    // Counted on the host's second read: objects removed meanwhile are in inFlux, not in it
    // (subtracting inFlux.size went negative while another test removed 59 of its own).
    const compared = [...after.namespaces, ...after.interfaces].filter((x) => !inFlux.has(x.id)).length;
    if (diff.length === 0) return { tries, topology: served, compared, inFlux };
    if (Date.now() > deadline) throw new Error(`the served topology never agreed with the host's within ${ms} ms; last differences:\n${diff.slice(0, 20).join('\n')}`);
  }
}
