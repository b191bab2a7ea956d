import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { containerIdFromCgroup } from './cgroup.js';
import type { ContainerInspect } from './docker.js';
import { engineSockets } from './sockets.js';

/**
 * Containers by name: which network namespace belongs to which container.
 *
 * (a) Ask the engine (Docker, or Podman's Docker-compatible API) over its unix socket:
 *     each running container's `State.Pid` → stat /proc/PID/ns/net → namespace inode;
 *     failing that, its `NetworkSettings.SandboxKey` (the netns bind mount) → inode, or
 *     the docker-netns entry of that name. Read-only GETs with short timeouts; an absent
 *     or failing socket only means no labels from it.
 * (b) For namespaces still unlabelled: the container id in /proc/PID/cgroup of the
 *     namespace's lowest pid. The name is the id's first 12 characters (as `docker ps`
 *     shows it); the image is unknown.
 */

/** What the `container` field of a Namespace says (shared/src/model.ts). */
export interface ContainerLabel {
  /** Full 64-hex container id. */
  id: string;
  /** The engine's name without its leading `/`; the short id when only the cgroup told. */
  name: string;
  /** `Config.Image` as the user gave it (`nginx:1.27`); null when only the cgroup told. */
  image: string | null;
}

/** The little the labeller needs to know about a namespace (discover's NetnsEntry fits). */
export interface NamespaceToLabel {
  /** nsfs inode: the key of the result. */
  inode: number;
  /** Pids (and thread ids) in it, any order. */
  pids: number[];
  /** `root` is never labelled: a host-network container shares it with the host. */
  kind?: string;
  /** For `docker` namespaces, the entry name in /var/run/docker/netns. */
  name?: string | null;
}

export interface LabelOptions {
  /** Engine socket path; `false` to not ask any engine. Default: $DOCKER_HOST (unix://), /var/run/docker.sock, /run/podman/podman.sock. */
  dockerSocket?: string | false;
  /** Where /proc is (tests, or a host /proc mounted elsewhere). Default `/proc`. */
  procRoot?: string;
  /** Per-request timeout for the engine API, ms. Default 1000. */
  timeoutMs?: number;
  /** nsfs inode of a process's network namespace. Default: stat `${procRoot}/${pid}/ns/net`. */
  inodeOfPid?: (pid: number) => Promise<number | null>;
  /** nsfs inode behind a netns bind mount (a SandboxKey). Default: stat of the path. */
  inodeOfPath?: (file: string) => Promise<number | null>;
}

/** How many of a namespace's pids to try before giving up on its cgroup. */
const CGROUP_TRIES = 8;

async function statInode(file: string): Promise<number | null> {
  try {
    return (await stat(file)).ino;
  } catch {
    return null;
  }
}

/** Labels from one engine, keyed by namespace inode. Never throws. */
async function fromEngine(
  socketPath: string,
  namespaces: NamespaceToLabel[],
  o: Required<Pick<LabelOptions, 'timeoutMs' | 'inodeOfPid' | 'inodeOfPath'>>,
): Promise<Map<number, ContainerLabel>> {
  const labels = new Map<number, { label: ContainerLabel; joined: boolean }>();
  let containers: ContainerInspect[];
  try {
    // No socket, no engine: the client (and the zod it validates answers with) is loaded
    // only when there is one to ask (`vethmap snapshot` on a host without Docker).
    await stat(socketPath);
    const { inspectRunningContainers } = await import('./docker.js');
    containers = await inspectRunningContainers(socketPath, o.timeoutMs);
  } catch {
    return new Map(); // no engine there, or it failed: labels are a nicety, not a requirement
  }
  const known = new Map(namespaces.map((n) => [n.inode, n]));
  const dockerByName = new Map(namespaces.filter((n) => n.kind === 'docker' && n.name).map((n) => [n.name, n.inode]));
  for (const c of containers) {
    const mode = c.HostConfig?.NetworkMode ?? '';
    if (mode === 'host') continue; // shares the root namespace: labelling it would rename the host
    const pid = c.State?.Pid ?? 0;
    const sandbox = c.NetworkSettings?.SandboxKey ?? '';
    let inode: number | null = pid > 0 ? await o.inodeOfPid(pid) : null;
    if ((inode === null || !known.has(inode)) && sandbox) {
      // A bind mount that did not propagate into our mount namespace stats as the empty file
      // under it: then the Docker-folder entry of that name says which namespace it is.
      const viaPath = await o.inodeOfPath(sandbox);
      inode = viaPath !== null && known.has(viaPath) ? viaPath : (dockerByName.get(path.basename(sandbox)) ?? viaPath);
    }
    if (inode === null) continue;
    const ns = known.get(inode);
    if (!ns || ns.kind === 'root') continue;
    const label: ContainerLabel = { id: c.Id, name: (c.Name ?? c.Id.slice(0, 12)).replace(/^\//, ''), image: c.Config?.Image ?? null };
    // `--network container:X` (and a pod's app containers) join another's namespace: the
    // namespace is named after the container that owns it.
    const joined = mode.startsWith('container:');
    const prev = labels.get(inode);
    if (!prev || (prev.joined && !joined) || (prev.joined === joined && label.name < prev.label.name)) labels.set(inode, { label, joined });
  }
  return new Map([...labels].map(([inode, v]) => [inode, v.label]));
}

/** The container of a namespace from the cgroup of its lowest readable pid, or null. */
async function fromCgroup(ns: NamespaceToLabel, procRoot: string): Promise<ContainerLabel | null> {
  if (ns.kind === 'root') return null;
  let tries = 0;
  for (const pid of [...ns.pids].sort((a, b) => a - b)) {
    if (tries++ >= CGROUP_TRIES) break;
    let text: string;
    try {
      text = await readFile(path.join(procRoot, String(pid), 'cgroup'), 'utf8');
    } catch {
      continue; // exited since the scan
    }
    // The first process in a namespace is the one that made it (a container's init, a
    // pod's pause); an `nsenter` from the host later does not rename it.
    const id = containerIdFromCgroup(text);
    return id ? { id, name: id.slice(0, 12), image: null } : null;
  }
  return null;
}

/**
 * Container labels for the given namespaces, keyed by namespace inode. Only inodes from
 * `namespaces` appear in the result. Never throws for an unreachable engine.
 */
export async function labelContainers(namespaces: NamespaceToLabel[], opts: LabelOptions = {}): Promise<Map<number, ContainerLabel>> {
  const procRoot = opts.procRoot ?? '/proc';
  const o = {
    timeoutMs: opts.timeoutMs ?? 1000,
    inodeOfPid: opts.inodeOfPid ?? ((pid: number) => statInode(path.join(procRoot, String(pid), 'ns/net'))),
    inodeOfPath: opts.inodeOfPath ?? statInode,
  };
  const result = new Map<number, ContainerLabel>();
  const perEngine = await Promise.all(engineSockets(opts.dockerSocket).map((s) => fromEngine(s, namespaces, o)));
  for (const labels of perEngine) for (const [inode, label] of labels) if (!result.has(inode)) result.set(inode, label);
  for (const ns of namespaces) {
    if (result.has(ns.inode)) continue;
    const label = await fromCgroup(ns, procRoot);
    if (label) result.set(ns.inode, label);
  }
  return result;
}

export { containerIdFromCgroup } from './cgroup.js';
export { engineSockets } from './sockets.js';
