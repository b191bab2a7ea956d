/**
 * Interface counters: RTM_GETSTATS with only IFLA_STATS_LINK_64 asked for (the same
 * struct rtnl_link_stats64 as a link's IFLA_STATS64, without the rest of the link), as
 * `ip -s link` reads them. Pure codec; layouts from include/uapi/linux/if_link.h.
 */
import { attributes, header, nextSeq } from './rtnetlink.js';

export const RTM_NEWSTATS = 92;
const RTM_GETSTATS = 94;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const IFLA_STATS_LINK_64 = 1;
/** IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64). */
const FILTER_LINK_64 = 1 << (IFLA_STATS_LINK_64 - 1);

/** The counters vethmap shows, from struct rtnl_link_stats64 (since the interface was created). */
export interface LinkCounters {
  ifindex: number;
  rxPackets: bigint;
  txPackets: bigint;
  rxBytes: bigint;
  txBytes: bigint;
  rxErrors: bigint;
  txErrors: bigint;
  rxDropped: bigint;
  txDropped: bigint;
}

/** `ip -s link show` of every link of the namespace: RTM_GETSTATS dump, 64-bit link counters only. */
export function statsDumpRequest(): Buffer {
  const b = header(16 + 12, RTM_GETSTATS, NLM_F_REQUEST | NLM_F_DUMP, nextSeq());
  b.writeUInt32LE(FILTER_LINK_64, 24);
  return b;
}

/** `ip -s link show dev IFINDEX`: one link's 64-bit counters. */
export function statsGetRequest(ifindex: number): Buffer {
  const b = header(16 + 12, RTM_GETSTATS, NLM_F_REQUEST, nextSeq());
  b.writeUInt32LE(ifindex, 20);
  b.writeUInt32LE(FILTER_LINK_64, 24);
  return b;
}

/** Decodes an RTM_NEWSTATS payload; null when it carries no IFLA_STATS_LINK_64. */
export function parseStats(payload: Buffer): LinkCounters | null {
  const ifindex = payload.readUInt32LE(4);
  for (const [type, v] of attributes(payload, 12)) {
    if (type !== IFLA_STATS_LINK_64 || v.length < 64) continue;
    return {
      ifindex,
      rxPackets: v.readBigUInt64LE(0),
      txPackets: v.readBigUInt64LE(8),
      rxBytes: v.readBigUInt64LE(16),
      txBytes: v.readBigUInt64LE(24),
      rxErrors: v.readBigUInt64LE(32),
      txErrors: v.readBigUInt64LE(40),
      rxDropped: v.readBigUInt64LE(48),
      txDropped: v.readBigUInt64LE(56),
    };
  }
  return null;
}
