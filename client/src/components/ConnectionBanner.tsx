import type { Topology } from '@vethmap/shared';
import type { ConnectionStatus } from '../state/connection.js';

const TEXT: Record<ConnectionStatus, string | null> = {
  connecting: 'Connecting to the vethmap server…',
  connected: null,
  reconnecting: 'Connection lost: reconnecting… the picture below may be out of date.',
  disconnected: 'Disconnected from the vethmap server: the picture below may be out of date.',
  unauthorized: 'This vethmap server asks for its token: open the URL it printed when it started (http://HOST:PORT/?token=…).',
};

/** What the banner says: a capture (`serve --from`) is never live, so the socket's state is noise then. */
export function bannerText(status: ConnectionStatus, topology: Pick<Topology, 'live' | 'host' | 'takenAt'> | null): { kind: string; text: string } | null {
  if (topology && !topology.live) return { kind: 'capture', text: `Capture of ${topology.host} taken ${topology.takenAt} — not live` };
  const text = TEXT[status];
  return text ? { kind: status, text } : null;
}

export function ConnectionBanner({ status, topology }: { status: ConnectionStatus; topology: Topology | null }) {
  const b = bannerText(status, topology);
  if (!b) return null;
  return <div className={`banner banner-${b.kind}`} role="status" data-testid="banner">{b.text}</div>;
}
