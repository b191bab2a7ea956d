import type { Topology } from '@vethmap/shared';

/** engine.io "message" (4) + socket.io "event" (2) + the event's name, before the payload. */
const SNAPSHOT_PREFIX = '42["snapshot",';
const SNAPSHOT_SUFFIX = ']';

/**
 * One topology version, serialised once, as the bytes of the socket.io `snapshot` message.
 * The HTTP body of /api/topology is a view into the same buffer, and the websocket frame
 * is that buffer behind a two-to-ten-byte header: every client and every request at this
 * version shares one copy, however many there are. (Serialising per request cost ~6 s and
 * a copy per request for a 200 MB capture; per client it made a resync flood fatal.)
 */
export class EncodedTopology {
  readonly version: number;
  /** `42["snapshot",{…}]`, UTF-8. */
  readonly message: Buffer;
  /** The JSON document alone (what GET /api/topology sends): a view, not a copy. */
  readonly json: Buffer;
  /** The unmasked websocket text frame carrying `message`, in two parts (header, message). */
  readonly frame: [Buffer, Buffer];

  constructor(topology: Topology) {
    this.version = topology.version;
    // Written piece by piece into one buffer: concatenating strings first would make V8
    // flatten a second copy of the document (measured: +33 MB for a 33 MB capture).
    const json = JSON.stringify(topology);
    const length = Buffer.byteLength(json);
    this.message = Buffer.allocUnsafe(SNAPSHOT_PREFIX.length + length + SNAPSHOT_SUFFIX.length);
    this.message.write(SNAPSHOT_PREFIX, 0, 'latin1');
    this.message.write(json, SNAPSHOT_PREFIX.length, 'utf8');
    this.message.write(SNAPSHOT_SUFFIX, SNAPSHOT_PREFIX.length + length, 'latin1');
    this.json = this.message.subarray(SNAPSHOT_PREFIX.length, this.message.length - SNAPSHOT_SUFFIX.length);
    this.frame = [textFrameHeader(this.message.length), this.message];
  }
}

/** Keeps the encoding of the latest topology object; a new object is a new version. */
export class TopologyEncoder {
  private last: { topology: Topology; encoded: EncodedTopology } | null = null;

  /** Size of the latest encoding (0 before the first): what one snapshot costs a client. */
  get lastBytes(): number {
    return this.last?.encoded.message.length ?? 0;
  }

  encode(topology: Topology): EncodedTopology {
    if (this.last?.topology !== topology) this.last = { topology, encoded: new EncodedTopology(topology) };
    return this.last.encoded;
  }
}

/**
 * RFC 6455 §5.2 header of a final, unmasked (server-to-client) text frame of `length`
 * bytes, with no extension bits: what the `ws` library writes before a message when
 * permessage-deflate is off (the encoded.test.ts compares the two).
 */
export function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65536) {
    const b = Buffer.from([0x81, 126, 0, 0]);
    b.writeUInt16BE(length, 2);
    return b;
  }
  const b = Buffer.alloc(10);
  b[0] = 0x81;
  b[1] = 127;
  b.writeBigUInt64BE(BigInt(length), 2);
  return b;
}
