import { describe, expect, it } from 'vitest';
import { fuzzRun } from '../../fuzz/main.js';

/**
 * The bounded fuzz CI runs (server/fuzz; `npm run fuzz` runs as long as asked): fixed
 * seeds, a few hundred operations in all, each step checked against a fresh scan of the
 * whole host, a socket.io client's picture, and what was built. The live picture must equal
 * the scan within 5 s: a bound that tells "never" from "late" on a loaded CI host, not a
 * speed target (how fast it follows is measured by `npm run fuzz`, 1 s deadline, and the
 * bench). A failure prints the seed and the failing step; `npm run fuzz -- --seed N`
 * shrinks it to a recipe.
 */
const SEEDS = [11, 12, 13];
const OPS_PER_SEED = 100;

describe('differential fuzz (fixed seeds)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${OPS_PER_SEED} operations, the live picture always equals the kernel`, async () => {
      const r = await fuzzRun(seed, OPS_PER_SEED, 6, { deadlineMs: 5000, scope: process.env.VETHMAP_FUZZ_SCOPE === 'mine' ? 'mine' : 'host' });
      expect(r.failure, r.failure ? `${r.failure.kind} after step ${r.failure.step}: ${r.failure.detail}` : '').toBeNull();
      expect(r.steps).toBeGreaterThanOrEqual(OPS_PER_SEED);
    }, 180_000);
  }
});
