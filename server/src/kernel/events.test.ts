import { describe, expect, it } from 'vitest';
import { decodeEvents } from './events.js';
import { parseMessages, RTM_DELLINK, RTM_NEWLINK, type Message } from './rtnetlink.js';
import { loadScenario } from '../../test/support/fixture.js';

/** The recorded RTM_NEWLINK of the root's link called `name`, as an event would carry it. */
function recordedLink(name: string): Message {
  const { recorded } = loadScenario('shared-names');
  const messages = parseMessages(Buffer.from(recorded.namespaces.root!.links, 'hex'));
  const m = messages.find((x) => x.type === RTM_NEWLINK && x.payload.includes(Buffer.from(`${name}\0`)));
  if (!m) throw new Error(`no ${name} in the recording`);
  return { ...m, payload: Buffer.from(m.payload) };
}

describe('decoding event datagrams', () => {
  const { prefix } = loadScenario('shared-names');

  it('decodes link messages in kernel order, deletions included', () => {
    const msg = recordedLink(`${prefix}s1`);
    const events = decodeEvents([msg, { ...msg, type: RTM_DELLINK }]);
    expect(events.map((e) => [e.kind, e.op])).toEqual([['link', 'new'], ['link', 'del']]);
    expect(events[0]).toMatchObject({ link: { name: `${prefix}s1`, infoKind: 'veth' } });
  });

  it('ignores AF_BRIDGE port notifications, which look like links but are not', () => {
    const port = recordedLink(`${prefix}ra`);
    port.payload.writeUInt8(7, 0); // AF_BRIDGE
    expect(decodeEvents([port, { ...port, type: RTM_DELLINK }])).toEqual([]);
  });
});
