import type { Topology, TopologyDiff } from './model.js';
import type { TimelineBatch } from './timeline.js';
import { MAX_WATCH_ID_LENGTH, MAX_WATCHED_INTERFACES, type StatsUpdate, type StatsWatch } from './stats.js';
import type { WhyAnswer, WhyRequest } from './why.js';

/**
 * The largest websocket frame a client may send (bytes); the server closes a connection
 * that sends more (close code 1009). It holds the largest message the schemas accept: a
 * `stats:watch` of MAX_WATCHED_INTERFACES ids of MAX_WATCH_ID_LENGTH characters, each of
 * which JSON may write as six bytes (`\u0001`), plus socket.io's framing. (At 4 KiB a page
 * watching the ~500 interfaces a 1000-namespace map shows was closed on every connect, and
 * saw live changes only as the snapshot of its next reconnect.)
 */
export const MAX_CLIENT_MESSAGE_BYTES = MAX_WATCHED_INTERFACES * (MAX_WATCH_ID_LENGTH * 6 + 3) + 256;

/** socket.io events the server sends. Payloads are validated by the client on arrival. */
export interface ServerToClientEvents {
  /** The whole topology: on connect, and in answer to `resync`. */
  snapshot: (topology: Topology) => void;
  /** One change, in version order. A client whose version is not `fromVersion` resyncs. */
  diff: (diff: TopologyDiff) => void;
  /**
   * Timeline entries: right after connecting, the recent ones (`replay: true`, replacing
   * whatever the client held); then each change's new entries as they are made.
   */
  timeline: (batch: TimelineBatch) => void;
  /** Traffic rates of the interfaces this client watches (`stats:watch`), every sample while it watches any. */
  stats: (update: StatsUpdate) => void;
}

/** socket.io events a client sends. */
export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (after a version gap or a reconnect). */
  resync: () => void;
  /** Watch these interfaces' traffic (replaces the previous list; empty stops). Validated with `StatsWatch`. */
  'stats:watch': (watch: StatsWatch) => void;
  /** Trace "why can't A reach B?"; answered through the acknowledgement. Validated with `WhyRequest`. */
  why: (request: WhyRequest, answer: (a: WhyAnswer) => void) => void;
}
