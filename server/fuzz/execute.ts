import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LinkModel, NsModel, Op, World } from './world.js';

const NETNS_DIR = '/var/run/netns';
const DOCKER_DIR = '/var/run/docker/netns';

/** A command the fuzzer ran, kept for the recipe. */
export interface Ran {
  argv: string[];
}

/** Where operations run: the processes holding namespaces and the log of commands. */
export class Executor {
  readonly holders = new Map<string, ChildProcess>();
  readonly ran: Ran[] = [];
  /** Holder pid → namespace label, to print `$P_n3` instead of a pid in recipes. */
  private readonly pidLabel = new Map<number, string>();

  constructor(readonly prefix: string) {}

  private run(argv: string[]): void {
    this.ran.push({ argv });
    try {
      execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
      throw new Error(`${argv.map(shellQuote).join(' ')}: ${stderr || (err as Error).message}`);
    }
  }

  /** `ip …` run inside a namespace: `ip -n NAME`, or nsenter into a pid or a Docker file. */
  private ipIn(ns: NsModel, args: string[]): string[] {
    if (ns.kind === 'root') return ['ip', ...args];
    if (ns.kind === 'named' && ns.name) return ['ip', '-n', ns.name, ...args];
    return ['nsenter', `--net=${nsPath(ns)}`, 'ip', ...args];
  }

  /** The `netns X` argument naming a namespace from anywhere: its name, or a pid in it. */
  private ref(ns: NsModel, byPid: boolean): string {
    if (ns.kind === 'root') return String(process.pid);
    if (ns.kind === 'named' && ns.name && !(byPid && ns.pid !== null)) return ns.name;
    if (ns.pid !== null) return String(ns.pid);
    throw new Error(`namespace ${ns.label} has no name or pid to point at`);
  }

  /** Applies `op` to the host and to `world`; throws when a command fails (a model bug). */
  async apply(op: Op, world: World): Promise<void> {
    switch (op.t) {
      case 'burst':
        for (const o of op.ops) if (valid(o, world)) await this.apply(o, world);
        return;
      case 'netns-add': {
        const name = world.resolve(op.name);
        this.run(['ip', 'netns', 'add', name]);
        world.namespaces.set(op.ns, { label: op.ns, kind: 'named', name, pid: null, inode: statSync(path.join(NETNS_DIR, name)).ino });
        this.run(['ip', '-n', name, 'link', 'set', 'dev', 'lo', 'up']);
        return;
      }
      case 'netns-del': {
        const ns = world.namespaces.get(op.ns)!;
        this.run(['ip', 'netns', 'del', ns.name!]);
        ns.name = null;
        if (ns.pid === null) await this.dropNamespace(world, op.ns);
        else ns.kind = 'process';
        return;
      }
      case 'netns-attach': {
        const ns = world.namespaces.get(op.ns)!;
        const name = world.resolve(op.name);
        this.run(['ip', 'netns', 'attach', name, String(ns.pid)]);
        Object.assign(ns, { kind: 'named', name });
        return;
      }
      case 'process-add': {
        const pid = await this.startHolder(op.ns);
        world.namespaces.set(op.ns, { label: op.ns, kind: 'process', name: null, pid, inode: statSync(`/proc/${pid}/ns/net`).ino });
        return;
      }
      case 'process-kill': {
        const ns = world.namespaces.get(op.ns)!;
        this.ran.push({ argv: ['kill', '-9', `$P_${op.ns}`] });
        await this.stopHolder(op.ns);
        ns.pid = null;
        if (ns.kind === 'process') await this.dropNamespace(world, op.ns);
        return;
      }
      case 'docker-add': {
        mkdirSync(DOCKER_DIR, { recursive: true });
        const fileName = world.resolve(op.file);
        const file = path.join(DOCKER_DIR, fileName);
        this.ran.push({ argv: ['touch', file] });
        closeSync(openSync(file, 'a'));
        if (op.holder) {
          const ns = world.namespaces.get(op.ns)!;
          this.run(['mount', '--bind', `/proc/${ns.pid}/ns/net`, file]);
          Object.assign(ns, { kind: 'docker', name: fileName });
        } else {
          const tmp = `${fileName}.t`;
          this.run(['ip', 'netns', 'add', tmp]);
          try {
            this.run(['mount', '--bind', path.join(NETNS_DIR, tmp), file]);
          } finally {
            this.run(['ip', 'netns', 'del', tmp]);
          }
          world.namespaces.set(op.ns, { label: op.ns, kind: 'docker', name: fileName, pid: null, inode: statSync(file).ino });
        }
        return;
      }
      case 'docker-del': {
        const ns = world.namespaces.get(op.ns)!;
        const file = path.join(DOCKER_DIR, ns.name!);
        this.run(['umount', file]);
        this.ran.push({ argv: ['rm', file] });
        rmSync(file, { force: true });
        ns.name = null;
        if (ns.pid === null) await this.dropNamespace(world, op.ns);
        else ns.kind = 'process';
        return;
      }
      case 'veth-add': {
        const aNs = world.namespaces.get(op.aNs)!;
        const bNs = world.namespaces.get(op.bNs)!;
        const aName = world.resolve(op.aName);
        const bName = world.resolve(op.bName);
        if (op.form === 'inside') {
          this.run(this.ipIn(aNs, ['link', 'add', 'name', aName, 'type', 'veth', 'peer', 'name', bName]));
        } else if (op.form === 'peer-netns') {
          this.run(this.ipIn(aNs, ['link', 'add', 'name', aName, 'type', 'veth', 'peer', 'name', bName, 'netns', this.ref(bNs, op.byPid)]));
        } else {
          this.run(['ip', 'link', 'add', 'name', aName, 'netns', this.ref(aNs, op.byPid), 'type', 'veth', 'peer', 'name', bName, 'netns', this.ref(bNs, op.byPid)]);
        }
        world.links.set(op.a, { label: op.a, kind: 'veth', ns: op.aNs, name: aName, peer: op.b, master: null, up: false, addrs: [] });
        world.links.set(op.b, { label: op.b, kind: 'veth', ns: op.bNs, name: bName, peer: op.a, master: null, up: false, addrs: [] });
        if (op.up) {
          for (const l of [op.a, op.b]) await this.apply({ t: 'set-state', l, up: true }, world);
        }
        return;
      }
      case 'bridge-add': {
        const ns = world.namespaces.get(op.ns)!;
        const name = world.resolve(op.name);
        this.run(this.ipIn(ns, ['link', 'add', 'name', name, 'type', 'bridge']));
        world.links.set(op.l, { label: op.l, kind: 'bridge', ns: op.ns, name, peer: null, master: null, up: false, addrs: [] });
        return;
      }
      case 'link-del': {
        const l = world.links.get(op.l)!;
        this.run(this.ipIn(world.namespaces.get(l.ns)!, ['link', 'del', 'dev', l.name]));
        world.dropLink(op.l);
        return;
      }
      case 'move': {
        const l = world.links.get(op.l)!;
        const to = world.namespaces.get(op.to)!;
        this.run(this.ipIn(world.namespaces.get(l.ns)!, ['link', 'set', 'dev', l.name, 'netns', this.ref(to, op.byPid)]));
        // Moving takes a device down, out of its bridge, and flushes its addresses.
        Object.assign(l, { ns: op.to, up: false, master: null, addrs: [] });
        return;
      }
      case 'rename': {
        const l = world.links.get(op.l)!;
        const name = world.resolve(op.name);
        this.run(this.ipIn(world.namespaces.get(l.ns)!, ['link', 'set', 'dev', l.name, 'name', name]));
        l.name = name;
        return;
      }
      case 'swap': {
        const l1 = world.links.get(op.l1)!;
        const l2 = world.links.get(op.l2)!;
        const ns = world.namespaces.get(l1.ns)!;
        const [n1, n2, tmp] = [l1.name, l2.name, world.resolve(op.tmp)];
        this.run(this.ipIn(ns, ['link', 'set', 'dev', n1, 'name', tmp]));
        this.run(this.ipIn(ns, ['link', 'set', 'dev', n2, 'name', n1]));
        this.run(this.ipIn(ns, ['link', 'set', 'dev', tmp, 'name', n2]));
        l1.name = n2;
        l2.name = n1;
        return;
      }
      case 'set-state': {
        const l = world.links.get(op.l)!;
        this.run(this.ipIn(world.namespaces.get(l.ns)!, ['link', 'set', 'dev', l.name, op.up ? 'up' : 'down']));
        // Taken down, a link loses its IPv6 addresses (keep_addr_on_down is 0 by default).
        if (!op.up) l.addrs = l.addrs.filter((c) => !c.includes(':'));
        l.up = op.up;
        return;
      }
      case 'addr-add': {
        const l = world.links.get(op.l)!;
        this.run(this.ipIn(world.namespaces.get(l.ns)!, ['addr', 'add', op.cidr, 'dev', l.name]));
        l.addrs.push(op.cidr);
        return;
      }
      case 'addr-del': {
        const l = world.links.get(op.l)!;
        this.run(this.ipIn(world.namespaces.get(l.ns)!, ['addr', 'del', op.cidr, 'dev', l.name]));
        l.addrs = l.addrs.filter((c) => c !== op.cidr);
        return;
      }
      case 'master': {
        const l = world.links.get(op.l)!;
        const ns = world.namespaces.get(l.ns)!;
        this.run(this.ipIn(ns, op.br === null ? ['link', 'set', 'dev', l.name, 'nomaster'] : ['link', 'set', 'dev', l.name, 'master', world.links.get(op.br)!.name]));
        l.master = op.br;
        return;
      }
    }
  }

  /** `unshare --net sleep` in the background: a namespace held only by a process. */
  private async startHolder(label: string): Promise<number> {
    const child = spawn('unshare', ['--net', 'sleep', '3600'], { stdio: 'ignore' });
    const pid = child.pid;
    if (pid === undefined) throw new Error('cannot start unshare (util-linux)');
    this.holders.set(label, child);
    this.pidLabel.set(pid, label);
    this.ran.push({ argv: ['unshare', '--net', 'sleep', '3600', '&', `P_${label}=$!`] });
    const own = statSync('/proc/self/ns/net').ino;
    for (let i = 0; i < 500; i++) {
      try {
        // unshare execs sleep once it has its own namespace.
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep' && statSync(`/proc/${pid}/ns/net`).ino !== own) return pid;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error('unshare did not start');
  }

  private async stopHolder(label: string): Promise<void> {
    const child = this.holders.get(label);
    this.holders.delete(label);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /**
   * A namespace's last holder is gone: the kernel destroys it, and the far ends of its veths,
   * in a work queue a moment later. The model drops them now, so wait until the kernel has:
   * a name freed in the model was otherwise reused while the kernel still held it ("File
   * exists", a random seed on December 2).
   */
  private async dropNamespace(world: World, label: string): Promise<void> {
    const farEnds = world.linksIn(label).flatMap((l) => {
      const peer = l.peer ? world.links.get(l.peer) : undefined;
      const where = peer && peer.ns !== label ? world.namespaces.get(peer.ns) : undefined;
      return peer && where ? [{ where, name: peer.name }] : [];
    });
    world.dropNamespace(label);
    for (const { where, name } of farEnds) {
      const argv = this.ipIn(where, ['link', 'show', 'dev', name]);
      for (let i = 0; ; i++) {
        try {
          execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
        } catch {
          break; // gone (or its namespace is: either way the name is free)
        }
        if (i === 500) throw new Error(`${name} still exists 5 s after namespace ${label} lost its last holder`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  /** The commands run so far, as shell lines a user can paste (pids as $P_label variables). */
  recipe(): string[] {
    return this.ran.map(({ argv }) =>
      argv
        .map((arg) => {
          let a = arg;
          for (const [pid, label] of this.pidLabel) {
            if (a === String(pid)) a = `$P_${label}`;
            a = a.replace(`/proc/${pid}/`, `/proc/$P_${label}/`);
          }
          if (a === String(process.pid)) a = '$$';
          if (a === '$$' || /^\$P_\w+$/.test(a) || a === '&' || /^P_\w+=\$!$/.test(a)) return a;
          if (a.includes('$P_')) return `"${a}"`;
          return shellQuote(a);
        })
        .join(' '),
    );
  }

  /** Kills every holder (cleanup). */
  async stopAll(): Promise<void> {
    for (const label of [...this.holders.keys()]) await this.stopHolder(label);
  }
}

function nsPath(ns: NsModel): string {
  if (ns.kind === 'docker' && ns.name) return path.join(DOCKER_DIR, ns.name);
  if (ns.pid !== null) return `/proc/${ns.pid}/ns/net`;
  if (ns.name) return path.join(NETNS_DIR, ns.name);
  throw new Error(`namespace ${ns.label} cannot be entered`);
}

/** Can `op` run in `world`? (While shrinking, an operation whose entities are gone is skipped.) */
export function valid(op: Op, world: World): boolean {
  const ns = (l: string): NsModel | undefined => world.namespaces.get(l);
  const link = (l: string): LinkModel | undefined => world.links.get(l);
  switch (op.t) {
    case 'burst':
      return true;
    case 'netns-add':
    case 'process-add':
      return !ns(op.ns);
    case 'netns-del':
      return ns(op.ns)?.kind === 'named';
    case 'netns-attach':
      return ns(op.ns)?.kind === 'process' && ns(op.ns)?.pid !== null;
    case 'process-kill':
      return ns(op.ns)?.pid != null;
    case 'docker-add':
      return op.holder ? ns(op.ns)?.kind === 'process' && ns(op.ns)?.pid !== null : !ns(op.ns);
    case 'docker-del':
      return ns(op.ns)?.kind === 'docker';
    case 'veth-add': {
      const a = ns(op.aNs);
      const b = ns(op.bNs);
      if (!a || !b || link(op.a) || link(op.b)) return false;
      if (op.aNs === op.bNs ? op.aName === op.bName || world.nameTaken(op.aNs, op.aName) : world.nameTaken(op.aNs, op.aName) || world.nameTaken(op.bNs, op.bName)) return false;
      // The root only holds names with the prefix: cleanup finds them, and they never clash with the host's.
      if ((op.aNs === 'root' && !op.aName.startsWith('~')) || (op.bNs === 'root' && !op.bName.startsWith('~'))) return false;
      if (op.form === 'inside') return op.aNs === op.bNs;
      if (op.form === 'peer-netns') return reachable(b);
      return reachable(a) && reachable(b);
    }
    case 'bridge-add':
      return !!ns(op.ns) && !link(op.l) && !world.nameTaken(op.ns, op.name);
    case 'link-del':
      return !!link(op.l);
    case 'move': {
      const l = link(op.l);
      const to = ns(op.to);
      return !!l && !!to && l.kind === 'veth' && l.ns !== op.to && reachable(to) && !world.nameTaken(op.to, l.name) && (op.to !== 'root' || l.name.startsWith(world.prefix));
    }
    case 'rename': {
      const l = link(op.l);
      return !!l && !world.nameTaken(l.ns, op.name) && (l.ns !== 'root' || op.name.startsWith('~'));
    }
    case 'swap': {
      const l1 = link(op.l1);
      const l2 = link(op.l2);
      return !!l1 && !!l2 && l1 !== l2 && l1.ns === l2.ns && !world.nameTaken(l1.ns, op.tmp);
    }
    case 'set-state':
      return !!link(op.l);
    case 'addr-add': {
      const l = link(op.l);
      return !!l && !l.addrs.includes(op.cidr);
    }
    case 'addr-del':
      return !!link(op.l)?.addrs.includes(op.cidr);
    case 'master': {
      const l = link(op.l);
      if (!l || l.kind !== 'veth') return false;
      if (op.br === null) return l.master !== null;
      const br = link(op.br);
      return !!br && br.kind === 'bridge' && br.ns === l.ns && l.master !== op.br;
    }
  }
}

/** A namespace another command can name with `netns X`: by name or by a pid in it. */
function reachable(ns: NsModel): boolean {
  return ns.kind === 'root' || (ns.kind === 'named' && ns.name !== null) || ns.pid !== null;
}

/** POSIX shell quoting; control bytes as $'\xNN' so a recipe can be pasted. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  if (/[\x00-\x1f\x7f]/.test(s) || /[^\x00-\x7f]/.test(s)) {
    return `$'${[...Buffer.from(s, 'utf8')].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}'`;
  }
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
