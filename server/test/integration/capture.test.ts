import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Topology } from '@vethmap/shared';
import { CLI, rawRequest, startServe, syntheticCapture } from '@vethmap/testkit';

/** `serve --from` (issue 10 §2.4): what it refuses, and what a big capture costs. */
const dir = mkdtempSync(path.join(tmpdir(), 'vethmap-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, t: Topology): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(t));
  return file;
}
function serveFails(file: string, ...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--from', file, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}
/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

describe('serve --from', () => {
  it('refuses a capture whose references dangle, naming the first few', () => {
    const t = syntheticCapture(4);
    const [a, b, c] = t.interfaces.filter((i) => i.kind === 'veth' && i.namespace !== 'ns:1');
    a!.peer = 'nif:999:9';
    b!.namespace = 'ns:404';
    t.interfaces.push({ ...c! });
    t.interfaces.find((i) => i.id === c!.peer)!.peer = null;
    const r = serveFails(write('dangling.json', t));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('dangling.json does not hold together: ');
    expect(r.stderr).toContain(`interface id "${c!.id}" appears twice`);
    expect(r.stderr).toContain(`interface "${b!.id}" is in namespace "ns:404", which is not in the document`);
    expect(r.stderr).toContain(`interface "${a!.id}": peer "nif:999:9" is not in the document`);
    expect(r.stderr).toMatch(/\(and \d+ more\)/);
  });

  it('refuses a capture bigger than --max-capture-mb before reading it', () => {
    const file = write('big.json', syntheticCapture(1500, 3));
    const r = serveFails(file, '--max-capture-mb', '1');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/big\.json is \d MB, more than --max-capture-mb allows \(1 MB\); raise it if this machine has the memory/);
    expect(serveFails(path.join(dir, 'missing.json')).stderr).toContain('cannot read capture');
  });

  it('serialises the topology once, not on every request', { timeout: 240_000 }, async () => {
    // ~10 MB: serialising it costs the server well over the few ticks of sending it.
    const file = write('ten.json', syntheticCapture(2000, 10));
    const s = await startServe(['--from', file], { timeoutMs: 180_000 });
    try {
      const pid = s.child.pid!;
      const get = async (): Promise<string> => {
        const r = await rawRequest(`${s.url}/api/topology`);
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
        return r.body;
      };
      const t0 = cpuTicks(pid);
      const first = await get();
      const t1 = cpuTicks(pid);
      for (let i = 0; i < 4; i++) expect(await get()).toBe(first);
      const t2 = cpuTicks(pid);
      expect(JSON.parse(first)).toEqual({ ...JSON.parse(readFileSync(file, 'utf8')), live: false });
      // Four more requests cost less than the first one did (each re-serialised: ~4x).
      expect(t2 - t1).toBeLessThan(t1 - t0);
    } finally {
      await s.stop();
    }
  });
});
