import type { Interface, Namespace, Topology } from '@vethmap/shared';
import type { World } from './world.js';

/** What must agree: the picture without its version stamp. */
export interface Picture {
  namespaces: Namespace[];
  interfaces: Interface[];
  warnings: string[];
}

/**
 * The part of a topology the comparison looks at. `host`: everything (as the issue asks).
 * `mine`: only the fuzzer's namespaces and its links in the root, for a machine where
 * other people create namespaces at the same time.
 */
export function picture(t: Topology, scope: 'host' | 'mine', world: World): Picture {
  let namespaces = [...t.namespaces];
  let interfaces = [...t.interfaces];
  let warnings = t.warnings;
  if (scope === 'mine') {
    const inodes = new Set([...world.namespaces.values()].map((n) => n.inode));
    const rootId = `ns:${world.namespaces.get('root')!.inode}`;
    namespaces = namespaces.filter((n) => inodes.has(n.inode) || n.name.startsWith(world.prefix));
    const ids = new Set(namespaces.map((n) => n.id));
    interfaces = interfaces.filter((i) => ids.has(i.namespace) && (i.namespace !== rootId || i.name.startsWith(world.prefix)));
    warnings = [];
  }
  const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { namespaces: namespaces.sort(byId), interfaces: interfaces.sort(byId), warnings };
}

export function same(a: Picture, b: Picture): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A short, readable account of how two pictures differ (first few differences). */
export function describeDifference(aName: string, a: Picture, bName: string, b: Picture, max = 8): string {
  const out: string[] = [];
  const diff = <T extends { id: string }>(what: string, xs: T[], ys: T[], show: (x: T) => string): void => {
    const ym = new Map(ys.map((y) => [y.id, y]));
    const xm = new Map(xs.map((x) => [x.id, x]));
    for (const x of xs) {
      const y = ym.get(x.id);
      if (!y) out.push(`${what} ${show(x)} only in ${aName}`);
      else if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${what} ${x.id}: ${aName} ${JSON.stringify(x)} vs ${bName} ${JSON.stringify(y)}`);
    }
    for (const y of ys) if (!xm.has(y.id)) out.push(`${what} ${show(y)} only in ${bName}`);
  };
  diff('namespace', a.namespaces, b.namespaces, (n) => `${n.id} ${JSON.stringify(n.name)}`);
  diff('interface', a.interfaces, b.interfaces, (i) => `${i.id} ${JSON.stringify(i.name)} ${JSON.stringify(i)}`);
  if (JSON.stringify(a.warnings) !== JSON.stringify(b.warnings)) out.push(`warnings: ${JSON.stringify(a.warnings)} vs ${JSON.stringify(b.warnings)}`);
  return out.slice(0, max).join('\n') + (out.length > max ? `\n… ${out.length - max} more` : '');
}

/**
 * Checks a fresh scan against what the fuzzer built by construction: every namespace it
 * made is there with its kind and name, every link in the right namespace with its true
 * peer, master, admin state and the addresses it was given, and nothing else with its
 * prefix. Returns the problems found (empty when the scan tells the truth).
 */
export function groundTruth(t: Topology, world: World): string[] {
  const problems: string[] = [];
  const nsByInode = new Map(t.namespaces.map((n) => [n.inode, n]));
  const ifaces = new Map<string, Interface[]>();
  for (const i of t.interfaces) {
    let list = ifaces.get(i.namespace);
    if (!list) ifaces.set(i.namespace, (list = []));
    list.push(i);
  }
  const located = new Map<string, Interface>();
  for (const ns of world.namespaces.values()) {
    const n = nsByInode.get(ns.inode);
    if (!n) {
      problems.push(`namespace ${ns.label} (${ns.kind} ${JSON.stringify(ns.name)}, inode ${ns.inode}) is missing`);
      continue;
    }
    if (n.kind !== ns.kind) problems.push(`namespace ${ns.label} is ${n.kind}, built as ${ns.kind}`);
    const expectedName = ns.kind === 'named' ? ns.name : ns.kind === 'docker' ? `docker ${ns.name}` : ns.kind === 'process' ? `pid ${ns.pid} (sleep)` : 'root';
    if (n.name !== expectedName) problems.push(`namespace ${ns.label} is called ${JSON.stringify(n.name)}, expected ${JSON.stringify(expectedName)}`);
    const present = ifaces.get(n.id) ?? [];
    const mine = world.linksIn(ns.label);
    for (const l of mine) {
      const found = present.filter((i) => i.name === l.name);
      if (found.length !== 1) {
        problems.push(`link ${l.label} ${JSON.stringify(l.name)} in ${ns.label}: found ${found.length}`);
        continue;
      }
      located.set(l.label, found[0]!);
    }
    const expected = new Set(mine.map((l) => l.name));
    for (const i of present) {
      const ours = ns.kind !== 'root' || i.name.startsWith(world.prefix);
      if (ours && !expected.has(i.name) && i.kind !== 'loopback') problems.push(`unexpected ${i.kind} ${JSON.stringify(i.name)} in ${ns.label}`);
    }
  }
  for (const l of world.links.values()) {
    const i = located.get(l.label);
    if (!i) continue;
    const want = (label: string | null): string | null => (label === null ? null : located.get(label)?.id ?? `<${label} not found>`);
    if (i.kind !== l.kind) problems.push(`${l.label} ${JSON.stringify(l.name)} is ${i.kind}, built as ${l.kind}`);
    if (i.adminUp !== l.up) problems.push(`${l.label} ${JSON.stringify(l.name)} adminUp ${i.adminUp}, set ${l.up}`);
    if (i.peer !== want(l.peer)) problems.push(`${l.label} ${JSON.stringify(l.name)} peer ${i.peer}, true peer ${want(l.peer)} (${l.peer})`);
    if (i.master !== want(l.master)) problems.push(`${l.label} ${JSON.stringify(l.name)} master ${i.master}, set ${want(l.master)}`);
    const addrs = i.addresses.filter((a) => !/^fe[89ab][0-9a-f]:/i.test(a)).sort();
    const built = [...l.addrs].sort();
    if (JSON.stringify(addrs) !== JSON.stringify(built)) problems.push(`${l.label} ${JSON.stringify(l.name)} addresses ${JSON.stringify(addrs)}, given ${JSON.stringify(built)}`);
  }
  return problems;
}
