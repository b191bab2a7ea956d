import { z } from 'zod';

/** What a hop is about: the part of the kernel's state that decides it. */
export const HopConcern = z.enum(['address', 'route', 'link', 'bridge', 'neighbour', 'sysctl', 'firewall', 'destination']);
export type HopConcern = z.infer<typeof HopConcern>;

/**
 * One step of a path trace (`vethmap why`): ✓ (ok true), ✗ (ok false) or "cannot tell"
 * (ok null), with the kernel's evidence and the command that confirms it.
 */
export const Hop = z.object({
  /** true: this step lets the packet through; false: it stops it here; null: vethmap cannot tell (evidence says why). */
  ok: z.boolean().nullable(),
  /** Where: `namespace / interface` or `namespace`. */
  where: z.string(),
  /** What was checked and what it means, in one sentence. */
  what: z.string(),
  /** The kernel's own words: attribute values, route answers, counters. */
  evidence: z.string(),
  /** A read-only command that shows the same thing. */
  confirm: z.string(),
  /** For a ✗: the usual fix (shown, never run by vethmap). */
  fix: z.string().nullable(),
  concern: HopConcern,
  /** request: on the way to the destination; reply: the answer's way back. */
  direction: z.enum(['request', 'reply']),
  /** Map ids (`nif:…`, `ns:…`) this hop is about, to draw it. */
  ids: z.array(z.string()),
});
export type Hop = z.infer<typeof Hop>;

/** One end of a trace as vethmap understood it. */
export const WhyEndpoint = z.object({
  /** What the user asked for (`ns/iface`, a namespace, an IP). */
  asked: z.string(),
  /** `ns:<inode>` of the namespace, null for an address outside every known namespace. */
  namespace: z.string().nullable(),
  /** `nif:…` of the interface, when one was named or the address belongs to one. */
  interface: z.string().nullable(),
  /** The IP address used for the trace (null when none could be chosen). */
  address: z.string().nullable(),
});
export type WhyEndpoint = z.infer<typeof WhyEndpoint>;

/** The answer to "why can't A reach B?" (`vethmap why A B --json`, socket `why`). */
export const WhyReport = z.object({
  /** true: every hop lets the packet through; false: a hop stops it; null: vethmap cannot tell (summary says why). */
  reachable: z.boolean().nullable(),
  /** One sentence: the first failing hop, or why vethmap cannot tell. */
  summary: z.string(),
  from: WhyEndpoint,
  to: WhyEndpoint,
  hops: z.array(Hop),
  /** Interface ids in the order the request crosses them (for drawing the path). */
  path: z.array(z.string()),
});
export type WhyReport = z.infer<typeof WhyReport>;

/** What a page asks with the socket `why` event. */
export const WhyRequest = z.object({
  from: z.string().min(1).max(300),
  to: z.string().min(1).max(300),
});
export type WhyRequest = z.infer<typeof WhyRequest>;

/** The socket `why` event's answer: a report, or what went wrong. */
export const WhyAnswer = z.union([z.object({ report: WhyReport }), z.object({ error: z.string() })]);
export type WhyAnswer = z.infer<typeof WhyAnswer>;
