import type { Topology, TopologyDiff } from './model.js';
import type { TimelineBatch } from './timeline.js';
import type { StatsUpdate, StatsWatch } from './stats.js';
import type { WhyAnswer, WhyRequest } from './why.js';

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
