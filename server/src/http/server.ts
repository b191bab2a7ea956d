import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import { MAX_CLIENT_MESSAGE_BYTES, type ClientToServerEvents, type Health, type PublicHealth, type ServerToClientEvents } from '@vethmap/shared';
import type { Socket } from 'socket.io';
import { isLoopback, type Access } from './access.js';
import { TopologyEncoder } from './encoded.js';
import { Gate, HEALTH_PATH } from './gate.js';
import { RequestGuard, type Refusal } from './guard.js';
import { securityHeaders } from './headers.js';
import { DEFAULT_LIMITS, Publisher, type PublishLimits, type PublishServer, type PublishStats, type TopologySource } from './publisher.js';

/** One client's socket, typed with vethmap's events. */
export type ClientSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export type { TopologySource } from './publisher.js';

/** What /metrics reports about the publishing side. */
export interface PublishedStats {
  publish: PublishStats;
  /** Requests and handshakes turned away, by reason. */
  refused: Record<Refusal['reason'], number>;
}

export interface ServeOptions {
  host: string;
  port: number;
  log: Logger;
  /** Folder of the built client (client/dist). */
  staticDir?: string;
  /** More of /api/health for an authorized client (the timeline's size). */
  health?: () => Pick<Health, 'timeline'>;
  /** Token and extra origins (default: no token, only this server's own names). */
  access?: Access;
  limits?: Partial<PublishLimits>;
  /** Extra routes (metrics), mounted behind the same guard, before the static files. */
  extend?: (app: express.Express, io: PublishServer, stats: PublishedStats) => void;
  /** Extra socket handlers (traffic, why), attached to each client on connect. */
  handlers?: Array<(socket: ClientSocket) => void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_STATIC_DIR = path.resolve(here, '../../../client/dist');

/** TCP connections at once (page loads, API calls, sockets); beyond, Node closes new ones. */
const MAX_CONNECTIONS = 1024;

export interface RunningServer {
  /** Where to open it (with `?token=…` when the token was generated for this run). */
  url: string;
  http: HttpServer;
  io: PublishServer;
  close(): Promise<void>;
}

/** Publishes a topology source: REST snapshot, health, socket.io snapshot + diffs, the page. */
export async function serve(source: TopologySource, options: ServeOptions): Promise<RunningServer> {
  const { log } = options;
  const access: Access = options.access ?? { token: null, tokenSource: null, allowOrigins: [] };
  if (access.token === null && !isLoopback(options.host)) throw new Error(`listening on ${options.host}, beyond this machine, needs a token`);
  const limits: PublishLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const refused: PublishedStats['refused'] = { host: 0, origin: 0, token: 0, capacity: 0 };
  const warned = new Set<string>();
  const onRefused = (refusal: Refusal, req: IncomingMessage): void => {
    refused[refusal.reason]++;
    // The first of each kind is worth a warning (a misconfigured proxy); a flood is not.
    const level = warned.has(refusal.reason) ? 'debug' : 'warn';
    warned.add(refusal.reason);
    log[level]({ reason: refusal.reason, host: req.headers.host, origin: req.headers.origin, client: req.socket.remoteAddress }, 'request refused');
  };
  const gate = new Gate(new RequestGuard({ listenHost: options.host, allowOrigins: access.allowOrigins }), access.token, onRefused);
  const encoder = new TopologyEncoder();

  const app = express();
  app.disable('x-powered-by');
  // No ETag from hashing each body: for a 200 MB topology that is a SHA-1 of it per request.
  app.set('etag', false);
  app.use(securityHeaders());
  app.use(gate.middleware());
  const http = createServer(app);
  http.maxConnections = MAX_CONNECTIONS;

  const io: PublishServer = new Server(http, {
    serveClient: false,
    // Websocket only: no long-polling queues, no POST bodies, one framing to bound.
    transports: ['websocket'],
    perMessageDeflate: false,
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    connectTimeout: 10_000,
    allowRequest: (req, answer) => {
      let refusal = gate.checkHandshake(req);
      // (publisher is set below; handshakes start only once the server listens)
      if (!refusal && (refusal = publisher.capacity())) onRefused(refusal, req);
      answer(refusal?.message ?? null, refusal === null);
    },
  });
  const publisher = new Publisher(io, source, encoder, limits, log);
  const stats: PublishedStats = { publish: publisher.stats, refused };

  app.get('/api/topology', (_req, res) => {
    res.type('application/json').send(encoder.encode(source.topology).json);
  });
  app.get(HEALTH_PATH, (_req, res) => {
    const t = source.topology;
    const status = t.warnings.length === 0 ? 'ok' : 'degraded';
    // Without the token: up or not, and nothing about the host.
    if (res.locals.authorized !== true) return void res.json({ status } satisfies PublicHealth);
    res.json({ status, version: t.version, namespaces: t.namespaces.length, interfaces: t.interfaces.length, live: t.live, warnings: t.warnings, ...options.health?.() } satisfies Health);
  });
  options.extend?.(app, io, stats);

  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  if (existsSync(path.join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: 'index.html' }));
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('vethmap: the page is not built (run `npm run build`); the API is at /api/topology\n');
    });
  }
  publisher.start();
  io.on('connection', (socket) => {
    for (const attach of options.handlers ?? []) attach(socket);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${browsableHost(options.host)}:${port}${access.tokenSource === 'generated' ? `/?token=${access.token?.value}` : ''}`;
  log.info({ url, token: access.tokenSource ?? 'none' }, 'listening');
  if (!isLoopback(options.host)) {
    log.warn(
      { host: options.host },
      'listening beyond this machine: every request needs the token, and it travels in plain HTTP; ' +
        'put a TLS reverse proxy in front on any network you do not trust (docs/security.md)',
    );
  }
  return {
    url,
    http,
    io,
    close: () =>
      new Promise<void>((resolve) => {
        publisher.stop();
        void io.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

/** A host a browser can open: a wildcard address means this machine's loopback. */
function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
