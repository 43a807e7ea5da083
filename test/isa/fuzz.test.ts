// At least 20 000 random and mutated images through loader and verifier per test run: each is
// accepted or rejected with a typed error (accepted ones also survive a listing round trip),
// and no exception escapes. `npm run fuzz -- --count N` runs longer batches.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzz } from './image-fuzzer.js';

const dir = new URL('../../examples/bytecode/', import.meta.url).pathname;
const seeds = readdirSync(dir)
  .filter((n) => n.endsWith('.svm'))
  .map((n) => new Uint8Array(readFileSync(join(dir, n))));

describe('fuzzing the loader and verifier', () => {
  it('20 000 images: typed results only, never an exception', () => {
    // A fixed seed per day: deterministic within a day, new inputs across days.
    const seed = Math.floor(Date.now() / 86_400_000);
    const stats = fuzz(20_000, seed, seeds);
    expect(stats.failures, `seed ${seed}`).toEqual([]);
    expect(stats.cases).toBe(20_000);
    expect(stats.accepted + stats.rejected).toBe(20_000);
    // The mix reaches both outcomes and many distinct checks, not just the magic test.
    expect(stats.accepted).toBeGreaterThan(1000);
    expect(stats.rejected).toBeGreaterThan(1000);
    expect(stats.codes.size).toBeGreaterThanOrEqual(20);
  });
});
