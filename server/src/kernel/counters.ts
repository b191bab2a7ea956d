import { addon } from './native.js';
import { enterPath } from './rtnl.js';
import { parseMessages } from './rtnetlink.js';
import { parseStats, RTM_NEWSTATS, statsDumpRequest, statsGetRequest, type LinkCounters } from './stats.js';

const TIMEOUT_MS = 5000;

/** Above this many links of one namespace, one dump is cheaper than a get per link. */
const DUMP_ABOVE = 8;

/**
 * `ip -s link show` for some links of one namespace: their 64-bit counters (bytes,
 * packets, errors, drops), by ifindex. Links that are gone are left out.
 */
export function linkCounters(nsPath: string | null, ifindexes: readonly number[]): Map<number, LinkCounters> {
  const a = addon();
  const fd = a.openSocket(enterPath(nsPath), 0, 0);
  const out = new Map<number, LinkCounters>();
  try {
    const take = (reply: Buffer, wanted: ReadonlySet<number> | null): void => {
      for (const m of parseMessages(reply, false)) {
        if (m.type !== RTM_NEWSTATS) continue;
        const c = parseStats(m.payload);
        if (c && (wanted === null || wanted.has(c.ifindex))) out.set(c.ifindex, c);
      }
    };
    if (ifindexes.length > DUMP_ABOVE) {
      take(a.request(fd, statsDumpRequest(), TIMEOUT_MS), new Set(ifindexes));
    } else {
      // A link that is gone answers ENODEV, which parseMessages(…, false) leaves as an error message: skipped.
      for (const i of ifindexes) take(a.request(fd, statsGetRequest(i), TIMEOUT_MS), null);
    }
  } finally {
    a.close(fd);
  }
  return out;
}
