import pino, { type Logger } from 'pino';
import { escapeText, jsonForTerminal, quote } from './terminal.js';
import { defaultLogFormat, type LogFormat } from './log-options.js';

export { defaultLogFormat, LOG_FORMATS, LOG_LEVELS, type LogFormat } from './log-options.js';

/** Logs on stdout (pino): JSON lines, or the same records as human lines on a terminal. */
export function createLogger(level: string = process.env.VETHMAP_LOG_LEVEL ?? 'info', format: LogFormat = defaultLogFormat()): Logger {
  const options = { level, base: { name: 'vethmap' } };
  if (format === 'json') return pino(options);
  return pino(options, { write: (line: string) => void process.stdout.write(prettyLine(line)) });
}

const LEVEL_TAGS: Record<number, string> = { 10: 'trace: ', 20: 'debug: ', 30: '', 40: 'warning: ', 50: 'error: ', 60: 'fatal: ' };

function clock(time: unknown): string {
  const d = typeof time === 'number' ? new Date(time) : new Date();
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"\\=]+$/.test(v) ? escapeText(v) : quote(v);
  if (typeof v === 'object' && v !== null && 'message' in v && typeof v.message === 'string') return quote(v.message); // a serialized error
  return jsonForTerminal(v);
}

/**
 * One pino JSON line as a person reads it: `12:00:01 warning: message key=value …`, every
 * name and value escaped for the terminal. The `listening` line ends with the URL to open,
 * alone on its line (with `?token=…` when the server printed one).
 */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `${escapeText(json.trimEnd())}\n`;
  }
  const { level, time, msg, name: _name, pid: _pid, hostname: _host, ...fields } = record;
  const head = `${clock(time)} ${LEVEL_TAGS[Number(level)] ?? ''}`;
  if (msg === 'listening' && typeof fields.url === 'string') {
    return `${head}listening; open this in a browser (Ctrl-C stops vethmap):\n\n    ${escapeText(fields.url)}\n\n`;
  }
  const rest = Object.entries(fields).map(([k, v]) => ` ${escapeText(k)}=${value(v)}`).join('');
  return `${head}${escapeText(typeof msg === 'string' ? msg : '')}${rest}\n`;
}
