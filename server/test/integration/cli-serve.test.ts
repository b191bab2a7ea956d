import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { CLI as cli, startServe, TopologyMirror, until } from '@vethmap/testkit';

/**
 * `vethmap serve` at first contact and at the end (issue 10 §4, issue 12): human lines
 * on a terminal ending with the URL, JSON through a pipe; a prompt, announced exit on
 * SIGTERM and Ctrl-C, whatever the clients do; a second signal ends it at once.
 */

/** A socket.io websocket client that never answers: the server's close handshake waits for it. */
async function silentWebSocket(url: string): Promise<Socket> {
  const u = new URL(url);
  const s = connect(Number(u.port), u.hostname);
  s.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  let got = '';
  s.on('data', (d) => (got += d.toString('latin1')));
  await until('the websocket upgrade', () => got.includes('101 Switching Protocols'));
  return s;
}

/**
 * `vethmap serve` under a pseudo-terminal (util-linux `script`), as `npm start` in a shell.
 * `exec`, because `script` runs the command through $SHELL: dash (CI's /bin/sh) stays as
 * node's parent, dies of the Ctrl-C itself and `script -e` reports its 130, not node's exit.
 */
function serveOnTerminal(args: string[] = []) {
  const command = 'exec ' + ['node', cli, ...args, 'serve', '--host', '127.0.0.1', '--port', '0'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => out.replace(/\r/g, '') };
}

describe('vethmap serve on a terminal and through a pipe', () => {
  it('prints human lines on a terminal, ending with the URL to open, and stops on Ctrl-C saying so', async () => {
    const t = serveOnTerminal();
    try {
      const url = await until('the URL', () => /\n {4}(http:\/\/127\.0\.0\.1:\d+)\n/.exec(t.output())?.[1], 20_000);
      const before = t.output();
      expect(before).not.toMatch(/^\{/m);
      expect(before).toMatch(/^\d\d:\d\d:\d\d initial scan namespaces=\d+ interfaces=\d+ ms=\d+$/m);
      expect(before.trimEnd().split('\n').slice(-3)).toEqual([expect.stringMatching(/listening; open this in a browser/), '', `    ${url}`]);
      t.child.stdin.write('\x03'); // Ctrl-C: the terminal sends SIGINT
      expect(await t.exited, t.output()).toBe(0);
      expect(t.output()).toMatch(/stopping signal=SIGINT\n.*stopped ms=\d+\n/);
    } finally {
      t.child.kill('SIGKILL');
    }
  });

  it('keeps JSON on a terminal when asked, and pino JSON through a pipe by default', async () => {
    const t = serveOnTerminal(['--log-format', 'json']);
    try {
      const line = await until('the listening line', () => t.output().split('\n').find((l) => l.includes('"msg":"listening"')), 20_000);
      expect(JSON.parse(line)).toMatchObject({ level: 30, msg: 'listening', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    } finally {
      t.child.stdin.write('\x03');
      await t.exited;
    }
    const piped = await startServe();
    try {
      expect(piped.logs.every((l) => l.startsWith('{'))).toBe(true);
    } finally {
      await piped.stop();
    }
  });

  it('exits by itself on SIGTERM although a client never answers, and says so', async () => {
    const s = await startServe();
    const mirror = new TopologyMirror(s.url);
    await mirror.ready();
    const silent = await silentWebSocket(s.url);
    try {
      await s.stop(); // SIGTERM; SIGKILL only if still running 3 s later
      expect(s.child.signalCode).toBe(null);
      expect(s.child.exitCode).toBe(0);
      const msgs = s.logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(msgs.slice(-2)).toEqual(['stopping', 'stopped']);
    } finally {
      mirror.close();
      silent.destroy();
    }
  });

  it('exits at once on a second signal while stopping (128 + signal)', async () => {
    // A long grace and a client that never hangs up: the first shutdown waits, the second signal does not.
    const s = await startServe(['--shutdown-grace', '60000']);
    const silent = await silentWebSocket(s.url);
    try {
      const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
      s.child.kill('SIGTERM');
      await until('stopping', () => s.logs.some((l) => l.includes('"msg":"stopping"')));
      s.child.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(s.logs.some((l) => l.includes('second signal'))).toBe(true);
    } finally {
      silent.destroy();
      await s.stop();
    }
  });
});
