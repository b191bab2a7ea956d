/**
 * The container a process belongs to, read from its cgroup path (/proc/PID/cgroup) when
 * no engine socket can be asked. Engines put the 64-hex container id in the path:
 *
 * | engine, cgroup driver            | path contains                            |
 * |----------------------------------|------------------------------------------|
 * | Docker, systemd (v2 default)     | `/system.slice/docker-<id>.scope`        |
 * | Docker, cgroupfs (v1 and v2)     | `/docker/<id>`                           |
 * | containerd CRI (Kubernetes)      | `cri-containerd-<id>.scope`              |
 * | CRI-O                            | `crio-<id>.scope`                        |
 * | Podman                           | `libpod-<id>.scope` (not `libpod-conmon-`: the monitor, outside the container) |
 * | kubelet, cgroupfs driver         | `/kubepods/<qos>/pod<uid>/<id>`          |
 */

const ID_PATTERNS: readonly RegExp[] = [
  /\/docker-([0-9a-f]{64})\.scope(?:\/|$)/,
  /\/docker\/([0-9a-f]{64})(?:\/|$)/,
  /\/cri-containerd-([0-9a-f]{64})\.scope(?:\/|$)/,
  /\/crio-([0-9a-f]{64})\.scope(?:\/|$)/,
  /\/libpod-([0-9a-f]{64})\.scope(?:\/|$)/,
  /\/kubepods[^:\n]*\/pod[0-9a-f_-]+\/([0-9a-f]{64})(?:\/|$)/,
];

/**
 * The container id in a /proc/PID/cgroup text (`hierarchy:controllers:path` per line, one
 * `0::path` line on cgroup v2), or null for a process that is in no container.
 */
export function containerIdFromCgroup(text: string): string | null {
  for (const line of text.split('\n')) {
    const cgroupPath = line.split(':').slice(2).join(':');
    if (!cgroupPath) continue;
    for (const re of ID_PATTERNS) {
      const m = re.exec(cgroupPath);
      if (m?.[1]) return m[1];
    }
  }
  return null;
}
