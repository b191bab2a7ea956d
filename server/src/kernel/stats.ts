/**
 * Interface counters: RTM_GETSTATS with only IFLA_STATS_LINK_64 asked for (the same
 * struct rtnl_link_stats64 as a link's IFLA_STATS64, without the rest of the link), as
 * `ip -s link` reads them. Pure codec; layouts from include/uapi/linux/if_link.h.
 */
import { header, nextSeq } from './rtnetlink.js';

export const RTM_NEWSTATS = 92;
const RTM_GETSTATS = 94;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const IFLA_STATS_LINK_64 = 1;
/** IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64). */
const FILTER_LINK_64 = 1 << (IFLA_STATS_LINK_64 - 1);

/**
 * The counters vethmap shows, from struct rtnl_link_stats64 (since the interface was
 * created). The kernel's u64 values are read as Numbers: exact up to 2^53 (9 PB); beyond,
 * a rate computed from them is off by a few bytes per sample. Numbers rather than BigInts
 * because a sampler reads hundreds of them a second (BigInts cost allocations and GC).
 */
export interface LinkCounters {
  ifindex: number;
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
  rxErrors: number;
  txErrors: number;
  rxDropped: number;
  txDropped: number;
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

const u64 = (b: Buffer, off: number): number => b.readUInt32LE(off) + b.readUInt32LE(off + 4) * 0x1_0000_0000;

/** Decodes an RTM_NEWSTATS payload; null when it carries no IFLA_STATS_LINK_64. A plain loop: it runs for every watched link every second. */
export function parseStats(payload: Buffer): LinkCounters | null {
  if (payload.length < 12) return null;
  const ifindex = payload.readUInt32LE(4);
  let off = 12;
  while (off + 4 <= payload.length) {
    const len = payload.readUInt16LE(off);
    if (len < 4 || off + len > payload.length) return null;
    if ((payload.readUInt16LE(off + 2) & 0x3fff) === IFLA_STATS_LINK_64 && len >= 4 + 64) {
      const v = off + 4;
      return {
        ifindex,
        rxPackets: u64(payload, v),
        txPackets: u64(payload, v + 8),
        rxBytes: u64(payload, v + 16),
        txBytes: u64(payload, v + 24),
        rxErrors: u64(payload, v + 32),
        txErrors: u64(payload, v + 40),
        rxDropped: u64(payload, v + 48),
        txDropped: u64(payload, v + 56),
      };
    }
    off += (len + 3) & ~3;
  }
  return null;
}
