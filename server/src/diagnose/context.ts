/**
 * What a trace works from: the topology (the wires, as vethmap resolved them) and the
 * kernel's answers about one namespace at a time (`PathKernel`). The diagnosis functions
 * are pure over these; the live implementation asks the kernel (live-kernel.ts).
 */
import type { Interface, Namespace, Topology } from '@vethmap/shared';
import type {
  BridgeOptions, BridgePort, FdbEntry, FirewallState, LegacyTables, Neighbour, Route, RouteAnswer, RouteQuery, Rule,
} from '../kernel/index.js';

/** The kernel's answers a trace needs, by namespace id (`ns:<inode>`). */
export interface PathKernel {
  /** `ip route get`: the kernel's own lookup. */
  routeGet(ns: string, q: RouteQuery): RouteAnswer;
  routes(ns: string): Route[];
  rules(ns: string): Rule[];
  neighbours(ns: string): Neighbour[];
  fdb(ns: string): FdbEntry[];
  bridgePorts(ns: string): BridgePort[];
  bridgeOptions(ns: string, ifindex: number): BridgeOptions | null;
  /** A /proc/sys value inside the namespace, null when the setting does not exist there. */
  sysctl(ns: string, parts: readonly string[]): string | null;
  firewall(ns: string): FirewallState;
  legacyTables(ns: string): LegacyTables;
  /** A path that opens the namespace (for `nsenter --net=PATH` in commands). */
  pathOf(ns: string): string | null;
}

/** The topology indexed for a trace. */
export class TraceContext {
  private readonly interfaces = new Map<string, Interface>();
  private readonly namespaces = new Map<string, Namespace>();
  private readonly byNamespace = new Map<string, Interface[]>();

  constructor(readonly topology: Topology, readonly kernel: PathKernel) {
    for (const n of topology.namespaces) this.namespaces.set(n.id, n);
    for (const i of topology.interfaces) {
      this.interfaces.set(i.id, i);
      const list = this.byNamespace.get(i.namespace) ?? [];
      list.push(i);
      this.byNamespace.set(i.namespace, list);
    }
  }

  iface(id: string | null): Interface | undefined {
    return id === null ? undefined : this.interfaces.get(id);
  }

  /** The interface with this ifindex in a namespace (ifindex is only unique per namespace). */
  ifaceAt(ns: string, ifindex: number): Interface | undefined {
    return this.byNamespace.get(ns)?.find((i) => i.ifindex === ifindex);
  }

  namespace(id: string): Namespace | undefined {
    return this.namespaces.get(id);
  }

  interfacesOf(ns: string): Interface[] {
    return this.byNamespace.get(ns) ?? [];
  }

  /** Ports of a bridge: the interfaces whose IFLA_MASTER is it. */
  portsOf(bridge: Interface): Interface[] {
    return this.interfacesOf(bridge.namespace).filter((i) => i.master === bridge.id);
  }

  /** `name` of a namespace as the user knows it. */
  nsName(id: string): string {
    return this.namespaces.get(id)?.name ?? id;
  }

  /** `namespace / interface` for a hop's `where`. */
  where(i: Interface): string {
    return `${this.nsName(i.namespace)} / ${i.name}`;
  }
}
