import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { Topology } from '@vethmap/shared';
import { RawSocketClient, RefusedUpgrade, TopologyMirror, rawRequest, startServe, syntheticCapture, type ServeProcess } from '@vethmap/testkit';

/**
 * Who may talk to `vethmap serve` (issue 10 §2): real server processes, requests with
 * hostile Host and Origin headers as curl would send them, and real socket.io clients.
 * A small synthetic capture is served: what is checked does not depend on the kernel.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-access-'));
const capture = path.join(dir, 'capture.json');
writeFileSync(capture, JSON.stringify(syntheticCapture(5)));
const servers: ServeProcess[] = [];
async function serve(args: string[], env?: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const s = await startServe(['--from', capture, ...args], env ? { env: { ...process.env, ...env } } : {});
  servers.push(s);
  return s;
}
const base = (s: ServeProcess): string => new URL(s.url).origin;
const hostOf = (s: ServeProcess): string => new URL(s.url).host;

/** Resolves with the connect_error message, or 'connected'. */
function socketOutcome(url: string, options: Parameters<typeof io>[1] = {}): Promise<string> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
  return new Promise<string>((resolve) => {
    socket.once('snapshot', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(`refused: ${err.message}`));
  }).finally(() => socket.close());
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('Host and Origin (DNS rebinding, other sites)', () => {
  let s: ServeProcess;
  beforeAll(async () => {
    s = await serve(['--allow-origin', 'https://map.example.org']);
  });

  it('answers this server by address and as localhost', async () => {
    const port = new URL(s.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const r = await rawRequest(`${base(s)}/api/topology`, { headers: { Host: host } });
      expect(r.status, host).toBe(200);
    }
    const same = await rawRequest(`${base(s)}/api/topology`, { headers: { Origin: base(s) } });
    expect(same.status).toBe(200);
    expect(same.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Topology.parse(JSON.parse(same.body)).interfaces).toHaveLength(17);
  });

  it('refuses a foreign Host with 403 and says why, on the API, the page and the metrics', async () => {
    for (const p of ['/api/topology', '/', '/metrics', '/api/health']) {
      const r = await rawRequest(`${base(s)}${p}`, { headers: { Host: `evil.example:${new URL(s.url).port}` } });
      expect(r.status, p).toBe(403);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.body).toContain('Host "evil.example:');
      expect(r.body).toContain('DNS rebinding');
      expect(r.body).not.toContain('synthetic');
    }
  });

  it('refuses a request from another site or another port of this machine with 403', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(new URL(s.url).port) + 1}`, 'null']) {
      const r = await rawRequest(`${base(s)}/api/topology`, { headers: { Origin: origin } });
      expect(r.status, origin).toBe(403);
      expect(r.body).toContain(`comes from a page of ${JSON.stringify(origin)}`);
    }
  });

  it('accepts the reverse proxy given with --allow-origin, with its own Host or ours', async () => {
    for (const host of ['map.example.org', hostOf(s)]) {
      const r = await rawRequest(`${base(s)}/api/topology`, { headers: { Host: host, Origin: 'https://map.example.org' } });
      expect(r.status, host).toBe(200);
    }
  });

  it('refuses a socket.io client that says it comes from another site', async () => {
    expect(await socketOutcome(s.url, { extraHeaders: { Origin: 'http://evil.example:7878' } })).toMatch(/^refused/);
    expect(await socketOutcome(s.url, { extraHeaders: { Origin: base(s) } })).toBe('connected');
    expect(await socketOutcome(s.url)).toBe('connected');
    // What a raw client is told: the reason, in words.
    const refused = await RawSocketClient.open(s.url, { headers: { Origin: 'http://evil.example:7878' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RefusedUpgrade);
    expect((refused as RefusedUpgrade).response).toContain('comes from a page of "http://evil.example:7878"');
    const rebound = await RawSocketClient.open(s.url, { headers: { Host: 'evil.example' } }).catch((e: unknown) => e);
    expect((rebound as RefusedUpgrade).response).toContain('DNS rebinding');
  });

  it('sends the security headers with every answer', async () => {
    for (const p of ['/', '/api/topology', '/api/health']) {
      const h = (await rawRequest(`${base(s)}${p}`)).headers;
      expect(h['content-security-policy'], p).toContain("default-src 'self'");
      expect(h['content-security-policy']).toContain("script-src 'self';");
      expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['x-frame-options']).toBe('DENY');
      expect(h['referrer-policy']).toBe('no-referrer');
      expect(h['strict-transport-security']).toBeUndefined();
    }
    const refused = await rawRequest(`${base(s)}/`, { headers: { Host: 'evil.example' } });
    expect(refused.headers['x-frame-options']).toBe('DENY');
  });
});

describe('the token', () => {
  it('is not asked on loopback by default', async () => {
    const s = await serve([]);
    expect(s.url).not.toContain('token');
    expect((await rawRequest(`${s.url}/api/topology`)).status).toBe(200);
  });

  it('is generated beyond loopback, printed in the URL, and asked of every request', async () => {
    const s = await serve(['--host', '0.0.0.0']);
    const url = new URL(s.url);
    const token = url.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.logs.join('\n')).toContain('listening beyond this machine');
    const api = `${url.origin}/api/topology`;

    const none = await rawRequest(api);
    expect(none.status).toBe(401);
    expect(none.body).toContain('vethmap needs its token');
    expect(none.headers['www-authenticate']).toBe('Bearer realm="vethmap"');
    expect((await rawRequest(api, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await rawRequest(api, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await rawRequest(`${url.origin}/`)).status).toBe(401);
    expect((await rawRequest(`${url.origin}/metrics`)).status).toBe(401);
    expect((await rawRequest(`${url.origin}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).body).toContain('vethmap_refused_requests_total{reason="token"}');

    // The healthcheck works without it and learns nothing else.
    const health = await rawRequest(`${url.origin}/api/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const full = await rawRequest(`${url.origin}/api/health`, { headers: { Authorization: `Bearer ${token}` } });
    expect(JSON.parse(full.body)).toMatchObject({ status: 'ok', namespaces: 6, interfaces: 17 });

    // socket.io: refused without, served with the header.
    expect(await socketOutcome(url.origin)).toMatch(/^refused/);
    expect(await socketOutcome(url.origin, { extraHeaders: { Authorization: `Bearer ${token}` } })).toBe('connected');
    const raw = await RawSocketClient.open(url.origin).catch((e: unknown) => e);
    expect((raw as RefusedUpgrade).response).toContain('vethmap needs its token');
  });

  it('is traded for an HttpOnly SameSite=Strict cookie and a redirect to the URL without it', async () => {
    const s = await serve(['--require-token']);
    const url = new URL(s.url);
    const token = url.searchParams.get('token') ?? '';
    const r = await rawRequest(`${url.origin}/?select=nif%3A1%3A2&token=${token}&ns=x`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/?select=nif%3A1%3A2&ns=x');
    expect(r.headers['cache-control']).toBe('no-store');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toBe(`vethmap_token_${url.port}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    const pair = cookie.split(';')[0]!;
    expect((await rawRequest(`${url.origin}/api/topology`, { headers: { Cookie: pair } })).status).toBe(200);
    expect(await socketOutcome(url.origin, { extraHeaders: { Cookie: pair } })).toBe('connected');

    const wrong = await rawRequest(`${url.origin}/?token=not-the-token-0123456789`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // A path that browsers would read as another site (//host) is not echoed back.
    const sneaky = await rawRequest(`${url.origin}//evil.example/?token=${token}`);
    expect(sneaky.headers.location).toBe('/');
  });

  it('can be given in the environment or a file, and is then never printed', async () => {
    const given = 'given-token-for-the-test-0123';
    const fromEnv = await serve(['--host', '0.0.0.0'], { VETHMAP_TOKEN: given });
    expect(fromEnv.url).not.toContain('token');
    expect(fromEnv.logs.join('\n')).not.toContain(given);
    expect(fromEnv.logs.join('\n')).toContain('"token":"environment"');
    expect((await rawRequest(`${fromEnv.url}/api/topology`, { headers: { Authorization: `Bearer ${given}` } })).status).toBe(200);
    expect((await rawRequest(`${fromEnv.url}/api/topology`)).status).toBe(401);

    const file = path.join(dir, 'token');
    writeFileSync(file, `${given}\n`, { mode: 0o600 });
    const fromFile = await serve(['--token-file', file], { VETHMAP_TOKEN: '' });
    expect((await rawRequest(`${fromFile.url}/api/topology`)).status).toBe(401);
    expect((await rawRequest(`${fromFile.url}/api/topology`, { headers: { Authorization: `Bearer ${given}` } })).status).toBe(200);
  });
});

describe('how many clients', () => {
  it('refuses connections past --max-clients, in words', async () => {
    const s = await serve(['--max-clients', '2']);
    const a = new TopologyMirror(s.url);
    const b = new TopologyMirror(s.url);
    try {
      await Promise.all([a.ready(), b.ready()]);
      expect(await socketOutcome(s.url)).toMatch(/^refused/);
      const raw = await RawSocketClient.open(s.url).catch((e: unknown) => e);
      expect((raw as RefusedUpgrade).response).toContain('2 clients are connected, the most it serves at once (--max-clients 2)');
      a.close();
      await new Promise((r) => setTimeout(r, 300));
      expect(await socketOutcome(s.url)).toBe('connected');
    } finally {
      a.close();
      b.close();
    }
  });
});
