/**
 * Text for a terminal. Interface names may hold any byte but NUL, '/' and white space, and
 * namespace names almost anything: printed raw, a name holding `ESC [2J` clears the screen
 * and one holding U+202E shows the rest of the line reversed. Everything the CLI prints for
 * a human goes through here; JSON output goes through `jsonForTerminal`.
 *
 * Escaped: control characters (C0, DEL, C1: `\p{Cc}`), format characters (bidi embeddings,
 * overrides and isolates, zero-width and other invisible ones: `\p{Cf}`), the line and
 * paragraph separators U+2028/U+2029, and lone surrogates. The escapes are those of bash's
 * `$'…'` quoting (`\x1b`, `\u202e`, `\U000e0001`), so a shown name can be pasted back.
 */

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** The same without C0: JSON.stringify escapes those itself, and its own newlines must stay. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** One code point as bash's `$'…'` writes it. */
function escapeCodePoint(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const cp = c.codePointAt(0) ?? 0;
  if (cp < 0x80) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/**
 * Free text (a message, a log line) made safe: unsafe characters escaped, everything else
 * as is. `keepNewlines` leaves `\n` alone for multi-line messages.
 */
export function escapeText(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(UNSAFE, (c) => (options.keepNewlines && c === '\n' ? c : escapeCodePoint(c)));
}

/** Several lines of free text: split at the newlines the program meant, each escaped. */
export function escapeLines(text: string): string[] {
  return text.split('\n').map((line) => escapeText(line));
}

/**
 * A name in double quotes, unambiguous and safe: `\` and `"` escaped too, so `"eth0"` is
 * what JSON would print for a plain name, and a name cannot fake its own closing quote.
 */
export function quote(name: string): string {
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`).replace(UNSAFE, escapeCodePoint)}"`;
}

/**
 * JSON that is safe to print on a terminal and means exactly the same: JSON.stringify
 * escapes C0 controls itself but leaves DEL, C1 controls, bidi overrides (U+202E) and the
 * other format characters raw; they become `\uXXXX` escapes, which any JSON parser reads
 * back as the same string.
 */
export function jsonForTerminal(value: unknown, space?: number): string {
  const json = JSON.stringify(value, null, space);
  // Fast path: nothing past printable ASCII (0.2 ms for a 1.5 MB snapshot; the
  // Unicode-aware expression below costs about what JSON.stringify does).
  if (Buffer.byteLength(json) === json.length && !json.includes('\x7f')) return json;
  return json.replace(UNSAFE_IN_JSON, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${hex(c.charCodeAt(i), 4)}`;
    return out;
  });
}
