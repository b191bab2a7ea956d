import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetBuilder } from '@vethmap/testkit';
import { labDown, labUp, LAB_STATE_FILE, type LabReport } from '../../src/lab/index.js';

/**
 * The demo lab against the real kernel, on a host that also holds names with control bytes.
 * Every check reads the kernel with `ip -j` (one named device at a time), not the lab's own report: the veth in vlab-a must have its peer in vlab-b *as the kernel
 * says*, by IFLA_LINK (link_index) and IFLA_LINK_NETNSID (link_netnsid, in vlab-a's
 * numbering). afterAll removes anything with the prefix even if the lab's own `down` is
 * broken, and the last test asserts nothing is left.
 */

const execFileP = promisify(execFile);
// The host may hold thousands of links while other suites run: no 1 MiB stdout cap.
const run = (cmd: string, args: string[]): Promise<{ stdout: string }> => execFileP(cmd, args, { maxBuffer: 256 * 1024 * 1024 });
const IP = '/usr/sbin/ip';

interface Link {
  ifindex: number;
  ifname: string;
  flags: string[];
  operstate: string;
  master?: string;
  link?: string;
  link_index?: number;
  link_netnsid?: number;
  linkinfo?: { info_kind?: string };
  addr_info?: Array<{ family: string; local: string; prefixlen: number }>;
}

async function ipj<T>(args: string[], netns?: { name?: string; pid?: number }): Promise<T> {
  const argv = ['-j', '-d', ...args];
  const { stdout } = netns?.pid
    ? await run('nsenter', [`--net=/proc/${netns.pid}/ns/net`, '--', IP, ...argv])
    : await run(IP, netns?.name ? ['-n', netns.name, ...argv] : argv);
  return (stdout.trim() === '' ? [] : JSON.parse(stdout)) as T;
}

/**
 * One link as `ip -j -d addr show dev NAME` reads it. Only ever one named device: the host
 * may hold names with control bytes (this test makes some), and iproute2 prints invalid
 * JSON for those, so no query here lists names the test did not choose.
 */
async function link(name: string, netns?: { name?: string; pid?: number }): Promise<Link> {
  const [l] = await ipj<Link[]>(['addr', 'show', 'dev', name], netns);
  if (!l) throw new Error(`no link ${name}`);
  return l;
}

/** `ip -j link show master BR`: the ports of a lab bridge (lab names only). */
const portsOf = async (bridge: string): Promise<string[]> => (await ipj<Link[]>(['link', 'show', 'master', bridge])).map((l) => l.ifname);

/** Named namespaces and root links, from the file system (never from `ip -j`, see `link`). */
const netnsNames = (): Promise<string[]> => readdir('/var/run/netns').catch(() => []);
const rootLinkNames = (): Promise<string[]> => readdir('/sys/class/net');

/** The name of the namespace that `nsid` denotes *inside* namespace `from` (the kernel's numbering there). */
async function nameOfNsid(from: string | null, nsid: number): Promise<string | undefined> {
  const [entry] = await ipj<Array<{ nsid: number; name?: string }>>(['netns', 'list-id', 'nsid', String(nsid)], from ? { name: from } : undefined);
  return entry?.name;
}

const ipv4 = (l: Link): string[] => (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);

async function pidAlive(pid: number): Promise<boolean> {
  try {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function leftovers(): Promise<string[]> {
  const ns = (await netnsNames()).filter((n) => n.startsWith('vlab'));
  const rootLinks = (await rootLinkNames()).filter((n) => n.startsWith('vlab'));
  const state = await stat(LAB_STATE_FILE).then(() => [LAB_STATE_FILE], () => []);
  return [...ns.map((n) => `netns ${n}`), ...rootLinks.map((n) => `link ${n}`), ...state];
}

const holderPids = new Set<number>();

/** Cleanup that does not trust the code under test: raw `ip` deletes and the recorded pids. */
async function sweep(): Promise<void> {
  try {
    const st = JSON.parse(await readFile(LAB_STATE_FILE, 'utf8')) as { holders: Array<{ pid: number }> };
    for (const h of st.holders) holderPids.add(h.pid);
  } catch {
    // no state file
  }
  for (const pid of holderPids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline === 'sleep\0infinity\0') process.kill(pid, 'SIGKILL');
  }
  for (const l of (await rootLinkNames()).filter((x) => x.startsWith('vlab-'))) await run(IP, ['link', 'del', 'dev', l]).catch(() => undefined);
  for (const n of (await netnsNames()).filter((x) => x.startsWith('vlab-'))) await run(IP, ['netns', 'del', n]).catch(() => undefined);
  await rm(LAB_STATE_FILE, { force: true });
  await rm(path.dirname(LAB_STATE_FILE), { recursive: true, force: true });
}

const quiet = (lines: string[]) => (line: string): void => {
  lines.push(line);
};

describe('vethmap lab (real kernel)', () => {
  const printed: string[] = [];
  let up: LabReport;
  // A host where someone made names that break `ip -j` (a control byte): the lab must not care.
  const hostile = new NetBuilder('vmt');

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('the lab integration test needs root (it builds namespaces)');
    await sweep();
    hostile.netns('\u001b[31mred');
    hostile.veth(hostile.name('\u001b['), null, hostile.name('q"'), null, { up: false });
    up = await labUp('all', quiet(printed));
  });

  afterAll(async () => {
    try {
      await labDown(() => undefined);
    } finally {
      await sweep();
      hostile.cleanup();
    }
    expect(hostile.leftovers()).toEqual([]);
    for (const pid of holderPids) expect(await pidAlive(pid)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('builds every scenario and prints what it made', () => {
    expect(up.scenarios).toEqual(['pair', 'bridge', 'root-pair', 'container']);
    expect(up.skipped).toEqual([]);
    for (const name of ['vlab-a', 'vlab-b', 'vlab-h1', 'vlab-br0', 'vlab-r0', 'vlab-ct', 'vlab-ct0']) {
      expect(printed.some((l) => l.includes(name)), `printed ${name}`).toBe(true);
    }
  });

  it('pair: the veth in vlab-a has its peer in vlab-b, and back (link_index + link_netnsid)', async () => {
    expect(await netnsNames()).toEqual(expect.arrayContaining(['vlab-a', 'vlab-b']));
    const a = await link('vlab-a-eth0', { name: 'vlab-a' });
    const b = await link('vlab-b-eth0', { name: 'vlab-b' });
    expect(a.linkinfo?.info_kind).toBe('veth');
    expect(a.link_netnsid).toBeTypeOf('number');
    expect(await nameOfNsid('vlab-a', a.link_netnsid!)).toBe('vlab-b');
    expect(a.link_index).toBe(b.ifindex);
    expect(await nameOfNsid('vlab-b', b.link_netnsid!)).toBe('vlab-a');
    expect(b.link_index).toBe(a.ifindex);
    expect(ipv4(a)).toEqual(['192.168.71.1/24']);
    expect(ipv4(b)).toEqual(['192.168.71.2/24']);
    expect(a.flags).toContain('LOWER_UP');
  });

  it('bridge: three ports on vlab-br0, each the peer of a namespace veth; the vlab-h3 port is down', async () => {
    expect((await portsOf('vlab-br0')).sort()).toEqual(['vlab-br0-h1', 'vlab-br0-h2', 'vlab-br0-h3']);
    for (const i of [1, 2, 3]) {
      const port = await link(`vlab-br0-h${i}`);
      const inner = await link(`vlab-h${i}-eth0`, { name: `vlab-h${i}` });
      expect(port.master).toBe('vlab-br0');
      expect(await nameOfNsid(null, port.link_netnsid!)).toBe(`vlab-h${i}`);
      expect(port.link_index).toBe(inner.ifindex);
      expect(inner.link_index).toBe(port.ifindex);
      expect(ipv4(inner)).toEqual([`10.71.0.${i}/24`]);
      if (i === 3) {
        expect(port.flags).not.toContain('UP');
        // veth(4): with one end down, the other end has no carrier. The operstate word
        // varies (this kernel says DOWN, not LOWERLAYERDOWN); NO-CARRIER does not.
        expect(inner.flags).toContain('UP');
        expect(inner.flags).toContain('NO-CARRIER');
        expect(inner.flags).not.toContain('LOWER_UP');
        expect(['DOWN', 'LOWERLAYERDOWN']).toContain(inner.operstate);
      } else {
        expect(port.flags).toContain('UP');
        expect(inner.operstate).toBe('UP');
      }
    }
  });

  it('root-pair: both ends in the root namespace, each naming the other (no link_netnsid)', async () => {
    const r0 = await link('vlab-r0');
    const r1 = await link('vlab-r1');
    // Same-namespace peer: `ip -j` prints the peer's name as "link" instead of link_index.
    expect(r0.link).toBe('vlab-r1');
    expect(r1.link).toBe('vlab-r0');
    expect(r0.link_netnsid).toBeUndefined();
    if (up.warnings.some((w) => w.startsWith('vlab-r0'))) expect(ipv4(r0)).toEqual([]);
    else expect(ipv4(r0)).toEqual(['10.199.71.1/30']);
  });

  it('container: a namespace held only by a process, its veth peer a port of vlab-ctbr0 in the root', async () => {
    const state = JSON.parse(await readFile(LAB_STATE_FILE, 'utf8')) as { holders: Array<{ name: string; pid: number; netnsInode: number }> };
    const holder = state.holders.find((h) => h.name === 'vlab-ct');
    expect(holder).toBeDefined();
    const pid = holder!.pid;
    holderPids.add(pid);
    expect(await readFile(`/proc/${pid}/cmdline`, 'utf8')).toBe('sleep\0infinity\0');
    const inode = (await stat(`/proc/${pid}/ns/net`)).ino;
    expect(inode).toBe(holder!.netnsInode);
    expect(inode).not.toBe((await stat('/proc/self/ns/net')).ino); // /proc/1/ns/net can refuse even root
    // Not a named namespace: no /var/run/netns entry is this namespace.
    for (const name of await readdir('/var/run/netns')) {
      expect((await stat(path.join('/var/run/netns', name))).ino).not.toBe(inode);
    }
    const inner = await link('vlab-ct-eth0', { pid });
    const hostEnd = await link('vlab-ct0');
    expect(inner.link_netnsid).toBeTypeOf('number');
    expect(hostEnd.link_netnsid).toBeTypeOf('number');
    expect(inner.link_index).toBe(hostEnd.ifindex);
    expect(hostEnd.link_index).toBe(inner.ifindex);
    // The root's id for the peer's namespace has no name: it is not in /var/run/netns.
    expect(await nameOfNsid(null, hostEnd.link_netnsid!)).toBeUndefined();
    expect(hostEnd.master).toBe('vlab-ctbr0');
    expect(ipv4(inner)).toEqual(['10.72.0.2/24']);
  });

  it('a second `up` skips what is there and changes nothing', async () => {
    const before = await leftovers();
    const again = await labUp('all', () => undefined);
    expect(again.scenarios).toEqual([]);
    expect(again.skipped).toEqual(['pair', 'bridge', 'root-pair', 'container']);
    expect(await leftovers()).toEqual(before);
  });

  it('down removes exactly the lab: namespaces, root links, the holder process, the state file', async () => {
    const pids = [...holderPids];
    expect(pids.length).toBe(1);
    const down = await labDown(() => undefined);
    expect(down.warnings).toEqual([]);
    expect(down.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['vlab-a', 'vlab-b', 'vlab-h3', 'vlab-br0', 'vlab-ct', 'vlab-r1']));
    expect(await leftovers()).toEqual([]);
    for (const pid of pids) expect(await pidAlive(pid)).toBe(false);
    // Idempotent: nothing there is not an error.
    const again = await labDown(() => undefined);
    expect(again.resources).toEqual([]);
  });

  it('a scenario that fails half way is undone, and earlier ones stay until down', async () => {
    // An `ip` that refuses one address: the bridge scenario fails after making most of itself.
    const dir = await mkdtemp(path.join(tmpdir(), 'vlab-ip-'));
    const fake = path.join(dir, 'ip');
    await writeFile(fake, `#!/bin/sh\ncase "$*" in *10.71.0.2/24*) echo "injected failure" >&2; exit 2;; esac\nexec ${IP} "$@"\n`);
    await chmod(fake, 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath ?? ''}`;
    try {
      await expect(labUp('all', () => undefined)).rejects.toThrow(/bridge failed: .*injected failure.*removed.*pair stay up/s);
    } finally {
      process.env.PATH = savedPath;
      await rm(dir, { recursive: true, force: true });
    }
    const left = await leftovers();
    expect(left.filter((x) => /vlab-(h\d|br0)/.test(x))).toEqual([]);
    expect(left).toEqual(expect.arrayContaining(['netns vlab-a', 'netns vlab-b']));
    await labDown(() => undefined);
    expect(await leftovers()).toEqual([]);
  });
});
