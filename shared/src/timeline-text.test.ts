import { describe, expect, it } from 'vitest';
import { describeEntry } from './timeline-text.js';
import type { TimelineChange } from './timeline.js';

const q = (s: string): string => `“${s}”`;
const blue = { id: 'ns:2', name: 'blue', kind: 'named' as const };
const root = { id: 'ns:1', name: 'root', kind: 'root' as const };
const eth0 = { id: 'nif:2:2', name: 'eth0', kind: 'veth', namespace: blue };
const vb = { id: 'nif:1:7', name: 'vb', kind: 'veth', namespace: root };
const br = { id: 'nif:1:3', name: 'br0', kind: 'bridge', namespace: root };

describe('timeline entries as sentences', () => {
  it.each<[TimelineChange, string]>([
    [{ kind: 'namespace-added', namespace: blue, interfaces: 1 }, 'namespace “blue” (named) appeared with 1 interface'],
    [{ kind: 'namespace-removed', namespace: blue, interfaces: 2 }, 'namespace “blue” (named) vanished with 2 interfaces'],
    [{ kind: 'namespace-renamed', namespace: blue, from: 'pid 4 (sh)' }, 'namespace “pid 4 (sh)” is now “blue”'],
    [{ kind: 'link-added', link: vb, state: 'up', peer: eth0 }, '“vb” in “root” added (veth, up), peer “eth0” in “blue”'],
    [{ kind: 'link-removed', link: vb, peer: null }, '“vb” in “root” removed (veth)'],
    [{ kind: 'link-renamed', link: eth0, from: 'veth0' }, '“veth0” in “blue” renamed “eth0”'],
    [{ kind: 'link-moved', link: eth0, from: { ...eth0, namespace: root } }, '“eth0” moved from “root” to “blue”'],
    [{ kind: 'link-state', link: vb, from: 'up', to: 'no-carrier' }, '“vb” in “root”: up → no-carrier'],
    [{ kind: 'address-added', link: eth0, address: '10.0.0.2/24' }, '“eth0” in “blue”: address 10.0.0.2/24 added'],
    [{ kind: 'master-changed', link: vb, from: null, to: br }, '“vb” in “root” joined “br0”'],
    [{ kind: 'master-changed', link: vb, from: br, to: null }, '“vb” in “root” left “br0”'],
    [{ kind: 'peer-resolved', link: vb, peer: eth0 }, '“vb” in “root”: peer is “eth0” in “blue”'],
    [{ kind: 'peer-lost', link: vb, peer: eth0 }, '“vb” in “root”: peer “eth0” in “blue” no longer visible'],
  ])('%j', (entry, text) => {
    expect(describeEntry(entry, q)).toBe(text);
  });
});
