import type { IncomingMessage } from 'node:http';
import type express from 'express';
import type { RequestGuard, Refusal } from './guard.js';
import { cookieName, type AccessToken } from './token.js';

/** The one path answered without the token (with only `status`): container healthchecks. */
export const HEALTH_PATH = '/api/health';

const TOKEN_NEEDED =
  'vethmap needs its token: open the URL it printed when it started (http://HOST:PORT/?token=…), ' +
  'or send the header "Authorization: Bearer TOKEN".\n';

/**
 * Enforces who may talk to the server, the same way for HTTP (express) and for socket.io
 * handshakes: first the Host/Origin guard, then the token when one is asked for.
 */
export class Gate {
  constructor(
    private readonly guard: RequestGuard,
    private readonly token: AccessToken | null,
    private readonly onRefused: (refusal: Refusal, req: IncomingMessage) => void,
  ) {}

  /** True when no token is asked for, or this request carries it (header or cookie). */
  authorized(req: IncomingMessage): boolean {
    return this.token === null || this.token.presentedIn(req.headers);
  }

  /** For socket.io's `allowRequest`: null to let the handshake go on. */
  checkHandshake(req: IncomingMessage): Refusal | null {
    const refusal = this.guard.check(req.headers.host, req.headers.origin) ?? (this.authorized(req) ? null : { reason: 'token' as const, message: TOKEN_NEEDED });
    if (refusal) this.onRefused(refusal, req);
    return refusal;
  }

  /**
   * For express, before every route: 403 for a foreign Host or Origin; a `?token=` is
   * traded for a cookie and a redirect to the same URL without it (303), so the token
   * leaves the address bar and the history before the page runs; 401 without the token,
   * except on /api/health, which then says only `status` (`res.locals.authorized`).
   */
  middleware(): express.RequestHandler {
    return (req, res, next) => {
      const refused = (status: number, refusal: Refusal): void => {
        this.onRefused(refusal, req);
        res.status(status).type('text/plain').set('Cache-Control', 'no-store').send(refusal.message);
      };
      const guarded = this.guard.check(req.headers.host, req.headers.origin);
      if (guarded) return refused(403, guarded);
      const token = this.token;
      if (token === null) {
        res.locals.authorized = true;
        return next();
      }
      const url = new URL(req.originalUrl, 'http://vethmap.invalid');
      const offered = url.searchParams.get('token');
      if (offered !== null && (req.method === 'GET' || req.method === 'HEAD')) {
        if (!token.matches(offered)) return refused(401, { reason: 'token', message: `vethmap: wrong token. ${TOKEN_NEEDED}` });
        url.searchParams.delete('token');
        res.cookie(cookieName(req.headers.host), token.value, { httpOnly: true, sameSite: 'strict', path: '/' });
        res.set('Cache-Control', 'no-store');
        return res.redirect(303, safeLocation(url));
      }
      res.locals.authorized = token.presentedIn(req.headers);
      if (res.locals.authorized || req.path === HEALTH_PATH) return next();
      res.set('WWW-Authenticate', 'Bearer realm="vethmap"');
      refused(401, { reason: 'token', message: TOKEN_NEEDED });
    };
  }
}

/**
 * The same path and query, as a path on this server. A path such as `/\evil.example`
 * would be read by browsers as `//evil.example` (another site): anything but plain path
 * characters goes back to `/`.
 */
function safeLocation(url: URL): string {
  const path = /^\/(?![/\\])[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(url.pathname) ? url.pathname : '/';
  const query = url.searchParams.toString();
  return query ? `${path}?${query}` : path;
}
