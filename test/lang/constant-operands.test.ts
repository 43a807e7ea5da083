/**
 * Constant-operand instructions (ADDIK … LEIK, Sense-VM only): `MOVE; LOADI k; op` fused into
 * `opK k` by the peephole pass for the Sense-VM format, never for SynchronVM's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferIO } from '../../src/cli/io.js';
import { runProgram } from '../../src/cli/commands/run.js';
import {
  CONSTANT_OPERAND_BASE,
  FIRST_SENSEVM_OPCODE,
  INSTRUCTIONS,
} from '../../src/isa/opcodes.js';
import type { SymItem } from '../../src/isa/symbolic.js';
import { compile, type CompileOptions } from '../../src/lang/compile.js';
import { CompiledTier } from '../../src/vm/jit/compiled-tier.js';
import { asm, exec, type Line } from '../vm/helpers.js';

function compiled(
  source: string,
  options: CompileOptions = {},
): { items: readonly SymItem[]; value: string } {
  const result = compile(source, 't.cam', options);
  if (!result.program || !result.items)
    throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  const io = new BufferIO();
  expect(runProgram(result.program, {}, io)).toBe(0);
  return { items: result.items, value: io.stdout.trim() };
}

const mnemonics = (items: readonly SymItem[]): string[] =>
  items.flatMap((i) => (i.kind === 'instr' ? [i.op] : []));

const PROGRAM =
  'f : Int -> Int\n' +
  'f n = if n < 2 then n * 3 else if n == 7 then n + 100 else if n > 20 then n - 5 else ' +
  'if n >= 15 then n * 2 else if n <= 9 then n + 1 else f (n - 3)\n' +
  'sum : Int -> Int -> Int\nsum n acc = if n == 0 then acc else sum (n - 1) (acc + f n)\n' +
  'main : Int\nmain = sum 30 0\n';

describe('constant-operand instructions', () => {
  it('are derived from the table: each opK has an int operand and names its two-operand op', () => {
    expect(CONSTANT_OPERAND_BASE.size).toBe(8);
    for (const [k, base] of CONSTANT_OPERAND_BASE) {
      const row = INSTRUCTIONS[k]!;
      expect(row.operands).toEqual(['int']);
      expect(row.mnemonic).toBe(`${INSTRUCTIONS[base]!.mnemonic}K`);
      expect(row.pops).toBe(0);
    }
  });

  it('replace MOVE; LOADI; op in Sense-VM images, with the same result as SynchronVM code', () => {
    const sense = compiled(PROGRAM);
    const synchron = compiled(PROGRAM, { format: 'synchronvm' });
    const unoptimised = compiled(PROGRAM, { optimise: false });
    expect(sense.value).toBe(synchron.value);
    expect(sense.value).toBe(unoptimised.value);
    const ops = mnemonics(sense.items);
    for (const op of ['LTIK', 'MULIK', 'EQIK', 'ADDIK', 'GTIK', 'MINIK', 'GEIK', 'LEIK'])
      expect(ops).toContain(op);
    const bases = new Set(
      [...CONSTANT_OPERAND_BASE.values()].map((b) => INSTRUCTIONS[b]!.mnemonic),
    );
    ops.forEach((op, i) => {
      if (op === 'MOVE' && ops[i + 1] === 'LOADI') expect(bases.has(ops[i + 2] ?? '')).toBe(false);
    });
    const old = mnemonics(synchron.items);
    expect(old.filter((op) => op === 'LOADI').length).toBeGreaterThanOrEqual(10);
    for (const op of old)
      expect(INSTRUCTIONS.find((r) => r.mnemonic === op)!.opcode).toBeLessThan(
        FIRST_SENSEVM_OPCODE,
      );
  });

  it('compute what MOVE; LOADI k; op computes, on both tiers, for any env word and k', () => {
    const tiers = [
      {},
      { tier: (...a: ConstructorParameters<typeof CompiledTier>) => new CompiledTier(...a) },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
        fc.constantFrom(...CONSTANT_OPERAND_BASE.keys()),
        (s, k, op) => {
          const fused = INSTRUCTIONS[op]!.mnemonic;
          const base = INSTRUCTIONS[CONSTANT_OPERAND_BASE.get(op)!]!.mnemonic;
          const longForm: Line[] = [['LOADI', s], ['MOVE'], ['LOADI', k], [base], ['STOP']];
          const shortForm: Line[] = [['LOADI', s], [fused, k], ['STOP']];
          const expected = exec(asm(longForm)).value;
          for (const machine of tiers) {
            const outcome = exec(asm(shortForm), { machine });
            expect(outcome.value).toBe(expected);
            expect(outcome.result.reason).toBe('stop');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
