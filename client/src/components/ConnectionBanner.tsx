import type { ConnectionStatus } from '../state/connection.js';

const TEXT: Record<ConnectionStatus, string | null> = {
  connecting: 'Connecting to the vethmap server…',
  connected: null,
  reconnecting: 'Connection lost: reconnecting… the picture below may be out of date.',
  disconnected: 'Disconnected from the vethmap server: the picture below may be out of date.',
};

export function ConnectionBanner({ status }: { status: ConnectionStatus }) {
  const text = TEXT[status];
  if (!text) return null;
  return <div className={`banner banner-${status}`} role="status" data-testid="banner">{text}</div>;
}
