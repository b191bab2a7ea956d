import type { Namespace } from '@vethmap/shared';
import {
  failureReason, findLinkByName, namedNetns, netnsList, rootNetns, type NetnsEntry, type NetnsSources, type NsidAsker, type RawLink,
} from './kernel/index.js';
import type { LabelCandidate } from './discover/host.js';
import { toNamespace, type ContainerLabel } from './discover/netns.js';
import { AmbiguousError, DeniedError, NotFoundError } from './errors.js';
import { quote } from './terminal.js';

/**
 * Where things are, for `vethmap peer`: a namespace by what the user calls it, an
 * interface by name, a namespace by the nsid another gives it. Namespaces are listed only
 * as far as the question needs: the root, one name, the named folders (a stat per entry:
 * 20 ms for 300 on a busy VM), and /proc last (a stat per thread).
 */

/** Candidates listed on stderr when a name is in several namespaces (`lo` is in all of them). */
const SHOWN = 20;

export type Labeller = (namespaces: LabelCandidate[]) => Promise<Map<number, ContainerLabel>>;

/** One interface found by name (`peer NAME` without `--netns` in several namespaces). */
export interface Candidate {
  namespace: Namespace;
  ifindex: number;
  kind: string;
}

export interface Found {
  entry: NetnsEntry;
  link: RawLink;
}

/** Runs a kernel read, turning "not allowed" and "gone" into the CLI's errors. */
export function read<T>(what: string, fn: () => T): T {
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

/** `namespace "NAME"`, for messages. */
export function called(entry: NetnsEntry): string {
  return `namespace ${quote(toNamespace(entry, null).name)}`;
}

export class Namespaces {
  readonly root: NetnsEntry;
  private namedList: NetnsEntry[] | null = null;
  private full: NetnsEntry[] | null = null;
  private fullWarnings: string[] = [];

  constructor(private readonly sources: NetnsSources, private readonly labeller: Labeller | undefined) {
    this.root = rootNetns(sources);
  }

  /** The root and every named namespace (no /proc walk). */
  private named(): NetnsEntry[] {
    this.namedList ??= netnsList(this.sources, { processes: false }).entries;
    return this.namedList;
  }

  /** Every namespace, with the pids in each. */
  private all(): NetnsEntry[] {
    if (!this.full) {
      const listing = netnsList(this.sources);
      this.full = listing.entries;
      this.fullWarnings = listing.warnings;
    }
    return this.full;
  }

  /** `--netns`: `root`, a netns name, a pid in it, its inode or `ns:<inode>`, or what the snapshot calls it. */
  async select(selector: string): Promise<NetnsEntry> {
    if (selector === 'root') return this.root;
    const byName = namedNetns(selector, this.sources);
    if (byName) return byName;
    const number = /^(?:ns:)?(\d+)$/.exec(selector)?.[1];
    const all = this.all();
    if (number !== undefined) {
      const n = Number(number);
      const found = (selector.startsWith('ns:') ? undefined : all.find((e) => e.pids.includes(n))) ?? all.find((e) => e.inode === n);
      if (found) return found;
    }
    const labels = await this.labels(all);
    const shown = all.find((e) => toNamespace(e, labels.get(e.inode) ?? null).name === selector);
    if (shown) return shown;
    const refused = this.fullWarnings.find((w) => /could not be opened/.test(w));
    if (refused) throw new DeniedError(`no namespace ${quote(selector)} among those this user may see (${refused})`);
    throw new NotFoundError(`no namespace ${quote(selector)} (see \`vethmap snapshot\`)`);
  }

  /** `peer NAME` without `--netns`: the one namespace holding NAME, or the candidates (AmbiguousError). */
  findEverywhere(ifname: string): { found: Found; warnings: string[] } {
    const hits: Found[] = [];
    let denied = 0;
    const all = this.all();
    findLinkByName(all.map((e) => ({ path: e.path, inode: e.inode })), ifname).forEach((read, i) => {
      if (read.ok) {
        if (read.link) hits.push({ entry: all[i]!, link: read.link });
      } else if (!read.moved && failureReason(read.error) === 'denied') {
        denied++;
      }
      // vanished, or its path leads elsewhere now: it no longer holds anything under this entry
    });
    const unread = denied ? `${denied} namespace(s) could not be read (permission denied): run vethmap as root to search them` : null;
    if (hits.length === 0) {
      if (unread) throw new DeniedError(`no interface ${quote(ifname)} in the ${all.length - denied} namespace(s) this user may read; ${unread}`);
      throw new NotFoundError(`no interface ${quote(ifname)} in any of the ${all.length} namespaces`);
    }
    if (hits.length > 1) {
      const candidates: Candidate[] = hits.map((h) => ({ namespace: toNamespace(h.entry, null), ifindex: h.link.ifindex, kind: h.link.infoKind ?? (h.link.loopback ? 'loopback' : 'device') }));
      const lines = candidates.slice(0, SHOWN).map((c) => `  --netns ${quote(c.namespace.name)}  (${c.namespace.kind}, inode ${c.namespace.inode}): ifindex ${c.ifindex}, kind ${c.kind}`);
      if (candidates.length > SHOWN) lines.push(`  … and ${candidates.length - SHOWN} more (--json lists them all)`);
      throw new AmbiguousError(`${quote(ifname)} is in ${hits.length} namespaces; say which:\n${lines.join('\n')}`, { candidates });
    }
    return { found: hits[0]!, warnings: unread ? [`${unread}; ${quote(ifname)} may be there too`] : [] };
  }

  /**
   * The namespace `from` calls `nsid`, asked of the kernel (RTM_GETNSID, which never assigns
   * an id) about the root first (most veths of a namespace lead there), then the named ones,
   * then those only a process holds. Null when none this user may open is it; `denied` says
   * some could not be asked.
   */
  byNsid(asker: NsidAsker, from: NetnsEntry, nsid: number): { entry: NetnsEntry | null; denied: boolean } {
    const asked = new Set<number>([from.inode]);
    let denied = false;
    const among = (entries: NetnsEntry[]): NetnsEntry | null => {
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
    // After a search, the full listing is at hand: its named ones, without listing them again.
    const named = (): NetnsEntry[] => (this.full ? this.full.filter((e) => e.kind === 'named' || e.kind === 'docker') : this.named());
    return { entry: among([this.root]) ?? among(named()) ?? among(this.all()), denied };
  }

  /** What the snapshot calls these namespaces: their names, pids and containers. */
  async describe(entries: NetnsEntry[]): Promise<Map<number, Namespace>> {
    const withPids = entries.map((e) => (e.kind === 'root' || e.kind === 'named' ? e : this.all().find((f) => f.inode === e.inode) ?? e));
    const labels = await this.labels(withPids);
    return new Map(withPids.map((e) => [e.inode, toNamespace(e, labels.get(e.inode) ?? null)]));
  }

  private async labels(entries: NetnsEntry[]): Promise<Map<number, ContainerLabel>> {
    const toLabel = entries.filter((e) => e.kind === 'docker' || e.kind === 'process');
    return this.labeller && toLabel.length ? this.labeller(toLabel) : new Map();
  }
}
