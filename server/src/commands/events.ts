import pino from 'pino';
import { describeEntry, type TimelineEntry } from '@vethmap/shared';
import { LiveTopology } from '../engine/live.js';
import { Timeline } from '../engine/timeline.js';
import { containerLabeller } from './labels.js';
import { escapeText, jsonForTerminal, quote } from '../terminal.js';

export interface EventsOptions {
  json?: boolean;
  dockerSocket?: string;
  procInterval: number;
}

/** `12:00:01.234`, local time, as `ip monitor -ts` prints it. */
function clock(iso: string): string {
  const d = new Date(iso);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** One entry for a person: time, kind, sentence; every name quoted and escaped for the terminal. */
export function formatEntry(e: TimelineEntry): string {
  return `${clock(e.at)} ${e.kind.padEnd(17)} ${escapeText(describeEntry(e, quote))}`;
}

/**
 * `vethmap events [--json]`: what changes, as it happens, like `ip monitor` but resolved
 * to namespaces, names and peers. Runs the live engine in this process (no server needed);
 * prints one line per timeline entry on stdout (NDJSON with --json, as containerlab does),
 * and logs and the "watching" line on stderr, so stdout stays parseable.
 */
export async function run(opts: EventsOptions, globals: { logLevel: string }): Promise<void> {
  const log = pino({ level: globals.logLevel, base: { name: 'vethmap' } }, pino.destination(2));
  if (process.getuid?.() !== 0) log.warn('not running as root: only namespaces this user may enter are watched');
  const live = new LiveTopology({ log, procIntervalMs: opts.procInterval, labelContainers: containerLabeller(opts.dockerSocket) });
  live.start();
  const timeline = new Timeline(live, { limits: { maxEntries: 1 } });
  timeline.on('entries', (entries) => {
    process.stdout.write(entries.map((e) => `${opts.json ? jsonForTerminal(e) : formatEntry(e)}\n`).join(''));
  });
  const t = live.topology;
  process.stderr.write(`vethmap: watching ${t.namespaces.length} namespaces, ${t.interfaces.length} interfaces (Ctrl-C to stop)\n`);
  const stop = (): void => {
    live.stop();
    timeline.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
