import type { Interface, Namespace, NamespaceKind, Topology } from '@vethmap/shared';

/** What a fixture says about an interface; everything else gets a plausible default. */
export interface IfaceSpec {
  kind?: string;
  up?: boolean;
  carrier?: boolean;
  addresses?: string[];
  master?: Interface | null;
  parent?: Interface | null;
}

/**
 * Builds a Topology as pure data, the way the kernel would report it: ids from inode and
 * ifindex, veth peers resolved both ways, masters and parents as ids. For fixtures that
 * describe what users build (the seed posts, the demo lab) and for randomized topologies.
 */
export class TopologyBuilder {
  private readonly namespaces: Namespace[] = [];
  private readonly interfaces: Interface[] = [];
  private readonly nextIndex = new Map<string, number>();
  private nextInode = 4026531840;

  constructor(private readonly host = 'fixture-host') {}

  /** A namespace; the first one made should be the root. */
  ns(name: string, kind: NamespaceKind = 'named', pid: number | null = null): Namespace {
    const inode = this.nextInode++;
    const n: Namespace = { id: `ns:${inode}`, inode, kind, name, pid, container: null };
    this.namespaces.push(n);
    this.nextIndex.set(n.id, 1);
    return n;
  }

  iface(ns: Namespace, name: string, spec: IfaceSpec = {}): Interface {
    const ifindex = this.nextIndex.get(ns.id) ?? 1;
    this.nextIndex.set(ns.id, ifindex + 1);
    const kind = spec.kind ?? 'device';
    const up = spec.up ?? true;
    const carrier = up && (spec.carrier ?? true);
    const i: Interface = {
      id: `nif:${ns.inode}:${ifindex}`, namespace: ns.id, ifindex, name, kind,
      mac: kind === 'loopback' ? '00:00:00:00:00:00' : `02:00:${(ns.inode % 256).toString(16).padStart(2, '0')}:00:00:${(ifindex % 256).toString(16).padStart(2, '0')}`,
      mtu: kind === 'loopback' ? 65536 : 1500,
      operstate: kind === 'loopback' ? 'UNKNOWN' : !up ? 'DOWN' : carrier ? 'UP' : 'LOWERLAYERDOWN',
      adminUp: up, lowerUp: carrier,
      master: spec.master?.id ?? null, peer: null, parent: spec.parent?.id ?? null,
      addresses: spec.addresses ?? (kind === 'loopback' ? ['127.0.0.1/8'] : []),
      link: { ifindex: spec.parent?.ifindex ?? null, netnsid: null },
    };
    this.interfaces.push(i);
    return i;
  }

  lo(ns: Namespace): Interface {
    return this.iface(ns, 'lo', { kind: 'loopback' });
  }

  bridge(ns: Namespace, name: string, spec: IfaceSpec = {}): Interface {
    return this.iface(ns, name, { ...spec, kind: 'bridge' });
  }

  /** A veth pair; an end that is down takes the carrier of both with it (veth(4)). */
  veth(a: [Namespace, string, IfaceSpec?], b: [Namespace, string, IfaceSpec?]): [Interface, Interface] {
    const aUp = a[2]?.up ?? true;
    const bUp = b[2]?.up ?? true;
    const x = this.iface(a[0], a[1], { ...a[2], kind: 'veth', carrier: bUp });
    const y = this.iface(b[0], b[1], { ...b[2], kind: 'veth', carrier: aUp });
    x.peer = y.id;
    y.peer = x.id;
    x.link = { ifindex: y.ifindex, netnsid: a[0].id === b[0].id ? null : 0 };
    y.link = { ifindex: x.ifindex, netnsid: a[0].id === b[0].id ? null : 0 };
    return [x, y];
  }

  /** A veth whose peer is in a namespace vethmap cannot see. */
  lonelyVeth(ns: Namespace, name: string): Interface {
    const i = this.iface(ns, name, { kind: 'veth' });
    i.link = { ifindex: 9999, netnsid: 7 };
    return i;
  }

  build(): Topology {
    return { version: 1, host: this.host, takenAt: '2025-01-01T00:00:00.000Z', live: true, namespaces: this.namespaces, interfaces: this.interfaces, warnings: [] };
  }
}
