#!/usr/bin/env node
/**
 * The `vethmap` command line: commander declarations only. Each command's code lives in
 * `commands/<name>.ts` and is imported when that command runs, so `vethmap --version` or
 * `vethmap peer` never loads express, socket.io, pino or the zod schemas. Keep it that way:
 * nothing here may import more than commander and the small modules below.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode, exitCodeOf } from './errors.js';
import { defaultLogFormat, LOG_FORMATS, LOG_LEVELS, type LogFormat } from './log-options.js';
import { LAB_ALL, LAB_SCENARIOS } from './lab/scenarios.js';
import { escapeText } from './terminal.js';
import { DEFAULT_MAX_CAPTURE_MB, DEFAULT_MAX_CLIENTS, TOKEN_ENV } from './http/defaults.js';

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

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 600_000) throw new InvalidArgumentError('milliseconds, 0-600000');
  return n;
}

function depth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 9) throw new InvalidArgumentError('a depth is 0-9');
  return n;
}

function scaleArg(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 4) throw new InvalidArgumentError('a scale is above 0, at most 4');
  return n;
}

function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vethmap: ${escapeText(message, { keepNewlines: true })}\n`);
  process.exit(exitCodeOf(err));
}

/** `Examples:` after a command's help. */
function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const program = new Command()
  .name('vethmap')
  .description('Where does this veth go? Live map of network namespaces, veth pairs and bridges.')
  .version(version, '-V, --version', 'print the version')
  // Usage errors exit 2 (help and --version exit 0); commander's messages may echo what
  // was typed, so they are escaped like everything else on a terminal.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? ExitCode.ok : ExitCode.usage))
  .configureOutput({ writeErr: (s) => process.stderr.write(escapeText(s, { keepNewlines: true })) })
  .showHelpAfterError('(vethmap --help for usage)')
  .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
  .addOption(new Option('--log-format <format>', 'log lines as JSON or for a person (default: pretty on a terminal, else json)').choices(LOG_FORMATS))
  .addHelpText('after', examples([
    'vethmap serve                      # the live map on http://127.0.0.1:7878',
    'vethmap peer eth0 --netns blue     # where does this veth go?',
    'vethmap snapshot > host.json       # the whole picture as JSON',
    'vethmap <command> --help           # options and examples of a command',
  ]) + '\nExit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 not allowed to look, 5 ambiguous name\n(why: 4 a hop stops the packet, 5 cannot tell).\n');

function globals(): { logLevel: string; logFormat: LogFormat } {
  const o = program.opts<{ logLevel: string; logFormat?: LogFormat }>();
  return { logLevel: o.logLevel, logFormat: o.logFormat ?? defaultLogFormat() };
}

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
  .option('--max-clients <n>', 'socket.io clients served at once', positive, DEFAULT_MAX_CLIENTS)
  .option('--shutdown-grace <ms>', 'on SIGTERM/SIGINT, how long open connections get to close', milliseconds, 500)
  .addHelpText('after', examples([
    'sudo vethmap serve                          # this host, on http://127.0.0.1:7878',
    'vethmap serve --from host.json              # a capture: no root, no Linux needed',
    'sudo vethmap serve --port 0 --log-format json   # any free port; JSON logs',
    'sudo vethmap --log-level debug serve        # one line per change',
    'sudo vethmap serve --host 0.0.0.0           # prints http://…/?token=… (docs/security.md)',
  ]) + '\nSIGTERM or Ctrl-C stops it promptly (clients get --shutdown-grace to hang up); a second signal at once.\n')
  .action(async (opts: import('./commands/serve.js').ServeOptions) => (await import('./commands/serve.js')).run(opts, globals()));

program
  .command('snapshot')
  .description('print the topology as JSON (the same document as GET /api/topology)')
  .option('--docker-socket <path|none>', 'container engine socket for container names')
  .addHelpText('after', examples([
    'sudo vethmap snapshot > host.json',
    'sudo vethmap snapshot | jq \'.interfaces[] | select(.kind == "veth" and .peer == null)\'',
  ]))
  .action(async (opts: import('./commands/snapshot.js').SnapshotOptions) => (await import('./commands/snapshot.js')).run(opts));

program
  .command('peer')
  .description("find a veth's peer, in whatever namespace it is, with the evidence")
  .argument('<ifname>', 'interface name')
  .option('--netns <name|pid>', 'namespace of the interface: a netns name, root, a pid in it, its inode, or a container name (default: search every namespace)')
  .option('--json', 'print JSON')
  .addHelpText('after', examples([
    'vethmap peer eth0 --netns blue     # eth0 of `ip netns add blue`',
    'vethmap peer vethab12cd            # wherever it is (must be unique)',
    'vethmap peer eth0 --netns 4242     # the namespace process 4242 is in',
    'vethmap peer eth0 --netns root --json',
  ]) + '\nExit codes: 3 no such interface or namespace, 4 not allowed to read a namespace that\n' +
    'may hold it (run as root), 5 the name is in several namespaces (listed; add --netns).\n')
  .action(async (ifname: string, opts: import('./commands/peer.js').PeerCommandOptions) => (await import('./commands/peer.js')).run(ifname, opts));

program
  .command('why')
  .description("why can't SRC reach DST? walks the path through the kernel's own state (routes, links, bridges, neighbours, sysctls, firewall)")
  .argument('<src>', 'ns/iface, a namespace (name, root, pid), or an IP address')
  .argument('<dst>', 'ns/iface, a namespace, or an IP address')
  .option('--json', 'print the report as JSON')
  .option('--verbose', 'show the evidence of every hop, not only of failing ones')
  .addHelpText('after', examples([
    'sudo vethmap why blue/eth0 red          # from blue\'s eth0 to namespace red',
    'sudo vethmap why blue 10.0.0.3 --json   # to an address, as JSON',
  ]) + '\nExit codes: 0 reachable, 4 a hop stops the packet, 5 vethmap cannot tell, 3 an end not found.\n')
  .action(async (src: string, dst: string, opts: import('./commands/why.js').WhyOptions) => {
    process.exitCode = await (await import('./commands/why.js')).run(src, dst, opts);
  });

program
  .command('events')
  .description('print what changes as it happens, like `ip monitor` resolved to namespaces, names and peers (no server needed)')
  .option('--json', 'one JSON object per line (NDJSON), the timeline entries of GET /api/events')
  .option('--proc-interval <ms>', 'how often to look for new processes (namespaces held only by processes)', port, 500)
  .option('--docker-socket <path|none>', 'container engine socket for container names')
  .addHelpText('after', examples([
    'sudo vethmap events                     # one line per change, until Ctrl-C',
    'sudo vethmap events --json | jq -c \'select(.kind == "link-state")\'',
  ]) + '\nEntries go to stdout; logs and the "watching" line go to stderr.\n')
  .action(async (opts: import('./commands/events.js').EventsOptions) => {
    // Logs go to stderr there; `info` would print the start-up scan line on every run.
    const g = globals();
    const logLevel = program.getOptionValueSource('logLevel') === 'default' ? 'warn' : g.logLevel;
    await (await import('./commands/events.js')).run(opts, { ...g, logLevel });
  });

program
  .command('export')
  .description('draw the map as a file for documentation: png, svg, dot (Graphviz), mermaid or drawio (diagrams.net), from this host or a capture')
  .addOption(new Option('--format <format>', 'file format').choices(['png', 'svg', 'dot', 'mermaid', 'drawio']).makeOptionMandatory())
  .option('--netns <name|pid>', 'only this namespace (a netns name, root, a pid in it, its inode, or a container name) and its neighbours')
  .option('--depth <n>', 'with --netns: how many hops (veth pairs, vlan links) around it', depth, 1)
  .option('--from <file>', 'draw a capture made with `vethmap snapshot` instead of this host')
  .option('--max-capture-mb <n>', 'refuse captures bigger than this', positive, DEFAULT_MAX_CAPTURE_MB)
  .option('-o, --output <file>', 'write here instead of standard output')
  .addOption(new Option('--theme <theme>', 'colours').choices(['light', 'dark']).default('light'))
  .option('--scale <n>', 'png: pixels per layout unit (1 or 2)', scaleArg, 1)
  .option('--lo', 'draw loopback interfaces too')
  .option('--docker-socket <path|none>', 'container engine socket for container names')
  .addHelpText('after', examples([
    'sudo vethmap export --format png -o host.png              # this host, as on the page',
    'sudo vethmap export --format svg --netns blue --depth 2   # blue and two hops around it',
    'vethmap export --format dot --from host.json | dot -Tsvg  # a capture, through Graphviz',
  ]) + '\nExit codes: 3 no such namespace (--netns).\n')
  .action(async (opts: import('./commands/export.js').ExportCommandOptions) => (await import('./commands/export.js')).run(opts));

const lab = program
  .command('lab')
  .description('demo topologies from the seed posts, every name starting with vlab- (root; the only command that changes host networking)');
lab
  .command('up')
  .description('build the demo lab (idempotent)')
  .argument('[scenario]', `${LAB_ALL} (default), or one of: ${LAB_SCENARIOS.map((s) => s.name).join(', ')}`, LAB_ALL)
  .addHelpText('after', examples(['sudo vethmap lab up', 'sudo vethmap lab up pair', 'sudo vethmap lab down']))
  .action(async (scenario: string) => (await import('./commands/lab.js')).up(scenario));
lab
  .command('down')
  .description('remove everything the lab built, and nothing else')
  .addHelpText('after', examples(['sudo vethmap lab down']))
  .action(async () => (await import('./commands/lab.js')).down());

process.on('uncaughtException', fail);
// `vethmap snapshot | head` closing the pipe early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
program.parseAsync(process.argv).catch(fail);
