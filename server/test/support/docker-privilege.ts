import { statSync } from 'node:fs';
import { Topology, type Namespace } from '@vethmap/shared';
import type { docker } from '@vethmap/testkit';

/**
 * Least privilege, measured: the project's compose service with one setting taken away
 * at a time, each run as a real container, and what vethmap then sees.
 */

/** The compose service as `docker-compose config` prints it (only what the variants touch). */
export interface ServiceConfig {
  image?: string;
  build?: unknown;
  command?: string[];
  pid?: string;
  network_mode?: string;
  cap_add?: string[];
  tmpfs?: string[];
  restart?: string;
  healthcheck?: { disable?: boolean; [key: string]: unknown };
  volumes?: Array<{ type: string; source: string; target: string; read_only?: boolean; bind?: { propagation?: string } }>;
  [key: string]: unknown;
}

export interface Variant {
  /** Compose service name. */
  service: string;
  /** What was taken away, as the docs table says it. */
  label: string;
  apply(s: ServiceConfig): void;
}

const withoutVolume = (target: string) => (s: ServiceConfig) => {
  s.volumes = (s.volumes ?? []).filter((v) => v.target !== target);
};

export const VARIANTS: Variant[] = [
  { service: 'shipped', label: 'nothing (docker-compose.yml as shipped)', apply: () => undefined },
  { service: 'no-sys-admin', label: 'cap SYS_ADMIN', apply: (s) => { s.cap_add = (s.cap_add ?? []).filter((c) => c !== 'SYS_ADMIN'); } },
  { service: 'no-sys-ptrace', label: 'cap SYS_PTRACE', apply: (s) => { s.cap_add = (s.cap_add ?? []).filter((c) => c !== 'SYS_PTRACE'); } },
  { service: 'no-pid-host', label: '`pid: host`', apply: (s) => { delete s.pid; } },
  { service: 'no-host-network', label: '`network_mode: host`', apply: (s) => { delete s.network_mode; } },
  { service: 'no-netns', label: 'mount /var/run/netns', apply: withoutVolume('/var/run/netns') },
  {
    service: 'netns-private',
    label: '`rslave` on /var/run/netns',
    apply: (s) => {
      for (const v of s.volumes ?? []) if (v.target === '/var/run/netns') delete v.bind;
    },
  },
  { service: 'no-docker-netns', label: 'mount /var/run/docker/netns', apply: withoutVolume('/var/run/docker/netns') },
  { service: 'no-socket', label: 'mount /var/run/docker.sock', apply: withoutVolume('/var/run/docker.sock') },
  { service: 'no-tmpfs', label: 'tmpfs /tmp (root file system still read-only)', apply: (s) => { delete s.tmpfs; } },
];

/** The shipped command with its `--port` (or `--port=`) value replaced. */
export function withPort(command: readonly string[], port: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < command.length; i++) {
    if (command[i] === '--port') {
      out.push('--port', String(port));
      i++;
    } else if (command[i]!.startsWith('--port=')) out.push(`--port=${port}`);
    else out.push(command[i]!);
  }
  if (!out.some((a) => a === '--port' || a.startsWith('--port='))) throw new Error(`no --port in ${command.join(' ')}`);
  return out;
}

/**
 * One compose file holding every variant as its own service, so one `up` starts them all:
 * each runs the shipped command (token and all) on its own loopback port, never restarts
 * (a crash must show), and has no healthcheck (the shipped one is tested on its own).
 */
export function variantsFile(base: ServiceConfig, image: string, ports: Map<string, number>): object {
  const services: Record<string, ServiceConfig> = {};
  for (const v of VARIANTS) {
    const s = structuredClone(base);
    delete s.build;
    s.healthcheck = { disable: true };
    s.image = image;
    s.restart = 'no';
    s.command = withPort(base.command ?? [], ports.get(v.service)!);
    v.apply(s);
    services[v.service] = s;
  }
  return { version: '3.9', services };
}

/** What the test made for the variants to find, known from the host. */
export interface Scene {
  hostRoot: number;
  named: string;
  /** Created after the variant containers started. */
  namedLate: string;
  processHeld: number;
  containers: Array<{ name: string; image: string; inode: number }>;
}

/** How a namespace the test made shows up: not at all, listed but not entered, or read. */
export type Seen = 'missing' | 'listed, not read' | 'read' | 'read, no peer';

/** One row of the measured table. */
export interface Measured {
  service: string;
  /** `serve` answered /api/health inside its container. */
  serves: boolean;
  /** ... and on the host's 127.0.0.1:PORT. */
  reachableFromHost: boolean;
  /** The namespace vethmap calls root is the host's. */
  rootIsHost: boolean;
  /** The named namespace made before the container started (`read, no peer` when its veth's peer was not resolved). */
  named: Seen;
  /** The named namespace made after it started. */
  namedLate: Seen;
  /** The `unshare --net sleep` namespace. */
  processHeld: Seen;
  /** Per busybox container: `missing`, or its namespace kind and label (`name+image`, `short id`), and `not read` when not entered. */
  containers: string[];
  warnings: string[];
}

export function nsInode(file: string): number {
  return statSync(file).ino;
}

function seen(t: Topology, ns: Namespace | undefined): Seen {
  if (!ns) return 'missing';
  return t.interfaces.some((i) => i.namespace === ns.id) ? 'read' : 'listed, not read';
}

/** Runs `vethmap snapshot` inside the variant's container (same capabilities, mounts and namespaces) and reads it against the scene. */
export async function measure(engine: docker.DockerEngine, project: docker.ComposeProject, service: string, port: number, scene: Scene): Promise<Measured> {
  const container = project.container(service);
  const health = `fetch('http://127.0.0.1:${port}/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`;
  // A second is plenty for `serve` to listen on a quiet host; a loaded one gets three minutes
  // (one minute was not enough once, with another test's 2000 namespaces on the host).
  let serves = false;
  for (const deadline = Date.now() + 180_000; !serves && Date.now() < deadline; ) {
    serves = await engine.docker(['exec', container, 'node', '-e', health]).then(() => true, () => false);
    if (!serves) await new Promise((r) => setTimeout(r, 500));
  }
  // Refused at once where nothing listens on the host's loopback; a slow answer gets 30 s.
  const reachableFromHost = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.ok, () => false);
  const t = Topology.parse(JSON.parse(await engine.docker(['exec', container, 'node', '/app/server/dist/cli.js', 'snapshot'])));
  const named = t.namespaces.find((n) => n.name === scene.named);
  const namedPeered = t.interfaces.some((i) => i.namespace === named?.id && i.kind === 'veth' && i.peer !== null);
  return {
    service,
    serves,
    reachableFromHost,
    rootIsHost: t.namespaces.find((n) => n.kind === 'root')?.inode === scene.hostRoot,
    named: seen(t, named) === 'read' && !namedPeered ? 'read, no peer' : seen(t, named),
    namedLate: seen(t, t.namespaces.find((n) => n.name === scene.namedLate)),
    processHeld: seen(t, t.namespaces.find((n) => n.inode === scene.processHeld)),
    containers: scene.containers.map((c) => {
      const ns = t.namespaces.find((n) => n.inode === c.inode);
      if (!ns) return 'missing';
      const label = ns.container?.name === c.name && ns.container.image === c.image ? 'name+image' : ns.container ? 'short id' : 'unlabelled';
      return `${ns.kind}, ${label}${seen(t, ns) === 'read' ? '' : ', not read'}`;
    }),
    warnings: t.warnings,
  };
}

/** A measured row as the docs table shows it (docs/deploy.md, "Least privilege, measured"). */
export function tableRow(m: Measured): string[] {
  const label = VARIANTS.find((v) => v.service === m.service)?.label ?? m.service;
  const serves = m.reachableFromHost ? 'yes' : m.serves ? "inside the container only" : 'no';
  const containers = [...new Set(m.containers)].join('; ');
  const warnings = m.warnings.length === 0
    ? 'none'
    // `cannot read namespace NAME: setns: Operation not permitted`, for each one.
    : m.warnings.every((w) => /setns: Operation not permitted$/.test(w)) ? 'one per namespace: `setns: Operation not permitted`'
    : [...new Set(m.warnings.map((w) => `\`${w.replace(/\d+/g, 'N')}\``))].join('; ');
  return [label, serves, m.rootIsHost ? "the host's" : "the container's own", `${m.named} / ${m.namedLate}`, m.processHeld, containers, warnings];
}
