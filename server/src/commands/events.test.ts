import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '@vethmap/shared';
import { formatEntry } from './events.js';

const ns = { id: 'ns:2', name: 'blue', kind: 'named' as const };
const link = (name: string) => ({ id: 'nif:2:2', name, kind: 'veth', namespace: ns });
const at = { seq: 1, at: new Date(2026, 0, 1, 12, 0, 1, 234).toISOString(), version: 2 };

describe('vethmap events, for a person', () => {
  it('prints time, kind and a sentence with quoted names', () => {
    const e: TimelineEntry = { ...at, kind: 'link-state', link: link('eth0'), from: 'up', to: 'down' };
    expect(formatEntry(e)).toBe('12:00:01.234 link-state        "eth0" in "blue": up → down');
    const moved: TimelineEntry = { ...at, kind: 'link-moved', link: { ...link('uplink'), namespace: { ...ns, name: 'red' } }, from: link('eth0') };
    expect(formatEntry(moved)).toContain('"eth0" moved from "blue" to "red" as "uplink"');
  });

  it('escapes names that would drive the terminal or fake a quote', () => {
    const e: TimelineEntry = { ...at, kind: 'link-renamed', link: link('\x1b[2Jx"y'), from: 'a\u202eb' };
    const line = formatEntry(e);
    expect(line).not.toMatch(/[\x1b\u202e]/u);
    expect(line).toContain('"a\\u202eb" in "blue" renamed "\\x1b[2Jx\\"y"');
  });
});
