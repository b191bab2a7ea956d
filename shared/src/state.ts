import type { Interface } from './model.js';

/**
 * What a user means by "is this link working", from the kernel's flags:
 * `up` (admin up and carrier), `down` (administratively down), `no-carrier` (admin up but
 * the lower layer is down: for a veth, the other end is down).
 */
export type LinkState = 'up' | 'down' | 'no-carrier';

export function linkState(i: Pick<Interface, 'adminUp' | 'lowerUp' | 'operstate'>): LinkState {
  if (!i.adminUp) return 'down';
  // Loopback and some virtual devices report operstate UNKNOWN with LOWER_UP: they work.
  if (!i.lowerUp) return 'no-carrier';
  return 'up';
}

/** A veth pair carries traffic only if both ends are up (veth(4)). */
export function pairState(a: Interface, b: Interface | undefined): LinkState {
  const sa = linkState(a);
  if (!b) return sa;
  const sb = linkState(b);
  if (sa === 'down' || sb === 'down') return 'down';
  if (sa === 'no-carrier' || sb === 'no-carrier') return 'no-carrier';
  return 'up';
}
