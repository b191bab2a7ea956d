import { describe, expect, it } from 'vitest';
import { escapeLines, escapeText, jsonForTerminal, quote } from './terminal.js';

/** Every character a terminal acts on or reorders, and the escape the CLI shows for it. */
const HOSTILE: Array<[string, string]> = [
  ['\x1b[2J', '\\x1b[2J'], // clear screen
  ['\x1b]0;owned\x07', '\\x1b]0;owned\\x07'], // set the window title
  ['\x9b31m', '\\u009b31m'], // C1 CSI: a second way to start an escape sequence
  ['\x7f', '\\x7f'],
  ['\r', '\\r'],
  ['\n', '\\n'],
  ['\t', '\\t'],
  ['\0', '\\x00'],
  ['\u202e', '\\u202e'], // right-to-left override
  ['\u2066', '\\u2066'], // left-to-right isolate
  ['\u200f', '\\u200f'], // right-to-left mark
  ['\u200b', '\\u200b'], // zero width space
  ['\u2028', '\\u2028'],
  ['\ufeff', '\\ufeff'],
  ['\u{e0041}', '\\U000e0041'], // tag character (invisible)
  ['\ud800', '\\ud800'], // lone surrogate
];

describe('terminal escaping', () => {
  it.each(HOSTILE)('escapes %j as %s', (raw, shown) => {
    expect(escapeText(`a${raw}b`)).toBe(`a${shown}b`);
    expect(quote(`a${raw}b`)).toBe(`"a${shown}b"`);
  });

  it('leaves printable text alone, in any script', () => {
    for (const s of ['eth0', 'veth-blue_1.2@x', 'résumé', 'сеть', '网络', 'שלום', '🦊', 'a b']) {
      expect(escapeText(s)).toBe(s);
      expect(quote(s)).toBe(JSON.stringify(s));
    }
  });

  it('quotes unambiguously: a name cannot close its own quote or fake an escape', () => {
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote('a\\x1b')).toBe('"a\\\\x1b"');
    expect(quote('a\\x1b')).not.toBe(quote('a\x1b'));
  });

  it('keeps newlines of multi-line messages when asked, and nothing else', () => {
    expect(escapeText('line 1\nline\x1b2', { keepNewlines: true })).toBe('line 1\nline\\x1b2');
  });

  it('makes JSON terminal-safe without changing what it means', () => {
    const names = HOSTILE.map(([raw]) => `x${raw}y`);
    const value = { names, nested: { n: '\u202eevil' } };
    const out = jsonForTerminal(value, 2);
    expect(JSON.parse(out)).toEqual(value);
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/);
    expect(out).toContain('"\\u202eevil"');
    expect(jsonForTerminal({ a: 1 }, 2)).toBe(JSON.stringify({ a: 1 }, null, 2));
    // Each on its own: DEL is ASCII (the fast path must not skip it), C1 and U+202E are not.
    expect(jsonForTerminal(['\x7f', '\x9b', '\u202e'].map((c) => `a${c}`))).toBe('["a\\u007f","a\\u009b","a\\u202e"]');
    expect(jsonForTerminal('\x7f')).toBe('"\\u007f"');
  });

  it('splits free text at its own newlines and escapes within each line', () => {
    expect(escapeLines('one\ntwo\u0007 \u001b[2J')).toEqual(['one', 'two\\x07 \\x1b[2J']);
  });
});
