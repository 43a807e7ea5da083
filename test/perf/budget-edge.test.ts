/**
 * A fault on the last instruction a budget allows must come back as that fault, counted once —
 * never as 'budget' (which would run the instruction again in the next slice and count it
 * twice). Checked on both tiers, for every budget around the faulting instruction, with a kind
 * fault (FST of an integer) and heap exhaustion (where the compiled tier hands the allocation to
 * the interpreter, which collects and then faults).
 */
import { describe, expect, it } from 'vitest';
import { assembleText } from '../../src/isa/assemble-text.js';
import type { Program } from '../../src/isa/program.js';
import { DEFAULT_CONTAINER_CONFIG, Machine } from '../../src/vm/index.js';
import type { RunResult } from '../../src/vm/interpreter.js';
import { CompiledTier } from '../../src/vm/jit/compiled-tier.js';

function assemble(text: string): Program {
  const result = assembleText(text);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.program;
}

/** Faults at its 6th instruction: FST of the integer 5. */
const KIND_FAULT = assemble(`.format sensevm 1
.int 5
    LOADI #0
    PUSH
    PUSH
    POP
    POP
    FST
    STOP
`);

/** A 2-cell heap: the third CONS (7th instruction) finds everything live and faults. */
const HEAP_FAULT = assemble(`.format sensevm 1
.int 1
    LOADI #0
    PUSH
    CONS
    PUSH
    CONS
    PUSH
    CONS
    STOP
`);

type Tier = 'interpreter' | 'compiled';

function runInSlices(program: Program, tier: Tier, budget: number, heapBytes: number) {
  const machine = new Machine(
    program,
    { ...DEFAULT_CONTAINER_CONFIG, heapBytes, maxContexts: 2 },
    {
      stressGc: false,
      ...(tier === 'compiled'
        ? { tier: (...a: ConstructorParameters<typeof CompiledTier>) => new CompiledTier(...a) }
        : {}),
    },
  );
  const context = machine.startContext(0);
  const slices: RunResult[] = [];
  let total = 0;
  for (let i = 0; i < 50; i++) {
    const r = machine.run(context, budget);
    slices.push(r);
    total += r.executed;
    if (r.reason !== 'budget') break;
  }
  const last = slices[slices.length - 1]!;
  return { total, last, slices: slices.map((s) => `${s.reason}:${s.executed}`) };
}

describe('a fault at the edge of a budget', () => {
  const cases = [
    {
      name: 'FST of an integer',
      program: KIND_FAULT,
      heapBytes: 4096,
      at: 6,
      cause: 'wrong kind of value',
    },
    {
      name: 'heap exhausted at CONS',
      program: HEAP_FAULT,
      heapBytes: 20,
      at: 7,
      cause: 'heap exhausted',
    },
  ] as const;
  for (const c of cases) {
    for (const tier of ['interpreter', 'compiled'] as const) {
      it(`${c.name} (${tier}): reported once, counted once, for every budget`, () => {
        for (let budget = 1; budget <= c.at + 2; budget++) {
          const run = runInSlices(c.program, tier, budget, c.heapBytes);
          expect(run.last.reason, `budget ${budget}`).toBe('fault');
          expect(run.last.fault?.cause, `budget ${budget}`).toBe(c.cause);
          expect(run.total, `budget ${budget}: ${run.slices.join(' ')}`).toBe(c.at);
          // The faulting slice is the one whose budget covers the instruction, no later.
          expect(run.slices.length, `budget ${budget}`).toBe(Math.ceil(c.at / budget));
        }
      });
    }
    it(`${c.name}: both tiers slice identically`, () => {
      for (let budget = 1; budget <= c.at + 2; budget++) {
        const a = runInSlices(c.program, 'interpreter', budget, c.heapBytes);
        const b = runInSlices(c.program, 'compiled', budget, c.heapBytes);
        expect(b.slices).toEqual(a.slices);
        expect(b.last.fault?.pc).toBe(a.last.fault?.pc);
      }
    });
  }
});
