/**
 * Reachability scenarios for \`vethmap why\`, its tests, the e2e spec and the README's
 * pictures: everything inside namespaces the caller's NetBuilder creates (a namespace acting
 * as the host, never the real root's firewall or sysctls), traffic only between them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { NetBuilder } from '@vethmap/testkit';

/** Runs a program inside a named namespace (`ip netns exec NS ...`), argument array only. */
export function inNs(ns: string, ...cmd: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Pings from `ns` to `to` until one reply comes back, for at most 2 s (a probe every 0.2 s:
 * a link just brought up, an ARP entry still resolving or a loaded host lose the first one);
 * true when a reply came back. `size`: ICMP payload, sent with DF set.
 */
export function ping(ns: string, to: string, size = 56): boolean {
  return pingWith(ns, to, size, ['-c', '1', '-w', '2', '-i', '0.2']);
}

/**
 * A reply within 10 s, for a path expected to work. Pings again after each failed ping: a
 * link just set up carries packets only once the kernel's link watch has run (up to a
 * second later), and a neighbour left FAILED by an earlier unanswered ping answers the next
 * packet with "Destination Host Unreachable" at once, which ends `ping -c 1` early.
 */
export function reaches(ns: string, to: string, size = 56): boolean {
  const giveUp = Date.now() + 10_000;
  do {
    if (pingWith(ns, to, size, ['-c', '1', '-w', '2', '-i', '0.2'])) return true;
  } while (Date.now() < giveUp);
  return false;
}

/** Exactly one echo request, waiting 1 s for its reply: for tests that count packets. */
export function pingOnce(ns: string, to: string, size = 56): boolean {
  return pingWith(ns, to, size, ['-c', '1', '-W', '1']);
}

function pingWith(ns: string, to: string, size: number, how: string[]): boolean {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ping', '-n', ...how, '-M', 'do', '-s', String(size), to], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.status === 0;
}

/** A namespace acting as the host: a bridge `br0` in `h` with ports `pa`, `pb` to `eth0` in `a` and `b`. */
export interface BridgeHost {
  h: string;
  a: string;
  b: string;
}

export const A_ADDR = '10.77.0.1';
export const B_ADDR = '10.77.0.2';

/**
 * The seed post's "bridge can't ping" topology, built inside a namespace acting as the host
 * (never on the real root): everything up, addresses in one /24, lo up everywhere.
 */
export function bridgeHost(net: NetBuilder): BridgeHost {
  const h = net.netns('h');
  const a = net.netns('a');
  const b = net.netns('b');
  net.batch(['link add br0 type bridge', 'link set br0 up', 'link set lo up', `link add pa type veth peer name eth0 netns ${a}`, `link add pb type veth peer name eth0 netns ${b}`, 'link set pa master br0', 'link set pb master br0', 'link set pa up', 'link set pb up'], h);
  net.batch(['link set lo up', 'link set eth0 up', `addr add ${A_ADDR}/24 dev eth0`], a);
  net.batch(['link set lo up', 'link set eth0 up', `addr add ${B_ADDR}/24 dev eth0`], b);
  return { h, a, b };
}

/** Two namespaces `a` and `b` routed through `r`: 10.78.1.0/24 (a) and 10.78.2.0/24 (b). */
export interface Routed {
  a: string;
  r: string;
  b: string;
}

export const RA_ADDR = '10.78.1.1';
export const RB_ADDR = '10.78.2.1';
export const GW_A = '10.78.1.254';
export const GW_B = '10.78.2.254';

export function routed(net: NetBuilder, options: { forward: boolean; defaultInA?: boolean }): Routed {
  const a = net.netns('a');
  const r = net.netns('r');
  const b = net.netns('b');
  net.batch([`link add ra type veth peer name eth0 netns ${a}`, `link add rb type veth peer name eth0 netns ${b}`, 'link set lo up', 'link set ra up', 'link set rb up', `addr add ${GW_A}/24 dev ra`, `addr add ${GW_B}/24 dev rb`], r);
  net.batch(['link set lo up', 'link set eth0 up', `addr add ${RA_ADDR}/24 dev eth0`, ...(options.defaultInA ?? true ? [`route add default via ${GW_A}`] : [])], a);
  net.batch(['link set lo up', 'link set eth0 up', `addr add ${RB_ADDR}/24 dev eth0`, `route add default via ${GW_B}`], b);
  inNs(r, 'sysctl', '-q', '-w', `net.ipv4.ip_forward=${options.forward ? 1 : 0}`);
  return { a, r, b };
}

/**
 * Docker's filter and nat rules as dockerd 20.10 installs them on a host with the default
 * bridge (`iptables-save`), for loading into a namespace acting as the host: the FORWARD
 * policy DROP and the accept rules that name only docker0.
 */
export const DOCKER_RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
`;

/** Loads an iptables-save text into a namespace (iptables-nft: the rules land in nf_tables). */
export function iptablesRestore(ns: string, rules: string): void {
  execFileSync('ip', ['netns', 'exec', ns, 'iptables-restore'], { input: rules, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Runs the first line of a report's `fix` as an argument array (the fixes vethmap prints
 * for these scenarios are plain words: no quoting, no placeholders).
 */
export function applyFix(fix: string | null): void {
  if (!fix) throw new Error('the report proposes no fix');
  const line = fix.split('\n')[0]!.replace(/ \(.*\)$/, '');
  if (/[<>'"]/.test(line)) throw new Error(`not a runnable fix: ${line}`);
  const [cmd, ...args] = line.split(' ');
  execFileSync(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}
