import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What a token may be made of: URL- and cookie-safe, long enough not to be guessed. */
const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{16,256}$/;
/** Cookies holding a token are named `vethmap_token_<port the browser used>` (see `cookieName`). */
const COOKIE_PREFIX = 'vethmap_token_';

/**
 * The shared secret a non-loopback server asks every request for, as Jupyter does. The
 * browser brings it once in the URL (`/?token=…`) and gets it back as an HttpOnly,
 * SameSite=Strict cookie (see `exchange.ts`); scripts send `Authorization: Bearer …`.
 */
export class AccessToken {
  private readonly digest: Buffer;

  constructor(readonly value: string) {
    if (!TOKEN_SHAPE.test(value)) {
      throw new Error('a vethmap token is 16 to 256 characters of A-Z a-z 0-9 - _ . ~ (e.g. `openssl rand -hex 32`)');
    }
    this.digest = sha256(value);
  }

  /** 32 bytes from the system's CSPRNG, base64url (43 characters). */
  static generate(): AccessToken {
    return new AccessToken(randomBytes(32).toString('base64url'));
  }

  /**
   * Constant time in the candidate's content: both sides are hashed to 32 bytes first, so
   * neither the length nor the first differing byte shows in the time taken.
   */
  matches(candidate: string | undefined): boolean {
    return candidate !== undefined && timingSafeEqual(this.digest, sha256(candidate));
  }

  /** True when the request carries this token as a bearer header or in one of our cookies. */
  presentedIn(headers: IncomingHttpHeaders): boolean {
    const auth = headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (m && this.matches(m[1])) return true;
    }
    return tokenCookies(headers.cookie).some((c) => this.matches(c));
  }
}

/**
 * The cookie's name carries the port the browser used (from the Host header): cookies are
 * shared by every port of a host, so two vethmaps reached as 127.0.0.1:9001 and :9002
 * (two SSH tunnels) would otherwise overwrite each other's token.
 */
export function cookieName(hostHeader: string | undefined): string {
  const port = /:(\d{1,5})$/.exec(hostHeader ?? '')?.[1] ?? '80';
  return `${COOKIE_PREFIX}${port}`;
}

/**
 * The values of every `vethmap_token_*` cookie. Only our own cookies are looked at, whose
 * values are token-shaped (no quotes, no escapes), so splitting on `;` and `=` is the
 * whole grammar needed; any of them may match (another port's cookie is sent here too).
 */
function tokenCookies(header: string | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().startsWith(COOKIE_PREFIX)) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
