import { describe, expect, it } from 'vitest';
import { applyEvents } from './events.js';
import { loadScenario } from '../../test/support/fixture.js';
import { parseMessages, RTM_DELLINK, RTM_NEWLINK, type Message } from '../kernel/rtnetlink.js';

/** The recorded RTM_NEWLINK of the root's link called `name`, as an event would carry it. */
function recordedLink(name: string): Message {
  const { recorded } = loadScenario('shared-names');
  const messages = parseMessages(Buffer.from(recorded.namespaces.root!.links, 'hex'));
  const m = messages.find((x) => x.type === RTM_NEWLINK && x.payload.includes(Buffer.from(`${name}\0`)));
  if (!m) throw new Error(`no ${name} in the recording`);
  return { ...m, payload: Buffer.from(m.payload) };
}

describe('applying link events to a namespace scan', () => {
  const { prefix, scans } = loadScenario('shared-names');
  const fresh = () => structuredClone(scans.root!);

  it('ignores AF_BRIDGE port notifications, which look like links but are not', () => {
    const scan = fresh();
    const before = structuredClone(scan.links);
    const port = recordedLink(`${prefix}ra`);
    port.payload.writeUInt8(7, 0); // AF_BRIDGE
    applyEvents(scan, [port, { ...port, type: RTM_DELLINK }]);
    expect(scan.links).toEqual(before);
    expect(scan.links.find((l) => l.name === `${prefix}ra`)?.infoKind).toBe('veth');
  });

  it('replaces a link by ifindex, and a deletion takes its addresses and reports a leaving veth', () => {
    const scan = fresh();
    const msg = recordedLink(`${prefix}s1`);
    msg.payload.writeUInt32LE(msg.payload.readUInt32LE(8) & ~1, 8); // clear IFF_UP
    applyEvents(scan, [msg]);
    const s1 = scan.links.find((l) => l.name === `${prefix}s1`)!;
    expect(s1.adminUp).toBe(false);
    expect(scan.links.filter((l) => l.ifindex === s1.ifindex)).toHaveLength(1);
    const departed = applyEvents(scan, [{ ...msg, type: RTM_DELLINK }]);
    expect(departed.map((l) => l.name)).toEqual([`${prefix}s1`]);
    expect(scan.links.some((l) => l.ifindex === s1.ifindex)).toBe(false);
    expect(scan.addrs.some((a) => a.ifindex === s1.ifindex)).toBe(false);
  });
});
