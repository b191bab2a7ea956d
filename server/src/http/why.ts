import { WhyRequest, type WhyAnswer, type WhyReport } from '@vethmap/shared';
import type { ClientSocket } from './server.js';

/** At most one trace per client in this many milliseconds: a trace reads many namespaces synchronously. */
const MIN_INTERVAL_MS = 250;

/**
 * `why`: "why can't A reach B?" asked from the page, answered through the acknowledgement
 * (validated request; errors are answered, never thrown at the socket).
 */
export function whyHandler(trace: (from: string, to: string) => WhyReport): (socket: ClientSocket) => void {
  return (socket) => {
    let last = 0;
    socket.on('why', (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const answer = (a: WhyAnswer): void => (ack as (a: WhyAnswer) => void)(a);
      const parsed = WhyRequest.safeParse(raw);
      if (!parsed.success) return answer({ error: 'a why request is { from, to }: ns/iface, a namespace or an IP address' });
      const now = Date.now();
      if (now - last < MIN_INTERVAL_MS) return answer({ error: 'one trace at a time: try again in a moment' });
      last = now;
      try {
        answer({ report: trace(parsed.data.from, parsed.data.to) });
      } catch (err) {
        answer({ error: err instanceof Error ? err.message : String(err) });
      }
    });
  };
}
