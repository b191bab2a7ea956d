import { snapshotOnce } from '../engine/snapshot.js';
import { jsonForTerminal } from '../terminal.js';
import { containerLabeller } from './labels.js';

export interface SnapshotOptions {
  dockerSocket?: string;
}

/** `vethmap snapshot`: the /api/topology document on stdout, read once, no server. */
export async function run(opts: SnapshotOptions): Promise<void> {
  const t = await snapshotOnce({ labelContainers: containerLabeller(opts.dockerSocket) });
  process.stdout.write(`${jsonForTerminal(t, 2)}\n`);
}
