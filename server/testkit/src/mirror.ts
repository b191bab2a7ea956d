import { io, type Socket } from 'socket.io-client';
import { applyDiff, Topology, TopologyDiff, type ClientToServerEvents, type ServerToClientEvents } from '@vethmap/shared';

/**
 * A socket.io client that holds the picture a browser would: the snapshot with every diff
 * applied, validated with the shared schema, resyncing on a version gap.
 */
export class TopologyMirror {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  view: Topology | undefined;
  readonly diffs: TopologyDiff[] = [];
  snapshots = 0;
  gaps = 0;

  constructor(url: string, options: { keepDiffs?: boolean; extraHeaders?: Record<string, string> } = {}) {
    const keep = options.keepDiffs ?? true;
    this.socket = io(url, { transports: ['websocket'], forceNew: true, extraHeaders: options.extraHeaders });
    this.socket.on('snapshot', (t) => {
      this.snapshots++;
      this.view = Topology.parse(t);
    });
    this.socket.on('diff', (d) => {
      const diff = TopologyDiff.parse(d);
      if (keep) this.diffs.push(diff);
      if (!this.view) return;
      if (diff.fromVersion !== this.view.version) {
        this.gaps++;
        this.socket.emit('resync');
        return;
      }
      this.view = applyDiff(this.view, diff);
    });
  }

  /** Resolves with the first snapshot. */
  ready(ms = 10_000): Promise<Topology> {
    return until('the first snapshot', () => this.view, ms);
  }

  close(): void {
    this.socket.close();
  }
}

/** Polls `probe` every 10 ms until it returns something truthy; fails naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | null | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
