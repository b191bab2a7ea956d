import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { normaliseOrigin } from './guard.js';
import { AccessToken } from './token.js';
import { TOKEN_ENV } from './defaults.js';

/** The environment variable a token may be given in (argv is readable by every user). */

/** Where the token came from: a generated one is printed, a given one never is. */
export type TokenSource = 'generated' | 'environment' | 'file';

/** Who may use the server: the token (null: none asked) and the extra allowed origins. */
export interface Access {
  token: AccessToken | null;
  tokenSource: TokenSource | null;
  allowOrigins: string[];
}

/** The `serve` options this is made from. */
export interface AccessOptions {
  host: string;
  /** `--require-token`: ask for a token on loopback too (a shared, multi-user machine). */
  requireToken?: boolean;
  /** `--token-file`: the token is the file's first line. */
  tokenFile?: string;
  /** `--allow-origin`, repeatable. */
  allowOrigin?: string[];
}

/**
 * True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`.
 * (Other users of the same machine can: see `--require-token`.)
 */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Decides the token: a given one (file, then environment) is always asked for; otherwise a
 * fresh one is generated when the server listens beyond the loopback or `--require-token`
 * says so. Throws with a message for the user on a bad token, file or origin.
 */
export function resolveAccess(options: AccessOptions, env: NodeJS.ProcessEnv = process.env): Access {
  const allowOrigins = (options.allowOrigin ?? []).map(normaliseOrigin);
  if (options.tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.tokenFile, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the token file ${options.tokenFile}: ${(err as Error).message}`);
    }
    return { token: new AccessToken(text.split('\n')[0]!.trim()), tokenSource: 'file', allowOrigins };
  }
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { token: new AccessToken(fromEnv.trim()), tokenSource: 'environment', allowOrigins };
  if (options.requireToken || !isLoopback(options.host)) return { token: AccessToken.generate(), tokenSource: 'generated', allowOrigins };
  return { token: null, tokenSource: null, allowOrigins };
}
