import { MAX_WATCHED_INTERFACES, type InterfaceRates } from '@vethmap/shared';

/** Bytes per second in a short human unit (B/s, kB/s, MB/s, GB/s; decimal, like link speeds). */
export function formatRate(bytesPerSecond: number): string {
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s'];
  let v = bytesPerSecond;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** What a veth edge shows: its traffic label, a width, and whether packets are being dropped. */
export interface EdgeTraffic {
  /** `1.2 MB/s`, plus `⚠ 3 drops/s` when the kernel counts drops. */
  label: string;
  /** Line width in px: grows with the logarithm of the rate. */
  width: number;
  /** Drops or errors per second on the watched end(s) of this pair. */
  dropping: boolean;
}

/**
 * A veth pair's traffic from whichever of its ends are watched: one end's rx + tx is all
 * that crosses the pair (what one end sends, the other receives). Drops and errors are
 * summed over the ends we have. Null when neither end has rates yet.
 */
export function edgeTraffic(a: InterfaceRates | undefined, b: InterfaceRates | undefined): EdgeTraffic | null {
  const ends = [a, b].filter((x): x is InterfaceRates => x !== undefined);
  if (ends.length === 0) return null;
  const bytes = Math.max(...ends.map((r) => r.rxBytes + r.txBytes));
  const bad = ends.reduce((s, r) => s + r.rxDropped + r.txDropped + r.rxErrors + r.txErrors, 0);
  const drops = bad > 0 ? ` ⚠ ${bad < 10 ? bad.toFixed(1) : Math.round(bad)} drops/s` : '';
  return { label: bytes > 0 || bad > 0 ? `${formatRate(bytes)}${drops}` : '', width: 2.5 + Math.min(7, Math.log10(1 + bytes) * 1.1), dropping: bad > 0 };
}

/** A drawn veth pair: its two ends and the namespaces they live in. */
export interface DrawnPair {
  a: string;
  b: string;
  nsA: string;
  nsB: string;
}

/**
 * The interfaces a page asks rates for: the selection and its peer first, then the path of
 * a trace, then one end of each drawn pair, the end in the namespace holding more drawn
 * ends (usually the host's side, so the server reads one namespace rather than hundreds);
 * at most MAX_WATCHED_INTERFACES.
 */
export function watchList(pairs: readonly DrawnPair[], first: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const p of pairs) {
    count.set(p.nsA, (count.get(p.nsA) ?? 0) + 1);
    count.set(p.nsB, (count.get(p.nsB) ?? 0) + 1);
  }
  const out = new Set(first);
  for (const p of pairs) {
    if (out.size >= MAX_WATCHED_INTERFACES) break;
    if (out.has(p.a) || out.has(p.b)) continue;
    out.add((count.get(p.nsA) ?? 0) >= (count.get(p.nsB) ?? 0) ? p.a : p.b);
  }
  return [...out].slice(0, MAX_WATCHED_INTERFACES);
}
