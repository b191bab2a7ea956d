import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NetBuilder, until } from '@vethmap/testkit';

/**
 * The shared builder (tests, bench, fuzzer) on a host with hostile names: it must find and
 * remove everything it made whatever the bytes (iproute2's `ip -j` prints invalid JSON for
 * a name with a control byte, which once killed `npm run bench`).
 */
describe('NetBuilder on a host with hostile names', () => {
  it('lists and removes namespaces, links, holders and Docker-folder namespaces it made', async () => {
    const net = new NetBuilder('vmt');
    try {
      const ns = net.netns('\u001b[2J "<b>\u202e');
      net.veth(net.name('\u001b['), null, 'eth0', ns);
      net.bridge(net.name('<br>'));
      const pid = await net.processNamespace();
      const docker = net.dockerNetns('d', pid);
      const bare = net.dockerNetns('e');
      const left = net.leftovers();
      expect(left).toEqual(expect.arrayContaining([ns, docker, bare, net.name('\u001b['), net.name('<br>'), `pid ${pid}`]));
    } finally {
      net.cleanup();
    }
    expect(net.leftovers()).toEqual([]);
    expect(existsSync('/var/run/docker/netns') ? net.leftovers() : []).toEqual([]);
  });
});

describe('NetBuilder when its test is abandoned', () => {
  it('removes what it made when the process is terminated (SIGTERM), as vitest ends a timed-out worker', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('../support/abandoned-builder.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    const prefix = await until('the prefix', () => /^(vmt[0-9a-f]{4})\n/.exec(out)?.[1], 20_000);
    const mine = (): string[] => readdirSync('/var/run/netns').filter((n) => n.startsWith(prefix));
    expect(mine()).toEqual([`${prefix}-abandoned`]);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM'); // it still dies of the signal
    expect(mine()).toEqual([]);
  });
});
