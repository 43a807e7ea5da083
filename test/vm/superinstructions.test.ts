/**
 * Superinstructions (src/vm/superinstructions.ts) must be invisible: the interpreter with them
 * and without them gives the same results, faults (cause, pc, detail), instruction counts,
 * allocations, collections, cycle-meter totals and device time, for every slice size — including
 * budgets that end inside a fused sequence. And they must actually be used: the selection is
 * checked on known code, and the run loop is shown to dispatch on the handler array.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, camSource } from '../../bench/benchmarks.js';
import { Op } from '../../src/isa/opcodes.js';
import type { Program } from '../../src/isa/program.js';
import { compile } from '../../src/lang/compile.js';
import {
  CONTEXT_RECORD_WORDS,
  CTX_PC,
  ContainerMemory,
  type ContainerConfig,
  DEFAULT_CONTAINER_CONFIG,
  Interpreter,
  Machine,
  decodeProgram,
} from '../../src/vm/index.js';
import {
  MAX_FUSED_LENGTH,
  SUPERINSTRUCTIONS,
  SUPERINSTRUCTION_BASE,
  fuseSuperinstructions,
  handlerCycleTable,
} from '../../src/vm/superinstructions.js';
import { CYCLES, corpusAndBenchmarks, observeRun } from '../helpers/observe-run.js';
import { type Line, asm } from './helpers.js';

// ------------------------------------------------------------------------------ selection

describe('superinstruction selection', () => {
  it('fuses the longest listed sequence at each instruction start', () => {
    const program = asm([
      ['PUSH'], // 0: PUSH;LTIK;GOTOFALSE
      ['LTIK', 2], // 1
      ['GOTOFALSE', 'end'], // 4
      ['PUSH'], // 7: PUSH;PUSH;ACC
      ['PUSH'], // 8: PUSH;ACC
      ['ACC', 1], // 9
      ['SWAP'], // 11: SWAP;FST;FST
      ['FST'], // 12
      ['FST'], // 13
      'end:',
      ['STOP'], // 14
    ]);
    const handlers = fuseSuperinstructions(decodeProgram(program));
    const id = (name: string): number => SUPERINSTRUCTIONS.find((s) => s.name === name)!.id;
    // Only instruction starts are dispatched (operand slots hold operands).
    const starts = [0, 1, 4, 7, 8, 9, 11, 12, 13, 14];
    expect(starts.map((pc) => handlers[pc])).toEqual([
      id('PUSH;LTIK;GOTOFALSE'),
      Op.LTIK,
      Op.GOTOFALSE,
      id('PUSH;PUSH;ACC'),
      id('PUSH;ACC'),
      Op.ACC,
      id('SWAP;FST;FST'),
      Op.FST,
      Op.FST,
      Op.STOP,
    ]);
  });

  it('has a distinct id per sequence, each matched by its own opcodes', () => {
    const ids = SUPERINSTRUCTIONS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBe(SUPERINSTRUCTION_BASE);
    for (const s of SUPERINSTRUCTIONS) {
      const lines: Line[] = s.opcodes.map((op) => {
        const mnemonic = Object.entries(Op).find(([, v]) => v === op)![0];
        if (op === Op.ACC || op === Op.REST) return [mnemonic, 1];
        if (op === Op.LTIK || op === Op.MINIK) return [mnemonic, 3];
        if (op === Op.GOTOFALSE || op === Op.GOTO || op === Op.CALL) return [mnemonic, 'end'];
        return [mnemonic];
      });
      const program = asm([...lines, 'end:', ['STOP']]);
      expect(fuseSuperinstructions(decodeProgram(program))[0], s.name).toBe(s.id);
    }
  });

  it('finds sequences in every benchmark', () => {
    for (const b of BENCHMARKS) {
      const program = compile(camSource(b, b.small), `${b.name}.cam`).program!;
      const handlers = fuseSuperinstructions(decodeProgram(program));
      const fused = [...handlers].filter((h) => h >= SUPERINSTRUCTION_BASE).length;
      expect(fused, b.name).toBeGreaterThan(0);
    }
  });

  it('charges a sequence the sum of its instructions’ cycles', () => {
    const costs = handlerCycleTable(CYCLES);
    for (const s of SUPERINSTRUCTIONS)
      expect(costs[s.id]).toBe(s.opcodes.reduce((sum, op) => sum + CYCLES[op]!, 0));
    expect(costs[Op.PUSH]).toBe(CYCLES[Op.PUSH]);
  });
});

// ------------------------------------------------------------------------------ dispatch

describe('the run loop dispatches on the handler array', () => {
  // PUSH; CLEAR; PUSH; STOP — run plain, it ends with one pushed word and env 0.
  const program = asm([['LOADI', 5], ['PUSH'], ['CLEAR'], ['PUSH'], ['STOP']]);
  const config: ContainerConfig = { ...DEFAULT_CONTAINER_CONFIG, maxContexts: 2 };

  function runWith(budget: number) {
    const memory = new ContainerMemory(config);
    const interpreter = new Interpreter(program, decodeProgram(program), memory, 't');
    // Pretend the PUSH at pc 3 starts PUSH;PUSH: if the loop dispatches handler ids, it pushes
    // twice and skips the CLEAR — visible in the stack depth, env and instruction count.
    interpreter.handlers[3] = 264;
    const context = memory.acquireContext();
    memory.contexts[context * CONTEXT_RECORD_WORDS + CTX_PC] = 0;
    const results = [];
    for (let slice = 0; slice < 10; slice++) {
      const result = interpreter.run(context, budget);
      results.push(result.executed);
      if (result.reason !== 'budget') break;
    }
    return {
      executed: results,
      depth: memory.stackDepth(context),
      env: memory.envWord(context),
    };
  }

  it('uses the fused handler when the budget allows the whole sequence', () => {
    expect(SUPERINSTRUCTIONS.find((s) => s.id === 264)?.name).toBe('PUSH;PUSH');
    // LOADI, PUSH;PUSH (2 instructions), PUSH, STOP: 5 counted; env still 5, 3 words pushed.
    expect(runWith(100)).toEqual({ executed: [5], depth: 3, env: 5 });
  });

  it('runs plain instructions near the end of the budget', () => {
    expect(runWith(MAX_FUSED_LENGTH - 1)).toMatchObject({ depth: 2, env: 0 });
  });

  it('fuses nothing when every instruction must reach a hook', () => {
    const fib = compile(camSource(BENCHMARKS[0]!, BENCHMARKS[0]!.small), 'fib.cam').program!;
    const memory = new ContainerMemory(config);
    const lines: string[] = [];
    const traced = new Interpreter(fib, decodeProgram(fib), memory, 't', {
      trace: (line) => lines.push(line),
    });
    const untraced = new Interpreter(fib, decodeProgram(fib), memory, 't');
    expect(untraced.handlers.some((h) => h >= SUPERINSTRUCTION_BASE)).toBe(true);
    expect(traced.handlers.some((h) => h >= SUPERINSTRUCTION_BASE)).toBe(false);
    const context = memory.acquireContext();
    const result = traced.run(context, 500);
    expect(lines.length).toBe(result.executed);
  });
});

// ------------------------------------------------------------------------------ equivalence

const SMALL: ContainerConfig = {
  ...DEFAULT_CONTAINER_CONFIG,
  heapBytes: 64 * 1024,
  stackBytes: 4 * 1024,
  maxContexts: 8,
};

/** Everything observable about a run inside the container runtime. */
function runInRuntime(program: Program, fused: boolean, slice: number, maxInstructions: number) {
  const machine = new Machine(program, SMALL, {
    containerName: 'super',
    cycleTable: CYCLES,
    superinstructions: fused,
  });
  return observeRun(machine, slice, maxInstructions);
}

describe('fused = plain on the corpus and the benchmarks', () => {
  const programs = corpusAndBenchmarks();

  it('has programs to compare', () => {
    expect(programs.length).toBeGreaterThan(BENCHMARKS.length);
  });

  for (const [name, program] of programs) {
    it(name, () => {
      for (const [slice, max] of [
        [20_000, 1_000_000],
        [3, 30_000],
        [2, 10_000],
        [1, 5_000],
      ] as const) {
        const plain = runInRuntime(program, false, slice, max);
        expect(runInRuntime(program, true, slice, max), `slice ${slice}`).toEqual(plain);
      }
    });
  }
});

/**
 * Random code made mostly of the fused sequences (and the instructions around them that build
 * pairs, overflow the stack or exhaust the heap), so that faults inside sequences are common.
 */
const FILLERS: Line[] = [
  ['LOADI', 1],
  ['LOADI', -3],
  ['MOVE'],
  ['CLEAR'],
  ['POP'],
  ['PUSH'],
  ['CONS'],
  ['SND'],
  ['PACK', 1],
  ['STOP'],
];

const chunk = fc.oneof(
  fc.record({
    sequence: fc.nat(SUPERINSTRUCTIONS.length - 1),
    operand: fc.integer({ min: -2, max: 4 }),
    target: fc.nat(),
  }),
  fc.record({ filler: fc.nat(FILLERS.length - 1) }),
);

/** An environment [[[0, 1], 2], 3] with three copies on the stack, then a CALL into the body. */
const PRELUDE: Line[] = [
  ['CLEAR'],
  ...[1, 2, 3].flatMap((n): Line[] => [['MOVE'], ['LOADI', n], ['CONS']]),
  ['PUSH'],
  ['PUSH'],
  ['PUSH'],
  ['CALL', 'c0'],
  ['STOP'],
];

const randomProgram = fc.array(chunk, { minLength: 1, maxLength: 24 }).map((chunks) => {
  const lines: Line[] = [...PRELUDE];
  chunks.forEach((c, i) => {
    lines.push(`c${i}:`);
    if ('filler' in c) {
      lines.push(FILLERS[c.filler]!);
      return;
    }
    const label = `c${c.target % chunks.length}`;
    for (const op of SUPERINSTRUCTIONS[c.sequence]!.opcodes) {
      const mnemonic = Object.entries(Op).find(([, v]) => v === op)![0];
      if (op === Op.ACC || op === Op.REST) lines.push([mnemonic, Math.abs(c.operand) % 3]);
      else if (op === Op.LTIK || op === Op.MINIK) lines.push([mnemonic, c.operand]);
      else if (op === Op.GOTOFALSE || op === Op.GOTO || op === Op.CALL)
        lines.push([mnemonic, label]);
      else lines.push([mnemonic]);
    }
  });
  lines.push(['STOP']);
  return asm(lines);
});

/** Runs context 0 in slices of `budget`, snapshotting the machine after each slice. */
function runBare(program: Program, fused: boolean, budget: number, stressGc: boolean) {
  const machine = new Machine(
    program,
    { ...DEFAULT_CONTAINER_CONFIG, heapBytes: 200, stackBytes: 60, maxContexts: 2 },
    { stressGc, cycleTable: CYCLES, superinstructions: fused },
  );
  const ctx = machine.startContext(0);
  const m = machine.memory;
  const log: unknown[] = [];
  for (let slice = 0; slice < 40; slice++) {
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
      collections: m.heapStats().collections,
      cycles: machine.cycleMeter?.total,
    });
    if (r.reason !== 'budget') break;
  }
  return log;
}

describe('fused = plain on random code built from the sequences', () => {
  it('gives the same slices, registers, stacks, faults, allocations and cycles', () => {
    let withFusion = 0;
    const faults = new Set<string>();
    let stops = 0;
    fc.assert(
      fc.property(
        randomProgram,
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (program, budget, stress) => {
          const handlers = fuseSuperinstructions(decodeProgram(program));
          if (handlers.some((h) => h >= SUPERINSTRUCTION_BASE)) withFusion++;
          const plain = runBare(program, false, budget, stress);
          const last = plain[plain.length - 1] as { fault?: { cause: string } };
          if (last.fault) faults.add(last.fault.cause);
          else stops++;
          expect(runBare(program, true, budget, stress)).toEqual(plain);
        },
      ),
      { numRuns: 500 },
    );
    // The generator does what it is for: fused code, faults of several kinds, and runs that
    // get to the end (or through the whole slice log) without one.
    expect(withFusion).toBeGreaterThan(400);
    expect(faults.size).toBeGreaterThanOrEqual(4);
    expect(stops).toBeGreaterThan(100);
  });
});

describe('faults inside a fused sequence', () => {
  const cases: [string, Line[], Partial<ContainerConfig>, string][] = [
    [
      'PUSH;PUSH overflows on its second push',
      [['LOADI', 1], 'l:', ['PUSH'], ['PUSH'], ['GOTO', 'l']],
      { stackBytes: 50 },
      'stack overflow',
    ],
    [
      'SWAP;FST;FST meets an integer on the second FST',
      [
        ['LOADI', 1],
        ['MOVE'],
        ['LOADI', 2],
        ['CONS'],
        ['PUSH'],
        ['SWAP'],
        ['FST'],
        ['FST'],
        ['STOP'],
      ],
      {},
      'wrong kind of value',
    ],
    [
      'CONS;GOTO exhausts the heap in its CONS',
      [['LOADI', 1], 'l:', ['PUSH'], ['PUSH'], ['CONS'], ['GOTO', 'l']],
      { heapBytes: 40 },
      'heap exhausted',
    ],
    [
      'ADDI;RETURN finds no return address',
      [['LOADI', 1], ['PUSH'], ['PUSH'], ['ADDI'], ['RETURN']],
      {},
      'bad return address',
    ],
    [
      'LTI;GOTOFALSE underflows in its GOTOFALSE',
      [['LOADI', 1], ['PUSH'], ['LTI'], ['GOTOFALSE', 'end'], 'end:', ['STOP']],
      {},
      'stack underflow',
    ],
  ];

  for (const [name, lines, config, cause] of cases) {
    it(`${name}: same fault, pc, counts and cycles for every budget`, () => {
      const program = asm(lines);
      const run = (fused: boolean, budget: number) => {
        const machine = new Machine(
          program,
          { ...DEFAULT_CONTAINER_CONFIG, maxContexts: 2, ...config },
          { stressGc: false, cycleTable: CYCLES, superinstructions: fused },
        );
        const ctx = machine.startContext(0);
        const slices = [];
        for (let slice = 0; slice < 200; slice++) {
          const r = machine.run(ctx, budget);
          slices.push({ ...r, cycles: machine.cycleMeter?.total });
          if (r.reason !== 'budget') break;
        }
        return slices;
      };
      for (let budget = 1; budget <= 12; budget++) {
        const plain = run(false, budget);
        expect(plain[plain.length - 1]?.fault?.cause, `budget ${budget}`).toBe(cause);
        expect(run(true, budget), `budget ${budget}`).toEqual(plain);
      }
    });
  }
});
