import { describe, expect, it } from 'vitest';
import { AccessToken, cookieName } from './token.js';
import { isLoopback, resolveAccess } from './access.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('AccessToken', () => {
  const t = new AccessToken('s3cret-token-0123456789');

  it('generates 43 base64url characters from the CSPRNG, never twice the same', () => {
    const a = AccessToken.generate().value;
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(AccessToken.generate().value).not.toBe(a);
  });

  it('matches exactly the token', () => {
    expect(t.matches('s3cret-token-0123456789')).toBe(true);
    for (const wrong of [undefined, '', 's3cret-token-012345678', 's3cret-token-01234567890', 'S3cret-token-0123456789']) {
      expect(t.matches(wrong)).toBe(false);
    }
  });

  it('is found in a bearer header or in any of our cookies', () => {
    expect(t.presentedIn({ authorization: 'Bearer s3cret-token-0123456789' })).toBe(true);
    expect(t.presentedIn({ authorization: 'bearer  s3cret-token-0123456789 ' })).toBe(true);
    expect(t.presentedIn({ authorization: 'Basic s3cret-token-0123456789' })).toBe(false);
    expect(t.presentedIn({ cookie: 'a=b; vethmap_token_9001=nope; vethmap_token_7878=s3cret-token-0123456789' })).toBe(true);
    expect(t.presentedIn({ cookie: 'other=s3cret-token-0123456789' })).toBe(false);
    expect(t.presentedIn({})).toBe(false);
  });

  it('refuses tokens too short or with characters a URL or a cookie would mangle', () => {
    for (const bad of ['short', 'has space in it here', 'semi;colon-0123456789', 'x'.repeat(257)]) {
      expect(() => new AccessToken(bad), bad).toThrow(/16 to 256 characters/);
    }
  });

  it('names the cookie after the port the browser used', () => {
    expect(cookieName('127.0.0.1:9001')).toBe('vethmap_token_9001');
    expect(cookieName('[::1]:7878')).toBe('vethmap_token_7878');
    expect(cookieName('map.example.org')).toBe('vethmap_token_80');
  });
});

describe('resolveAccess', () => {
  it('asks no token on loopback, and generates one beyond it or when required', () => {
    expect(resolveAccess({ host: '127.0.0.1' }, {}).token).toBeNull();
    expect(resolveAccess({ host: 'localhost' }, {}).token).toBeNull();
    expect(resolveAccess({ host: '::1' }, {}).token).toBeNull();
    expect(resolveAccess({ host: '0.0.0.0' }, {}).tokenSource).toBe('generated');
    expect(resolveAccess({ host: '192.168.1.5' }, {}).tokenSource).toBe('generated');
    expect(resolveAccess({ host: '127.0.0.1', requireToken: true }, {}).tokenSource).toBe('generated');
  });

  it('takes a given token from the environment or a file, on loopback too', () => {
    const env = resolveAccess({ host: '127.0.0.1' }, { VETHMAP_TOKEN: 'from-the-environment-42' });
    expect(env).toMatchObject({ tokenSource: 'environment' });
    expect(env.token?.value).toBe('from-the-environment-42');
    const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-token-'));
    writeFileSync(path.join(dir, 't'), 'from-a-file-0123456789\nignored\n');
    const file = resolveAccess({ host: '0.0.0.0', tokenFile: path.join(dir, 't') }, { VETHMAP_TOKEN: 'from-the-environment-42' });
    expect(file.token?.value).toBe('from-a-file-0123456789');
    expect(() => resolveAccess({ host: '0.0.0.0', tokenFile: path.join(dir, 'none') }, {})).toThrow(/cannot read the token file/);
    expect(() => resolveAccess({ host: '0.0.0.0' }, { VETHMAP_TOKEN: 'weak' })).toThrow(/16 to 256/);
  });

  it('normalises --allow-origin and refuses what is not an origin', () => {
    expect(resolveAccess({ host: '127.0.0.1', allowOrigin: ['https://Map.example.org/'] }, {}).allowOrigins).toEqual(['https://map.example.org']);
    expect(() => resolveAccess({ host: '127.0.0.1', allowOrigin: ['https://map.example.org/vethmap'] }, {})).toThrow(/not an origin/);
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'vethmap.lan', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });
});
