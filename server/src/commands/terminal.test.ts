import { describe, expect, it } from 'vitest';
import { printable, printableLines } from './terminal.js';

describe('text for a terminal', () => {
  it('shows control characters as escapes, never raw', () => {
    expect(printable('eth0')).toBe('eth0');
    expect(printable('evil\u001b[2Jname')).toBe('evil\\x1b[2Jname');
    expect(printable('a\tb\nc\u009bd\u007f')).toBe('a\\tb\\nc\\x9bd\\x7f');
    expect(printableLines('one\ntwo\u0007')).toEqual(['one', 'two\\x07']);
  });
});
