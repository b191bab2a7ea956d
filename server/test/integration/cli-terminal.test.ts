import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI as cli, NetBuilder } from '@vethmap/testkit';

/**
 * Names are not text a terminal may obey (issue 10 §2): real interfaces and namespaces
 * with escape sequences and bidi overrides in their names, and every CLI output meant for
 * a terminal shown with them escaped. JSON output escapes them too, and still parses to
 * the exact names.
 */
const net = new NetBuilder();
// Interface names: any byte but NUL, '/' and white space, at most 15 bytes.
const CLEAR = '\x1b[2J';
const RTL = '\u202e';
let ns: string, inside: string, outside: string, rtl: string;

/** What a terminal would act on or reorder: C0 (but newline), DEL, C1, bidi and invisible format characters. */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

function run(...args: string[]) {
  return spawnSync('node', [cli, ...args], { encoding: 'utf8' });
}

beforeAll(() => {
  ns = net.netns(`${CLEAR}\x1b]0;owned\x07${RTL}evil\nline`);
  inside = net.name(`${CLEAR}`); // prefix + ESC[2J: 11 bytes
  outside = net.name('\x1b[31mr'); // recolours the rest of the screen
  rtl = net.name(`${RTL}ab`);
  net.veth(inside, ns, outside, null);
  net.veth(rtl, null, net.name('rtlp'), null);
});
afterAll(() => {
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('hostile names on a terminal', () => {
  it('peer prints every name escaped, in the answer and the evidence', () => {
    for (const r of [run('peer', inside, '--netns', ns), run('peer', outside)]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stdout).toContain(`"${net.prefix}\\x1b[2J"`);
      expect(r.stdout).toContain(`"${net.prefix}\\x1b[31mr"`);
      expect(r.stdout).toContain(`"${net.prefix}-\\x1b[2J\\x1b]0;owned\\x07\\u202eevil\\nline"`);
    }
    const r = run('peer', rtl);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain(`"${net.prefix}\\u202eab"`);
  });

  it('--json and snapshot escape bidi and C1 characters too, and parse back to the exact names', () => {
    const r = run('peer', rtl, '--json');
    expect(r.stdout).not.toMatch(RAW);
    expect(JSON.parse(r.stdout).interface.name).toBe(rtl);
    const j = run('peer', inside, '--netns', ns, '--json');
    expect(j.stdout).not.toMatch(RAW);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.namespace.name).toBe(ns);
    expect(parsed.peer.name).toBe(outside);
    const snap = spawnSync('node', [cli, 'snapshot'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(snap.stdout).not.toMatch(RAW);
    expect(JSON.parse(snap.stdout).interfaces.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining([inside, outside, rtl]));
  });

  it('escapes names in error messages, ours and the option parser\'s', () => {
    const missing = run('peer', `nope${CLEAR}${RTL}`, '--netns', ns);
    expect(missing.status).toBe(3);
    expect(missing.stderr).not.toMatch(RAW);
    expect(missing.stderr).toContain('no interface "nope\\x1b[2J\\u202e" in namespace');
    const noNs = run('peer', 'eth0', '--netns', `x${CLEAR}`);
    expect(noNs.status).toBe(3);
    expect(noNs.stderr).toContain('no namespace "x\\x1b[2J"');
    const option = run('peer', 'eth0', `--x${CLEAR}${RTL}`);
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--x\\x1b\[2J\\u202e'/);
    expect(option.stderr).not.toMatch(RAW);
  });
});
