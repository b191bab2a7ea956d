import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NetBuilder } from '@vethmap/testkit';

/**
 * The shared builder (tests, bench, fuzzer) on a host with hostile names: it must find and
 * remove everything it made whatever the bytes (iproute2's `ip -j` prints invalid JSON for
 * a name with a control byte, which once killed `npm run bench`).
 */
describe('NetBuilder on a host with hostile names', () => {
  it('lists and removes namespaces, links, holders and Docker-folder namespaces it made', async () => {
    const net = new NetBuilder('vmt');
    try {
      const ns = net.netns('\u001b[2J "<b>\u202e');
      net.veth(net.name('\u001b['), null, 'eth0', ns);
      net.bridge(net.name('<br>'));
      const pid = await net.processNamespace();
      const docker = net.dockerNetns('d', pid);
      const bare = net.dockerNetns('e');
      const left = net.leftovers();
      expect(left).toEqual(expect.arrayContaining([ns, docker, bare, net.name('\u001b['), net.name('<br>'), `pid ${pid}`]));
    } finally {
      net.cleanup();
    }
    expect(net.leftovers()).toEqual([]);
    expect(existsSync('/var/run/docker/netns') ? net.leftovers() : []).toEqual([]);
  });
});
