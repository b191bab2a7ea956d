/**
 * What the fuzzer has built, by construction: namespaces and links with their true peers,
 * masters, state and IPv4 addresses. Operations are abstract (they name entities by label,
 * not by pid or name) so that any subsequence can be replayed while shrinking; an
 * operation whose entities do not exist in the replayed world is skipped.
 */

export type NsKind = 'root' | 'named' | 'process' | 'docker';

export interface NsModel {
  label: string;
  kind: NsKind;
  /** netns name (named, or a process namespace after `ip netns attach`), or the file under Docker's folder. */
  name: string | null;
  /** The process holding it (process, attached, docker with a holder). */
  pid: number | null;
  /** nsfs inode, read right after creation. */
  inode: number;
}

export interface LinkModel {
  label: string;
  kind: 'veth' | 'bridge';
  ns: string;
  name: string;
  peer: string | null;
  master: string | null;
  up: boolean;
  /**
   * Addresses we added and the kernel still holds. The kernel drops IPv6 ones when the link
   * goes down and every address when the link moves, so the model does too.
   */
  addrs: string[];
}

/** How a veth pair is made: every form iproute2 and container runtimes use. */
export type VethForm =
  /** `IP(A) link add name a type veth peer name b`: both ends where the command runs. */
  | 'inside'
  /** `IP(A) link add name a type veth peer name b netns B`. */
  | 'peer-netns'
  /** `ip link add name a netns A type veth peer name b netns B`, run from the root. */
  | 'both-netns';

export type Op =
  | { t: 'netns-add'; ns: string; name: string }
  | { t: 'netns-del'; ns: string }
  | { t: 'netns-attach'; ns: string; name: string }
  | { t: 'process-add'; ns: string }
  | { t: 'process-kill'; ns: string }
  /** A file under Docker's folder bind-mounted on a process namespace `ns` (holder) or on a new one. */
  | { t: 'docker-add'; ns: string; file: string; holder: boolean }
  | { t: 'docker-del'; ns: string }
  | { t: 'veth-add'; a: string; aNs: string; aName: string; b: string; bNs: string; bName: string; form: VethForm; up: boolean; byPid: boolean }
  | { t: 'bridge-add'; l: string; ns: string; name: string }
  | { t: 'link-del'; l: string }
  | { t: 'move'; l: string; to: string; byPid: boolean }
  | { t: 'rename'; l: string; name: string }
  | { t: 'swap'; l1: string; l2: string; tmp: string }
  | { t: 'set-state'; l: string; up: boolean }
  | { t: 'addr-add'; l: string; cidr: string }
  | { t: 'addr-del'; l: string; cidr: string }
  | { t: 'master'; l: string; br: string | null }
  /** Several operations back to back, with no look at the picture in between. */
  | { t: 'burst'; ops: Op[] };

export class World {
  readonly namespaces = new Map<string, NsModel>();
  readonly links = new Map<string, LinkModel>();

  /** `prefix` starts every name the fuzzer gives, so cleanup finds them all. */
  constructor(readonly prefix: string, rootInode: number) {
    this.namespaces.set('root', { label: 'root', kind: 'root', name: null, pid: null, inode: rootInode });
  }

  clone(): World {
    const w = new World(this.prefix, this.namespaces.get('root')!.inode);
    for (const [k, v] of this.namespaces) w.namespaces.set(k, { ...v });
    for (const [k, v] of this.links) w.links.set(k, { ...v, addrs: [...v.addrs] });
    return w;
  }

  /**
   * Names in operations are relative to the run's prefix (`~l12` is `<prefix>l12`), so a
   * recipe replays in any session and cleanup still finds everything by prefix.
   */
  resolve(name: string): string {
    return name.startsWith('~') ? `${this.prefix}${name.slice(1)}` : name;
  }

  linksIn(ns: string): LinkModel[] {
    return [...this.links.values()].filter((l) => l.ns === ns);
  }

  /** Is a link called `name` (relative or not) already in namespace `ns`? */
  nameTaken(ns: string, name: string): boolean {
    const n = this.resolve(name);
    return this.linksIn(ns).some((l) => l.name === n);
  }

  /** Removes a link; a veth takes its peer with it; a bridge releases its ports. */
  dropLink(label: string): void {
    const l = this.links.get(label);
    if (!l) return;
    this.links.delete(label);
    if (l.peer) this.links.delete(l.peer);
    for (const other of this.links.values()) if (other.master === label || (l.peer && other.master === l.peer)) other.master = null;
  }

  /** A namespace is gone: every link in it goes, and the far ends of its veths. */
  dropNamespace(label: string): void {
    this.namespaces.delete(label);
    for (const l of this.linksIn(label)) this.dropLink(l.label);
  }

  /** True when a namespace's last holder is gone: no name, no Docker file, no process. */
  orphaned(ns: NsModel): boolean {
    return ns.kind !== 'root' && ns.name === null && ns.pid === null;
  }
}
