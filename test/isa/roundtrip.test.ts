// encode → decode → disassemble → assemble = identity, for every row and for random sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleText } from '../../src/isa/assemble-text.js';
import { floatsFromBits } from '../../src/isa/bytes.js';
import { disassemble } from '../../src/isa/disassemble.js';
import { writeImage } from '../../src/isa/image.js';
import {
  decodeAt,
  encodeInstruction,
  instructionsOf,
  type Instruction,
  type Operand,
} from '../../src/isa/instructions.js';
import { INSTRUCTIONS, instructionLength, type InstructionRow } from '../../src/isa/opcodes.js';
import type { ImageFormat, Program } from '../../src/isa/program.js';
import { labelBaseFor } from '../../src/isa/image.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });

function operandArb(kind: InstructionRow['operands'][number]): fc.Arbitrary<Operand> {
  if (kind === 'u8') return u8;
  if (kind === 'table') return fc.array(fc.record({ tag: u16, label: u16 }), { maxLength: 6 });
  return u16;
}

const instructionArb = (row: InstructionRow): fc.Arbitrary<Instruction> =>
  fc.tuple(...row.operands.map(operandArb)).map((args) => ({ row, args }));

const anyInstruction = fc.constantFrom(...INSTRUCTIONS).chain(instructionArb);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A program around raw code; pools sized so every index is printable either way. */
function programOf(code: Uint8Array, format: ImageFormat): Program {
  const base: Program = {
    format,
    version: 1,
    ints: Int32Array.from([7, -1, 2147483647]),
    floats:
      format === 'sensevm'
        ? floatsFromBits([0x3fc00000, 0x7fc00001, 0x80000000])
        : new Float32Array(0),
    strings: format === 'sensevm' ? ['a', 'x;"y"\n', 'é'] : [],
    natives: format === 'synchronvm' ? Uint32Array.from([0xdeadbeef]) : new Uint32Array(0),
    code,
    labelBase: 0,
    debug: [],
  };
  return { ...base, labelBase: labelBaseFor(base, format) };
}

function roundTrip(program: Program): void {
  const original = writeImage(program);
  expect(original.ok).toBe(true);
  const text = disassemble(program);
  const again = assembleText(text);
  if (!again.ok) throw new Error(`${JSON.stringify(again.errors)}\n${text}`);
  expect(again.program.code).toEqual(program.code);
  const rewritten = writeImage(again.program);
  expect(
    rewritten.ok && original.ok && Buffer.from(rewritten.bytes).equals(Buffer.from(original.bytes)),
  ).toBe(true);
}

describe('instruction round trips', () => {
  it.each(INSTRUCTIONS.map((r) => [r.mnemonic, r] as const))(
    '%s: encode → decode → print → parse',
    (_m, row) => {
      fc.assert(
        fc.property(
          instructionArb(row),
          fc.constantFrom<ImageFormat>('sensevm', 'synchronvm'),
          (instr, format) => {
            const bytes = encodeInstruction(instr);
            expect(instructionLength(bytes, 0)).toBe(bytes.length);
            const decoded = decodeAt(bytes, 0);
            expect(decoded.ok).toBe(true);
            if (!decoded.ok) return;
            expect(decoded.instruction.row).toBe(row);
            expect(decoded.instruction.args).toEqual(instr.args);
            expect(decoded.instruction.length).toBe(bytes.length);
            roundTrip(programOf(bytes, format));
          },
        ),
        { numRuns: 30 },
      );
    },
  );

  it('random instruction sequences survive encode → decode → disassemble → assemble', () => {
    fc.assert(
      fc.property(
        fc.array(anyInstruction, { minLength: 1, maxLength: 40 }),
        fc.constantFrom<ImageFormat>('sensevm', 'synchronvm'),
        (instrs, format) => {
          const code = concat(instrs.map(encodeInstruction));
          const decoded = [...instructionsOf(code)];
          expect(decoded.map((d) => ({ row: d.row, args: d.args }))).toEqual(instrs);
          roundTrip(programOf(code, format));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary code bytes (undecodable ones included) survive disassemble → assemble', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.constantFrom<ImageFormat>('sensevm', 'synchronvm'),
        (code, format) => {
          roundTrip(programOf(code, format));
        },
      ),
      { numRuns: 300 },
    );
  });
});
