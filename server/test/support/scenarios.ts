import type { NetBuilder } from '@vethmap/testkit';


/** The names `sharedNames` built: namespaces a, b, c and the root-side links. */
export interface SharedNames {
  a: string;
  b: string;
  c: string;
  bridge: string;
}

/**
 * The scenario the seed posts get wrong, built the same way for the recorded fixture
 * (server/test/record-fixture.ts) and the real-kernel test (integration/discovery):
 * two namespaces whose veth is `eth0` with ifindex 2 in both, on a root bridge; a pair
 * between two non-root namespaces (b:x1 ↔ c:x2); a pair with both ends in the root.
 */
export function sharedNames(net: NetBuilder, address: string): SharedNames {
  const a = net.netns('a');
  const b = net.netns('b');
  const c = net.netns('c');
  const bridge = net.name('br');
  net.ip('link', 'add', bridge, 'type', 'bridge');
  net.ip('link', 'add', net.name('ra'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', a);
  net.ip('link', 'add', net.name('rb'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', b);
  net.ip('link', 'set', net.name('ra'), 'master', bridge);
  net.ip('link', 'set', net.name('rb'), 'master', bridge);
  net.ip('link', 'set', bridge, 'up');
  net.ip('link', 'set', net.name('ra'), 'up');
  net.ip('-n', a, 'link', 'set', 'eth0', 'up');
  net.ip('-n', a, 'addr', 'add', address, 'dev', 'eth0');
  net.ip('-n', b, 'link', 'add', 'x1', 'type', 'veth', 'peer', 'name', 'x2', 'netns', c);
  net.ip('link', 'add', net.name('s1'), 'type', 'veth', 'peer', 'name', net.name('s2'));
  return { a, b, c, bridge };
}

/** One namespace with `eth0` peered to `<prefix>r` in the root. */
export function pairToRoot(net: NetBuilder, suffix = 'a'): string {
  const ns = net.netns(suffix);
  net.ip('link', 'add', net.name(`r${suffix === 'a' ? '' : suffix}`), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
  return ns;
}
