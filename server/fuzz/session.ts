import { statSync } from 'node:fs';
import { Topology } from '@vethmap/shared';
import { NetBuilder, startServe, TopologyMirror, type ServeProcess } from '@vethmap/testkit';
import { snapshotOnce } from '../src/engine/snapshot.js';
import { containerLabeller } from '../src/commands/labels.js';
import { Executor, valid } from './execute.js';
import { describeDifference, groundTruth, picture, same, type Picture } from './oracle.js';
import { World, type Op } from './world.js';

/**
 * A fresh full scan labelled as the server labels (`--docker-socket none`: container ids
 * from process cgroups, no engine), so containers running on the host compare equal.
 */
const scan = (): Promise<Topology> => snapshotOnce({ labelContainers: containerLabeller('none') });

export interface SessionOptions {
  /** The live picture must equal a fresh scan within this long after a step (the issue: 1 s). */
  deadlineMs: number;
  /** Compare the whole host, or only what the fuzzer built (for a shared machine). */
  scope: 'host' | 'mine';
  /** Extra `vethmap serve` arguments. */
  serveArgs?: string[];
}

export type FailureKind = 'crash' | 'model' | 'slow' | 'diverged' | 'mirror' | 'ground-truth';

export interface Failure {
  kind: FailureKind;
  /** Index of the step (in the op list) after which it was seen. */
  step: number;
  detail: string;
}

/** Milliseconds from a step's last command to the first fresh scan the live picture equalled. */
export type Convergence = number;

/**
 * One fuzzing session: a real `vethmap serve`, a socket.io client holding the picture a
 * browser would, and the world being built. After each step it compares the server's
 * /api/topology, the client's picture and a fresh full scan, and the scan with the world.
 */
export class Session {
  readonly world: World;
  readonly exec: Executor;
  readonly net: NetBuilder;
  readonly convergence: Convergence[] = [];
  private server!: ServeProcess;
  private mirror!: TopologyMirror;

  private constructor(private readonly options: SessionOptions) {
    this.net = new NetBuilder('vfz');
    this.world = new World(this.net.prefix, statSync('/proc/self/ns/net').ino);
    this.exec = new Executor(this.net.prefix);
  }

  static async start(options: SessionOptions): Promise<Session> {
    const s = new Session(options);
    // No container engine: the fresh scan in this process asks none either.
    // A host with thousands of namespaces takes a while to scan before it listens.
    s.server = await startServe(['--docker-socket', 'none', '--log-level', 'info', ...(options.serveArgs ?? [])], { timeoutMs: 120_000 });
    s.mirror = new TopologyMirror(s.server.url, { keepDiffs: false });
    await s.mirror.ready();
    return s;
  }

  get prefix(): string {
    return this.net.prefix;
  }

  /** The server's URL. */
  get url(): string {
    return this.server.url;
  }

  /** Runs one step (an operation or a burst) and checks the pictures. */
  async step(op: Op, index: number): Promise<Failure | null> {
    if (!valid(op, this.world)) return null;
    try {
      await this.exec.apply(op, this.world);
    } catch (err) {
      return { kind: 'model', step: index, detail: (err as Error).message };
    }
    return this.check(index);
  }

  private alive(): boolean {
    return this.server.child.exitCode === null && this.server.child.signalCode === null;
  }

  private async live(): Promise<Topology> {
    try {
      return Topology.parse(await (await fetch(`${this.server.url}/api/topology`)).json());
    } catch (err) {
      // A kept-alive connection the server closed after 5 s idle (slow scans in between)
      // fails the next request: ask once more on a new one.
      if (!this.alive()) throw err;
      return Topology.parse(await (await fetch(`${this.server.url}/api/topology`, { headers: { connection: 'close' } })).json());
    }
  }

  /** Compares after a step: live = fresh within the deadline, client = server, scan = world. */
  async check(index: number): Promise<Failure | null> {
    const t0 = performance.now();
    let last: { live: Picture; fresh: Picture } | undefined;
    // Past the deadline, keep looking a while to tell "late" from "never".
    const giveUp = t0 + Math.max(5000, this.options.deadlineMs * 3);
    let convergedAt: number | undefined;
    let fresh: Topology | undefined;
    while (performance.now() < giveUp) {
      if (!this.alive()) return { kind: 'crash', step: index, detail: `vethmap serve exited:\n${this.server.logs.slice(-20).join('\n')}` };
      // The live picture read at `asOf` equals a scan begun after it: it was right at `asOf`
      // (a scan of hundreds of namespaces takes a while; that is not the server's delay).
      const asOf = performance.now();
      const live = picture(await this.live(), this.options.scope, this.world);
      fresh = await scan();
      const f = picture(fresh, this.options.scope, this.world);
      if (same(live, f)) {
        convergedAt = asOf - t0;
        break;
      }
      last = { live, fresh: f };
      await new Promise((r) => setTimeout(r, 5));
    }
    if (convergedAt === undefined) {
      return { kind: 'diverged', step: index, detail: describeDifference('live', last!.live, 'fresh', last!.fresh) + this.serverLog() };
    }
    this.convergence.push(convergedAt);
    if (convergedAt > this.options.deadlineMs) {
      const before = last ? `; until then:\n${describeDifference('live', last.live, 'fresh', last.fresh)}` : '';
      return { kind: 'slow', step: index, detail: `the live picture equalled a fresh scan only after ${Math.round(convergedAt)} ms${before}${this.serverLog()}` };
    }
    const mirror = await this.mirrorMatches();
    if (mirror) return { kind: 'mirror', step: index, detail: mirror };
    // The kernel frees a namespace (and the far ends of its veths) asynchronously once its
    // last holder is gone: give the ground truth a moment.
    for (let i = 0; ; i++) {
      const problems = groundTruth(fresh!, this.world);
      if (problems.length === 0) return null;
      if (i >= 60) return { kind: 'ground-truth', step: index, detail: problems.slice(0, 8).join('\n') };
      await new Promise((r) => setTimeout(r, 50));
      fresh = await scan();
    }
  }

  /** What the server said beyond the start (warnings: lost events, unreadable namespaces). */
  private serverLog(): string {
    const lines = this.server.logs.filter((l) => !l.includes('"msg":"listening"') && !l.includes('"msg":"initial scan"'));
    return lines.length ? `\nserver log:\n${lines.slice(-10).join('\n')}` : '';
  }

  /** The socket.io client's picture (snapshot + diffs) equals the server's at the same version. */
  private async mirrorMatches(): Promise<string | null> {
    for (let i = 0; i < 200; i++) {
      const api = await this.live();
      const view = this.mirror.view;
      if (view && view.version === api.version) {
        const a = picture(api, 'host', this.world);
        const b = picture(view, 'host', this.world);
        return same(a, b) ? null : describeDifference('client', b, 'server', a);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return `the client stayed at version ${this.mirror.view?.version}, the server is at ${(await this.live()).version}`;
  }

  async stop(): Promise<string[]> {
    this.mirror?.close();
    await this.server?.stop();
    await this.exec.stopAll();
    this.net.cleanup();
    return this.net.leftovers();
  }
}

/** Runs a fixed list of steps in a fresh session; the first failure, if any. */
export async function replay(ops: readonly Op[], options: SessionOptions): Promise<{ failure: Failure | null; session: Session }> {
  const session = await Session.start(options);
  try {
    for (let i = 0; i < ops.length; i++) {
      const failure = await session.step(ops[i]!, i);
      if (failure) return { failure, session };
    }
    return { failure: null, session };
  } finally {
    const left = await session.stop();
    if (left.length > 0) throw new Error(`left behind: ${left.join(', ')}`);
  }
}
