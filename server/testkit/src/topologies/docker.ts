import type { Interface, Namespace, Topology } from '@vethmap/shared';

/**
 * A synthetic topology shaped like a docker host: root with docker0 (and br-lab) bridges,
 * one veth port per container namespace, eth0+lo inside, a few namespace-to-namespace
 * chains and a macvlan. For unit tests, screenshots and the throwaway dev server.
 */
export function dockerHost(namespaces: number, opts: { hostile?: boolean; version?: number } = {}): Topology {
  const rootInode = 4026531840;
  const nss: Namespace[] = [{ id: `ns:${rootInode}`, inode: rootInode, kind: 'root', name: 'root', pid: 1, container: null }];
  const ifs: Interface[] = [];
  const iface = (ns: number, ifindex: number, name: string, kind: string, extra: Partial<Interface> = {}): Interface => {
    const i: Interface = {
      id: `nif:${ns}:${ifindex}`, namespace: `ns:${ns}`, ifindex, name, kind,
      mac: kind === 'loopback' ? '00:00:00:00:00:00' : `02:42:${(ns % 256).toString(16).padStart(2, '0')}:00:${(ifindex >> 8).toString(16).padStart(2, '0')}:${(ifindex % 256).toString(16).padStart(2, '0')}`,
      mtu: kind === 'loopback' ? 65536 : 1500, operstate: 'UP', adminUp: true, lowerUp: true,
      master: null, peer: null, parent: null, addresses: [], link: { ifindex: null, netnsid: null }, ...extra,
    };
    ifs.push(i);
    return i;
  };
  iface(rootInode, 1, 'lo', 'loopback', { operstate: 'UNKNOWN', addresses: ['127.0.0.1/8'] });
  const eth0 = iface(rootInode, 2, 'eth0', 'device', { addresses: ['192.168.1.10/24'] });
  const docker0 = iface(rootInode, 3, 'docker0', 'bridge', { addresses: ['172.17.0.1/16'] });
  const brlab = iface(rootInode, 4, 'br-lab', 'bridge', { addresses: ['10.10.0.1/24'] });
  let rootIfindex = 10;
  for (let k = 0; k < namespaces; k++) {
    const inode = rootInode + 100 + k;
    const onLab = k % 5 === 4;
    const name = opts.hostile && k === 1 ? '<svg onload=alert(1)>' : onLab ? `lab${k}` : `web-${k}`;
    nss.push({ id: `ns:${inode}`, inode, kind: onLab ? 'named' : 'docker', name, pid: 1000 + k, container: null });
    iface(inode, 1, 'lo', 'loopback', { operstate: 'UNKNOWN', addresses: ['127.0.0.1/8'] });
    const hostIdx = rootIfindex++;
    const inner = iface(inode, 2, 'eth0', 'veth', { addresses: [onLab ? `10.10.0.${(k % 250) + 2}/24` : `172.17.${k >> 8}.${(k % 250) + 2}/16`], link: { ifindex: hostIdx, netnsid: 0 } });
    const outer = iface(rootInode, hostIdx, `veth${(0x1000 + k).toString(16)}`, 'veth', { master: (onLab ? brlab : docker0).id, link: { ifindex: 2, netnsid: k + 1 } });
    inner.peer = outer.id;
    outer.peer = inner.id;
  }
  // A namespace-to-namespace chain and a macvlan, so non-root groups appear.
  const a = rootInode + 9000;
  const b = rootInode + 9001;
  nss.push({ id: `ns:${a}`, inode: a, kind: 'named', name: 'chain-a', pid: null, container: null });
  nss.push({ id: `ns:${b}`, inode: b, kind: 'named', name: 'chain-b', pid: null, container: null });
  const ca = iface(a, 2, 'to-b', 'veth', { link: { ifindex: 2, netnsid: 0 }, adminUp: false, operstate: 'DOWN', lowerUp: false });
  const cb = iface(b, 2, 'to-a', 'veth', { link: { ifindex: 2, netnsid: 0 }, lowerUp: false, operstate: 'LOWERLAYERDOWN' });
  ca.peer = cb.id;
  cb.peer = ca.id;
  iface(b, 3, 'mv0', 'macvlan', { parent: eth0.id, link: { ifindex: 2, netnsid: 0 } });
  return { version: opts.version ?? 1, host: 'fixture-host', takenAt: '2025-01-01T00:00:00Z', live: true, namespaces: nss, interfaces: ifs, warnings: [] };
}
