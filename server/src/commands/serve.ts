import type { Logger } from 'pino';
import { createLogger, type LogFormat } from '../log.js';
import { LiveTopology } from '../engine/live.js';
import { TrafficSampler } from '../engine/traffic.js';
import { traceTopology } from '../diagnose/service.js';
import { serve, type RunningServer, type TopologySource } from '../http/server.js';
import { mountMetrics } from '../http/metrics.js';
import { mountEvents } from '../http/events.js';
import { Timeline } from '../engine/timeline.js';
import type { Capture } from '@vethmap/shared';
import { resolveAccess } from '../http/access.js';
import { readCapture } from '../http/capture.js';
import { trafficHandler } from '../http/traffic.js';
import { whyHandler } from '../http/why.js';
import { containerLabeller } from './labels.js';

export interface ServeOptions {
  host: string;
  port: number;
  procInterval: number;
  dockerSocket?: string;
  from?: string;
  /** How long open connections (a page's socket.io, an HTTP keep-alive) get to close on SIGTERM/SIGINT. */
  shutdownGrace: number;
  maxCaptureMb: number;
  /** Origins besides the one served, e.g. a reverse proxy's (docs/security.md). */
  allowOrigin: string[];
  requireToken?: boolean;
  tokenFile?: string;
  maxClients: number;
}

export interface GlobalOptions {
  logLevel: string;
  logFormat: LogFormat;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/**
 * Exits promptly on SIGTERM or SIGINT and says so: close socket.io and HTTP with a short
 * grace (`--shutdown-grace`, 500 ms; the port is free at once), then exit 0. A second signal exits at once (128 +
 * signal number).
 *
 * The event sockets are left to the kernel to close at exit rather than closed one by one
 * first: releasing a netlink socket subscribed to groups cost 2.4 ms here with other
 * servers running, growing with every subscribed socket on the host (5.9 ms with 6000
 * more), so closing 1000 namespaces' sockets from JavaScript blocked the event loop for
 * seconds on a shared VM, a second signal included. The kernel does the same work at exit.
 */
function stopOnSignals(log: Logger, graceMs: number, closeServer: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
    }
    stopping = true;
    const t0 = performance.now();
    log.info({ signal }, 'stopping');
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    void Promise.race([closeServer(), grace])
      .catch(() => undefined)
      .finally(() => {
        log.info({ ms: Math.round(performance.now() - t0) }, 'stopped');
        process.exit(0);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** `vethmap serve`: the live map (or a capture) over HTTP and socket.io. */
export async function run(opts: ServeOptions, globals: GlobalOptions): Promise<void> {
  const log = createLogger(globals.logLevel, globals.logFormat);
  const access = resolveAccess(opts);
  let source: TopologySource;
  let live: LiveTopology | undefined;
  let history: Capture['timeline'];
  const running: { server?: RunningServer } = {};
  // Registered first: a signal during start-up stops it cleanly too.
  stopOnSignals(log, opts.shutdownGrace, async () => running.server?.close());
  if (opts.from) {
    // A capture never changes: no diffs, and the page shows when it was taken.
    const { timeline: recorded, ...topology } = readCapture(opts.from, opts.maxCaptureMb * 2 ** 20);
    history = recorded;
    source = { topology: { ...topology, live: false }, on: () => undefined };
    log.info({ file: opts.from, takenAt: source.topology.takenAt }, 'serving a capture');
  } else {
    if (process.getuid?.() !== 0) log.warn('not running as root: only namespaces this user may enter are shown');
    live = new LiveTopology({ log, procIntervalMs: opts.procInterval, labelContainers: containerLabeller(opts.dockerSocket) });
    live.start();
    source = live;
  }
  // Recent changes (issue 12): a capture brings the ones it recorded, the live host makes its own.
  const timeline = new Timeline(source, { history });
  // Traffic and traces read the live host; a capture has neither.
  const host = live;
  const traffic = host ? new TrafficSampler({ pathOf: (inode) => host.pathOf(inode) }) : undefined;
  const handlers = [
    ...(traffic ? [trafficHandler(traffic)] : []),
    whyHandler((from, to) => {
      if (!host) throw new Error('this is a capture: "why" needs the live host (run vethmap serve there)');
      return traceTopology(host.topology, (inode) => host.pathOf(inode), from, to);
    }),
  ];
  running.server = await serve(source, {
    host: opts.host, port: opts.port, log, access, limits: { maxClients: opts.maxClients }, handlers,
    health: () => ({ timeline: timeline.stats() }),
    extend: (app, io, published) => {
      mountMetrics(app, io, source, published, timeline);
      mountEvents(app, io, timeline, source);
    },
  });
}
