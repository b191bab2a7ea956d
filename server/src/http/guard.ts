import { isIP } from 'node:net';

/** Why a request was turned away, in words for the one who sent it. */
export interface Refusal {
  reason: 'host' | 'origin' | 'token' | 'capacity';
  message: string;
}

/** The names a browser may call this server by, and the pages it may be used from. */
export interface GuardOptions {
  /** `--host`: when it is a name (not an address), that name is accepted as a Host. */
  listenHost: string;
  /** `--allow-origin`: origins (scheme://host[:port]) of front ends such as a reverse proxy. */
  allowOrigins: readonly string[];
}

/** `localhost` resolves to the loopback in every browser; an address needs no resolving. */
const LOCAL_NAMES = new Set(['localhost']);
/** A Host header: a name or an IPv4 address, or an [IPv6] address, and an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

/**
 * Turns away requests from pages that are not vethmap's own, before anything is read:
 *
 * - **Host** (DNS rebinding): a page of `http://evil.example:7878` whose name the attacker
 *   re-pointed at 127.0.0.1 reaches this server with `Host: evil.example:7878`, and the
 *   browser calls that same-origin. Only names the server is really served as pass:
 *   `localhost`, IP addresses (an address is never re-pointed: a page can only have an
 *   address as its origin if it was served from there), the `--host` name, and the hosts
 *   of `--allow-origin`. Ports are not compared: an SSH tunnel or a port mapping changes
 *   the port the browser sees, and a port gives no protection against rebinding.
 * - **Origin** (another site's page, or a page on another port of this machine): when a
 *   browser says where a request comes from (every cross-origin request and every
 *   websocket handshake), it must be this very server as the browser sees it
 *   (`http://` + the Host header) or an `--allow-origin`. Clients that send no Origin
 *   (curl, Prometheus, scripts) are not browsers run by someone else's page.
 */
export class RequestGuard {
  private readonly names: Set<string>;
  private readonly origins: Set<string>;

  constructor(options: GuardOptions) {
    this.origins = new Set(options.allowOrigins.map(normaliseOrigin));
    this.names = new Set(LOCAL_NAMES);
    const listen = options.listenHost.toLowerCase();
    if (isIP(listen) === 0) this.names.add(listen);
    for (const o of this.origins) this.names.add(new URL(o).hostname);
  }

  /** Null when the request may go on; otherwise why not. */
  check(host: string | undefined, origin: string | undefined): Refusal | null {
    const hostname = host === undefined ? null : hostnameOf(host);
    if (hostname === null || !(this.names.has(hostname) || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0)) {
      const shown = host === undefined ? '(none)' : JSON.stringify(host);
      return {
        reason: 'host',
        message:
          `vethmap refused this request: Host ${shown} is not a name this server is served as ` +
          '(a guard against DNS rebinding). Open it by address (http://127.0.0.1:PORT/, an IP address of this machine) ' +
          'or as localhost, or start vethmap with --allow-origin http://NAME:PORT for a name of your own.\n',
      };
    }
    if (origin === undefined || origin === `http://${host?.toLowerCase()}` || this.origins.has(origin)) return null;
    let normalised: string | null = null;
    try {
      normalised = origin === 'null' ? null : normaliseOrigin(origin);
    } catch { /* not a URL: refused below */ }
    if (normalised !== null && (normalised === new URL(`http://${host}`).origin || this.origins.has(normalised))) return null;
    return {
      reason: 'origin',
      message:
        `vethmap refused this request: it comes from a page of ${JSON.stringify(origin)}, not from vethmap's own page ` +
        '(requests from other sites and other ports are refused). If that origin is a front end of yours, ' +
        'such as a reverse proxy, start vethmap with --allow-origin ORIGIN.\n',
    };
  }
}

/** The lower-case hostname of a Host header (brackets kept for IPv6), or null when malformed. */
function hostnameOf(host: string): string | null {
  const m = HOST_HEADER.exec(host);
  if (!m) return null;
  const port = m[2] === undefined ? 0 : Number(m[2]);
  return port > 65535 ? null : m[1]!.toLowerCase();
}

/** `scheme://host[:port]` as browsers send it in Origin; throws on anything else. */
export function normaliseOrigin(value: string): string {
  const u = new URL(value);
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    throw new Error(`${JSON.stringify(value)} is not an origin: give scheme://host[:port], e.g. https://vethmap.example.org`);
  }
  return u.origin;
}
