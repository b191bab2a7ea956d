import type { Interface, Namespace, Topology } from '@vethmap/shared';
import { TopologyBuilder } from './builder.js';

/** mulberry32: a small seeded generator, so a failing randomized topology can be rebuilt from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A randomized topology of `namespaces` namespaces mixing every shape vethmap draws:
 * root bridges with ports (one with a physical NIC), namespaces on one or two bridges,
 * pairs to the root without a bridge, namespace-to-namespace pairs and chains, a
 * namespace with its own bridge and ports to others, pairs inside one namespace and
 * inside the root, macvlans on a root NIC, vlans on a namespace's veth, veths whose peer
 * is not visible, dummies, links down or without carrier, empty namespaces.
 */
export function randomTopology(namespaces: number, seed: number): Topology {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const t = new TopologyBuilder(`random-${namespaces}-${seed}`);
  const root = t.ns('root', 'root', 1);
  t.lo(root);
  const eth0 = t.iface(root, 'eth0', { addresses: ['192.168.1.10/24'] });
  const bridges: Interface[] = [];
  const nBridges = Math.floor(r() * 4);
  for (let k = 0; k < nBridges; k++) bridges.push(t.bridge(root, `br${k}`));
  if (bridges[0] && chance(0.5)) t.iface(root, 'eth1', { master: bridges[0] });
  if (chance(0.4)) t.veth([root, 'rveth0'], [root, 'rveth1', chance(0.5) && bridges[0] ? { master: bridges[0] } : {}]);
  if (bridges[1] && chance(0.4)) t.iface(root, `${bridges[1].name}.100`, { kind: 'vlan', parent: bridges[1] });

  const nss: Namespace[] = [];
  const hubs: Array<{ ns: Namespace; br: Interface }> = [];
  let port = 0;
  for (let k = 0; k < namespaces; k++) {
    const kind = pick(['named', 'named', 'docker', 'process'] as const);
    const ns = t.ns(kind === 'process' ? `pid ${1000 + k} (sleep)` : `ns${k}`, kind, kind === 'named' ? null : 1000 + k);
    nss.push(ns);
    if (chance(0.9)) t.lo(ns);
    if (chance(0.05)) continue; // an empty namespace
    const up = (): { up: boolean } => ({ up: !chance(0.1) });
    const roll = r();
    let eth: Interface | undefined;
    if (roll < 0.55 && bridges.length > 0) {
      const br = pick(bridges);
      [eth] = t.veth([ns, 'eth0', up()], [root, `vp${port++}`, { master: br, ...up() }]);
      if (chance(0.15) && bridges.length > 1) t.veth([ns, 'eth1'], [root, `vp${port++}`, { master: pick(bridges.filter((b) => b !== br)) }]);
    } else if (roll < 0.7) {
      [eth] = t.veth([ns, 'eth0', up()], [root, `vd${port++}`, up()]);
    } else if (roll < 0.85 && nss.length > 1) {
      const other = pick(nss.slice(0, -1));
      [eth] = t.veth([ns, `to-${other.name}`.slice(0, 15), up()], [other, `to-${ns.name}`.slice(0, 15), up()]);
    } else if (roll < 0.9) {
      eth = t.lonelyVeth(ns, 'eth0');
    }
    if (hubs.length > 0 && chance(0.15)) {
      const hub = pick(hubs);
      if (hub.ns !== ns) t.veth([ns, 'uplink'], [hub.ns, `hp${port++}`, { master: hub.br }]);
    }
    if (chance(0.06)) hubs.push({ ns, br: t.bridge(ns, `br-${k}`) });
    if (chance(0.08)) t.iface(ns, `mv${k}`, { kind: 'macvlan', parent: eth0 });
    if (eth && chance(0.08)) t.iface(ns, 'eth0.10', { kind: 'vlan', parent: eth });
    if (chance(0.05)) t.veth([ns, 'inner0'], [ns, 'inner1']);
    if (chance(0.1)) t.iface(ns, 'dummy0', { kind: 'dummy' });
  }
  return t.build();
}
