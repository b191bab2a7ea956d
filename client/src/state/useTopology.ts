import type { Topology } from '@vethmap/shared';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { connect, type Connection, type ConnectionStatus } from './connection.js';
import { TopologyStore } from './store.js';

const idle = new TopologyStore(() => undefined);

/** The live topology, the connection status and the connection itself (traffic, why), for React. One socket per mounted app. */
export function useTopology(): { topology: Topology | null; status: ConnectionStatus; connection: Connection | null } {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [conn, setConn] = useState<Connection | null>(null);
  useEffect(() => {
    const c = connect(setStatus);
    setConn(c);
    return () => c.close();
  }, []);
  const store = conn?.store ?? idle;
  const topology = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { topology, status, connection: conn };
}
