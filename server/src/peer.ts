import type { Interface, Namespace, Topology } from '@vethmap/shared';

export interface PeerReport {
  interface: Interface;
  namespace: Namespace;
  peer: Interface | null;
  peerNamespace: Namespace | null;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** `--netns` accepts a netns name, `root`, a pid living in the namespace, or `ns:<inode>`. */
export function findNamespace(t: Topology, selector: string | undefined): Namespace {
  const list = t.namespaces;
  const found = selector === undefined
    ? list.find((n) => n.kind === 'root')
    : list.find((n) => n.id === selector || n.name === selector) ??
      (/^\d+$/.test(selector) ? list.find((n) => n.pid === Number(selector) || n.inode === Number(selector)) : undefined);
  if (!found) throw new NotFoundError(`no namespace ${JSON.stringify(selector ?? 'root')} (see \`vethmap snapshot\`)`);
  return found;
}

export function findPeer(t: Topology, ifname: string, netns?: string): PeerReport {
  const namespace = findNamespace(t, netns);
  const iface = t.interfaces.find((i) => i.namespace === namespace.id && i.name === ifname);
  if (!iface) throw new NotFoundError(`no interface ${JSON.stringify(ifname)} in namespace ${JSON.stringify(namespace.name)}`);
  const peer = iface.peer ? t.interfaces.find((i) => i.id === iface.peer) ?? null : null;
  const peerNamespace = peer ? t.namespaces.find((n) => n.id === peer.namespace) ?? null : null;
  return { interface: iface, namespace, peer, peerNamespace };
}

function where(n: Namespace): string {
  return `${JSON.stringify(n.name)} (${n.kind}, inode ${n.inode})`;
}

/** What `vethmap peer` prints: the answer first, then the evidence a user can re-check. */
export function formatPeer(r: PeerReport): string {
  const i = r.interface;
  const lines = [`${JSON.stringify(i.name)} in namespace ${where(r.namespace)}: ifindex ${i.ifindex}, kind ${i.kind}`];
  if (i.kind !== 'veth') {
    lines.push('not a veth: it has no peer');
    return lines.join('\n');
  }
  if (!r.peer || !r.peerNamespace) {
    lines.push(`peer: unknown (IFLA_LINK ${i.link.ifindex ?? i.ifindex}, link-netnsid ${i.link.netnsid ?? 'none'}): its namespace is not visible to vethmap`);
    return lines.join('\n');
  }
  const p = r.peer;
  lines.push(`peer: ${JSON.stringify(p.name)} in namespace ${where(r.peerNamespace)}: ifindex ${p.ifindex}`);
  lines.push('evidence:');
  lines.push(`  ${i.name}: IFLA_LINK (iflink) = ${i.link.ifindex ?? i.ifindex} = peer ifindex; link-netnsid = ${i.link.netnsid ?? 'none (same namespace)'}`);
  lines.push(`  ${p.name}: IFLA_LINK (iflink) = ${p.link.ifindex ?? p.ifindex} = this ifindex; link-netnsid = ${p.link.netnsid ?? 'none (same namespace)'}`);
  if (i.link.netnsid !== null) {
    lines.push(`  the kernel confirms namespace ${JSON.stringify(r.namespace.name)} calls ${JSON.stringify(r.peerNamespace.name)} nsid ${i.link.netnsid}, and back`);
  }
  return lines.join('\n');
}
