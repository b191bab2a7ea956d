import { replay, type Failure, type FailureKind, type SessionOptions } from './session.js';
import type { Op } from './world.js';

/** Does this list of steps still fail the way the original did? (A model error is not a failure of vethmap.) */
async function stillFails(ops: readonly Op[], options: SessionOptions, kind: FailureKind, log: (line: string) => void): Promise<Failure | null> {
  const { failure } = await replay(ops, options);
  log(`  try ${ops.length} steps: ${failure ? failure.kind : 'passes'}`);
  // The same kind of failure only: a busy machine can make any sequence "slow".
  return failure && failure.kind === kind ? failure : null;
}

/**
 * Delta debugging (Zeller's ddmin, complements only): drops chunks of steps while the rest
 * still fails, halving the chunk size when nothing can go. Each try is a fresh server and a
 * fresh world; a step whose namespaces or links no longer exist is skipped by the replay.
 * Bursts are then flattened to single steps where the failure survives it, and shrunk again.
 */
export async function shrink(ops: readonly Op[], kind: FailureKind, options: SessionOptions, log: (line: string) => void): Promise<{ ops: Op[]; failure: Failure }> {
  let failure = await stillFails(ops, options, kind, log);
  if (!failure) throw new Error('the failing sequence did not fail again (timing-dependent?): not shrunk');
  let items = [...ops];
  for (;;) {
    const reduced = await ddmin(items, kind, options, log);
    items = reduced.ops;
    failure = reduced.failure ?? failure;
    // Bursts become single steps where the failure survives it, and the steps are shrunk again.
    let flattened = false;
    for (let i = 0; i < items.length; i++) {
      const op = items[i]!;
      if (op.t !== 'burst') continue;
      const flat = [...items.slice(0, i), ...op.ops, ...items.slice(i + 1)];
      const f = await stillFails(flat, options, kind, log);
      if (f) {
        items = flat;
        failure = f;
        flattened = true;
        break;
      }
    }
    if (!flattened) return { ops: items, failure };
  }
}

async function ddmin(start: Op[], kind: FailureKind, options: SessionOptions, log: (line: string) => void): Promise<{ ops: Op[]; failure: Failure | null }> {
  let items = start;
  let failure: Failure | null = null;
  let n = 2;
  while (items.length >= 2) {
    const size = Math.ceil(items.length / n);
    let reduced = false;
    for (let from = 0; from < items.length; from += size) {
      const rest = [...items.slice(0, from), ...items.slice(from + size)];
      const f = await stillFails(rest, options, kind, log);
      if (f) {
        items = rest;
        failure = f;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= items.length) break;
      n = Math.min(n * 2, items.length);
    }
  }
  return { ops: items, failure };
}
