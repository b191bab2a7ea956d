import type { Topology } from '../../model.js';
import { printable } from '../names.js';

/** The words around a picture: what host, when, and what part of it. */
export interface Frame {
  title: string;
  subtitle: string;
}

/** "vethmap · HOST" and "snapshot TIME · vN · SCOPE": the host name and time are the kernel's. */
export function frameOf(t: Pick<Topology, 'host' | 'takenAt' | 'version' | 'live'>, scope: string): Frame {
  return {
    title: `vethmap · ${printable(t.host)}`,
    subtitle: `snapshot ${printable(t.takenAt)} · v${t.version}${t.live ? '' : ' · capture'}${scope ? ` · ${printable(scope)}` : ''}`,
  };
}
