import type { ClientToServerEvents, ServerToClientEvents } from '@vethmap/shared';
import { io, type Socket } from 'socket.io-client';
import { TopologyStore } from './store.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'unauthorized';

export interface Connection {
  store: TopologyStore;
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
  return {
    store,
    close: () => {
      socket.close();
    },
  };
}
