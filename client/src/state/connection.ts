import { WhyAnswer, type ClientToServerEvents, type ServerToClientEvents, type WhyRequest } from '@vethmap/shared';
import { io, type Socket } from 'socket.io-client';
import { TopologyStore } from './store.js';
import { TrafficStore } from './traffic.js';
import { TimelineLog } from './timeline.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'unauthorized';

export interface Connection {
  store: TopologyStore;
  /** Rates of the interfaces `watch` asked for. */
  traffic: TrafficStore;
  /** What changed recently (issue 12): the server's replay on connect, then each change's entries. */
  timeline: TimelineLog;
  /** Says which interfaces the page shows now (empty: none); kept across reconnects. */
  watch(ids: readonly string[]): void;
  /** Asks the server "why can't `from` reach `to`?". */
  why(request: WhyRequest): Promise<WhyAnswer>;
  close(): void;
}

/**
 * Connects to the server that served the page (same origin, default socket.io path) and
 * feeds the store. The server sends a snapshot on every connect; after a reconnect we also
 * ask for one explicitly, because diffs sent while we were away are lost.
 *
 * The token, when the server asks for one, is never seen here: the server traded the
 * `?token=` of the URL for an HttpOnly cookie before the page loaded, and the browser
 * sends that cookie with the websocket handshake (same origin). Websocket only, as the
 * server accepts nothing else.
 */
export function connect(onStatus: (s: ConnectionStatus) => void): Connection {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
  const store = new TopologyStore(() => socket.emit('resync'));
  const traffic = new TrafficStore();
  const timeline = new TimelineLog();
  let watched: string[] = [];
  let everConnected = false;
  // A refused handshake does not say why (browsers hide the answer to a websocket
  // upgrade): ask the API whether the token is what is missing (a restart with a new one).
  let unauthorized = false;
  socket.on('connect_error', () => {
    void fetch('/api/topology', { method: 'HEAD', cache: 'no-store' })
      .then((res) => {
        unauthorized = res.status === 401;
        if (unauthorized) onStatus('unauthorized');
      })
      .catch(() => undefined);
  });
  onStatus('connecting');
  socket.on('connect', () => {
    unauthorized = false;
    onStatus('connected');
    if (everConnected) {
      store.reconnected();
      socket.emit('resync');
      if (watched.length) socket.emit('stats:watch', { interfaces: watched });
    }
    everConnected = true;
  });
  socket.on('disconnect', (reason) => {
    // 'io client disconnect' is our own close(): nothing to show.
    if (reason !== 'io client disconnect') onStatus('disconnected');
  });
  socket.io.on('reconnect_attempt', () => {
    if (!unauthorized) onStatus('reconnecting');
  });
  // The socket's types say what the server promises; the store checks what actually came.
  socket.on('snapshot', (t: unknown) => store.applySnapshot(t));
  socket.on('diff', (d: unknown) => store.applyDiff(d));
  socket.on('stats', (u: unknown) => traffic.apply(u));
  // Sent after the diff it describes (the server's order), so the entry's element is in the store.
  socket.on('timeline', (b: unknown) => void timeline.receive(b));
  return {
    store,
    traffic,
    timeline,
    watch(ids) {
      if (ids.length === watched.length && ids.every((id, k) => id === watched[k])) return;
      watched = [...ids];
      if (watched.length === 0) traffic.clear();
      socket.emit('stats:watch', { interfaces: watched });
    },
    async why(request) {
      const raw: unknown = await socket.timeout(30_000).emitWithAck('why', request);
      const parsed = WhyAnswer.safeParse(raw);
      return parsed.success ? parsed.data : { error: 'the server answered something that is not a report' };
    },
    close: () => {
      socket.close();
    },
  };
}
