import { namespaceId, type Namespace } from '@vethmap/shared';
import { processName, type NetnsEntry } from '../kernel/index.js';

export type ContainerLabel = NonNullable<Namespace['container']>;

/** What a user calls a namespace: its netns name, `root`, or `pid N (comm)`. */
export function namespaceLabel(entry: NetnsEntry, comm: (pid: number) => string | null = processName): string {
  switch (entry.kind) {
    case 'root':
      return 'root';
    case 'named':
      return entry.name ?? `netns ${entry.inode}`;
    case 'docker':
      return `docker ${entry.name ?? entry.inode}`;
    case 'process': {
      const pid = entry.pids[0];
      if (pid === undefined) return `netns ${entry.inode}`;
      const c = entry.comm !== undefined ? entry.comm : comm(pid);
      return c === null ? `pid ${pid}` : `pid ${pid} (${c})`;
    }
  }
}

export function toNamespace(entry: NetnsEntry, container: ContainerLabel | null, comm?: (pid: number) => string | null): Namespace {
  return {
    id: namespaceId(entry.inode),
    inode: entry.inode,
    kind: entry.kind,
    // A container's own name says more than a pid or a sandbox id.
    name: container && entry.kind !== 'named' && entry.kind !== 'root' ? container.name : namespaceLabel(entry, comm),
    pid: entry.pids[0] ?? null,
    container,
  };
}
