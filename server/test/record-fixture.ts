/**
 * Records real kernel output for the unit tests: builds a scenario, then stores the raw
 * RTM_GETLINK / RTM_GETADDR dump bytes of each namespace and the nsid each namespace gives
 * each other one. Run as root: `npx tsx server/test/record-fixture.ts`.
 */
import { writeFileSync, mkdirSync, statSync } from 'node:fs';
import { addon } from '../src/kernel/native.js';
import { addrDumpRequest, linkDumpRequest } from '../src/kernel/rtnetlink.js';
import { inNamespace } from '../src/kernel/rtnl.js';
import { TestNet, ip } from './support/testnet.js';

const net = new TestNet();
try {
  const a = net.netns('a');
  const b = net.netns('b');
  const c = net.netns('c');
  const br = net.name('br');
  ip('link', 'add', br, 'type', 'bridge');
  // Two namespaces whose interface is called eth0 with ifindex 2 in both.
  ip('link', 'add', net.name('ra'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', a);
  ip('link', 'add', net.name('rb'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', b);
  ip('link', 'set', net.name('ra'), 'master', br);
  ip('link', 'set', net.name('rb'), 'master', br);
  ip('link', 'set', br, 'up');
  ip('link', 'set', net.name('ra'), 'up');
  ip('-n', a, 'link', 'set', 'eth0', 'up');
  ip('-n', a, 'addr', 'add', '10.99.0.2/24', 'dev', 'eth0');
  ip('-n', a, 'addr', 'add', 'fd00:99::2/64', 'dev', 'eth0', 'nodad');
  // A pair between two non-root namespaces, and one with both ends in the root.
  ip('-n', b, 'link', 'add', 'x1', 'type', 'veth', 'peer', 'name', 'x2', 'netns', c);
  ip('link', 'add', net.name('s1'), 'type', 'veth', 'peer', 'name', net.name('s2'));
  // A macvlan whose lower device stays behind in another namespace.
  ip('-n', c, 'link', 'add', 'link', 'x2', 'name', 'mv0', 'type', 'macvlan', 'mode', 'bridge');
  ip('-n', c, 'link', 'set', 'mv0', 'netns', a);

  const paths: Record<string, string> = { root: '/proc/self/ns/net', a: `/var/run/netns/${a}`, b: `/var/run/netns/${b}`, c: `/var/run/netns/${c}` };
  const fixture: Record<string, unknown> = { prefix: net.prefix, namespaces: {}, nsids: {} };
  for (const [key, p] of Object.entries(paths)) {
    const fd = addon().openSocket(p, 0, 0);
    const links = addon().request(fd, linkDumpRequest(), 5000).toString('hex');
    const addrs = addon().request(fd, addrDumpRequest(), 5000).toString('hex');
    addon().close(fd);
    (fixture.namespaces as Record<string, unknown>)[key] = { inode: statSync(p).ino, links, addrs };
  }
  for (const [from, p] of Object.entries(paths)) {
    for (const [to, q] of Object.entries(paths)) {
      if (from !== to) (fixture.nsids as Record<string, number>)[`${from}>${to}`] = inNamespace(p, (s) => s.nsidOf(q));
    }
  }
  mkdirSync(new URL('./fixtures/shared-names/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./fixtures/shared-names/kernel.json', import.meta.url), `${JSON.stringify(fixture, null, 1)}\n`);
  console.log('recorded', Object.keys(paths).length, 'namespaces');
} finally {
  net.cleanup();
  if (net.leftovers().length) console.error('left behind:', net.leftovers());
}
