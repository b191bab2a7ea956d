import type { Topology } from '@vethmap/shared';
import type { BridgeHost } from '@vethmap/testkit';

/**
 * Waits until the server shows the testkit's bridge host with both `eth0` paired, and
 * returns that picture with a look-up of namespace ids by name (the README pictures' set-up).
 */
export async function servedBridgeHost(url: string, seed: BridgeHost): Promise<{ topology: Topology; nsId: (name: string) => string }> {
  for (;;) {
    const t = (await (await fetch(`${url}/api/topology`)).json()) as Topology;
    const paired = t.interfaces.filter((i) => i.name === 'eth0' && i.peer && t.namespaces.some((n) => n.id === i.namespace && (n.name === seed.a || n.name === seed.b)));
    if (paired.length === 2) return { topology: t, nsId: (name) => t.namespaces.find((n) => n.name === name)!.id };
    await new Promise((r) => setTimeout(r, 200));
  }
}
