import pino, { type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Structured JSON logs on stdout (pino); tests read the `listening` line from it. */
export function createLogger(level: string = process.env.VETHMAP_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { name: 'vethmap' } });
}
