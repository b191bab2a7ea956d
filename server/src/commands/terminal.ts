/**
 * Text for a terminal: names come from the kernel and may hold any byte but `/` and NUL,
 * including escape sequences that would rewrite the user's screen. Every control character
 * (C0, DEL, C1) is shown as a visible escape instead.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line with every control character escaped (`\x1b`, `\n`, ...). */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Several lines: split at the newlines the program meant, escape within each. */
export function printableLines(text: string): string[] {
  return text.split('\n').map(printable);
}
