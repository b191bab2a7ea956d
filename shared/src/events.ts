import type { Topology, TopologyDiff } from './model.js';
import type { TimelineBatch } from './timeline.js';

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
}

/** socket.io events a client sends. */
export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (after a version gap or a reconnect). */
  resync: () => void;
}
