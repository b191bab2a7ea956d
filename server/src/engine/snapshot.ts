import type { Topology } from '@vethmap/shared';
import type { NetnsSources } from '../kernel/index.js';
import { HostState, type LabelCandidate } from '../discover/host.js';
import type { ContainerLabel } from '../discover/netns.js';

export type ContainerLabeller = (namespaces: LabelCandidate[]) => Promise<Map<number, ContainerLabel>>;

/** One full read, for `vethmap snapshot`, `peer` and the tests' fresh scans: no watchers, nothing kept. */
export async function snapshotOnce(options: { sources?: NetnsSources; labelContainers?: ContainerLabeller } = {}): Promise<Topology> {
  const host = new HostState(options.sources);
  host.enumerate();
  host.collectAll();
  if (options.labelContainers) host.setContainerLabels(await options.labelContainers(host.labelCandidates()));
  return host.topology(1);
}
