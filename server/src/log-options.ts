/**
 * The log settings the command line offers, apart from the logger itself so that declaring
 * the options (`vethmap --help`) does not load pino.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;
/** `json`: pino's lines, for machines (tests read the `listening` line); `pretty`: for a person. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Pretty on a terminal, JSON when stdout is a pipe or a file. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  return stdout.isTTY ? 'pretty' : 'json';
}
