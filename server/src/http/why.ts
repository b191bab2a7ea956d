import { WhyRequest, type WhyAnswer, type WhyReport } from '@vethmap/shared';
import type { ClientSocket } from './server.js';

/** A client's next trace starts at least this long after its last one ended: a trace reads many namespaces synchronously. */
const MIN_INTERVAL_MS = 250;

/**
 * `why`: "why can't A reach B?" asked from the page, answered through the acknowledgement
 * (validated request; errors are answered, never thrown at the socket). A request that comes
 * sooner than MIN_INTERVAL_MS after the client's last trace waits for its turn rather than
 * being refused (a user who traces, then picks a destination on the map at once, got "try
 * again"); a client holds at most one waiting request, and a newer one replaces it.
 */
export function whyHandler(trace: (from: string, to: string) => WhyReport): (socket: ClientSocket) => void {
  return (socket) => {
    let last = 0;
    let waiting: { timer: NodeJS.Timeout; answer: (a: WhyAnswer) => void } | null = null;
    socket.on('why', (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const answer = (a: WhyAnswer): void => (ack as (a: WhyAnswer) => void)(a);
      const parsed = WhyRequest.safeParse(raw);
      if (!parsed.success) return answer({ error: 'a why request is { from, to }: ns/iface, a namespace or an IP address' });
      if (waiting) {
        clearTimeout(waiting.timer);
        waiting.answer({ error: 'replaced by a newer trace' });
        waiting = null;
      }
      const run = (): void => {
        waiting = null;
        try {
          answer({ report: trace(parsed.data.from, parsed.data.to) });
        } catch (err) {
          answer({ error: err instanceof Error ? err.message : String(err) });
        }
        last = Date.now(); // from the end: a slow trace is not followed by another at once
      };
      const wait = last + MIN_INTERVAL_MS - Date.now();
      if (wait <= 0) return run();
      waiting = { timer: setTimeout(run, wait), answer };
    });
    socket.on('disconnect', () => {
      if (waiting) clearTimeout(waiting.timer);
      waiting = null;
    });
  };
}
