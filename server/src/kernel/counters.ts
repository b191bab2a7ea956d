import { addon } from './native.js';
import { enterPath } from './rtnl.js';
import { parseStats, RTM_NEWSTATS, statsDumpRequest, statsGetRequest, type LinkCounters } from './stats.js';

const TIMEOUT_MS = 5000;

/** Above this many links of one namespace, one dump is cheaper than a get per link. */
const DUMP_ABOVE = 8;

/**
 * Walks the messages of a reply (a sampler reads many every second: no Message objects), handing
 * each RTM_NEWSTATS's counters to `use`. A link that is gone answers ENODEV (an NLMSG_ERROR): skipped.
 */
function take(reply: Buffer, use: (c: LinkCounters) => unknown, wanted: ReadonlySet<number> | null = null): void {
  let off = 0;
  while (off + 16 <= reply.length) {
    const len = reply.readUInt32LE(off);
    if (len < 16 || off + len > reply.length) return;
    // if_stats_msg.ifindex sits 4 bytes into the payload: links nobody watches are not decoded.
    if (reply.readUInt16LE(off + 4) === RTM_NEWSTATS && len >= 28 && (wanted === null || wanted.has(reply.readUInt32LE(off + 20)))) {
      const c = parseStats(reply.subarray(off + 16, off + len));
      if (c) use(c);
    }
    off += (len + 3) & ~3;
  }
}

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
    if (ifindexes.length > DUMP_ABOVE) {
      const wanted = new Set(ifindexes);
      take(addon().request(this.fd, statsDumpRequest(), TIMEOUT_MS), (c) => out.set(c.ifindex, c), wanted);
    } else {
      for (const i of ifindexes) take(addon().request(this.fd, statsGetRequest(i), TIMEOUT_MS), (c) => out.set(c.ifindex, c));
    }
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
