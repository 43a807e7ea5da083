/**
 * Pre-decoding: verified code bytes become an Int32Array the interpreter (and the compiling
 * tier) dispatch on. The decoded form is indexed by the same pc as the bytes — every
 * instruction is at least as many bytes long as the words it needs — so pcs, return addresses,
 * fault locations and debug info need no translation:
 *
 *   ops[pc]     opcode
 *   ops[pc + 1] operand: u8 as is; LOADI/LOADF the constant itself (int / float32 bits);
 *               LOADS the string id; GOTO/CALL/GOTOFALSE/GOTOIFALSE the target pc (-1 when the
 *               label is not an instruction start); CUR/COMB the raw label (it is stored in a
 *               closure cell and checked by APP); PACK the tag
 *   SWITCH/SWITCHI: ops[pc + 1] = k, then k × (tag, target pc or -1) from ops[pc + 2]
 *   ops[code.length] = OP_END, so running off the end faults instead of reading past the array.
 *
 * Anything a verifier would reject (unknown opcode, pool index out of range) decodes as
 * OP_INVALID, which faults when executed: the interpreter stays safe on unverified code too.
 */
import { INSTRUCTIONS, Op, instructionLength } from '../isa/opcodes.js';
import type { Program } from '../isa/program.js';
import { floatToBits } from './floats.js';

export const OP_INVALID = 256;
export const OP_END = 257;

export interface DecodedProgram {
  readonly ops: Int32Array;
  /** 1 where an instruction starts. */
  readonly starts: Uint8Array;
  readonly codeLength: number;
  readonly labelBase: number;
}

export function decodeProgram(program: Program): DecodedProgram {
  const code = program.code;
  const length = code.length;
  const ops = new Int32Array(length + 1);
  const starts = new Uint8Array(length + 1);
  const lengths: number[] = [];
  let pc = 0;
  while (pc < length) {
    const len = instructionLength(code, pc);
    if (len < 0 || pc + len > length) {
      ops[pc] = OP_INVALID;
      starts[pc] = 1;
      break;
    }
    starts[pc] = 1;
    lengths[pc] = len;
    pc += len;
  }
  ops[length] = OP_END;
  const u16 = (at: number): number => ((code[at] ?? 0) << 8) | (code[at + 1] ?? 0);
  const target = (label: number): number => {
    const t = label - program.labelBase;
    return t >= 0 && t < length && starts[t] === 1 ? t : -1;
  };
  for (pc = 0; pc < length; pc++) {
    const len = lengths[pc];
    if (len === undefined) continue;
    const op = code[pc] as number;
    const row = INSTRUCTIONS[op];
    ops[pc] = op;
    if (!row || row.operands.length === 0) continue;
    const kind = row.operands[0];
    switch (kind) {
      case 'u8':
        ops[pc + 1] = code[pc + 1] as number;
        break;
      case 'tag':
        ops[pc + 1] = u16(pc + 1);
        break;
      case 'label':
        ops[pc + 1] = op === Op.CUR || op === Op.COMB ? u16(pc + 1) : target(u16(pc + 1));
        break;
      case 'int': {
        const v = program.ints[u16(pc + 1)];
        if (v === undefined) ops[pc] = OP_INVALID;
        else ops[pc + 1] = v;
        break;
      }
      case 'float': {
        const v = program.floats[u16(pc + 1)];
        if (v === undefined) ops[pc] = OP_INVALID;
        else ops[pc + 1] = floatToBits(v);
        break;
      }
      case 'string': {
        const i = u16(pc + 1);
        if (i >= program.strings.length) ops[pc] = OP_INVALID;
        else ops[pc + 1] = i;
        break;
      }
      case 'table': {
        const arms = code[pc + 1] as number;
        ops[pc + 1] = arms;
        for (let a = 0; a < arms; a++) {
          const at = pc + 2 + 4 * a;
          ops[pc + 2 + 2 * a] = u16(at);
          ops[pc + 3 + 2 * a] = target(u16(at + 2));
        }
        break;
      }
      default:
        ops[pc] = OP_INVALID;
    }
  }
  return { ops, starts, codeLength: length, labelBase: program.labelBase };
}
