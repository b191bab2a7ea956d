import type { Interface, Namespace, Topology } from '@vethmap/shared';

/**
 * A made-up but consistent capture (what `vethmap snapshot` prints) of any size, for
 * tests and benches that need a big topology without building it in the kernel: each
 * namespace has `lo` and `perNamespace - 1` veths whose peers are ports of a bridge in
 * the root namespace. Every reference points at something, and every peer points back.
 */
export function syntheticCapture(namespaces: number, perNamespace = 2): Topology {
  const root: Namespace = { id: 'ns:1', inode: 1, kind: 'root', name: 'root', pid: 1, container: null };
  const nsList: Namespace[] = [root];
  const ifs: Interface[] = [];
  const bridge = iface(root, 1, 'br0', 'bridge', null, null);
  ifs.push(iface(root, 0, 'lo', 'loopback', null, null), bridge);
  let rootIndex = 2;
  for (let n = 0; n < namespaces; n++) {
    const ns: Namespace = { id: `ns:${1000 + n}`, inode: 1000 + n, kind: 'named', name: `synthetic-${n}`, pid: null, container: null };
    nsList.push(ns);
    ifs.push(iface(ns, 1, 'lo', 'loopback', null, null));
    for (let k = 1; k < perNamespace; k++) {
      const inside = iface(ns, k + 1, `eth${k - 1}`, 'veth', null, null);
      const port = iface(root, rootIndex++, `veth${n}x${k}`, 'veth', bridge.id, null);
      inside.peer = port.id;
      port.peer = inside.id;
      inside.link = { ifindex: port.ifindex, netnsid: 0 };
      port.link = { ifindex: inside.ifindex, netnsid: n };
      inside.addresses = [`10.${(n >> 8) & 255}.${n & 255}.${k}/16`, `fe80::${n.toString(16)}:${k}/64`];
      ifs.push(inside, port);
    }
  }
  return { version: 1, host: 'synthetic', takenAt: new Date(0).toISOString(), live: true, namespaces: nsList, interfaces: ifs, warnings: [] };
}

function iface(ns: Namespace, ifindex: number, name: string, kind: string, master: string | null, peer: string | null): Interface {
  const mac = `02:00:${[(ns.inode >> 8) & 255, ns.inode & 255, (ifindex >> 8) & 255, ifindex & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
  return {
    id: `nif:${ns.inode}:${ifindex}`, namespace: ns.id, ifindex, name, kind, mac, mtu: 1500, operstate: 'UP', adminUp: true, lowerUp: true,
    master, peer, parent: null, addresses: [], link: { ifindex: null, netnsid: null },
  };
}
