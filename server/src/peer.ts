import { interfaceId, type Interface, type Namespace } from '@vethmap/shared';
import {
  addrList, DEFAULT_SOURCES, failureReason, linkGet, linkGetByName, namedNetns, netnsList, NsidAsker, rootNetns,
  type NetnsEntry, type NetnsSources, type RawLink,
} from './kernel/index.js';
import type { NamespaceScan } from './discover/collect.js';
import type { LabelCandidate } from './discover/host.js';
import { toNamespace, type ContainerLabel } from './discover/netns.js';
import { resolveRelations } from './discover/topology.js';
import { peerIfindex } from './discover/veth.js';
import { AmbiguousError, DeniedError, NotFoundError } from './errors.js';
import { quote } from './terminal.js';

/**
 * `vethmap peer`: one veth's peer, read from the kernel with as few questions as `ip`
 * would ask: the interface's namespace, the nsid answers that lead to the peer's, and the
 * peer's link. The proof is discovery's own (`resolveRelations` over the two ends: both
 * point at each other and both nsid directions check out); nothing here matches peers.
 */

export type Labeller = (namespaces: LabelCandidate[]) => Promise<Map<number, ContainerLabel>>;

export interface PeerOptions {
  sources?: NetnsSources;
  /** Container names for docker/process namespaces (the snapshot's labeller). */
  label?: Labeller;
}

/** One interface found by name (`peer NAME` without `--netns` in several namespaces). */
export interface Candidate {
  namespace: Namespace;
  ifindex: number;
  kind: string;
}

export interface PeerReport {
  interface: Interface;
  namespace: Namespace;
  /** The proven peer, or null (not a veth, or not provable: see `unresolved`). */
  peer: Interface | null;
  peerNamespace: Namespace | null;
  /** Bridges (IFLA_MASTER) of either end, by interface id, for their names. */
  masters: Interface[];
  /** Why a veth has no peer here, in the user's words; null when it has one or is no veth. */
  unresolved: string | null;
  /** True when a namespace this user may not read stood in the way (exit code 4). */
  denied: boolean;
  warnings: string[];
}

interface Found {
  entry: NetnsEntry;
  link: RawLink;
}

/** Runs a kernel read, turning "not allowed" and "gone" into the CLI's errors. */
function read<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const reason = failureReason(err);
    const why = err instanceof Error ? err.message : String(err);
    if (reason === 'denied') throw new DeniedError(`not allowed to read ${what} (${why}): run vethmap as root, or with CAP_SYS_ADMIN and CAP_SYS_PTRACE`);
    if (reason === 'vanished') throw new NotFoundError(`${what} went away while being read (${why})`);
    throw err;
  }
}

function label(entry: NetnsEntry): string {
  return toNamespace(entry, null).name;
}

/**
 * The namespaces, listed only as far as a question needs: the root, one name, the named
 * folders (a stat per entry: 20 ms for 300 on a busy VM), then /proc (a stat per thread).
 */
class Host {
  readonly root: NetnsEntry;
  private namedList: NetnsEntry[] | null = null;
  private full: NetnsEntry[] | null = null;
  fullWarnings: string[] = [];

  constructor(private readonly sources: NetnsSources) {
    this.root = rootNetns(sources);
  }

  byName(name: string): NetnsEntry | null {
    return namedNetns(name, this.sources);
  }

  /** The root and every named namespace (no /proc walk). */
  named(): NetnsEntry[] {
    this.namedList ??= netnsList(this.sources, { processes: false }).entries;
    return this.namedList;
  }

  /** Every namespace, with the pids in each. */
  all(): NetnsEntry[] {
    if (!this.full) {
      const listing = netnsList(this.sources);
      this.full = listing.entries;
      this.fullWarnings = listing.warnings;
    }
    return this.full;
  }

  /** The entry with the pids in it, for naming a process-held or container namespace. */
  withPids(entry: NetnsEntry): NetnsEntry {
    if (entry.kind === 'root' || entry.kind === 'named') return entry;
    return this.all().find((e) => e.inode === entry.inode) ?? entry;
  }
}

/** `--netns`: a netns name, `root`, a pid in it, its inode or `ns:<inode>`, or a container name. */
async function findNamespace(host: Host, selector: string, labeller: Labeller | undefined): Promise<NetnsEntry> {
  if (selector === 'root') return host.root;
  const byName = host.byName(selector);
  if (byName) return byName;
  const number = /^(?:ns:)?(\d+)$/.exec(selector)?.[1];
  const all = host.all();
  if (number !== undefined) {
    const n = Number(number);
    const found = (selector.startsWith('ns:') ? undefined : all.find((e) => e.pids.includes(n))) ?? all.find((e) => e.inode === n);
    if (found) return found;
  }
  // Last: what the snapshot calls it (a container's name, `pid N (comm)`).
  const labels = labeller ? await labeller(all.filter((e) => e.kind === 'docker' || e.kind === 'process')) : new Map<number, ContainerLabel>();
  const shown = all.find((e) => toNamespace(e, labels.get(e.inode) ?? null).name === selector);
  if (shown) return shown;
  const refused = host.fullWarnings.find((w) => /could not be opened/.test(w));
  if (refused) throw new DeniedError(`no namespace ${quote(selector)} among those this user may see (${refused})`);
  throw new NotFoundError(`no namespace ${quote(selector)} (see \`vethmap snapshot\`)`);
}

/** `peer NAME` without `--netns`: the one namespace holding NAME, or the candidates. */
function findEverywhere(host: Host, ifname: string): { found: Found; warnings: string[] } {
  const hits: Found[] = [];
  const denied: NetnsEntry[] = [];
  const all = host.all();
  for (const entry of all) {
    try {
      const link = linkGetByName(entry.path, ifname);
      if (link) hits.push({ entry, link });
    } catch (err) {
      if (failureReason(err) === 'denied') denied.push(entry);
      // vanished: it no longer holds anything
    }
  }
  const unread = denied.length ? `${denied.length} namespace(s) could not be read (permission denied): run vethmap as root to search them` : null;
  if (hits.length === 0) {
    if (unread) throw new DeniedError(`no interface ${quote(ifname)} in the ${all.length - denied.length} namespace(s) this user may read; ${unread}`);
    throw new NotFoundError(`no interface ${quote(ifname)} in any of the ${all.length} namespaces`);
  }
  if (hits.length > 1) {
    const candidates: Candidate[] = hits.map((h) => ({ namespace: toNamespace(h.entry, null), ifindex: h.link.ifindex, kind: h.link.infoKind ?? (h.link.loopback ? 'loopback' : 'device') }));
    const lines = candidates.map((c) => `  --netns ${quote(c.namespace.name)}  (${c.namespace.kind}, inode ${c.namespace.inode}): ifindex ${c.ifindex}, kind ${c.kind}`);
    throw new AmbiguousError(`${quote(ifname)} is in ${hits.length} namespaces; say which:\n${lines.join('\n')}`, { candidates });
  }
  return { found: hits[0]!, warnings: unread ? [`${unread}; ${quote(ifname)} may be there too`] : [] };
}

/**
 * The namespace X calls `nsid`: asked of the kernel for the root and the named ones first
 * (RTM_GETNSID, which never assigns an id), then for process-held ones. Null when none of
 * those this user may open is it; `denied` says some could not be asked.
 */
function namespaceByNsid(host: Host, asker: NsidAsker, from: NetnsEntry, nsid: number): { entry: NetnsEntry | null; denied: boolean } {
  const asked = new Set<number>([from.inode]);
  let denied = false;
  const tryAll = (entries: NetnsEntry[]): NetnsEntry | null => {
    for (const e of entries) {
      if (asked.has(e.inode)) continue;
      asked.add(e.inode);
      try {
        if (asker.nsidOf(from.path, e.path) === nsid) return e;
      } catch (err) {
        if (failureReason(err) === 'denied') denied = true;
      }
    }
    return null;
  };
  // The root first (most peers of a namespace's veth are there), then the named ones.
  const entry = tryAll([host.root]) ?? tryAll(host.named()) ?? tryAll(host.all());
  return { entry, denied };
}

function scanOf(entry: NetnsEntry, links: RawLink[], addrs: ReturnType<typeof addrList>): NamespaceScan {
  const ifindexes = new Set(links.map((l) => l.ifindex));
  return { entry, links, addrs: addrs.filter((a) => ifindexes.has(a.ifindex)) };
}

/** The link and its master (a bridge), for the scan of one end. */
function withMaster(entry: NetnsEntry, link: RawLink, what: string): RawLink[] {
  if (link.master === null || link.master <= 0) return [link];
  const master = read(what, () => linkGet(entry.path, link.master!));
  return master ? [link, master] : [link];
}

export async function findPeer(ifname: string, netns: string | undefined, options: PeerOptions = {}): Promise<PeerReport> {
  const host = new Host(options.sources ?? DEFAULT_SOURCES);
  const warnings: string[] = [];
  let found: Found;
  if (netns === undefined) {
    const r = findEverywhere(host, ifname);
    found = r.found;
    warnings.push(...r.warnings);
  } else {
    const entry = await findNamespace(host, netns, options.label);
    const link = read(`namespace ${quote(label(entry))}`, () => linkGetByName(entry.path, ifname));
    if (!link) throw new NotFoundError(`no interface ${quote(ifname)} in namespace ${quote(label(entry))}`);
    found = { entry, link };
  }
  const x = found.entry;
  const v = found.link;
  const xWhat = `namespace ${quote(label(x))}`;
  const xLinks = withMaster(x, v, xWhat);
  const xAddrs = read(xWhat, () => addrList(x.path, v.ifindex));

  let unresolved: string | null = null;
  let denied = false;
  let y: { entry: NetnsEntry; links: RawLink[] } | null = null;
  const asker = new NsidAsker();
  try {
    const target = peerIfindex(v);
    if (v.infoKind !== 'veth') {
      // not a veth: no peer to find
    } else if (target <= 0) {
      unresolved = `IFLA_LINK is ${target}: the pair is not tied (being created or deleted)`;
    } else if (v.linkNetnsid === null) {
      const w = read(xWhat, () => linkGet(x.path, target));
      if (w) {
        xLinks.push(...withMaster(x, w, xWhat).filter((l) => !xLinks.some((k) => k.ifindex === l.ifindex)));
        xAddrs.push(...read(xWhat, () => addrList(x.path, w.ifindex)));
      }
      else unresolved = `IFLA_LINK ${target} names no link in the same namespace`;
    } else if (v.linkNetnsid < 0) {
      unresolved = 'the kernel could not name the peer\'s namespace (link-netnsid < 0)';
    } else {
      const owner = namespaceByNsid(host, asker, x, v.linkNetnsid);
      if (!owner.entry) {
        denied = owner.denied;
        unresolved = `its namespace (nsid ${v.linkNetnsid} in ${quote(label(x))}) is not among those vethmap can open` +
          (owner.denied ? ': some could not be opened by this user (run as root)' : '');
      } else {
        const ye = owner.entry;
        const yWhat = `namespace ${quote(label(ye))}, where the peer is (nsid ${v.linkNetnsid} in ${quote(label(x))})`;
        try {
          const w = read(yWhat, () => linkGet(ye.path, target));
          if (w) y = { entry: ye, links: withMaster(ye, w, yWhat) };
          else unresolved = `namespace ${quote(label(ye))} has no link with ifindex ${target} (gone?)`;
        } catch (err) {
          if (!(err instanceof DeniedError)) throw err;
          denied = true;
          unresolved = err.message;
        }
      }
    }

    const scans = [scanOf(x, xLinks, xAddrs)];
    if (y) {
      const ye = y.entry;
      const w = y.links[0]!;
      scans.push(scanOf(ye, y.links, read(`namespace ${quote(label(ye))}`, () => addrList(ye.path, w.ifindex))));
    }
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
    if (v.infoKind === 'veth' && !peer && !unresolved) {
      unresolved = 'the link IFLA_LINK names does not point back, or the nsids do not agree both ways (changing right now?)';
    }
    const peerEntry = peer ? (peer.namespace === me.namespace ? x : y!.entry) : null;
    const namespaces = await name([x, ...(peerEntry && peerEntry !== x ? [peerEntry] : [])], host, options.label);
    const masters = [me.master, peer?.master].flatMap((id) => (id && byId.get(id) ? [byId.get(id)!] : []));
    return {
      interface: me,
      namespace: namespaces.get(x.inode)!,
      peer,
      peerNamespace: peerEntry ? namespaces.get(peerEntry.inode)! : null,
      masters,
      unresolved,
      denied,
      warnings,
    };
  } finally {
    asker.close();
  }
}

/** What the snapshot would call these namespaces (container names for container ones). */
async function name(entries: NetnsEntry[], host: Host, labeller: Labeller | undefined): Promise<Map<number, Namespace>> {
  const full = entries.map((e) => host.withPids(e));
  const toLabel = full.filter((e) => e.kind === 'docker' || e.kind === 'process');
  const labels = labeller && toLabel.length ? await labeller(toLabel) : new Map<number, ContainerLabel>();
  return new Map(full.map((e) => [e.inode, toNamespace(e, labels.get(e.inode) ?? null)]));
}
