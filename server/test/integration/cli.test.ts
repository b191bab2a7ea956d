import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Topology } from '@vethmap/shared';
import { CLI as cli, NetBuilder } from '@vethmap/testkit';
import { pairToRoot } from '../support/scenarios.js';

const net = new NetBuilder();
let a: string;

beforeAll(() => {
  a = pairToRoot(net);
});
afterAll(() => {
  net.cleanup();
  expect(net.leftovers()).toEqual([]);
});

describe('the vethmap CLI', () => {
  it('snapshot prints the schema-valid topology', () => {
    // maxBuffer: other runs on the machine may hold a thousand namespaces (megabytes of JSON).
    const t = Topology.parse(JSON.parse(execFileSync('node', [cli, 'snapshot'], { encoding: 'utf8', maxBuffer: 1 << 28 })));
    expect(t.namespaces.some((n) => n.name === a)).toBe(true);
  });

  it('peer names the other end and the evidence, from either side', () => {
    const out = execFileSync('node', [cli, 'peer', 'eth0', '--netns', a], { encoding: 'utf8' });
    expect(out).toContain(`peer: "${net.name('r')}" in namespace "root"`);
    expect(out).toMatch(/IFLA_LINK \(iflink\) = \d+ = peer ifindex; link-netnsid = \d+/);
    const back = JSON.parse(execFileSync('node', [cli, 'peer', net.name('r'), '--json'], { encoding: 'utf8' }));
    expect(back.peer.name).toBe('eth0');
    expect(back.peerNamespace.name).toBe(a);
  });

  it('says clearly when the interface or namespace does not exist', () => {
    const r = spawnSync('node', [cli, 'peer', 'nope0', '--netns', a], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`no interface "nope0" in namespace "${a}"`);
    const r2 = spawnSync('node', [cli, 'peer', 'eth0', '--netns', `${net.prefix}-missing`], { encoding: 'utf8' });
    expect(r2.status).toBe(3);
    expect(r2.stderr).toContain('no namespace');
  });

  it('fails loudly, naming the fix, when the netlink addon is not built', () => {
    const r = spawnSync('node', [cli, 'snapshot'], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, VETHMAP_ADDON: '/nonexistent/vethmap_netlink.node' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/netlink addon is not built .*Run `npm install`/);
  });

  it('as a non-root user says it was not allowed to look, not that nothing is there (exit 4)', () => {
    const nobody = (...args: string[]) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', cli, ...args], { encoding: 'utf8' });
    const inNs = nobody('peer', 'eth0', '--netns', a);
    expect(inNs.status).toBe(4);
    expect(inNs.stdout).toBe('');
    expect(inNs.stderr).toMatch(new RegExp(`not allowed to read namespace "${a}" \\(setns: Operation not permitted\\): run vethmap as root`));
    // Without --netns: it searched what it may read, and says what it could not.
    const anywhere = nobody('peer', net.name('none'));
    expect(anywhere.status).toBe(4);
    expect(anywhere.stderr).toMatch(/no interface "\w+" in the \d+ namespace\(s\) this user may read; \d+ namespace\(s\) could not be read \(permission denied\)/);
    // Its own namespace it may read: the root end is found, its peer's namespace is not readable.
    const own = nobody('peer', net.name('r'));
    expect(own.status).toBe(4);
    expect(own.stdout).toContain(`"${net.name('r')}" in namespace "root"`);
    expect(own.stderr).toContain(`not allowed to read namespace "${a}"`);
  });

  it('prints its version, examples in every --help, and exits 2 on a usage error', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(execFileSync('node', [cli, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    for (const command of [[], ['serve'], ['snapshot'], ['peer'], ['why'], ['lab', 'up'], ['lab', 'down']]) {
      const help = execFileSync('node', [cli, ...command, '--help'], { encoding: 'utf8' });
      expect(help, command.join(' ')).toMatch(/\nExamples:\n {2}\S/);
    }
    const r = spawnSync('node', [cli, 'peer'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing required argument 'ifname'");
  });

  it('as a non-root user shows what it can and says why the rest is missing', () => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', cli, 'snapshot'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const t = Topology.parse(JSON.parse(r.stdout));
    expect(t.warnings.join('\n')).toMatch(/not running as root/);
    expect(t.namespaces.find((n) => n.kind === 'root')).toBeDefined();
    expect(t.interfaces.some((i) => i.name === 'lo')).toBe(true);
  });
});
