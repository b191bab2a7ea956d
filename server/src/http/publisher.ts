import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, Topology, TopologyDiff } from '@vethmap/shared';
import type { TopologyEncoder } from './encoded.js';
import type { Refusal } from './guard.js';
import { DEFAULT_MAX_CLIENTS } from './defaults.js';

/** What the server publishes from: the live engine, or a capture file. */
export interface TopologySource {
  readonly topology: Topology;
  on(event: 'diff', listener: (diff: TopologyDiff) => void): unknown;
}

/** What one client may make the server hold, and how often it may ask. */
export interface PublishLimits {
  /** socket.io clients connected at once; the next handshake is refused with a message. */
  maxClients: number;
  /**
   * Bytes a client may leave unread beyond one snapshot (diffs queued behind it) before it
   * is dropped. Past it, a client is not reading, or too slowly to ever catch up.
   */
  clientBacklogBytes: number;
  /** Least time between two snapshots to the same client. */
  snapshotIntervalMs: number;
}

/**
 * Unread bytes under which a client counts as reading: a diff just written sits in
 * engine.io's queue until the kernel takes it (a tick or two), which must not delay the
 * answer to a client that reads.
 */
const READING = 64 << 10;

export const DEFAULT_LIMITS: PublishLimits = { maxClients: DEFAULT_MAX_CLIENTS, clientBacklogBytes: 8 << 20, snapshotIntervalMs: 1000 };

/** Counters for /metrics. */
export interface PublishStats {
  snapshots: number;
  resyncRequests: number;
  /** Resyncs not answered with a snapshot of their own (one was pending, or had this version). */
  resyncsCoalesced: number;
  /** Clients dropped for leaving more than their backlog unread. */
  dropped: number;
}

/** Per client: the version of the last snapshot it was sent, when, and whether it wants one. */
export interface ClientState {
  sentVersion: number;
  sentAt: number;
  wantsSnapshot: boolean;
}

export type PublishServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ClientState>;
type Client = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ClientState>;

/** engine.io's queue entry (its `writeBuffer` is not in its typings). */
interface QueuedPacket { data?: string | Buffer; options?: { wsPreEncodedFrame?: Buffer[] } }
interface EngineConnection { writeBuffer: QueuedPacket[]; request: IncomingMessage; transport: { name: string; perMessageDeflate?: unknown } }

/**
 * socket.io publishing: a `snapshot` on connect, then every `diff` to everyone, with what
 * each client can make the server hold bounded whatever it sends or fails to read:
 *
 * - A `resync` is answered only if it can change something: never twice at one version
 *   (on one connection, delivery is ordered: the snapshot already sent, then the diffs
 *   after it, bring the client up to date), never while the client has more than 64 KiB
 *   unread, never more than once per `snapshotIntervalMs`; a refused one is kept as a
 *   flag and answered later if still needed. A flood of resyncs costs nothing.
 * - Snapshots are the encoder's shared buffer, not a copy per client.
 * - A client whose unread backlog (engine.io's queue plus the TCP socket's buffer) goes
 *   past one snapshot plus `clientBacklogBytes` is dropped, its socket destroyed at once
 *   so that what it held is freed (answering pings does not keep it).
 */
export class Publisher {
  readonly stats: PublishStats = { snapshots: 0, resyncRequests: 0, resyncsCoalesced: 0, dropped: 0 };
  private readonly waiting = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: PublishServer,
    private readonly source: TopologySource,
    private readonly encoder: TopologyEncoder,
    private readonly limits: PublishLimits,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.source.on('diff', (diff) => {
      this.io.emit('diff', diff);
      this.dropStalled();
    });
    this.io.on('connection', (socket) => {
      socket.data = { sentVersion: -1, sentAt: 0, wantsSnapshot: false };
      this.sendSnapshot(socket);
      socket.on('resync', () => this.onResync(socket));
      socket.on('disconnect', () => this.waiting.delete(socket));
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** For the handshake: a refusal once `maxClients` are connected. */
  capacity(): Refusal | null {
    const n = this.io.engine.clientsCount;
    if (n < this.limits.maxClients) return null;
    return {
      reason: 'capacity',
      message: `vethmap refused this connection: ${n} clients are connected, the most it serves at once (--max-clients ${this.limits.maxClients}).\n`,
    };
  }

  private onResync(socket: Client): void {
    this.stats.resyncRequests++;
    if (!this.snapshotIfUseful(socket)) this.stats.resyncsCoalesced++;
  }

  /** Sends a snapshot if the client can use one now; otherwise remembers that it asked. */
  private snapshotIfUseful(socket: Client): boolean {
    const state = socket.data;
    if (state.sentVersion === this.source.topology.version) {
      state.wantsSnapshot = false;
      this.waiting.delete(socket);
      return false;
    }
    if (backlogBytes(socket) > READING || Date.now() - state.sentAt < this.limits.snapshotIntervalMs) {
      state.wantsSnapshot = true;
      this.waiting.add(socket);
      this.timer ??= setInterval(() => this.serveWaiting(), Math.min(250, this.limits.snapshotIntervalMs)).unref();
      return false;
    }
    this.sendSnapshot(socket);
    return true;
  }

  private serveWaiting(): void {
    for (const socket of this.waiting) {
      if (socket.disconnected) this.waiting.delete(socket);
      else if (this.snapshotIfUseful(socket)) this.waiting.delete(socket);
    }
    if (this.waiting.size === 0) this.stop();
  }

  private sendSnapshot(socket: Client): void {
    const topology = this.source.topology;
    const encoded = this.encoder.encode(topology);
    const conn = socket.conn as unknown as EngineConnection;
    if (conn.transport.name === 'websocket' && !conn.transport.perMessageDeflate) {
      // The same frame bytes for every client (engine.io's pre-encoded frame, as
      // socket.io's own broadcasts use): the message string is then never read.
      socket.conn.write('', { wsPreEncodedFrame: encoded.frame } as Parameters<typeof socket.conn.write>[1]);
    } else {
      socket.emit('snapshot', topology);
    }
    socket.data = { sentVersion: topology.version, sentAt: Date.now(), wantsSnapshot: false };
    this.stats.snapshots++;
  }

  /** Drops every client whose unread backlog is past one snapshot plus its allowance. */
  private dropStalled(): void {
    const cap = this.encoder.lastBytes + this.limits.clientBacklogBytes;
    for (const socket of this.io.of('/').sockets.values()) {
      const bytes = backlogBytes(socket);
      if (bytes <= cap) continue;
      this.stats.dropped++;
      this.log.warn({ client: socket.handshake.address, backlogBytes: bytes, capBytes: cap }, 'client is not reading what it is sent: dropped');
      // Destroying the TCP socket frees its buffers now; a websocket close would wait
      // 30 s for a client that does not read.
      (socket.conn as unknown as EngineConnection).request.socket.destroy();
      socket.disconnect(true);
    }
  }
}

/** Bytes queued for a client and not yet taken by the kernel: engine.io's queue plus the socket's. */
export function backlogBytes(socket: Client): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = conn.request.socket?.writableLength ?? 0;
  for (const p of conn.writeBuffer) {
    const frame = p.options?.wsPreEncodedFrame;
    if (frame) for (const part of frame) bytes += part.length;
    else if (p.data !== undefined) bytes += p.data.length;
  }
  return bytes;
}
