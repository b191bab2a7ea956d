/**
 * Records real kernel answers for the `vethmap why` codecs' unit tests: builds a bridge host
 * with Docker's rules plus a few hand-made ones, a source with policy routing, multipath,
 * blackhole and neighbour entries in every state, then stores the raw reply bytes.
 * Run as root: `npx tsx server/test/record-why-fixture.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { addon } from '../src/kernel/native.js';
import { linkGetRequest } from '../src/kernel/rtnetlink.js';
import { routeDumpRequest, routeGetRequest, ruleDumpRequest } from '../src/kernel/route.js';
import { fdbDumpRequest, neighDumpRequest } from '../src/kernel/neigh.js';
import { bridgePortDumpRequest } from '../src/kernel/bridge.js';
import { statsDumpRequest } from '../src/kernel/stats.js';
import { chainDumpRequest, NETLINK_NETFILTER, ruleDumpRequest as nftRuleDumpRequest } from '../src/kernel/nftables.js';
import { B_ADDR, bridgeHost, DOCKER_RULES, inNs, iptablesRestore, NetBuilder, ping } from '@vethmap/testkit';

const net = new NetBuilder('vmw');
/** Replies keep their error messages (route get answers ENETUNREACH as an NLMSG_ERROR). */
function ask(path: string, req: Buffer, protocol?: number): string {
  const fd = addon().openSocket(path, 0, 0, protocol);
  try {
    return addon().request(fd, req, 5000).toString('hex');
  } finally {
    addon().close(fd);
  }
}
try {
  const { h, a } = bridgeHost(net);
  iptablesRestore(h, DOCKER_RULES);
  inNs(h, 'iptables', '-I', 'DOCKER-USER', '-i', 'br0', '-o', 'br0', '-m', 'comment', '--comment', 'vethmap fixture', '-j', 'ACCEPT');
  inNs(h, 'iptables', '-A', 'FORWARD', '-s', '10.77.0.0/24', '-p', 'icmp', '-j', 'DROP');
  execFileSync('ip', ['netns', 'exec', h, 'nft', '-f', '-'], { input: 'table inet vm { set blocked { type ipv4_addr; elements = { 10.99.0.1 } }\n chain screen { type filter hook forward priority 10; policy accept; ip saddr @blocked drop\n ct state established accept\n iifname "pa" counter\n }\n}\n' });
  net.batch(['link set pb down'], h);
  net.batch([
    'route add default via 10.77.0.254 dev eth0 onlink',
    'route add blackhole 10.66.0.0/16',
    'route add 10.55.0.0/24 nexthop via 10.77.0.2 nexthop via 10.77.0.3',
    'route add 10.44.0.0/24 via 10.77.0.2 table 100',
    'rule add from 10.77.0.0/24 fwmark 0x7 lookup 100 priority 100',
    'neigh add 10.77.0.77 dev eth0 nud failed',
    'neigh add 10.77.0.78 dev eth0 nud incomplete',
    'neigh add 10.77.0.79 lladdr 02:00:00:00:00:79 dev eth0 nud permanent',
  ], a);
  net.batch(['link set pb up'], h);
  ping(a, B_ADDR);
  const hp = `/var/run/netns/${h}`;
  const ap = `/var/run/netns/${a}`;
  const brIndex = Number(execFileSync('ip', ['netns', 'exec', h, 'cat', '/sys/class/net/br0/ifindex'], { encoding: 'utf8' }));
  const fixture = {
    prefix: net.prefix,
    a: {
      routes: ask(ap, routeDumpRequest()),
      rules: ask(ap, ruleDumpRequest()),
      neighbours: ask(ap, neighDumpRequest()),
      stats: ask(ap, statsDumpRequest()),
      getOnLink: ask(ap, routeGetRequest({ to: B_ADDR })),
      getOnLinkFibMatch: ask(ap, routeGetRequest({ to: B_ADDR, fibMatch: true })),
      getDefault: ask(ap, routeGetRequest({ to: '10.200.0.1' })),
      getBlackhole: ask(ap, routeGetRequest({ to: '10.66.1.1' })),
      getMultipath: ask(ap, routeGetRequest({ to: '10.55.0.9', fibMatch: true })),
    },
    h: {
      bridgeIndex: brIndex,
      ports: ask(hp, bridgePortDumpRequest()),
      fdb: ask(hp, fdbDumpRequest()),
      bridge: ask(hp, linkGetRequest(brIndex)),
      chains: ask(hp, chainDumpRequest(), NETLINK_NETFILTER),
      nftRules: ask(hp, nftRuleDumpRequest(), NETLINK_NETFILTER),
      getForwardOff: ask(hp, routeGetRequest({ to: B_ADDR, from: '10.77.0.1', iif: brIndex })),
    },
  };
  mkdirSync(new URL('./fixtures/why/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./fixtures/why/kernel.json', import.meta.url), `${JSON.stringify(fixture, null, 1)}\n`);
  console.log('recorded', Object.keys(fixture.a).length + Object.keys(fixture.h).length, 'answers');
} finally {
  net.cleanup();
  if (net.leftovers().length) console.error('left behind:', net.leftovers());
}
