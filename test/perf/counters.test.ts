/**
 * The performance regression guard: deterministic counters (CAM instructions executed and heap
 * cells allocated) of every benchmark at its small size must not rise more than 5 % above
 * bench/baseline.json. Wall-clock time is never asserted. After a deliberate change run
 * `npm run bench:baseline` and commit the new baseline with the change.
 */
import { describe, expect, it } from 'vitest';
import {
  type Counters,
  TOLERANCE,
  measureCounters,
  readBaseline,
} from '../../bench/baseline-counters.js';

/** Names of the counters that rose more than the tolerance, with old and new values. */
export function regressions(baseline: Counters, now: Counters): string[] {
  const out: string[] = [];
  for (const key of ['instructions', 'allocations'] as const) {
    if (now[key] > baseline[key] * (1 + TOLERANCE))
      out.push(`${key} ${baseline[key]} → ${now[key]}`);
  }
  return out;
}

describe('performance counters against bench/baseline.json', () => {
  const baseline = readBaseline();
  const measured = measureCounters();

  it('covers every benchmark, and nothing else', () => {
    expect(Object.keys(measured).sort()).toEqual(Object.keys(baseline).sort());
  });

  for (const [name, now] of Object.entries(measured)) {
    it(`${name} does not execute or allocate more than 5 % above the baseline`, () => {
      const base = baseline[name];
      expect(base, `no baseline for ${name}: run npm run bench:baseline`).toBeDefined();
      expect(regressions(base!, now)).toEqual([]);
    });
  }

  it('flags a rise above the tolerance and accepts one within it', () => {
    const base = { instructions: 1000, allocations: 100 };
    expect(regressions(base, { instructions: 1050, allocations: 100 })).toEqual([]);
    expect(regressions(base, { instructions: 1051, allocations: 106 })).toEqual([
      'instructions 1000 → 1051',
      'allocations 100 → 106',
    ]);
  });
});
