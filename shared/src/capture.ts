import { z } from 'zod';
import { Topology } from './model.js';
import { TimelineEntry } from './timeline.js';

/**
 * A capture file (`vethmap serve --from FILE`): the topology document, plus, when it was
 * taken from a running server or the page, the recent timeline. `timeline` is optional so
 * that every older capture (a bare `GET /api/topology` document) still reads.
 */
export const Capture = Topology.extend({
  /** The timeline entries the server (or page) held when the capture was made, oldest first. */
  timeline: z.array(TimelineEntry).optional(),
});
export type Capture = z.infer<typeof Capture>;
