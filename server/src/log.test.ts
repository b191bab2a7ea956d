import { describe, expect, it } from 'vitest';
import { defaultLogFormat, prettyLine } from './log.js';

const at = new Date(2026, 11, 1, 9, 5, 7).getTime();

describe('pretty log lines', () => {
  it('reads like a sentence: time, level when not info, message, fields', () => {
    expect(prettyLine(JSON.stringify({ level: 30, time: at, name: 'vethmap', msg: 'initial scan', namespaces: 3, interfaces: 12, ms: 4 }))).toBe(
      '09:05:07 initial scan namespaces=3 interfaces=12 ms=4\n',
    );
    expect(prettyLine(JSON.stringify({ level: 40, time: at, name: 'vethmap', msg: 'not running as root' }))).toBe('09:05:07 warning: not running as root\n');
    expect(prettyLine(JSON.stringify({ level: 30, time: at, msg: 'stopping', signal: 'SIGTERM' }))).toBe('09:05:07 stopping signal=SIGTERM\n');
  });

  it('ends the listening line with the URL alone, token and all', () => {
    const out = prettyLine(JSON.stringify({ level: 30, time: at, msg: 'listening', url: 'http://[::1]:7878/?token=abc' }));
    expect(out.trimEnd().split('\n').pop()).toBe('    http://[::1]:7878/?token=abc');
  });

  it('escapes names in messages and values, and quotes values with spaces', () => {
    const out = prettyLine(JSON.stringify({ level: 40, time: at, msg: 'cannot read namespace \x1b[2J\u202e', dir: '/var/run/netns/a b', err: { message: 'x\x9b' } }));
    expect(out).toBe('09:05:07 warning: cannot read namespace \\x1b[2J\\u202e dir="/var/run/netns/a b" err="x\\u009b"\n');
  });

  it('passes a line that is not JSON through, escaped', () => {
    expect(prettyLine('oops\x1b[2J\n')).toBe('oops\\x1b[2J\n');
  });

  it('is pretty on a terminal and JSON on a pipe', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
    expect(defaultLogFormat({})).toBe('json');
  });
});
