import { describe, expect, it } from 'vitest';
import { RequestGuard, normaliseOrigin } from './guard.js';

describe('RequestGuard', () => {
  const guard = new RequestGuard({ listenHost: '127.0.0.1', allowOrigins: ['https://map.example.org'] });
  const ok = (host: string | undefined, origin?: string) => guard.check(host, origin);

  it('accepts this server by address or as localhost, on any port (tunnels change it)', () => {
    for (const host of ['127.0.0.1:7878', 'localhost:7878', 'LOCALHOST:9000', '[::1]:7878', '192.168.1.5:7878', '127.0.0.1']) {
      expect(ok(host), host).toBeNull();
    }
  });

  it('refuses other names: DNS rebinding', () => {
    for (const host of ['evil.example:7878', 'evil.example', '127.0.0.1.evil.example:7878', 'localhost.:7878', 'evil@127.0.0.1:7878', '127.0.0.1:99999', '']) {
      const r = ok(host);
      expect(r?.reason, host).toBe('host');
      expect(r?.message).toContain('DNS rebinding');
    }
    expect(ok(undefined)?.reason).toBe('host');
  });

  it('accepts the --host name and the hosts of --allow-origin', () => {
    const named = new RequestGuard({ listenHost: 'Vethmap.lan', allowOrigins: ['https://map.example.org'] });
    expect(named.check('vethmap.lan:7878', undefined)).toBeNull();
    expect(named.check('map.example.org', 'https://map.example.org')).toBeNull();
    expect(new RequestGuard({ listenHost: '0.0.0.0', allowOrigins: [] }).check('0.0.0.0:7878', undefined)).toBeNull();
  });

  it('accepts a page of this very server, and no other page', () => {
    expect(ok('127.0.0.1:7878', 'http://127.0.0.1:7878')).toBeNull();
    expect(ok('localhost:9000', 'http://localhost:9000')).toBeNull();
    expect(ok('[::1]:7878', 'http://[::1]:7878')).toBeNull();
    expect(ok('127.0.0.1:80', 'http://127.0.0.1')).toBeNull();
    // Another port of the same machine is another site's page.
    expect(ok('127.0.0.1:7878', 'http://127.0.0.1:8080')?.reason).toBe('origin');
    expect(ok('127.0.0.1:7878', 'http://evil.example:7878')?.reason).toBe('origin');
    expect(ok('127.0.0.1:7878', 'https://127.0.0.1:7878')?.reason).toBe('origin');
    expect(ok('127.0.0.1:7878', 'null')?.reason).toBe('origin');
    expect(ok('127.0.0.1:7878', 'not a url')?.reason).toBe('origin');
  });

  it('accepts a reverse proxy given with --allow-origin, whatever Host it sends', () => {
    expect(ok('127.0.0.1:7878', 'https://map.example.org')).toBeNull();
    expect(ok('map.example.org', 'https://map.example.org')).toBeNull();
    expect(ok('map.example.org', 'https://map.example.org:8443')?.reason).toBe('origin');
  });
});

describe('normaliseOrigin', () => {
  it('keeps scheme, host and port, as browsers send them', () => {
    expect(normaliseOrigin('https://Map.Example.org/')).toBe('https://map.example.org');
    expect(normaliseOrigin('http://a.example:80')).toBe('http://a.example');
    expect(normaliseOrigin('http://a.example:8080')).toBe('http://a.example:8080');
  });
  it('refuses what is not an origin', () => {
    for (const bad of ['https://a.example/path', 'file:///etc', 'https://u:p@a.example', 'a.example', 'https://a.example/?q']) {
      expect(() => normaliseOrigin(bad), bad).toThrow();
    }
  });
});
