import { StatsWatch } from '@vethmap/shared';
import type { TrafficSampler } from '../engine/traffic.js';
import type { ClientSocket } from './server.js';

/**
 * `stats:watch`: a page says which interfaces it shows (at most MAX_WATCHED_INTERFACES,
 * validated); the sampler pushes their rates as `stats` until the list is empty or the
 * page goes away. An invalid message stops the client's watch rather than keeping a stale one.
 */
export function trafficHandler(sampler: TrafficSampler): (socket: ClientSocket) => void {
  return (socket) => {
    socket.on('stats:watch', (raw: unknown) => {
      const parsed = StatsWatch.safeParse(raw);
      if (!parsed.success) return sampler.unwatch(socket.id);
      sampler.watch(socket.id, parsed.data.interfaces, (update) => socket.emit('stats', update));
    });
    socket.on('disconnect', () => sampler.unwatch(socket.id));
  };
}
