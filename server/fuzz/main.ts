/**
 * `npm run fuzz -- [--seed N] [--ops M] [--namespaces K] [--seconds S] [--deadline-ms D] [--scope host|mine]`
 *
 * A differential fuzzer for the live picture: random operation sequences from a grammar of
 * everything iproute2 and container runtimes do (server/fuzz/grammar.ts), run against a
 * real `vethmap serve`; after each step the server's /api/topology, a socket.io client's
 * snapshot-plus-diffs and a fresh full scan must agree (within --deadline-ms of the step),
 * and the scan must equal what was built. A failing sequence is shrunk to a minimal one and
 * printed as the commands that reproduce it. Without --seed it runs random seeds until
 * --seconds have passed (default: until interrupted). Run as root.
 */
import { parseArgs } from 'node:util';
import { Grammar } from './grammar.js';
import { Session, type Failure, type SessionOptions } from './session.js';
import { shrink } from './shrink.js';
import type { Op } from './world.js';
import { replay } from './session.js';

export interface RunResult {
  seed: number;
  ops: Op[];
  steps: number;
  failure: Failure | null;
  convergence: number[];
}

/** One seeded run: generates steps online (each from the world as it is) and checks after each. */
export async function fuzzRun(seed: number, count: number, namespaces: number, options: SessionOptions): Promise<RunResult> {
  const grammar = new Grammar(seed, namespaces);
  const session = await Session.start(options);
  const ops: Op[] = [];
  let failure: Failure | null = null;
  let executed = 0;
  try {
    while (executed < count && !failure) {
      const burst = grammar.burstLength();
      if (burst > 0) {
        // Back to back, no look in between: each operation is chosen from the world as it is.
        const inner: Op[] = [];
        for (let k = 0; k < burst; k++) {
          const op = grammar.next(session.world);
          inner.push(op);
          try {
            await session.exec.apply(op, session.world);
          } catch (err) {
            failure = { kind: 'model', step: ops.length, detail: (err as Error).message };
            break;
          }
        }
        ops.push({ t: 'burst', ops: inner });
        executed += inner.length;
        failure ??= await session.check(ops.length - 1);
      } else {
        const op = grammar.next(session.world);
        ops.push(op);
        executed++;
        failure = await session.step(op, ops.length - 1);
      }
    }
  } finally {
    const left = await session.stop();
    if (left.length > 0) throw new Error(`left behind: ${left.join(', ')}`);
  }
  return { seed, ops, steps: executed, failure, convergence: session.convergence };
}

function summary(ms: number[]): string {
  if (ms.length === 0) return 'no steps';
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(0);
  return `converged p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms over ${ms.length} checks`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      ops: { type: 'string', default: '300' },
      namespaces: { type: 'string', default: '6' },
      seconds: { type: 'string' },
      'deadline-ms': { type: 'string', default: '1000' },
      scope: { type: 'string', default: 'host' },
      'no-shrink': { type: 'boolean', default: false },
    },
  });
  if (process.getuid?.() !== 0) throw new Error('the fuzzer builds real namespaces: run it as root');
  const options: SessionOptions = { deadlineMs: Number(values['deadline-ms']), scope: values.scope === 'mine' ? 'mine' : 'host' };
  const until = values.seconds ? Date.now() + Number(values.seconds) * 1000 : Infinity;
  const fixed = values.seed !== undefined;
  let runs = 0;
  let stop = false;
  process.once('SIGINT', () => { stop = true; console.error('stopping after this run (cleanup follows)…'); });
  do {
    const seed = fixed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
    const r = await fuzzRun(seed, Number(values.ops), Number(values.namespaces), options);
    runs++;
    console.log(`seed ${seed}: ${r.steps} operations, ${r.failure ? `FAILED (${r.failure.kind})` : 'ok'}; ${summary(r.convergence)}`);
    if (r.failure) {
      console.log(`\n${r.failure.kind} after step ${r.failure.step}:\n${r.failure.detail}\n`);
      const failing = r.ops.slice(0, r.failure.step + 1);
      let minimal = { ops: failing, failure: r.failure };
      if (!values['no-shrink']) {
        try {
          minimal = await shrink(failing, r.failure.kind, options, (l) => console.error(l));
        } catch (err) {
          console.log(`not shrunk: ${(err as Error).message}; the whole failing sequence follows`);
        }
      }
      const { session } = await replay(minimal.ops, options).catch(() => ({ session: null }));
      console.log(`minimal sequence (${minimal.ops.length} steps), ${minimal.failure.kind}:\n${minimal.failure.detail}\n`);
      if (session) console.log('as commands:\n' + session.exec.recipe().map((l) => `  ${l}`).join('\n'));
      console.log(`\nas steps (for a regression test):\n${JSON.stringify(minimal.ops)}`);
      process.exitCode = 1;
      break;
    }
  } while (!fixed && !stop && Date.now() < until);
  console.log(`${runs} run(s) done`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(2);
  });
}
