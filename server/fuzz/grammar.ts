import { prng as rng } from '@vethmap/testkit/topologies';
import { valid } from './execute.js';
import type { LinkModel, NsModel, Op, VethForm, World } from './world.js';

/**
 * Names users really give, and names that break tools: spaces, quotes, markup, an escape
 * byte, a right-to-left override. Interface names may not hold `/`, `:` or white space.
 */
const HOSTILE_NS = [' "<b>x', "'$(id)`", '\u001b[31m', '\u202eevil', 'tab\there', 'new\nline'];
const HOSTILE_IF = ['<"', '\u001b[', "'", '&;', '\u202e'];

/**
 * Picks the next operation from what exists: every way iproute2 and container runtimes
 * create and change namespaces, veths, bridges and addresses. Only valid operations come
 * out (checked against the world), so a run never stops on a generator mistake.
 */
export class Grammar {
  private readonly random: () => number;
  private counter = 0;

  constructor(seed: number, private readonly maxNamespaces: number) {
    this.random = rng(seed);
  }

  private pick<T>(xs: readonly T[]): T | undefined {
    return xs.length === 0 ? undefined : xs[Math.floor(this.random() * xs.length)];
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private label(kind: 'n' | 'l'): string {
    return `${kind}${++this.counter}`;
  }

  /** How many operations the next burst runs back to back (0: no burst this time). */
  burstLength(): number {
    return this.chance(0.12) ? 2 + Math.floor(this.random() * 6) : 0;
  }

  /** `~` stands for the run's prefix (World.resolve). */
  private nsName(label: string): string {
    return `~-${label}${this.chance(0.15) ? this.pick(HOSTILE_NS) : ''}`;
  }

  private ifName(w: World, label: string, ns: string): string {
    // Inside a namespace people name things eth0; the root needs the prefix (cleanup, and no clash with the host).
    if (ns !== 'root' && this.chance(0.25)) {
      const plain = this.pick(['eth0', 'eth1', 'veth0', 'net1'])!;
      if (!w.nameTaken(ns, plain)) return plain;
    }
    let name = `~${label}${this.chance(0.15) ? this.pick(HOSTILE_IF)! : ''}`;
    // IFNAMSIZ: at most 15 bytes once the prefix is in.
    while (Buffer.byteLength(w.resolve(name)) > 15) name = name.slice(0, -1);
    return name;
  }

  next(w: World): Op {
    for (let attempt = 0; attempt < 50; attempt++) {
      const op = this.candidate(w);
      if (op && valid(op, w)) return op;
    }
    // Nothing fits (an empty world): a namespace always does.
    const ns = this.label('n');
    return { t: 'netns-add', ns, name: this.nsName(ns) };
  }

  private candidate(w: World): Op | undefined {
    const spaces = [...w.namespaces.values()];
    const others = spaces.filter((n) => n.kind !== 'root');
    const links = [...w.links.values()];
    const veths = links.filter((l) => l.kind === 'veth');
    const room = others.length < this.maxNamespaces;
    const table: Array<[number, () => Op | undefined]> = [
      [room ? 6 : 0, () => { const ns = this.label('n'); return { t: 'netns-add', ns, name: this.nsName(ns) }; }],
      [2, () => { const n = this.pick(others.filter((x) => x.kind === 'named')); return n && { t: 'netns-del', ns: n.label }; }],
      [1, () => { const n = this.pick(others.filter((x) => x.kind === 'process')); return n && { t: 'netns-attach', ns: n.label, name: this.nsName(`${n.label}a`) }; }],
      [room ? 3 : 0, () => ({ t: 'process-add', ns: this.label('n') })],
      [2, () => { const n = this.pick(others.filter((x) => x.pid !== null)); return n && { t: 'process-kill', ns: n.label }; }],
      [room ? 1 : 0, () => {
        const holder = this.chance(0.5) ? this.pick(others.filter((x) => x.kind === 'process' && x.pid !== null)) : undefined;
        const ns = holder?.label ?? this.label('n');
        return { t: 'docker-add', ns, file: `~-d${ns}`, holder: holder !== undefined };
      }],
      [1, () => { const n = this.pick(others.filter((x) => x.kind === 'docker')); return n && { t: 'docker-del', ns: n.label }; }],
      [14, () => this.veth(w, spaces)],
      [2, () => { const ns = this.pick(spaces)!; const l = this.label('l'); return { t: 'bridge-add', l, ns: ns.label, name: this.ifName(w, l, ns.label) }; }],
      [4, () => { const l = this.pick(links); return l && { t: 'link-del', l: l.label }; }],
      [7, () => { const l = this.pick(veths); const to = this.pick(spaces); return l && to && { t: 'move', l: l.label, to: to.label, byPid: this.chance(0.4) }; }],
      [3, () => { const l = this.pick(links); return l && { t: 'rename', l: l.label, name: this.ifName(w, this.label('l'), l.ns) }; }],
      [1, () => this.swap(w, links)],
      [9, () => { const l = this.pick(links); return l && { t: 'set-state', l: l.label, up: !l.up || this.chance(0.2) }; }],
      [6, () => { const l = this.pick(links); return l && { t: 'addr-add', l: l.label, cidr: this.address(l.ns === 'root') }; }],
      [2, () => { const l = this.pick(links.filter((x) => x.addrs.length > 0)); return l && { t: 'addr-del', l: l.label, cidr: this.pick(l.addrs)! }; }],
      [5, () => this.master(w, veths, links)],
    ];
    const total = table.reduce((s, [weight]) => s + weight, 0);
    let r = this.random() * total;
    for (const [weight, make] of table) {
      r -= weight;
      if (r < 0) return make();
    }
    return undefined;
  }

  /**
   * Benchmarking and unique-local nets only (198.18.0.0/15, fd00::/8). In the root a host
   * address (/32, /128) adds no route: the host's own routing stays as it was.
   */
  private address(inRoot: boolean): string {
    const n = () => Math.floor(this.random() * 250) + 1;
    if (this.chance(0.3)) return `fd00:${n().toString(16)}::${n().toString(16)}/${inRoot ? 128 : 64}`;
    return `198.${18 + Math.floor(this.random() * 2)}.${n()}.${n()}/${inRoot ? 32 : this.pick([16, 24, 30])}`;
  }

  private veth(w: World, spaces: NsModel[]): Op | undefined {
    const form = this.pick<VethForm>(['inside', 'inside', 'peer-netns', 'peer-netns', 'both-netns'])!;
    const aNs = this.pick(spaces)!;
    const bNs = form === 'inside' ? aNs : this.pick(spaces)!;
    const a = this.label('l');
    const b = this.label('l');
    return {
      t: 'veth-add', a, aNs: aNs.label, aName: this.ifName(w, a, aNs.label), b, bNs: bNs.label, bName: this.ifName(w, b, bNs.label),
      form, up: this.chance(0.5), byPid: this.chance(0.4),
    };
  }

  private swap(w: World, links: LinkModel[]): Op | undefined {
    const l1 = this.pick(links);
    const l2 = l1 && this.pick(links.filter((x) => x !== l1 && x.ns === l1.ns));
    return l1 && l2 && { t: 'swap', l1: l1.label, l2: l2.label, tmp: `~t${++this.counter}` };
  }

  private master(_w: World, veths: LinkModel[], links: LinkModel[]): Op | undefined {
    const l = this.pick(veths);
    if (!l) return undefined;
    if (l.master !== null && this.chance(0.4)) return { t: 'master', l: l.label, br: null };
    const br = this.pick(links.filter((x) => x.kind === 'bridge' && x.ns === l.ns));
    return br && { t: 'master', l: l.label, br: br.label };
  }
}
