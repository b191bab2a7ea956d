/**
 * The ends of a trace as a user names them: `ns/iface`, a namespace (name, `root`, a pid in
 * it, `ns:<inode>`), an interface of the root namespace, or an IP address.
 */
import { isIP } from 'node:net';
import type { Interface, Namespace, Topology } from '@vethmap/shared';
import { NotFoundError } from '../errors.js';
import { addressesOf } from './address.js';

export type Selector =
  | { kind: 'interface'; asked: string; ns: Namespace; iface: Interface }
  | { kind: 'namespace'; asked: string; ns: Namespace }
  /** An address; `owners`: the interfaces that have it (none: outside every known namespace). */
  | { kind: 'address'; asked: string; ip: string; owners: Interface[] };

/** A namespace by id (`ns:<inode>`), name, `root`, or a number: a pid in it or its inode. */
function tryNamespace(t: Topology, text: string): Namespace | null {
  const list = t.namespaces;
  return list.find((n) => n.id === text || n.name === text) ??
    (text === 'root' ? list.find((n) => n.kind === 'root') : undefined) ??
    (/^\d+$/.test(text) ? list.find((n) => n.pid === Number(text) || n.inode === Number(text)) : undefined) ??
    null;
}

/** Resolves what a user typed; throws NotFoundError naming what is missing. */
export function resolveSelector(t: Topology, text: string): Selector {
  const asked = text;
  if (isIP(text)) {
    const owners = t.interfaces.filter((i) => addressesOf(i).some((c) => c.ip === text) || i.addresses.some((a) => a.split('/')[0] === text));
    return { kind: 'address', asked, ip: text, owners };
  }
  if (text.includes('/') && !text.startsWith('nif:')) {
    const cut = text.lastIndexOf('/');
    const ns = tryNamespace(t, text.slice(0, cut));
    if (!ns) throw new NotFoundError(`no namespace ${JSON.stringify(text.slice(0, cut))} (see \`vethmap snapshot\`)`);
    const iface = t.interfaces.find((i) => i.namespace === ns.id && i.name === text.slice(cut + 1));
    if (!iface) throw new NotFoundError(`no interface ${JSON.stringify(text.slice(cut + 1))} in namespace ${JSON.stringify(ns.name)}`);
    return { kind: 'interface', asked, ns, iface };
  }
  if (text.startsWith('nif:')) {
    const iface = t.interfaces.find((i) => i.id === text);
    const ns = iface ? t.namespaces.find((n) => n.id === iface.namespace) : undefined;
    if (!iface || !ns) throw new NotFoundError(`no interface ${JSON.stringify(text)}`);
    return { kind: 'interface', asked, ns, iface };
  }
  const ns = tryNamespace(t, text);
  if (ns) return { kind: 'namespace', asked, ns };
  const root = t.namespaces.find((n) => n.kind === 'root');
  const iface = root ? t.interfaces.find((i) => i.namespace === root.id && i.name === text) : undefined;
  if (root && iface) return { kind: 'interface', asked, ns: root, iface };
  throw new NotFoundError(`${JSON.stringify(text)} is neither a namespace, an interface of the root namespace, nor an IP address`);
}
