import type express from 'express';
import type { Server } from 'socket.io';
import { EventsQuery, type Capture, type ClientToServerEvents, type ServerToClientEvents, type Topology } from '@vethmap/shared';
import type { Timeline } from '../engine/timeline.js';

/** Entries a page gets when it connects: enough to fill the panel, bounded per client. */
export const REPLAY_ENTRIES = 500;

/**
 * The event timeline over HTTP and socket.io:
 * - `GET /api/events?since=SEQ&limit=N`: entries after SEQ (validated; at most 1000 a call);
 * - `GET /api/capture`: the topology with the recent timeline, a file `serve --from` reads;
 * - socket.io `timeline`: the recent entries on connect (`replay`), then each change's new ones.
 */
export function mountEvents(
  app: express.Express,
  io: Server<ClientToServerEvents, ServerToClientEvents>,
  timeline: Timeline,
  source: { readonly topology: Topology },
): void {
  app.get('/api/events', (req, res) => {
    const query = EventsQuery.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ error: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    res.json(timeline.since(query.data.since, query.data.limit));
  });
  app.get('/api/capture', (_req, res) => {
    const capture: Capture = { ...source.topology, timeline: timeline.recent() };
    res.json(capture);
  });
  // After the diff and the snapshot (the publisher's handlers run later in the same turn):
  // a page then finds the element an entry names already in its picture.
  timeline.on('entries', (entries) => queueMicrotask(() => io.emit('timeline', { replay: false, entries })));
  io.on('connection', (socket) => {
    queueMicrotask(() => socket.emit('timeline', { replay: true, entries: timeline.recent(REPLAY_ENTRIES) }));
  });
}
