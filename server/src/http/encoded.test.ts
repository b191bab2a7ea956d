import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Topology } from '@vethmap/shared';
import { syntheticCapture } from '@vethmap/testkit';
import { EncodedTopology, TopologyEncoder, textFrameHeader } from './encoded.js';

// ws is what engine.io writes websocket frames with; its Sender is not in its typings.
const ws = createRequire(import.meta.url)('ws') as { Sender: { frame(data: Buffer, o: object): Buffer[] } };

describe('EncodedTopology', () => {
  const t = syntheticCapture(3);

  it('is the socket.io snapshot message, and its JSON is the document', () => {
    const e = new EncodedTopology(t);
    expect(e.message.subarray(0, 14).toString()).toBe('42["snapshot",');
    expect(JSON.parse(e.message.subarray(2).toString())).toEqual(['snapshot', t]);
    expect(Topology.parse(JSON.parse(e.json.toString()))).toEqual(t);
    // A view into the message, not a copy.
    expect(e.json.buffer).toBe(e.message.buffer);
  });

  it('frames like ws does, at every length class', () => {
    for (const n of [0, 1, 125, 126, 65535, 65536, 300_000]) {
      const data = Buffer.alloc(n, 0x61);
      const theirs = ws.Sender.frame(data, { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true });
      expect(Buffer.concat([textFrameHeader(n), data]).equals(Buffer.concat(theirs)), `length ${n}`).toBe(true);
    }
  });

  it('encodes each topology object once', () => {
    const enc = new TopologyEncoder();
    expect(enc.lastBytes).toBe(0);
    const a = enc.encode(t);
    expect(enc.encode(t)).toBe(a);
    expect(enc.lastBytes).toBe(a.message.length);
    const next = { ...t, version: 2 };
    expect(enc.encode(next)).not.toBe(a);
    expect(enc.encode(next).version).toBe(2);
  });
});
