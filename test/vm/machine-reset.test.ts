/**
 * Machine.reset(): a machine that ran a program and was reset runs it again exactly like a new
 * machine — same value, instructions, allocations, collections and, byte for byte, the same
 * container memory afterwards — on both tiers. The benchmark harness relies on it to time runs
 * on warmed-up compiled code.
 */
import { describe, expect, it } from 'vitest';
import { BENCHMARKS } from '../../bench/benchmarks.js';
import {
  TIERS,
  benchmarkConfig,
  benchmarkMachine,
  compileBenchmark,
  runOn,
} from '../../bench/harness.js';

const strip = ({ ms: _ms, maxPauseMicros: _p, ...rest }: ReturnType<typeof runOn>) => rest;

describe('Machine.reset', () => {
  for (const tier of TIERS) {
    for (const b of BENCHMARKS) {
      it(`${b.name} on ${tier}: a reset machine runs like a new one`, () => {
        const program = compileBenchmark(b, b.small);
        const config = { ...benchmarkConfig(b), heapBytes: 64 * 1024 };
        const fresh = benchmarkMachine(program, config, tier);
        const expected = strip(runOn(fresh));
        const reused = benchmarkMachine(program, config, tier);
        runOn(reused);
        runOn(reused);
        const again = strip(runOn(reused));
        expect(again).toEqual(expected);
        expect(expected.collections).toBeGreaterThanOrEqual(0);
        expect(Buffer.from(reused.memory.buffer).equals(Buffer.from(fresh.memory.buffer))).toBe(
          true,
        );
      });
    }
  }

  it('clears collection statistics and faults', () => {
    const b = BENCHMARKS.find((x) => x.name === 'listmap')!;
    const program = compileBenchmark(b, b.small);
    const machine = benchmarkMachine(
      program,
      { ...benchmarkConfig(b), heapBytes: 64 * 1024 },
      'compiled',
    );
    runOn(machine);
    expect(machine.memory.heapStats().collections).toBeGreaterThan(0);
    machine.reset();
    const stats = machine.memory.heapStats();
    expect(stats.collections).toBe(0);
    expect(stats.cellsAllocated).toBe(0);
    expect(stats.cellsInUse).toBe(0);
    expect(machine.faultOf(0)).toBeUndefined();
  });
});
