import type { Interface, Namespace, Topology } from '@vethmap/shared';
import { TraceContext, type PathKernel } from '../../src/diagnose/context.js';

/** A small hand-made topology for the diagnosis unit tests (the wires only; no kernel behind it). */
export class TopologyBuilder {
  readonly namespaces: Namespace[] = [];
  readonly interfaces: Interface[] = [];
  private nextInode = 4026530000;

  ns(name: string): string {
    const inode = this.nextInode++;
    this.namespaces.push({ id: `ns:${inode}`, inode, kind: name === 'root' ? 'root' : 'named', name, pid: null, container: null });
    return `ns:${inode}`;
  }

  iface(ns: string, name: string, fields: Partial<Interface> = {}): Interface {
    const ifindex = this.interfaces.filter((i) => i.namespace === ns).length + 1;
    const i: Interface = {
      id: `nif:${ns.slice(3)}:${ifindex}`, namespace: ns, ifindex, name, kind: 'veth', mac: `02:00:00:00:00:${(this.interfaces.length + 1).toString(16).padStart(2, '0')}`,
      mtu: 1500, operstate: 'UP', adminUp: true, lowerUp: true, master: null, peer: null, parent: null, addresses: [], link: { ifindex: null, netnsid: null }, ...fields,
    };
    this.interfaces.push(i);
    return i;
  }

  /** A veth pair between two namespaces. */
  pair(nsA: string, a: string, nsB: string, b: string, fieldsA: Partial<Interface> = {}, fieldsB: Partial<Interface> = {}): [Interface, Interface] {
    const x = this.iface(nsA, a, fieldsA);
    const y = this.iface(nsB, b, fieldsB);
    x.peer = y.id;
    y.peer = x.id;
    return [x, y];
  }

  topology(): Topology {
    return { version: 1, host: 'test', takenAt: new Date(0).toISOString(), live: false, namespaces: this.namespaces, interfaces: this.interfaces, warnings: [] };
  }

  /** A context whose kernel answers only what `kernel` gives; anything else is a test bug. */
  context(kernel: Partial<PathKernel> = {}): TraceContext {
    const missing = (name: string) => () => {
      throw new Error(`the test's kernel was not asked to answer ${name}`);
    };
    const full = new Proxy(kernel, { get: (target, p: string) => (p in target ? target[p as keyof PathKernel] : p === 'pathOf' ? () => null : missing(p)) });
    return new TraceContext(this.topology(), full as PathKernel);
  }
}
