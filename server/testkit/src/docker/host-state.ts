import { existsSync, readdirSync, readFileSync, realpathSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { run } from './run.js';

/**
 * What starting dockerd can change on a host, measured on Debian's docker.io 20.10 with its
 * default flags: iptables (filter FORWARD policy DROP, DOCKER* chains, a nat MASQUERADE
 * rule), sysctls (ip_forward 1), links (docker0, br-<id>, veth<7 hex>), mounts (the root
 * namespace's bind mount /run/docker/netns/default, which outlives dockerd), files
 * (/run/docker, /run/docker.sock, /run/containerd, /etc/docker/key.json) and cgroups
 * (`docker`, `docker/buildkit` and, for a container whose cleanup was cut short,
 * `docker/<id>`, in every hierarchy). All of it stays after dockerd stops. Captured before
 * and after, so a test can prove it left none of it.
 */
export interface HostState {
  iptables: string[];
  ip6tables: string[];
  sysctls: Record<string, string>;
  links: string[];
  mounts: string[];
  paths: string[];
  /** Docker's entries under /run/docker (see dockerRunEntries). */
  runDocker: string[];
  /** Docker's cgroup folders (see dockerCgroups). */
  cgroups: string[];
}

const SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/forwarding',
  'net/ipv6/conf/all/forwarding',
  'net/ipv6/conf/default/forwarding',
  'net/ipv4/conf/all/route_localnet',
  'net/bridge/bridge-nf-call-iptables',
  'net/bridge/bridge-nf-call-ip6tables',
];

/** /var/run as mountinfo spells it (a symlink to /run on Debian). */
export const RUN_DIR = realpathSync('/var/run');

/** dockerd's run folder (its default exec root). */
export const RUN_DOCKER = `${RUN_DIR}/docker`;

/**
 * Files dockerd (and the containerd it starts) create and leave. /run/docker and its netns
 * folder are here too: other tests imitating Docker's folder make them as well, so they
 * are removed only if they were not there before.
 */
export const DOCKER_PATHS = [RUN_DOCKER, `${RUN_DOCKER}/netns`, `${RUN_DIR}/docker.sock`, `${RUN_DIR}/docker.pid`, `${RUN_DIR}/containerd`, '/etc/docker/key.json', '/var/lib/docker', '/var/lib/containerd'];

/**
 * How dockerd names its netns files: `default` (the root namespace) and 12 hex digits
 * (a sandbox). Other names there were made by other tests imitating Docker's folder
 * (the testkit's NetBuilder.dockerNetns): never ours to count or remove.
 */
export const DOCKER_NETNS_NAME = /^(default|[0-9a-f]{12})$/;

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Docker's entries under /run/docker, as relative paths: top-level ones, and `netns/NAME` for its own netns files. */
export function dockerRunEntries(): string[] {
  const out: string[] = [];
  for (const e of entries(RUN_DOCKER)) {
    if (e === 'netns') out.push(...entries(`${RUN_DOCKER}/netns`).filter((n) => DOCKER_NETNS_NAME.test(n)).map((n) => `netns/${n}`));
    else out.push(e);
  }
  return out.sort();
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * Docker's cgroup folders, deepest first: `docker` and everything under it in each
 * hierarchy (cgroup v1 and the unified one; `docker` directly under /sys/fs/cgroup with v2
 * alone). dockerd makes them (cgroupfs driver, no systemd) and leaves them when it stops;
 * they hold no process then.
 */
export function dockerCgroups(): string[] {
  const roots = [path.join(CGROUP_ROOT, 'docker'), ...entries(CGROUP_ROOT).map((h) => path.join(CGROUP_ROOT, h, 'docker'))];
  const out: string[] = [];
  const walk = (dir: string) => {
    let children: Dirent[];
    try {
      children = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const c of children) if (c.isDirectory()) walk(path.join(dir, c.name));
    out.push(dir);
  };
  for (const r of roots) walk(r);
  return out;
}

/** Docker's link names only: other tests on this host create and delete their own links meanwhile. */
const DOCKER_LINK = /^(docker0|br-[0-9a-f]{12}|veth[0-9a-f]{7})$/;

/**
 * `iptables-save` without comments and counters, and without tables that hold nothing:
 * a table with only built-in ACCEPT chains filters nothing, and iptables-nft cannot delete
 * a table once listed, so "no table" and "empty table" are the same state here.
 */
export function normaliseRules(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/^(?=\*)/m)) {
    const lines = block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/ \[\d+:\d+\]$/, ''));
    if (!lines[0]?.startsWith('*')) continue;
    const body = lines.slice(1).filter((l) => l !== 'COMMIT');
    const empty = body.every((l) => /^:[A-Z]+ ACCEPT$/.test(l));
    if (!empty) out.push(...lines);
  }
  return out;
}

async function rules(cmd: string): Promise<string[]> {
  try {
    return normaliseRules(await run(cmd, []));
  } catch {
    return []; // no iptables: nothing to change either
  }
}

/** Mount points at or under any of `roots`, as /proc/self/mountinfo lists them. */
export function mountsUnder(roots: string[]): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .map((p) => p.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => roots.some((r) => p === r || p.startsWith(`${r}/`)));
}

/** Mount points under dockerd's and containerd's run folders (and any `extra` folder), other tests' netns files left out. */
export function dockerMounts(extra: string[] = []): string[] {
  return mountsUnder([RUN_DOCKER, `${RUN_DIR}/containerd`, ...extra]).filter((m) => {
    const rel = m.startsWith(`${RUN_DOCKER}/netns/`) ? m.slice(`${RUN_DOCKER}/netns/`.length) : null;
    return rel === null || DOCKER_NETNS_NAME.test(rel);
  });
}

export async function captureHostState(extraMountRoots: string[] = []): Promise<HostState> {
  const sysctls: Record<string, string> = {};
  for (const s of SYSCTLS) {
    try {
      sysctls[s] = readFileSync(`/proc/sys/${s}`, 'utf8').trim();
    } catch {
      sysctls[s] = 'absent';
    }
  }
  return {
    iptables: await rules('iptables-save'),
    ip6tables: await rules('ip6tables-save'),
    sysctls,
    links: readdirSync('/sys/class/net').filter((l) => DOCKER_LINK.test(l)).sort(),
    mounts: dockerMounts(extraMountRoots).sort(),
    paths: DOCKER_PATHS.filter((p) => existsSync(p)),
    runDocker: dockerRunEntries(),
    cgroups: dockerCgroups(),
  };
}

/** What differs, one line per difference; empty when the host is as it was. */
export function diffHostState(before: HostState, after: HostState): string[] {
  const out: string[] = [];
  const lists = ['iptables', 'ip6tables', 'links', 'mounts', 'paths', 'runDocker', 'cgroups'] as const;
  for (const k of lists) {
    for (const x of after[k]) if (!before[k].includes(x)) out.push(`${k}: added ${x}`);
    for (const x of before[k]) if (!after[k].includes(x)) out.push(`${k}: removed ${x}`);
  }
  for (const [k, v] of Object.entries(after.sysctls)) if (before.sysctls[k] !== v) out.push(`sysctl ${k}: ${before.sysctls[k]} -> ${v}`);
  return out;
}
