/**
 * `vethmap why SRC DST [--json]`: why can't SRC reach DST? Reads this host's namespaces,
 * walks the path through the kernel's own state, prints every hop with its evidence.
 * Exit codes (errors.ts): 0 reachable, 4 a hop stops the packet, 5 vethmap cannot tell,
 * 3 an end not found, 1 other errors.
 */
import type { Hop, WhyReport } from '@vethmap/shared';
import { HostState } from '../discover/host.js';
import { traceTopology } from '../diagnose/service.js';
import { ExitCode } from '../errors.js';
import { escapeLines, jsonForTerminal } from '../terminal.js';

export interface WhyOptions {
  json?: boolean;
  verbose?: boolean;
}

/** Exit code of a report. */
export function exitCode(r: WhyReport): number {
  return r.reachable === true ? ExitCode.ok : r.reachable === false ? ExitCode.unreachable : ExitCode.undetermined;
}

/** Reads the host, traces, returns the report. */
export function traceHost(src: string, dst: string): WhyReport {
  const host = new HostState();
  host.enumerate();
  host.collectAll();
  return traceTopology(host.topology(1), (inode) => host.entry(inode)?.path ?? null, src, dst);
}

const MARK = { true: '✓', false: '✗', null: '?' } as const;

function colour(ok: boolean | null, text: string, tty: boolean): string {
  if (!tty) return text;
  const code = ok === true ? 32 : ok === false ? 31 : 33;
  return `\u001b[${code}m${text}\u001b[0m`;
}

/** The report as text: one line per hop; evidence, confirm and fix under ✗ and ? hops (all with verbose). */
export function formatWhy(r: WhyReport, options: { verbose?: boolean; tty?: boolean } = {}): string {
  const tty = options.tty ?? false;
  const out: string[] = [];
  let direction: Hop['direction'] = 'request';
  for (const h of r.hops) {
    if (h.direction !== direction) {
      direction = h.direction;
      out.push('the reply:');
    }
    const [first, ...more] = escapeLines(`${h.where}: ${h.what}`);
    out.push(`${colour(h.ok, MARK[`${h.ok}`], tty)} ${h.concern.padEnd(11)} ${first}`);
    for (const m of more) out.push(`${' '.repeat(14)}${m}`);
    if (h.ok === true && !options.verbose) continue;
    const detail = (label: string, text: string | null): void => {
      if (!text) return;
      escapeLines(text).forEach((line, i) => out.push(`${' '.repeat(14)}${i === 0 ? label.padEnd(10) : ' '.repeat(10)}${line}`));
    };
    detail('evidence', h.evidence);
    detail('confirm', h.confirm);
    detail('fix', h.fix);
  }
  const verdict = r.reachable === true ? 'reachable' : r.reachable === false ? 'NOT reachable' : 'cannot tell';
  out.push('', colour(r.reachable, `${verdict}: ${escapeLines(r.summary).join(' ')}`, tty));
  return out.join('\n');
}

export async function run(src: string, dst: string, options: WhyOptions): Promise<number> {
  const report = traceHost(src, dst);
  const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  process.stdout.write(options.json ? `${jsonForTerminal(report, 2)}\n` : `${formatWhy(report, { verbose: options.verbose, tty })}\n`);
  return exitCode(report);
}
