import type { ClientToServerEvents, ServerToClientEvents } from '@vethmap/shared';
import { io, type Socket } from 'socket.io-client';
import { TopologyStore } from './store.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface Connection {
  store: TopologyStore;
  close(): void;
}

/**
 * Connects to the server that served the page (same origin, default socket.io path) and
 * feeds the store. The server sends a snapshot on every connect; after a reconnect we also
 * ask for one explicitly, because diffs sent while we were away are lost.
 */
export function connect(onStatus: (s: ConnectionStatus) => void): Connection {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket', 'polling'] });
  const store = new TopologyStore(() => socket.emit('resync'));
  let everConnected = false;
  onStatus('connecting');
  socket.on('connect', () => {
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
  socket.io.on('reconnect_attempt', () => onStatus('reconnecting'));
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
