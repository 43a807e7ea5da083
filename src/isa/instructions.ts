/**
 * Instructions at the byte level, derived from the table in opcodes.ts: decode one instruction,
 * walk a code array, encode an instruction, and visit label operands.
 *
 * Encoding (both image formats): the opcode byte, then the operands in the row's order.
 * u8 operands take one byte; label, int, float, string and tag operands take a big-endian u16;
 * a switch table is one byte k (arm count) followed by k × (u16 tag, u16 label).
 */
import { INSTRUCTIONS, OPERAND_WIDTH, type InstructionRow, type OperandKind } from './opcodes.js';

export interface TableArm {
  /** Constructor tag, or WILDCARD_TAG. */
  readonly tag: number;
  /** Label operand (in the image's label convention, see Program.labelBase). */
  readonly label: number;
}

/** One operand value: a number for every kind but 'table', the arms for 'table'. */
export type Operand = number | readonly TableArm[];

export interface Instruction {
  readonly row: InstructionRow;
  /** One entry per operand kind of the row, in the same order. */
  readonly args: readonly Operand[];
}

export interface DecodedInstruction extends Instruction {
  /** Code offset of the opcode byte. */
  readonly pc: number;
  /** Encoded length in bytes. */
  readonly length: number;
}

/** Why the bytes at a pc are not an instruction. */
export type DecodeFailure =
  | { readonly kind: 'unknown-opcode'; readonly opcode: number }
  /** The operands (or a switch table's count byte) run past the end. */
  | { readonly kind: 'truncated'; readonly row: InstructionRow }
  /** A switch table's arms run past the end. */
  | { readonly kind: 'table-truncated'; readonly row: InstructionRow; readonly arms: number };

export type DecodeResult =
  | { readonly ok: true; readonly instruction: DecodedInstruction }
  | { readonly ok: false; readonly failure: DecodeFailure };

const MAX_TABLE_ARMS = 255;

/** Decodes the instruction at code[pc]. Never reads outside `code`. */
export function decodeAt(code: Uint8Array, pc: number): DecodeResult {
  const opcode = code[pc];
  const row = opcode === undefined ? undefined : INSTRUCTIONS[opcode];
  if (opcode === undefined || !row) {
    return { ok: false, failure: { kind: 'unknown-opcode', opcode: opcode ?? -1 } };
  }
  const args: Operand[] = [];
  let at = pc + 1;
  for (const kind of row.operands) {
    if (kind === 'table') {
      const k = code[at];
      if (k === undefined) return { ok: false, failure: { kind: 'truncated', row } };
      at += 1;
      if (at + 4 * k > code.length) {
        return { ok: false, failure: { kind: 'table-truncated', row, arms: k } };
      }
      const arms: TableArm[] = [];
      for (let i = 0; i < k; i++) {
        arms.push({
          tag: (code[at]! << 8) | code[at + 1]!,
          label: (code[at + 2]! << 8) | code[at + 3]!,
        });
        at += 4;
      }
      args.push(arms);
    } else {
      const width = OPERAND_WIDTH[kind];
      if (at + width > code.length) return { ok: false, failure: { kind: 'truncated', row } };
      args.push(width === 1 ? code[at]! : (code[at]! << 8) | code[at + 1]!);
      at += width;
    }
  }
  return { ok: true, instruction: { row, args, pc, length: at - pc } };
}

/** Every instruction of `code` in order, stopping at the first undecodable byte. */
export function* instructionsOf(
  code: Uint8Array,
): Generator<DecodedInstruction, DecodeFailure | undefined> {
  let pc = 0;
  while (pc < code.length) {
    const r = decodeAt(code, pc);
    if (!r.ok) return r.failure;
    yield r.instruction;
    pc += r.instruction.length;
  }
  return undefined;
}

/** Encoded length of an instruction (from its row and, for tables, its arm count). */
export function encodedLength(instruction: Instruction): number {
  let len = 1;
  instruction.row.operands.forEach((kind, i) => {
    if (kind === 'table') {
      const arms = instruction.args[i];
      len += 1 + 4 * (Array.isArray(arms) ? arms.length : 0);
    } else {
      len += OPERAND_WIDTH[kind];
    }
  });
  return len;
}

/** The inclusive maximum of a numeric operand kind. */
export function operandMax(kind: Exclude<OperandKind, 'table'>): number {
  return OPERAND_WIDTH[kind] === 1 ? 0xff : 0xffff;
}

/**
 * Why an instruction cannot be encoded (wrong arity, operand type or width), or undefined.
 * Checks encodability only; semantic ranges (pool sizes, tags, runtime calls) are the verifier's.
 */
export function encodingProblem(instruction: Instruction): string | undefined {
  const { row, args } = instruction;
  if (args.length !== row.operands.length) {
    return `${row.operands.length} operand(s), got ${args.length}`;
  }
  for (let i = 0; i < args.length; i++) {
    const kind = row.operands[i]!;
    const a = args[i];
    if (kind === 'table') {
      if (!Array.isArray(a)) return `operand ${i + 1} to be a switch table`;
      const arms = a as readonly TableArm[];
      if (arms.length > MAX_TABLE_ARMS) return `at most ${MAX_TABLE_ARMS} arms`;
      for (const arm of arms) {
        if (!isU16(arm.tag) || !isU16(arm.label)) return 'arm tags and labels in 0..65535';
      }
    } else {
      if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a > operandMax(kind)) {
        return `operand ${i + 1} (${kind}) in 0..${operandMax(kind)}`;
      }
    }
  }
  return undefined;
}

function isU16(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff;
}

/** Writes the instruction at out[at]; returns the offset after it. The caller checks encodability. */
export function encodeInto(instruction: Instruction, out: Uint8Array, at: number): number {
  const { row, args } = instruction;
  out[at++] = row.opcode;
  row.operands.forEach((kind, i) => {
    const a = args[i];
    if (kind === 'table') {
      const arms = a as readonly TableArm[];
      out[at++] = arms.length;
      for (const arm of arms) {
        out[at++] = arm.tag >>> 8;
        out[at++] = arm.tag & 0xff;
        out[at++] = arm.label >>> 8;
        out[at++] = arm.label & 0xff;
      }
    } else if (OPERAND_WIDTH[kind] === 1) {
      out[at++] = a as number;
    } else {
      out[at++] = (a as number) >>> 8;
      out[at++] = (a as number) & 0xff;
    }
  });
  return at;
}

export function encodeInstruction(instruction: Instruction): Uint8Array {
  const out = new Uint8Array(encodedLength(instruction));
  encodeInto(instruction, out, 0);
  return out;
}

/** Every label operand of an instruction (label operands and switch-table arms), in order. */
export function labelsOf(instruction: Instruction): number[] {
  const labels: number[] = [];
  instruction.row.operands.forEach((kind, i) => {
    const a = instruction.args[i];
    if (kind === 'label') labels.push(a as number);
    else if (kind === 'table') for (const arm of a as readonly TableArm[]) labels.push(arm.label);
  });
  return labels;
}

/** The same instruction with every label operand replaced by `f(label)`. */
export function mapLabels(instruction: Instruction, f: (label: number) => number): Instruction {
  const args = instruction.row.operands.map((kind, i) => {
    const a = instruction.args[i]!;
    if (kind === 'label') return f(a as number);
    if (kind === 'table')
      return (a as readonly TableArm[]).map((arm) => ({ tag: arm.tag, label: f(arm.label) }));
    return a;
  });
  return { row: instruction.row, args };
}
