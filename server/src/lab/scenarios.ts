/**
 * The demo lab's scenarios, as data. Each one is a topology from the posts people write
 * when they try to find where a veth goes (see the team seeds, ../shared/seeds): the executor in
 * `up.ts` turns them into `ip` commands. Addresses are in private ranges only, and only
 * `root-pair` puts any in the root namespace (checked against the host's first).
 */

/** One end of a veth pair. */
export interface VethEnd {
  /** IFLA_IFNAME, with the lab prefix, at most 15 characters. */
  name: string;
  /** The lab namespace it lives in (named or process-held); null for the root namespace. */
  in: string | null;
  /** IPv4 address with prefix length, e.g. `192.168.71.1/24`. */
  address?: string;
  /** Administratively up (`ip link set X up`). A veth's carrier needs both ends up. */
  up: boolean;
  /** The bridge this end is a port of (same namespace). */
  master?: string;
}

export interface Scenario {
  name: string;
  /** One line, shown by `vethmap lab up --help`. */
  description: string;
  /** Where the topology comes from. */
  source: string;
  /** `ip netns add NAME`: visible in /var/run/netns. */
  namespaces: string[];
  /**
   * Namespaces held only by a process (`unshare --net sleep infinity`), like a container's:
   * no entry in /var/run/netns, reachable only through /proc/PID/ns/net. The name is the
   * lab's own label for it (kept in the state file), never given to the kernel.
   */
  processNamespaces: string[];
  /** Bridges in the root namespace, brought up. */
  bridges: string[];
  veths: Array<[VethEnd, VethEnd]>;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'pair',
    description: 'two namespaces joined by one veth pair, 192.168.71.1 and .2/24',
    source: 'seeds 002, 003: ip netns add ns1/ns2, a veth with one end in each',
    namespaces: ['vlab-a', 'vlab-b'],
    processNamespaces: [],
    bridges: [],
    veths: [[
      { name: 'vlab-a-eth0', in: 'vlab-a', address: '192.168.71.1/24', up: true },
      { name: 'vlab-b-eth0', in: 'vlab-b', address: '192.168.71.2/24', up: true },
    ]],
  },
  {
    name: 'bridge',
    description: 'three namespaces on a root bridge vlab-br0; the port to vlab-h3 is down',
    source: 'seed 003: br0 with br0-veth0/br0-veth1 as ports, the other ends in ns1/ns2',
    namespaces: ['vlab-h1', 'vlab-h2', 'vlab-h3'],
    processNamespaces: [],
    bridges: ['vlab-br0'],
    veths: [1, 2, 3].map((i): [VethEnd, VethEnd] => [
      { name: `vlab-h${i}-eth0`, in: `vlab-h${i}`, address: `10.71.0.${i}/24`, up: true },
      // veth(4): with the bridge side down, the namespace side reports LOWERLAYERDOWN.
      { name: `vlab-br0-h${i}`, in: null, up: i !== 3, master: 'vlab-br0' },
    ]),
  },
  {
    name: 'root-pair',
    description: 'a veth pair with both ends in the root namespace, 10.199.71.1 and .2/30',
    source: 'seed 001: ip link add veth0 type veth peer name veth1, both left in the host',
    namespaces: [],
    processNamespaces: [],
    bridges: [],
    veths: [[
      { name: 'vlab-r0', in: null, address: '10.199.71.1/30', up: true },
      { name: 'vlab-r1', in: null, address: '10.199.71.2/30', up: true },
    ]],
  },
  {
    name: 'container',
    description: 'a container-like namespace held only by a process, its veth on root bridge vlab-ctbr0',
    source: 'seeds 000, 002: a container eth0@ifN whose peer is a port of docker0 in the host',
    namespaces: [],
    processNamespaces: ['vlab-ct'],
    bridges: ['vlab-ctbr0'],
    veths: [[
      { name: 'vlab-ct-eth0', in: 'vlab-ct', address: '10.72.0.2/24', up: true },
      { name: 'vlab-ct0', in: null, up: true, master: 'vlab-ctbr0' },
    ]],
  },
];

/** The scenario names and descriptions, for the CLI's help and argument check. */
export const LAB_SCENARIOS: ReadonlyArray<{ name: string; description: string }> = SCENARIOS.map(({ name, description }) => ({ name, description }));

/** `all` (the default) means every scenario. */
export const LAB_ALL = 'all';

export function scenariosFor(name: string): readonly Scenario[] | null {
  if (name === LAB_ALL) return SCENARIOS;
  const s = SCENARIOS.find((x) => x.name === name);
  return s ? [s] : null;
}

/** Every name a scenario gives the kernel or the state file. */
export function namesOf(s: Scenario): { namespaces: string[]; rootLinks: string[]; innerLinks: string[] } {
  const ends = s.veths.flat();
  return {
    namespaces: [...s.namespaces, ...s.processNamespaces],
    rootLinks: [...s.bridges, ...ends.filter((e) => e.in === null).map((e) => e.name)],
    innerLinks: ends.filter((e) => e.in !== null).map((e) => e.name),
  };
}
