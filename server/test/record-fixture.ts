/**
 * Records real kernel output for the unit tests: builds a scenario, then stores the raw
 * RTM_GETLINK / RTM_GETADDR dump bytes of each namespace and the nsid each namespace gives
 * each other one. Run as root: `npx tsx server/test/record-fixture.ts`.
 */
import { writeFileSync, mkdirSync, statSync } from 'node:fs';
import { addon } from '../src/kernel/native.js';
import { addrDumpRequest, linkDumpRequest } from '../src/kernel/rtnetlink.js';
import { inNamespace } from '../src/kernel/rtnl.js';
import { NetBuilder } from '@vethmap/testkit';
import { sharedNames } from './support/scenarios.js';

const net = new NetBuilder();
const ip = (...args: string[]): string => net.ip(...args);
try {
  const { a, b, c } = sharedNames(net, '10.99.0.2/24');
  ip('-n', a, 'addr', 'add', 'fd00:99::2/64', 'dev', 'eth0', 'nodad');
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
