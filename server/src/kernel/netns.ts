import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

/** Where namespaces are found. Paths are options so tests and containers can move them. */
export interface NetnsSources {
  procRoot: string;
  namedDirs: Array<{ dir: string; kind: 'named' | 'docker' }>;
}

export const DEFAULT_SOURCES: NetnsSources = {
  procRoot: '/proc',
  namedDirs: [
    { dir: '/var/run/netns', kind: 'named' },
    { dir: '/var/run/docker/netns', kind: 'docker' },
  ],
};

/** One namespace as the file system shows it, before any netlink is spoken. */
export interface NetnsEntry {
  inode: number;
  kind: 'root' | 'named' | 'docker' | 'process';
  /** The netns name for named/docker ones. */
  name: string | null;
  /** A path that opens it (bind mount, or /proc/PID/ns/net of its lowest pid). */
  path: string;
  /** Every pid (and thread id) found in it, ascending. */
  pids: number[];
  /**
   * For a process-held one: the name (`/proc/PID/comm`) of the process it is shown with,
   * pids[0], as listed (null: gone meanwhile). Kept current while that process is young:
   * `unshare --net CMD` is listed as "unshare" until it execs CMD.
   */
  comm?: string | null;
}

export interface NetnsListing {
  entries: NetnsEntry[];
  warnings: string[];
}

let lastError: string | undefined;

function tryStat(p: string): Stats | null {
  try {
    return statSync(p);
  } catch (err) {
    lastError = (err as NodeJS.ErrnoException).code;
    return null; // vanished (ENOENT) or refused (EACCES on some /proc entries, even for root)
  }
}

function numericEntries(dir: string): number[] {
  try {
    return readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

function findRoot(sources: NetnsSources): { stats: Stats; path: string; warnings: string[] } {
  const warnings: string[] = [];
  let rootPath = path.join(sources.procRoot, '1/ns/net');
  let root = tryStat(rootPath);
  if (!root) {
    // Not root (or no /proc/1): the namespace we run in is all we can be sure of.
    // Refused even to root in some sandboxes (an LSM guarding pid 1): then the namespace
    // we run in stands for the root one, which it is when run as documented (host pid+net).
    rootPath = path.join(sources.procRoot, 'self/ns/net');
    root = tryStat(rootPath);
    if (process.getuid?.() !== 0) warnings.push('not running as root: showing the namespace vethmap runs in, and only what this user may enter');
  }
  if (!root) throw new Error(`cannot stat ${rootPath}: is /proc mounted?`);
  return { stats: root, path: rootPath, warnings };
}

/** The root namespace as `netnsList` finds it (init's, or ours when that is refused), without listing the rest. */
export function rootNetns(sources: NetnsSources = DEFAULT_SOURCES): NetnsEntry {
  const { stats, path: p } = findRoot(sources);
  return { inode: stats.ino, kind: 'root', name: null, path: p, pids: [] };
}

/**
 * One name as `netnsList` would list it, without listing the others: `/var/run/netns/NAME`,
 * else Docker's folder. Null when no folder has it (or it is a stale file, or not a plain
 * name: a name with '/' or `..` is never a path to follow). No pids: the /proc walk is not done.
 */
export function namedNetns(name: string, sources: NetnsSources = DEFAULT_SOURCES): NetnsEntry | null {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) return null;
  const root = findRoot(sources);
  for (const { dir, kind } of sources.namedDirs) {
    const p = path.join(dir, name);
    const s = tryStat(p);
    if (!s || s.dev !== root.stats.dev) continue;
    // A name for the root namespace: `netnsList` calls it root too.
    if (s.ino === root.stats.ino) return { inode: s.ino, kind: 'root', name: null, path: root.path, pids: [] };
    return { inode: s.ino, kind, name, path: p, pids: [] };
  }
  return null;
}

const keyOf = (s: Stats): string => `${s.dev}:${s.ino}`;

/** The namespace key a path leads to now, null when it leads nowhere. */
function keyAt(p: string): string | null {
  const s = tryStat(p);
  return s ? keyOf(s) : null;
}

/** The last pid handed out in our pid namespace: the last field of /proc/loadavg; null when unreadable. */
function readLastPid(procRoot: string): number | null {
  // Read every 500 ms: open, one read, close (readFileSync adds an fstat and a second read).
  let fd: number | undefined;
  try {
    fd = openSync(path.join(procRoot, 'loadavg'), 'r');
    const n = readSync(fd, loadavgBuffer, 0, loadavgBuffer.length, 0);
    const last = Number(loadavgBuffer.toString('latin1', 0, n).trim().split(' ').pop());
    return Number.isInteger(last) && last > 0 ? last : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
const loadavgBuffer = Buffer.alloc(256);

/** How long a file in a named folder that is not mounted yet holds back new process-held namespaces. */
const PLACEHOLDER_WAIT_MS = 1000;

/** What one process showed: its threads' namespaces (most often all the same one). */
interface ProcessSeen {
  /** Per thread id: the namespace key, or null when refused. */
  threads: Array<{ id: number; key: string | null; ino: number; path: string }>;
  refused: boolean;
  /** The listing in which it was first seen: young processes are looked at again. */
  firstSeen: number;
}

function sameSight(a: ProcessSeen, b: ProcessSeen): boolean {
  if (a.refused !== b.refused || a.threads.length !== b.threads.length) return false;
  return a.threads.every((t, i) => t.id === b.threads[i]!.id && t.key === b.threads[i]!.key && t.path === b.threads[i]!.path);
}

/** How much to read again: everything, or only the folders, or only processes not seen before. */
export interface ListScope {
  /** Read /var/run/netns and Docker's folder again (false: keep what the last read found). */
  named: boolean;
  /**
   * `all`: stat every process's and thread's ns/net; `new`: only processes not seen before
   * (and the one each namespace is shown with); `none`: no /proc walk at all.
   */
  processes: 'all' | 'new' | 'none';
}

/** A namespace file found in a named folder. */
interface NamedEntry {
  name: string;
  kind: 'named' | 'docker';
  path: string;
  stat: Stats;
}

/**
 * Lists namespaces, remembering what it read so that the periodic re-list for
 * process-held namespaces costs one readdir of /proc plus a stat per *new* process, not a
 * stat per process and thread (that cost 5-12 ms per pass with 90 processes, most of the
 * idle CPU). A process seen before is assumed to stay in its namespace: the only way out,
 * unshare or setns, is almost always done by a process before its first tick (`unshare
 * --net cmd`, runc), so young processes are looked at again for a few passes, and a full
 * pass now and then (the caller decides) catches the rest.
 */
export class NamespaceLister {
  private readonly named = new Map<string, NamedEntry[]>();
  private readonly processes = new Map<number, ProcessSeen>();
  /** The pid each namespace is shown with (the first of its pids) at the last listing. */
  private readonly shown = new Set<number>();
  /** The name of each process-held namespace's shown process, at the last listing. */
  private readonly shownComm = new Map<number, string | null>();
  private pass = 0;
  /** The pid namespace's last pid at the last listing of /proc (null: unknown). */
  private lastPid: number | null = null;
  /**
   * The last listing that walked /proc, returned as is (the same object) while nothing read
   * since differs: an idle host's look for new processes then costs a readdir and a few
   * stats, not a rebuild of every namespace's entry (4 ms a pass at 2000 namespaces).
   */
  private last: { listing: NetnsListing; rootKey: string } | null = null;
  private changed = true;
  private root: ReturnType<typeof findRoot> | null = null;
  /** Files in a named folder not (yet) on nsfs, by path: when each was first seen (ms). */
  private readonly placeholders = new Map<string, number>();

  constructor(private readonly sources: NetnsSources = DEFAULT_SOURCES) {}

  list(scope: ListScope = { named: true, processes: 'all' }): NetnsListing {
    this.pass++;
    const warnings: string[] = [];
    const byKey = new Map<string, NetnsEntry>();

    // The root cannot move: a look for new processes only (every 500 ms) keeps the last
    // one found (finding it costs a stat or two and a getuid).
    const found = scope.named || scope.processes !== 'new' || !this.root ? (this.root = findRoot(this.sources)) : this.root;
    const { stats: root, path: rootPath, warnings: rootWarnings } = found;
    const nsfsDev = root.dev;
    const processesChanged = scope.processes !== 'none' && this.readProcesses(scope.processes === 'all');
    if (processesChanged) this.changed = true;
    // The named folders after /proc, and whenever a process holds a namespace not seen
    // before: `ip netns add` holds its new namespace for a moment after mounting it, and a
    // look for processes that ran before the mount was read found "pid N (ip)"; the
    // namespace was published under that name, then renamed.
    const readNamed = scope.named || this.named.size === 0 || (processesChanged && this.newThroughProcess());
    if (readNamed && this.readNamed(nsfsDev)) this.changed = true;
    if (scope.processes !== 'none' && !this.changed && this.last?.rootKey === keyOf(root)) return this.last.listing;

    warnings.push(...rootWarnings);
    byKey.set(keyOf(root), { inode: root.ino, kind: 'root', name: null, path: rootPath, pids: [] });
    for (const list of this.named.values()) {
      for (const { name, kind, path: p, stat } of list) {
        const existing = byKey.get(keyOf(stat));
        if (existing) {
          if (existing.kind === 'process') Object.assign(existing, { kind, name, path: p });
          continue;
        }
        byKey.set(keyOf(stat), { inode: stat.ino, kind, name, path: p, pids: [] });
      }
    }

    // A file just made in a named folder and not mounted yet is a name about to be given
    // (`ip netns add` makes the file, unshares, then bind-mounts; Docker likewise): a
    // namespace seen only through a process meanwhile is most likely that one, so it waits
    // for the mount (whose event lists again) rather than being published as "pid N (ip)"
    // and renamed a moment later. Only in a running listing, and for a second at most.
    const lastInodes = this.last ? new Set(this.last.listing.entries.map((e) => e.inode)) : null;
    const now = performance.now();
    const mountComing = lastInodes !== null && [...this.placeholders.values()].some((t) => now - t < PLACEHOLDER_WAIT_MS);
    let deferred = false;
    let refused = 0;
    for (const seen of scope.processes === 'none' ? [] : this.processes.values()) {
      if (seen.refused) refused++;
      for (const t of seen.threads) {
        if (t.key === null) continue;
        let entry = byKey.get(t.key);
        if (!entry) {
          if (mountComing && !lastInodes.has(t.ino)) {
            deferred = true;
            continue;
          }
          entry = { inode: t.ino, kind: 'process', name: null, path: t.path, pids: [] };
          byKey.set(t.key, entry);
        }
        entry.pids.push(t.id);
      }
    }
    if (refused > 0) {
      warnings.push(`${refused} processes' namespaces could not be opened: run as root with CAP_SYS_PTRACE to see every container`);
    }

    const entries = [...byKey.values()];
    this.shown.clear();
    this.shownComm.clear();
    for (const e of entries) {
      e.pids.sort((a, b) => a - b);
      const pid = e.pids[0];
      if (pid !== undefined) this.shown.add(pid);
      if (e.kind === 'process' && pid !== undefined) {
        e.path = path.join(this.sources.procRoot, String(pid), 'ns/net');
        e.comm = processName(pid, this.sources.procRoot);
        this.shownComm.set(pid, e.comm);
      }
    }
    const listing = { entries, warnings };
    // A listing without /proc is not what the next look for new processes would build.
    if (scope.processes !== 'none') {
      this.last = { listing, rootKey: keyOf(root) };
      // What waited is not in this listing: the next look must build another.
      this.changed = deferred;
    }
    return listing;
  }

  /** Whether a process holds a namespace the last listing did not have. */
  private newThroughProcess(): boolean {
    const known = new Set(this.last?.listing.entries.map((e) => e.inode));
    for (const seen of this.processes.values()) {
      for (const t of seen.threads) if (t.key !== null && !known.has(t.ino)) return true;
    }
    return false;
  }

  /**
   * Reads the named folders again; true when what they hold differs from the last read.
   * An entry that still leads where it did keeps its object: a listing that finds nothing
   * new leaves no garbage behind for the collector but the stats themselves.
   */
  private readNamed(nsfsDev: number): boolean {
    let changed = false;
    for (const { dir, kind } of this.sources.namedDirs) {
      const before = new Map((this.named.get(dir) ?? []).map((e) => [e.name, e]));
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        // The folder appears with the first `ip netns add`.
        if (this.named.delete(dir) && before.size > 0) changed = true;
        continue;
      }
      const list: NamedEntry[] = [];
      for (const name of names) {
        const p = path.join(dir, name);
        const s = tryStat(p);
        // An entry not on nsfs is a stale file whose bind mount is gone (e.g. after a crash),
        // or one whose bind mount is not made yet (`ip netns add` creates the file first).
        if (!s || s.dev !== nsfsDev) {
          if (s && !this.placeholders.has(p)) this.placeholders.set(p, performance.now());
          continue;
        }
        this.placeholders.delete(p);
        const known = before.get(name);
        if (known && known.stat.dev === s.dev && known.stat.ino === s.ino && known.kind === kind) list.push(known);
        else list.push({ name, kind, path: p, stat: s });
      }
      if (list.length !== before.size || list.some((e) => before.get(e.name) !== e)) changed = true;
      this.named.set(dir, list);
      const present = new Set(names);
      for (const p of this.placeholders.keys()) if (path.dirname(p) === dir && !present.has(path.basename(p))) this.placeholders.delete(p);
    }
    return changed;
  }

  /**
   * True when a look for new processes has nothing to find: no pid was handed out since the
   * last look (the last field of /proc/loadavg is the pid namespace's last pid; a new
   * process or thread moves it), no process is young, and every namespace's shown holder
   * still leads where it did. Then /proc is not listed (a readdir of a few hundred entries
   * every 500 ms was most of an idle server's CPU). Other exits are seen at the next look
   * that lists /proc; a process that changes namespace without a new pid, at the full one.
   */
  private nothingNew(lastPid: number | null): boolean {
    if (lastPid === null || lastPid !== this.lastPid) return false;
    for (const seen of this.processes.values()) if (this.pass - seen.firstSeen <= 3) return false;
    for (const pid of this.shown) {
      const known = this.processes.get(pid)?.threads[0];
      if (!known || known.id !== pid || keyAt(known.path) !== known.key) return false;
    }
    return true;
  }

  /** Looks at processes (all, or the new and the young); true when any namespace or pid seen differs. */
  private readProcesses(all: boolean): boolean {
    const procRoot = this.sources.procRoot;
    const lastPid = readLastPid(procRoot);
    if (!all && this.nothingNew(lastPid)) return false;
    // Read before the listing: a process made between the two moves it again, and the next look lists /proc.
    this.lastPid = lastPid;
    const alive = new Set(numericEntries(procRoot));
    let changed = false;
    for (const [pid, seen] of this.processes) {
      if (alive.has(pid)) continue;
      this.processes.delete(pid);
      if (seen.threads.length > 0 || seen.refused) changed = true;
    }
    for (const pid of alive) {
      const known = this.processes.get(pid);
      // Young processes are looked at again: `unshare --net` may not have unshared yet. So is
      // the one a namespace is shown with: an exiting process stays in /proc without ns/net
      // (a zombie) and the namespace must not keep naming it (one stat per namespace).
      const settled = known && !all && this.pass - known.firstSeen > 3;
      if (settled && !this.shown.has(pid)) continue;
      const base = path.join(procRoot, String(pid));
      // A shown holder that still leads where it did is all that check needs: its threads
      // are not listed again (pid 1 alone has 15 here, every 500 ms).
      if (settled && known.threads[0]?.id === pid && keyAt(path.join(base, 'ns/net')) === known.threads[0].key) continue;
      const ids = [pid, ...numericEntries(path.join(base, 'task')).filter((t) => t !== pid)];
      const seen: ProcessSeen = { threads: [], refused: false, firstSeen: known?.firstSeen ?? this.pass };
      for (const id of ids) {
        const p = id === pid ? path.join(base, 'ns/net') : path.join(base, 'task', String(id), 'ns/net');
        const s = tryStat(p);
        if (!s) {
          // pid 1 may be guarded on its own (see the root fallback); anything else refused
          // means we lack CAP_SYS_PTRACE or root, and containers would silently vanish.
          if (pid !== 1 && (lastError === 'EACCES' || lastError === 'EPERM')) seen.refused = true;
          if (id === pid && !seen.refused) break; // gone between readdir and stat
          continue;
        }
        seen.threads.push({ id, key: keyOf(s), ino: s.ino, path: p });
      }
      // A namespace's holder may have exec'd since it was listed (`unshare --net sleep` is
      // "unshare" for a moment), and its name is part of the picture: asked again while it
      // is young, and of every holder on a full pass.
      const askName = all || this.pass - seen.firstSeen <= 3;
      if (askName && this.shownComm.has(pid) && processName(pid, procRoot) !== this.shownComm.get(pid)) changed = true;
      if (known && sameSight(known, seen)) continue; // the object read before stays: no garbage to promote
      // Kept even when it showed nothing (a zombie has no ns/net): it is not new next time.
      if (known || seen.threads.length > 0 || seen.refused) changed = true;
      this.processes.set(pid, seen);
    }
    return changed;
  }
}

/** What `netnsList` walks. */
export interface NetnsListOptions {
  /**
   * Walk /proc for namespaces held only by processes (default true). Without it, only the
   * root and the named folders are listed: `vethmap peer` asks those first, as the /proc
   * walk costs a stat per thread (26–88 ms for 365 threads, measured on a busy 2-core VM).
   */
  processes?: boolean;
}

/**
 * Every network namespace reachable on this host: `ip netns list` plus Docker's folder
 * plus `readlink /proc/{pid,pid/task/tid}/ns/net`, deduplicated by (st_dev, st_ino).
 */
export function netnsList(sources: NetnsSources = DEFAULT_SOURCES, options: NetnsListOptions = {}): NetnsListing {
  return new NamespaceLister(sources).list({ named: true, processes: options.processes === false ? 'none' : 'all' });
}

/**
 * `stat -L -c %i PATH`: the inode of the namespace a path leads to now, or null when it
 * leads nowhere. A process's `ns/net` follows the process: one that moved to another
 * namespace (setns) after it was listed leads somewhere else.
 */
export function netnsInodeAt(p: string): number | null {
  return tryStat(p)?.ino ?? null;
}

/** `cat /proc/PID/comm`, or null when the process is gone. */
export function processName(pid: number, procRoot = '/proc'): string | null {
  try {
    return readFileSync(path.join(procRoot, String(pid), 'comm'), 'utf8').trim();
  } catch {
    return null;
  }
}
