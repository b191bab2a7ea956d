import { z } from 'zod';

/** The most interfaces one page may watch at once (the server bounds what a client can make it read). */
export const MAX_WATCHED_INTERFACES = 512;
/** The longest interface id a watch may name (ids are `nif:<namespace inode>:<ifindex>`, ~25). */
export const MAX_WATCH_ID_LENGTH = 80;

/** What a page asks with the socket `stats:watch` event: the interfaces it shows now (empty: none). */
export const StatsWatch = z.object({
  interfaces: z.array(z.string().max(MAX_WATCH_ID_LENGTH)).max(MAX_WATCHED_INTERFACES),
});
export type StatsWatch = z.infer<typeof StatsWatch>;

/**
 * One interface's traffic between two samples, per second, from the kernel's 64-bit link
 * counters (IFLA_STATS64 / RTM_GETSTATS IFLA_STATS_LINK_64), plus its drop and error totals.
 */
export const InterfaceRates = z.object({
  rxBytes: z.number(),
  txBytes: z.number(),
  rxPackets: z.number(),
  txPackets: z.number(),
  /** rx_dropped / tx_dropped per second. */
  rxDropped: z.number(),
  txDropped: z.number(),
  /** rx_errors / tx_errors per second. */
  rxErrors: z.number(),
  txErrors: z.number(),
  /** rx_dropped + tx_dropped since the interface was created. */
  droppedTotal: z.number(),
  /** rx_errors + tx_errors since the interface was created. */
  errorsTotal: z.number(),
});
export type InterfaceRates = z.infer<typeof InterfaceRates>;

/** The socket `stats` event: rates of the watched interfaces that have two samples, by interface id. */
export const StatsUpdate = z.object({
  /** ISO time of the sample. */
  at: z.string(),
  /** The sampling interval in milliseconds (rates are computed over the time that really passed). */
  intervalMs: z.number(),
  rates: z.record(z.string(), InterfaceRates),
});
export type StatsUpdate = z.infer<typeof StatsUpdate>;
