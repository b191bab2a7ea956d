/**
 * Reading what decides whether a packet gets through, inside one namespace: routes and
 * rules, the route the kernel would pick, neighbours, bridge ports and forwarding
 * databases, sysctls and the firewall. Each verb names the command it is equivalent to;
 * nothing here changes anything, and nothing loads a kernel module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { addon } from './native.js';
import { enterPath } from './rtnl.js';
import { linkGetRequest, NetlinkError, parseMessages, RTM_NEWLINK } from './rtnetlink.js';
import { parseRoute, parseRule, routeDumpRequest, routeGetRequest, RTM_NEWROUTE, RTM_NEWRULE, ruleDumpRequest, type Route, type RouteQuery, type Rule } from './route.js';
import { fdbDumpRequest, neighDumpRequest, parseFdb, parseNeighbour, RTM_NEWNEIGH, type FdbEntry, type Neighbour } from './neigh.js';
import { bridgePortDumpRequest, parseBridgeOptions, parseBridgePort, type BridgeOptions, type BridgePort } from './bridge.js';
import * as nft from './nftables.js';

const TIMEOUT_MS = 5000;

/** errno names of the answers `ip route get` can give instead of a route. */
const ROUTE_ERRORS: Record<number, string> = {
  1: 'EPERM', 13: 'EACCES', 18: 'EXDEV', 19: 'ENODEV', 22: 'EINVAL', 101: 'ENETUNREACH', 113: 'EHOSTUNREACH',
};

/** The kernel's answer to a route get: the route, or the error it gave instead. */
export type RouteAnswer = { route: Route } | { error: string; errno: number };

/** What the firewall of one namespace holds, or why it could not be read. */
export type FirewallState =
  | { readable: true; chains: nft.NftChain[]; rules: nft.NftRule[] }
  | { readable: false; reason: string };

/** Legacy (x_tables) tables present in a namespace: `iptables-legacy` rules vethmap cannot read. */
export interface LegacyTables {
  ipv4: string[];
  ipv6: string[];
}

/**
 * True when asking nf_tables cannot make the kernel load a module: the kernel has no
 * module support, or nf_tables is loaded (or built in). Without nf_tables there are no
 * nftables rules to read.
 */
function nftablesPresent(): boolean {
  if (!existsSync('/proc/modules')) return true; // CONFIG_MODULES=n: nothing can be loaded
  if (existsSync('/sys/module/nf_tables')) return true;
  try {
    return /^nf_tables /m.test(readFileSync('/proc/modules', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * One namespace, asked many questions in a row (one trace): a NETLINK_ROUTE socket opened
 * at construction and, on first need, a NETLINK_NETFILTER one. Close it when done: the
 * sockets pin the namespace.
 */
export class NamespaceInspector {
  private readonly path: string | null;
  private readonly fd: number;
  private nfFd: number | null = null;

  constructor(nsPath: string | null) {
    this.path = enterPath(nsPath);
    this.fd = addon().openSocket(this.path, 0, 0);
  }

  private ask(request: Buffer, type: number): Buffer[] {
    return parseMessages(addon().request(this.fd, request, TIMEOUT_MS)).filter((m) => m.type === type).map((m) => m.payload);
  }

  /** `ip route get TO [from FROM] [iif DEV] [oif DEV] [mark M]`: the kernel's own lookup, policy rules included. */
  routeGet(q: RouteQuery): RouteAnswer {
    try {
      const [payload] = this.ask(routeGetRequest(q), RTM_NEWROUTE);
      const route = payload ? parseRoute(payload) : null;
      return route ? { route } : { error: 'ENODATA', errno: 61 };
    } catch (err) {
      if (err instanceof NetlinkError) return { error: ROUTE_ERRORS[err.errno] ?? `errno ${err.errno}`, errno: err.errno };
      throw err;
    }
  }

  /** `ip route show table all` and `ip -6 route show table all`. */
  routes(): Route[] {
    return this.ask(routeDumpRequest(), RTM_NEWROUTE).map(parseRoute).filter((r): r is Route => r !== null);
  }

  /** `ip rule show` and `ip -6 rule show`. */
  rules(): Rule[] {
    return this.ask(ruleDumpRequest(), RTM_NEWRULE).map(parseRule).filter((r): r is Rule => r !== null);
  }

  /** `ip neigh show` (IPv4 and IPv6). */
  neighbours(): Neighbour[] {
    return this.ask(neighDumpRequest(), RTM_NEWNEIGH).map(parseNeighbour).filter((n): n is Neighbour => n !== null);
  }

  /** `bridge fdb show`: the forwarding databases of every bridge (and port) here. */
  fdb(): FdbEntry[] {
    return this.ask(fdbDumpRequest(), RTM_NEWNEIGH).map(parseFdb).filter((e): e is FdbEntry => e !== null);
  }

  /** `bridge -d link show` + `bridge vlan show`: every bridge port's state and VLANs. */
  bridgePorts(): BridgePort[] {
    return this.ask(bridgePortDumpRequest(), RTM_NEWLINK).map(parseBridgePort).filter((p): p is BridgePort => p !== null);
  }

  /** `ip -d link show dev BRIDGE`: a bridge's options; null when it is gone or not a bridge. */
  bridgeOptions(ifindex: number): BridgeOptions | null {
    try {
      const [payload] = this.ask(linkGetRequest(ifindex), RTM_NEWLINK);
      return payload ? parseBridgeOptions(payload) : null;
    } catch (err) {
      if (err instanceof NetlinkError && err.errno === 19) return null;
      throw err;
    }
  }

  /**
   * `sysctl net.a.b` inside this namespace (/proc/sys/net is per namespace, resolved when the
   * file is opened): the trimmed value, or null when the setting does not exist here.
   */
  sysctl(parts: readonly string[]): string | null {
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('/'))) throw new Error(`not a sysctl name: ${parts.join('.')}`);
    return this.readOptional(`/proc/sys/${parts.join('/')}`);
  }

  /** `cat /proc/net/ip_tables_names` (and ip6): legacy iptables tables that exist in this namespace. */
  legacyTables(): LegacyTables {
    const names = (file: string): string[] => (this.readOptional(`/proc/thread-self/net/${file}`) ?? '').split('\n').filter(Boolean);
    return { ipv4: names('ip_tables_names'), ipv6: names('ip6_tables_names') };
  }

  /** `nft list ruleset`: every chain and rule of every family, over NETLINK_NETFILTER. */
  firewall(): FirewallState {
    if (!nftablesPresent()) return { readable: true, chains: [], rules: [] }; // no nf_tables: no nftables rules
    try {
      this.nfFd ??= addon().openSocket(this.path, 0, 0, nft.NETLINK_NETFILTER);
      const ask = (req: Buffer, type: number): Buffer[] =>
        parseMessages(addon().request(this.nfFd!, req, TIMEOUT_MS)).filter((m) => m.type === type).map((m) => m.payload);
      return { readable: true, chains: ask(nft.chainDumpRequest(), nft.NFT_NEWCHAIN).map(nft.parseChain), rules: ask(nft.ruleDumpRequest(), nft.NFT_NEWRULE).map(nft.parseRule) };
    } catch (err) {
      return { readable: false, reason: `nf_tables could not be read: ${(err as Error).message}` };
    }
  }

  private readOptional(file: string): string | null {
    try {
      return addon().readFileIn(this.path, file, 1 << 16).toString('utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  close(): void {
    addon().close(this.fd);
    if (this.nfFd !== null) addon().close(this.nfFd);
    this.nfFd = null;
  }
}
