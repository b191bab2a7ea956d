import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A socket.io client written by hand on a bare TCP socket, to behave as no library would:
 * it does the engine.io websocket handshake (`GET /socket.io/?EIO=4&transport=websocket`,
 * HTTP Upgrade), joins the main namespace (`40`), and then sends whatever frames a test
 * wants while reading nothing at all (`socket.pause()`: the kernel's receive window
 * fills and the server's writes to it pile up in the server).
 */
export class RawSocketClient {
  private constructor(readonly socket: Socket, readonly upgradeResponse: string) {}

  /**
   * Opens the websocket and joins the main namespace (`40`), reading only until the
   * server confirms it (`40{"sid":…}`): socket.io closes a connection whose first events
   * arrive before that. From then on nothing is read. Rejects with the server's whole
   * answer (status line and body) when it refuses the upgrade.
   */
  static async open(url: string, options: { /** Added to, or replacing, the handshake's own. */ headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<RawSocketClient> {
    const u = new URL(url);
    const socket = connect(Number(u.port || 80), u.hostname);
    const key = randomBytes(16).toString('base64');
    const headers = new Map<string, string>([
      ['Host', u.host],
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Key', key],
      ['Sec-WebSocket-Version', '13'],
    ]);
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      for (const existing of headers.keys()) if (existing.toLowerCase() === k.toLowerCase()) headers.delete(existing);
      headers.set(k, v);
    }
    const head = ['GET /socket.io/?EIO=4&transport=websocket HTTP/1.1', ...[...headers].map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    const response = await new Promise<string>((resolve, reject) => {
      let got = Buffer.alloc(0);
      let upgraded: string | null = null;
      const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer to the websocket upgrade and namespace join; got ${JSON.stringify(got.subarray(0, 300).toString('latin1'))}`)); }, options.timeoutMs ?? 10_000);
      const done = (fn: () => void): void => { clearTimeout(timer); socket.off('data', onData); fn(); };
      const onData = (chunk: Buffer): void => {
        got = Buffer.concat([got, chunk]);
        const end = got.indexOf('\r\n\r\n');
        if (end < 0) return;
        const text = got.toString('latin1');
        if (!text.startsWith('HTTP/1.1 101')) return; // a refusal: the 'end' below gives all of it
        if (upgraded === null) {
          upgraded = text.slice(0, end);
          socket.write(frame(Buffer.from('40'))); // socket.io CONNECT to the main namespace
        }
        if (got.indexOf('40{"sid"', end) >= 0) {
          // Whatever follows (the snapshot) stays in the kernel's buffers from here on.
          done(() => {
            socket.pause();
            resolve(upgraded!);
          });
        }
      };
      socket.on('data', onData);
      socket.once('error', (err) => done(() => reject(err)));
      socket.once('end', () => done(() => reject(new RefusedUpgrade(got.toString('latin1')))));
      socket.once('connect', () => socket.write(head));
    });
    socket.on('error', () => undefined); // the server may drop us; the test looks at the server
    return new RawSocketClient(socket, response);
  }

  /** One masked text frame (clients must mask, RFC 6455 §5.3). False once the socket is gone. */
  send(text: string): boolean {
    if (this.socket.destroyed) return false;
    return this.socket.write(frame(Buffer.from(text)));
  }

  /** True once the server closed or reset the connection (seen by a write failing or an end). */
  get closedByServer(): boolean {
    return this.socket.destroyed || this.socket.readableEnded || this.socket.writableEnded;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The server said no to the upgrade; `response` is its whole answer. */
export class RefusedUpgrade extends Error {
  constructor(readonly response: string) {
    super(`websocket upgrade refused: ${response.split('\r\n')[0] ?? ''}`);
    this.name = 'RefusedUpgrade';
  }
}

function frame(payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : len < 65536 ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255]) : undefined;
  if (!head) throw new Error('frames over 64 KiB are not needed here');
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([head, mask, body]);
}
