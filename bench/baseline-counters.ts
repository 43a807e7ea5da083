/**
 * The regression guard's deterministic counters: every benchmark at its small size, run on the
 * interpreter (the oracle; the compiled tier must give the same counts, see
 * test/perf/differential.test.ts). bench/baseline.json records them; `npm run bench:baseline`
 * rewrites it after a deliberate change (review the diff: a rise is a regression).
 */
import { readFileSync } from 'node:fs';
import { BENCHMARKS, wrapped } from './benchmarks.js';
import { benchmarkConfig, compileBenchmark, runBenchmark, type TierName } from './harness.js';

export interface Counters {
  readonly instructions: number;
  readonly allocations: number;
}

export type Baseline = Record<string, Counters>;

/** A counter may grow by at most this fraction before the guard fails. */
export const TOLERANCE = 0.05;

export const BASELINE_PATH = new URL('./baseline.json', import.meta.url).pathname;

export function measureCounters(tier: TierName = 'interpreter'): Baseline {
  const out: Baseline = {};
  for (const b of BENCHMARKS) {
    const r = runBenchmark(compileBenchmark(b, b.small), benchmarkConfig(b), tier, {
      stressGc: false,
    });
    if (r.value !== wrapped(b.small.result))
      throw new Error(`${b.name}: got ${r.value}, expected ${wrapped(b.small.result)}`);
    out[b.label(b.small)] = { instructions: r.instructions, allocations: r.allocations };
  }
  return out;
}

export function readBaseline(): Baseline {
  return JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as Baseline;
}
