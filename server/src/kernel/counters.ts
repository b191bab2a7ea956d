import { addon } from './native.js';
import { enterPath } from './rtnl.js';
import { parseMessages } from './rtnetlink.js';
import { parseStats, RTM_NEWSTATS, statsDumpRequest, statsGetRequest, type LinkCounters } from './stats.js';

const TIMEOUT_MS = 5000;

/** Above this many links of one namespace, one dump is cheaper than a get per link. */
const DUMP_ABOVE = 8;

/**
 * `ip -s link show` asked again and again of one namespace (a traffic sampler): one request
 * socket kept until `close()`. The socket pins the namespace: close it when the namespace
 * is no longer watched or has gone away.
 */
export class CountersReader {
  private readonly fd: number;

  constructor(nsPath: string | null) {
    this.fd = addon().openSocket(enterPath(nsPath), 0, 0);
  }

  /** The 64-bit counters (bytes, packets, errors, drops) of these links, by ifindex; links that are gone are left out. */
  read(ifindexes: readonly number[]): Map<number, LinkCounters> {
    const out = new Map<number, LinkCounters>();
    const take = (reply: Buffer, wanted: ReadonlySet<number> | null): void => {
      // A link that is gone answers ENODEV: parseMessages(…, false) keeps it as an error message, skipped here.
      for (const m of parseMessages(reply, false)) {
        if (m.type !== RTM_NEWSTATS) continue;
        const c = parseStats(m.payload);
        if (c && (wanted === null || wanted.has(c.ifindex))) out.set(c.ifindex, c);
      }
    };
    if (ifindexes.length > DUMP_ABOVE) take(addon().request(this.fd, statsDumpRequest(), TIMEOUT_MS), new Set(ifindexes));
    else for (const i of ifindexes) take(addon().request(this.fd, statsGetRequest(i), TIMEOUT_MS), null);
    return out;
  }

  close(): void {
    addon().close(this.fd);
  }
}

/** `ip -s link show` for some links of one namespace, once (a socket opened and closed). */
export function linkCounters(nsPath: string | null, ifindexes: readonly number[]): Map<number, LinkCounters> {
  const r = new CountersReader(nsPath);
  try {
    return r.read(ifindexes);
  } finally {
    r.close();
  }
}
