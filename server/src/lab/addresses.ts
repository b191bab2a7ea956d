/**
 * IPv4 prefix arithmetic for one question: would a lab address in the root namespace
 * overlap a network the host already uses? If so the lab leaves the address out, since a
 * second connected route to the same network would change how the host routes.
 */

export interface Prefix {
  /** Network address as an unsigned 32-bit number. */
  network: number;
  length: number;
}

/** `10.1.2.3/24` (or a bare address, /32) → its network; null for anything else. */
export function parsePrefix(text: string): Prefix | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const length = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || length > 32) return null;
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return { network: (addr & mask) >>> 0, length };
}

/** Two prefixes overlap when the shorter one contains the other's network. */
export function overlaps(a: Prefix, b: Prefix): boolean {
  const len = Math.min(a.length, b.length);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

const RFC1918: Prefix[] = [
  { network: 0x0a000000, length: 8 }, // 10.0.0.0/8
  { network: 0xac100000, length: 12 }, // 172.16.0.0/12
  { network: 0xc0a80000, length: 16 }, // 192.168.0.0/16
];

/** True for 10/8, 172.16/12 and 192.168/16 (RFC 1918): the only ranges the lab may use. */
export function isPrivate(p: Prefix): boolean {
  return RFC1918.some((r) => p.length >= r.length && overlaps(p, r));
}

/**
 * The first of `inUse` (host addresses and routes as `ip` prints them: `10.0.2.15/24`,
 * `192.168.1.0/24`, `default`) that `wanted` would overlap, or null. `default` is skipped:
 * everything overlaps it.
 */
export function firstOverlap(wanted: string, inUse: string[]): string | null {
  const w = parsePrefix(wanted);
  if (!w) return null;
  for (const u of inUse) {
    const p = parsePrefix(u);
    if (p && p.length > 0 && overlaps(w, p)) return u;
  }
  return null;
}
