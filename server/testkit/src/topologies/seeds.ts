import type { Topology } from '@vethmap/shared';
import { TopologyBuilder } from './builder.js';

/**
 * The topologies users build, as pure data: the demo lab (`vethmap lab up all`) and the
 * seed posts (/work/shared/seeds, summarised in each fixture). For the layout's geometric
 * check and the exports; the e2e builds the same shapes with real namespaces.
 */

/** `vethmap lab up all`: pair, bridge (one port down), root-pair, container. */
export function demoLab(): Topology {
  const t = new TopologyBuilder('lab-host');
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  t.iface(root, 'eth0', { addresses: ['192.168.122.10/24'] });
  const a = t.ns('vlab-a');
  const b = t.ns('vlab-b');
  t.lo(a);
  t.lo(b);
  t.veth([a, 'vlab-a-eth0', { addresses: ['192.168.71.1/24'] }], [b, 'vlab-b-eth0', { addresses: ['192.168.71.2/24'] }]);
  const br = t.bridge(root, 'vlab-br0');
  for (const k of [1, 2, 3]) {
    const h = t.ns(`vlab-h${k}`);
    t.lo(h);
    t.veth([h, `vlab-h${k}-eth0`, { addresses: [`10.71.0.${k}/24`] }], [root, `vlab-br0-h${k}`, { master: br, up: k !== 3 }]);
  }
  t.veth([root, 'vlab-r0', { addresses: ['10.199.71.1/30'] }], [root, 'vlab-r1', { addresses: ['10.199.71.2/30'] }]);
  const ctbr = t.bridge(root, 'vlab-ctbr0');
  const ct = t.ns('pid 4242 (sleep)', 'process', 4242);
  t.lo(ct);
  t.veth([ct, 'vlab-ct-eth0', { addresses: ['10.72.0.2/24'] }], [root, 'vlab-ct0', { master: ctbr }]);
  return t.build();
}

/** Seed 000: a namespace ns1 whose veth1 has its peer veth2 in the root (no bridge). */
export function seed000(): Topology {
  const t = new TopologyBuilder('seed-000');
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  t.iface(root, 'eth0');
  const ns1 = t.ns('ns1');
  t.lo(ns1);
  t.veth([ns1, 'veth1'], [root, 'veth2']);
  return t.build();
}

/** Seed 001: veth0/veth1 both left in the host, addresses on both, beside eth0. */
export function seed001(): Topology {
  const t = new TopologyBuilder('seed-001');
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  t.iface(root, 'eth0', { addresses: ['10.0.2.15/24'] });
  t.iface(root, 'eth1', { addresses: ['192.168.33.10/24'] });
  t.veth([root, 'veth0', { addresses: ['192.168.100.10/24'] }], [root, 'veth1', { addresses: ['192.168.100.11/24'] }]);
  return t.build();
}

/** Seed 002: ntns1/ntns2 joined by veth0/veth1, and a Docker container on docker0. */
export function seed002(): Topology {
  const t = new TopologyBuilder('seed-002');
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  t.iface(root, 'eth0');
  const docker0 = t.bridge(root, 'docker0', { addresses: ['172.17.0.1/16'] });
  const n1 = t.ns('ntns1');
  const n2 = t.ns('ntns2');
  t.lo(n1);
  t.lo(n2);
  t.veth([n1, 'veth0', { addresses: ['10.10.10.10/24'] }], [n2, 'veth1', { addresses: ['10.10.10.11/24'] }]);
  const c = t.ns('nginx', 'docker', 3120);
  t.lo(c);
  t.veth([c, 'eth0', { addresses: ['172.17.0.2/16'] }], [root, 'veth5ca198e', { master: docker0 }]);
  return t.build();
}

/** Seed 003: ns1/ns2 joined directly, then through br0 (br0-veth0, br0-veth1). */
export function seed003(): Topology {
  const t = new TopologyBuilder('seed-003');
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  t.iface(root, 'eth0');
  const br0 = t.bridge(root, 'br0');
  const ns1 = t.ns('ns1');
  const ns2 = t.ns('ns2');
  t.lo(ns1);
  t.lo(ns2);
  t.veth([ns1, 'veth0', { addresses: ['192.168.1.1/24'] }], [ns2, 'veth1', { addresses: ['192.168.1.2/24'] }]);
  t.veth([ns1, 'veth2', { addresses: ['192.168.2.1/24'] }], [root, 'br0-veth0', { master: br0 }]);
  t.veth([ns2, 'veth3', { addresses: ['192.168.2.2/24'] }], [root, 'br0-veth1', { master: br0 }]);
  return t.build();
}

/**
 * Seed 004: OpenStack Quantum: a qdhcp namespace whose ns-… veth has its peer tap… in the
 * root, on a brq bridge with the physical eth1; a qrouter namespace on the same bridge
 * and on an external one.
 */
export function seed004(): Topology {
  const t = new TopologyBuilder('seed-004');
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  t.iface(root, 'eth0', { addresses: ['10.0.0.11/24'] });
  const brq = t.bridge(root, 'brqfabc7ead-61');
  t.iface(root, 'eth1', { master: brq });
  const brex = t.bridge(root, 'br-ex', { addresses: ['172.24.4.1/24'] });
  const dhcp = t.ns('qdhcp-fabc7ead-6132-4920-af57-2ad5e199e1c1');
  t.lo(dhcp);
  t.veth([dhcp, 'ns-39d60faa-aa', { addresses: ['10.10.100.2/24', '169.254.169.254/16'] }], [root, 'tap39d60faa-aa', { master: brq }]);
  const router = t.ns('qrouter-7e3a1b9c-0d2f-4e5a-9b8c-1f2e3d4c5b6a');
  t.lo(router);
  t.veth([router, 'qr-1a2b3c4d-5e', { addresses: ['10.10.100.1/24'] }], [root, 'tap1a2b3c4d-5e', { master: brq }]);
  t.veth([router, 'qg-9f8e7d6c-5b', { addresses: ['172.24.4.10/24'] }], [root, 'tap9f8e7d6c-5b', { master: brex }]);
  return t.build();
}

export const SEED_TOPOLOGIES: ReadonlyArray<{ name: string; make: () => Topology }> = [
  { name: 'demo lab', make: demoLab },
  { name: 'seed 000 (ns1 to root)', make: seed000 },
  { name: 'seed 001 (root pair)', make: seed001 },
  { name: 'seed 002 (pair + docker0)', make: seed002 },
  { name: 'seed 003 (pair + br0)', make: seed003 },
  { name: 'seed 004 (OpenStack qdhcp/qrouter)', make: seed004 },
];
