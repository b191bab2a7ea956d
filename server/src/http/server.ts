import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { ClientToServerEvents, Health, ServerToClientEvents, Topology, TopologyDiff } from '@vethmap/shared';

/** What the server publishes from: the live engine, or a capture file. */
export interface TopologySource {
  readonly topology: Topology;
  on(event: 'diff', listener: (diff: TopologyDiff) => void): unknown;
  /** Asked for by `POST`-less clients only through socket `resync`; a no-op for captures. */
  resync?(): void;
}

export interface ServeOptions {
  host: string;
  port: number;
  log: Logger;
  /** Folder of the built client (client/dist). */
  staticDir?: string;
  /** More of /api/health (the timeline's size). */
  health?: () => Pick<Health, 'timeline'>;
  /** Extra routes (metrics) mounted before the static files. */
  extend?: (app: express.Express, io: Server<ClientToServerEvents, ServerToClientEvents>) => void;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_STATIC_DIR = path.resolve(here, '../../../client/dist');

export interface RunningServer {
  url: string;
  http: HttpServer;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  close(): Promise<void>;
}

/** Publishes a topology source: REST snapshot, health, socket.io snapshot + diffs, the page. */
export async function serve(source: TopologySource, options: ServeOptions): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const http = createServer(app);
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { serveClient: false });

  app.get('/api/topology', (_req, res) => {
    res.json(source.topology);
  });
  app.get('/api/health', (_req, res) => {
    const t = source.topology;
    const body: Health = {
      status: t.warnings.length === 0 ? 'ok' : 'degraded',
      version: t.version,
      namespaces: t.namespaces.length,
      interfaces: t.interfaces.length,
      live: t.live,
      warnings: t.warnings,
      ...options.health?.(),
    };
    res.json(body);
  });
  options.extend?.(app, io);

  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  if (existsSync(path.join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: 'index.html' }));
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('vethmap: the page is not built (run `npm run build`); the API is at /api/topology\n');
    });
  }

  source.on('diff', (diff) => io.emit('diff', diff));
  io.on('connection', (socket) => {
    socket.emit('snapshot', source.topology);
    socket.on('resync', () => socket.emit('snapshot', source.topology));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}`;
  options.log.info({ url }, 'listening');
  return {
    url,
    http,
    io,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
