import { interfaceId, type Interface, type Namespace } from '@vethmap/shared';
import { addrList, DEFAULT_SOURCES, linkGet, linkGetByName, NsidAsker, type NetnsEntry, type NetnsSources, type RawLink } from './kernel/index.js';
import type { NamespaceScan } from './discover/collect.js';
import { resolveRelations } from './discover/topology.js';
import { peerIfindex } from './discover/veth.js';
import { DeniedError, NotFoundError } from './errors.js';
import { called, Namespaces, read, type Found, type Labeller } from './peer-where.js';
import { quote } from './terminal.js';

/**
 * `vethmap peer`: one veth's peer, read from the kernel with as few questions as `ip`
 * would ask: the interface's namespace, the nsid answers that lead to the peer's, and the
 * peer's link. The proof is discovery's own (`resolveRelations` over the two ends: both
 * point at each other and both nsid directions check out); nothing here matches peers.
 */

export type { Candidate, Labeller } from './peer-where.js';

export interface PeerOptions {
  sources?: NetnsSources;
  /** Container names for docker/process namespaces (the snapshot's labeller). */
  label?: Labeller;
}

export interface PeerReport {
  interface: Interface;
  namespace: Namespace;
  /** The proven peer, or null (not a veth, or not provable: see `unresolved`). */
  peer: Interface | null;
  peerNamespace: Namespace | null;
  /** The masters (IFLA_MASTER: bridges) of either end, for their names. */
  masters: Interface[];
  /** Why a veth has no peer here, in the user's words; null when it has one or is no veth. */
  unresolved: string | null;
  /** True when a namespace this user may not read stood in the way (exit code 4). */
  denied: boolean;
  warnings: string[];
}

interface PeerRead {
  /** The link IFLA_LINK names, where IFLA_LINK_NETNSID says it is: a candidate, not yet proven. */
  peer: Found | null;
  unresolved: string | null;
  denied: boolean;
}

const none = (unresolved: string | null, denied = false): PeerRead => ({ peer: null, unresolved, denied });

/** Reads the link `v` names as its peer: `ip -n X link show` tells the index, the nsid tells where. */
function readPeer(where: Namespaces, asker: NsidAsker, x: NetnsEntry, v: RawLink): PeerRead {
  if (v.infoKind !== 'veth') return none(null);
  const target = peerIfindex(v);
  if (target <= 0) return none(`IFLA_LINK is ${target}: the pair is not tied (being created or deleted)`);
  if (v.linkNetnsid === null) {
    const w = read(called(x), () => linkGet(x.path, target));
    return w ? { peer: { entry: x, link: w }, unresolved: null, denied: false } : none(`IFLA_LINK ${target} names no link in the same namespace`);
  }
  if (v.linkNetnsid < 0) return none("the kernel could not name the peer's namespace (link-netnsid < 0)");
  const owner = where.byNsid(asker, x, v.linkNetnsid);
  if (!owner.entry) {
    return none(
      `its namespace (nsid ${v.linkNetnsid} in ${called(x)}) is not among those vethmap can open` + (owner.denied ? ': some could not be opened by this user (run as root)' : ''),
      owner.denied,
    );
  }
  const y = owner.entry;
  try {
    const w = read(`${called(y)}, where the peer is (nsid ${v.linkNetnsid} in ${called(x)})`, () => linkGet(y.path, target));
    return w ? { peer: { entry: y, link: w }, unresolved: null, denied: false } : none(`${called(y)} has no link with ifindex ${target} (gone?)`);
  } catch (err) {
    if (!(err instanceof DeniedError)) throw err;
    return none(err.message, true);
  }
}

/** One namespace's part of the answer: the ends in it, their masters (for names) and addresses. */
function endScan(entry: NetnsEntry, ends: RawLink[]): NamespaceScan {
  const what = called(entry);
  const links = [...ends];
  for (const l of ends) {
    if (l.master === null || l.master <= 0 || links.some((k) => k.ifindex === l.master)) continue;
    const master = read(what, () => linkGet(entry.path, l.master!));
    if (master) links.push(master);
  }
  return { entry, links, addrs: ends.flatMap((l) => read(what, () => addrList(entry.path, l.ifindex))) };
}

export async function findPeer(ifname: string, netns: string | undefined, options: PeerOptions = {}): Promise<PeerReport> {
  const where = new Namespaces(options.sources ?? DEFAULT_SOURCES, options.label);
  const warnings: string[] = [];
  let found: Found;
  if (netns === undefined) {
    const r = where.findEverywhere(ifname);
    found = r.found;
    warnings.push(...r.warnings);
  } else {
    const entry = await where.select(netns);
    const link = read(called(entry), () => linkGetByName(entry.path, ifname));
    if (!link) throw new NotFoundError(`no interface ${quote(ifname)} in ${called(entry)}`);
    found = { entry, link };
  }
  const { entry: x, link: v } = found;

  const asker = new NsidAsker();
  try {
    const p = readPeer(where, asker, x, v);
    const y = p.peer?.entry ?? null;
    const scans = y === x ? [endScan(x, [v, p.peer!.link])] : [endScan(x, [v]), ...(p.peer ? [endScan(p.peer.entry, [p.peer.link])] : [])];
    const interfaces = resolveRelations(scans, (a, b) => {
      try {
        return asker.nsidOf(a.entry.path, b.entry.path);
      } catch {
        return -1;
      }
    });
    const byId = new Map(interfaces.map((i) => [i.id, i]));
    const me = byId.get(interfaceId(x.inode, v.ifindex))!;
    const peer = me.peer ? byId.get(me.peer) ?? null : null;
    let unresolved = p.unresolved;
    if (v.infoKind === 'veth' && !peer && !unresolved) {
      unresolved = 'the link IFLA_LINK names does not point back, or the nsids do not agree both ways (changing right now?)';
    }
    const namespaces = await where.describe(peer && y && y !== x ? [x, y] : [x]);
    return {
      interface: me,
      namespace: namespaces.get(x.inode)!,
      peer,
      peerNamespace: peer && y ? namespaces.get(y.inode)! : null,
      masters: [me.master, peer?.master].flatMap((id) => (id && byId.has(id) ? [byId.get(id)!] : [])),
      unresolved,
      denied: p.denied,
      warnings,
    };
  } finally {
    asker.close();
  }
}
