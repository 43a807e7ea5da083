/**
 * Differential test: the compiled tier against the interpreter (the oracle). Every program of
 * the compiler corpus (test/corpus/**) and every benchmark at its small size runs on both tiers
 * inside the container runtime, with the default slice and with tiny slices (so budgets run out
 * in the middle of compiled blocks); random instruction sequences run on the bare machine with
 * budgets of every size. Results, faults (cause, pc, detail), instruction counts, allocations,
 * collections and the device time at the end must be identical.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../src/isa/opcodes.js';
import type { Program } from '../../src/isa/program.js';
import { DEFAULT_CONTAINER_CONFIG, type ContainerConfig, Machine } from '../../src/vm/index.js';
import { CompiledTier } from '../../src/vm/jit/compiled-tier.js';
import { BENCHMARKS } from '../../bench/benchmarks.js';
import { CYCLES, corpusAndBenchmarks, observeRun } from '../helpers/observe-run.js';

type Tier = 'interpreter' | 'compiled';

const compiledTier = {
  tier: (...a: ConstructorParameters<typeof CompiledTier>) => new CompiledTier(...a),
};

/**
 * The oracle interpreter counts executed opcodes (`profile`) and the runtime multiplies them by
 * the cycle table, as device time was computed before either tier charged cycles itself; the
 * compiled tier charges the cycle table per block (with refunds when a block is left early).
 */
function machineFor(program: Program, tier: Tier, config: ContainerConfig): Machine {
  return new Machine(program, config, {
    containerName: 'diff',
    ...(tier === 'compiled' ? { ...compiledTier, cycleTable: CYCLES } : { profile: true }),
  });
}

/**
 * Everything observable about a run inside the container runtime (the cycle meter only exists
 * on the compiled side: the oracle's device time comes from its opcode counts).
 */
function runInRuntime(
  program: Program,
  tier: Tier,
  slice: number,
  config: ContainerConfig,
  maxInstructions: number,
) {
  const { cycles: _cycles, ...observed } = observeRun(
    machineFor(program, tier, config),
    slice,
    maxInstructions,
  );
  return observed;
}

const SMALL: ContainerConfig = {
  ...DEFAULT_CONTAINER_CONFIG,
  heapBytes: 64 * 1024,
  stackBytes: 4 * 1024,
  maxContexts: 8,
};

describe('compiled tier = interpreter on the corpus and the benchmarks', () => {
  const programs = corpusAndBenchmarks();

  it('has programs to compare (the corpus compiles)', () => {
    expect(programs.length).toBeGreaterThan(BENCHMARKS.length);
  });

  for (const [name, program] of programs) {
    it(name, () => {
      // Tiny slices are slow on both tiers: compare the first instructions only.
      for (const [slice, max] of [
        [20_000, 1_000_000],
        [7, 50_000],
        [1, 5_000],
      ] as const) {
        const oracle = runInRuntime(program, 'interpreter', slice, SMALL, max);
        const compiled = runInRuntime(program, 'compiled', slice, SMALL, max);
        expect(compiled, `slice ${slice}`).toEqual(oracle);
      }
    });
  }
});

// ------------------------------------------------------------------ random instruction sequences

/** A random program: n instructions with in-range operands, labels pointing at instructions. */
const randomProgram = fc
  .array(
    fc.record({
      op: fc.constantFrom(...INSTRUCTIONS.filter((r) => r.mnemonic !== 'CALLRTS').map((r) => r)),
      a: fc.nat(255),
      b: fc.nat(),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows) => assembleRandom(rows));

function assembleRandom(rows: { op: (typeof INSTRUCTIONS)[number]; a: number; b: number }[]) {
  // First pass: instruction offsets, so labels can name instruction starts.
  const sizes = rows.map((r) =>
    r.op.operands.reduce((n, k) => n + (k === 'table' ? 1 + 4 * 2 : k === 'u8' ? 1 : 2), 1),
  );
  const starts: number[] = [];
  let at = 0;
  for (const s of sizes) {
    starts.push(at);
    at += s;
  }
  const label = (x: number): number => starts[x % starts.length]!;
  const code: number[] = [];
  const u16 = (v: number): void => void code.push((v >> 8) & 0xff, v & 0xff);
  const ints: number[] = [];
  rows.forEach((r) => {
    code.push(r.op.opcode);
    for (const kind of r.op.operands) {
      if (kind === 'u8')
        code.push(r.op.mnemonic === 'ACC' || r.op.mnemonic === 'REST' ? r.a % 4 : r.a % 2);
      else if (kind === 'label') u16(label(r.b));
      else if (kind === 'int') {
        ints.push((r.b % 7) - 2);
        u16(ints.length - 1);
      } else if (kind === 'tag') u16(r.a % 3);
      else if (kind === 'table') {
        code.push(2);
        u16(r.a % 3);
        u16(label(r.b));
        u16(r.b % 2 === 0 ? 0xffff : (r.a + 1) % 3);
        u16(label(r.b + 1));
      } else u16(0); // float/string pool index 0 (absent: decodes as invalid)
    }
  });
  const program: Program = {
    format: 'sensevm',
    version: 1,
    ints: Int32Array.from(ints),
    floats: Float32Array.of(1.5),
    strings: ['s'],
    natives: new Uint32Array(0),
    code: Uint8Array.from(code),
    labelBase: 0,
    debug: [],
  };
  return program;
}

/** Runs context 0 in slices of `budget` until it leaves, snapshotting the machine each slice. */
function runBare(program: Program, tier: Tier, budget: number, stressGc: boolean) {
  const machine = new Machine(
    program,
    { ...DEFAULT_CONTAINER_CONFIG, heapBytes: 200, stackBytes: 60, maxContexts: 2 },
    { stressGc, ...(tier === 'compiled' ? compiledTier : {}) },
  );
  const ctx = machine.startContext(0);
  const m = machine.memory;
  const log: unknown[] = [];
  for (let slice = 0; slice < 60; slice++) {
    const r = machine.run(ctx, budget);
    log.push({
      ...r,
      pc: m.pcOf(ctx),
      env: [m.envWord(ctx), m.envKind(ctx)],
      stack: Array.from({ length: m.stackDepth(ctx) }, (_, i) => [
        m.peekWord(ctx, i),
        m.peekKind(ctx, i),
      ]),
      heap: m.heapStats().cellsAllocated,
    });
    if (r.reason !== 'budget' && r.reason !== 'rts') break;
  }
  return log;
}

describe('compiled tier = interpreter on random instruction sequences', () => {
  it('gives the same slices, registers, stacks, faults and allocations', () => {
    fc.assert(
      fc.property(
        randomProgram,
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        (p, budget, stress) => {
          expect(runBare(p, 'compiled', budget, stress)).toEqual(
            runBare(p, 'interpreter', budget, stress),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
