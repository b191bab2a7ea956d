/**
 * Shapes shared by the demo lab's files. The lab is the only vethmap code that changes
 * host networking; everything it makes is named with LAB_PREFIX so `lab down` can find
 * it again and can refuse to touch anything else.
 */

/** Every namespace and link the lab makes starts with this; `lab down` touches nothing else. */
export const LAB_PREFIX = 'vlab-';

/** IFNAMSIZ is 16 bytes with the terminating NUL: link names are at most 15 characters. */
export const MAX_LINK_NAME = 15;

/** A failure the user can act on: printed as is, without a stack. */
export class LabError extends Error {
  override readonly name = 'LabError';
}

/** One thing the lab made (for `up`) or removed (for `down`). */
export interface LabResource {
  /** `namespace` from `ip netns add`; `process-namespace` held only by a process (no name in /var/run/netns). */
  kind: 'namespace' | 'process-namespace' | 'bridge' | 'veth' | 'link';
  /** The netns name or link name, always with the `vlab-` prefix. */
  name: string;
  /** Human words: where it lives, its peer, its addresses, its pid. */
  detail: string;
}

/** What `labUp` / `labDown` did. */
export interface LabReport {
  action: 'up' | 'down';
  /** Scenarios created (up) or the ones whose state was cleared (down: always all). */
  scenarios: string[];
  /** Scenarios not created because some of their names already existed. */
  skipped: string[];
  resources: LabResource[];
  /** Things done differently than asked, with the reason (an address that would overlap the host's). */
  warnings: string[];
}

export type LabLog = (line: string) => void;

/** True for names the lab owns. */
export function isLabName(name: string): boolean {
  return name.startsWith(LAB_PREFIX) && name.length > LAB_PREFIX.length;
}

/** Throws unless `name` carries the lab prefix: the guard in front of every delete. */
export function assertLabName(name: string, what: string): void {
  if (!isLabName(name)) {
    throw new LabError(`refusing to touch ${what} "${name}": the lab only manages names starting with "${LAB_PREFIX}"`);
  }
}
