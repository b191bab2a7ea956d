#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Capture } from '@vethmap/shared';
import { createLogger, LOG_LEVELS } from './log.js';
import { snapshotOnce } from './engine/snapshot.js';
import { LiveTopology } from './engine/live.js';
import { serve, type TopologySource } from './http/server.js';
import { mountMetrics } from './http/metrics.js';
import { mountEvents } from './http/events.js';
import { Timeline } from './engine/timeline.js';
import { resolveAccess, TOKEN_ENV } from './http/access.js';
import { DEFAULT_MAX_CAPTURE_MB, readCapture } from './http/capture.js';
import { DEFAULT_LIMITS } from './http/publisher.js';
import { findPeer, formatPeer, NotFoundError } from './peer.js';
import { labelContainers } from './containers/index.js';
import { LAB_ALL, LAB_SCENARIOS, labDown, labUp } from './lab/index.js';

/** `--docker-socket none` turns the engine lookup off; a path picks the socket. */
function labeller(dockerSocket: string | undefined) {
  const opt = dockerSocket === 'none' ? { dockerSocket: false as const } : dockerSocket ? { dockerSocket } : {};
  return (namespaces: Parameters<typeof labelContainers>[0]) => labelContainers(namespaces, opt);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is 0-65535');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number, 1 or more');
  return n;
}

function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vethmap: ${message}\n`);
  process.exit(err instanceof NotFoundError ? 3 : 1);
}

const program = new Command()
  .name('vethmap')
  .description('Where does this veth go? Live map of network namespaces, veth pairs and bridges.')
  .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'));

program
  .command('serve')
  .description('serve the live map (read-only) on http://HOST:PORT')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on', port, 7878)
  .option('--proc-interval <ms>', 'how often to look for new processes (namespaces held only by processes)', port, 500)
  .option('--docker-socket <path|none>', 'container engine socket for container names (default: $DOCKER_HOST, /var/run/docker.sock)')
  .option('--from <file>', 'serve a capture made with `vethmap snapshot` instead of this host (read-only, no root needed)')
  .option('--max-capture-mb <n>', 'refuse captures bigger than this', positive, DEFAULT_MAX_CAPTURE_MB)
  .option('--allow-origin <url>', 'also accept requests from pages of this origin, e.g. a reverse proxy (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
  .option('--require-token', 'ask for a token on loopback too (always asked beyond it)')
  .option('--token-file <path>', `the token is this file's first line (or set ${TOKEN_ENV}); otherwise one is generated and printed`)
  .option('--max-clients <n>', 'socket.io clients served at once', positive, DEFAULT_LIMITS.maxClients)
  .action(async (opts: { host: string; port: number; procInterval: number; dockerSocket?: string; from?: string; maxCaptureMb: number; allowOrigin: string[]; requireToken?: boolean; tokenFile?: string; maxClients: number }) => {
    const log = createLogger(program.opts<{ logLevel: string }>().logLevel);
    const access = resolveAccess(opts);
    let source: TopologySource & { stats?: LiveTopology['stats'] };
    let live: LiveTopology | undefined;
    let history: Capture['timeline'];
    if (opts.from) {
      // A capture never changes: no diffs, and the page shows when it was taken.
      const { timeline: recorded, ...topology } = readCapture(opts.from, opts.maxCaptureMb * 2 ** 20);
      history = recorded;
      source = { topology: { ...topology, live: false }, on: () => undefined };
      log.info({ file: opts.from, takenAt: source.topology.takenAt }, 'serving a capture');
    } else {
      if (process.getuid?.() !== 0) log.warn('not running as root: only namespaces this user may enter are shown');
      live = new LiveTopology({ log, procIntervalMs: opts.procInterval, labelContainers: labeller(opts.dockerSocket) });
      live.start();
      source = live;
    }
    const timeline = new Timeline(source, { history });
    const server = await serve(source, {
      host: opts.host, port: opts.port, log, access, limits: { maxClients: opts.maxClients },
      health: () => ({ timeline: timeline.stats() }),
      extend: (app, io, published) => {
        mountMetrics(app, io, source, published, timeline);
        mountEvents(app, io, timeline, source);
      },
    });
    const shutdown = (): void => {
      live?.stop();
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('snapshot')
  .description('print the topology as JSON (the same document as GET /api/topology)')
  .option('--docker-socket <path|none>', 'container engine socket for container names')
  .action(async (opts: { dockerSocket?: string }) => {
    const t = await snapshotOnce({ labelContainers: labeller(opts.dockerSocket) });
    process.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
  });

program
  .command('peer')
  .description("find a veth's peer, in whatever namespace it is, with the evidence")
  .argument('<ifname>', 'interface name')
  .option('--netns <name|pid>', 'namespace of the interface: a netns name, a pid in it, or root', undefined)
  .option('--json', 'print JSON')
  .action(async (ifname: string, opts: { netns?: string; json?: boolean }) => {
    const report = findPeer(await snapshotOnce({ labelContainers: labeller(undefined) }), ifname, opts.netns);
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatPeer(report)}\n`);
  });

program
  .command('events')
  .description('print what changes as it happens, like `ip monitor` resolved to namespaces, names and peers (no server needed)')
  .option('--json', 'one JSON object per line (NDJSON), the timeline entries of GET /api/events')
  .option('--proc-interval <ms>', 'how often to look for new processes (namespaces held only by processes)', port, 500)
  .option('--docker-socket <path|none>', 'container engine socket for container names')
  .action(async (opts: import('./commands/events.js').EventsOptions) => {
    // Logs go to stderr there; `info` would print the start-up scan line on every run.
    const logLevel = program.getOptionValueSource('logLevel') === 'default' ? 'warn' : program.opts<{ logLevel: string }>().logLevel;
    await (await import('./commands/events.js')).run(opts, { logLevel });
  });

const lab = program.command('lab').description('demo topologies from the seed posts, every name starting with vlab- (root; the only command that changes host networking)');
lab
  .command('up')
  .description('build the demo lab (idempotent)')
  .argument('[scenario]', `${LAB_ALL} (default), or one of: ${LAB_SCENARIOS.map((s) => s.name).join(', ')}`, LAB_ALL)
  .action(async (scenario: string) => {
    await labUp(scenario);
  });
lab
  .command('down')
  .description('remove everything the lab built, and nothing else')
  .action(async () => {
    await labDown();
  });


process.on('uncaughtException', fail);
// `vethmap snapshot | head` closing the pipe early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
program.parseAsync(process.argv).catch(fail);
