/**
 * The interpreter's binary operations on 32-bit words (integer, unsigned and float32 bits), and
 * the constant-operand instructions' mapping to them. Kept out of the run loop's file: these
 * are the less frequent operations, called from one shared case of the loop's switch.
 */
import { CONSTANT_OPERAND_BASE } from '../isa/opcodes.js';
import { FLOAT_ONE_BITS, bitsToFloat, floatToBits } from './floats.js';

/** The two-operand opcode of each constant-operand opcode (0 elsewhere), for `binary`. */
export const BASE_OF_CONSTANT_OP = new Uint8Array(256);
for (const [op, base] of CONSTANT_OPERAND_BASE) BASE_OF_CONSTANT_OP[op] = base;

/** The binary operations: s is the popped stack value, e the env word. */
export function binary(op: number, s: number, e: number): number {
  switch (op) {
    case 24: // ADDI
    case 35: // ADDUI
      return (s + e) | 0;
    case 25: // MULI
    case 36: // MULUI
      return Math.imul(s, e);
    case 26: // MINI
    case 37: // MINUI
      return (s - e) | 0;
    case 27: // ADDF
      return floatToBits(bitsToFloat(s) + bitsToFloat(e));
    case 28: // MULF
      return floatToBits(bitsToFloat(s) * bitsToFloat(e));
    case 29: // MINF
      return floatToBits(bitsToFloat(s) - bitsToFloat(e));
    case 30: // GTI
      return s > e ? 1 : 0;
    case 31: // LTI
      return s < e ? 1 : 0;
    case 32: // EQI
    case 40: // EQUI
    case 48: // EQB
      return s === e ? 1 : 0;
    case 33: // GEI
      return s >= e ? 1 : 0;
    case 34: // LEI
      return s <= e ? 1 : 0;
    case 38: // GTUI
      return s >>> 0 > e >>> 0 ? 1 : 0;
    case 39: // LTUI
      return s >>> 0 < e >>> 0 ? 1 : 0;
    case 41: // GEUI
      return s >>> 0 >= e >>> 0 ? 1 : 0;
    case 42: // LEUI
      return s >>> 0 <= e >>> 0 ? 1 : 0;
    case 43: // GTF
      return bitsToFloat(s) > bitsToFloat(e) ? FLOAT_ONE_BITS : 0;
    case 44: // LTF
      return bitsToFloat(s) < bitsToFloat(e) ? FLOAT_ONE_BITS : 0;
    case 45: // EQF
      return bitsToFloat(s) === bitsToFloat(e) ? FLOAT_ONE_BITS : 0;
    case 46: // GEF
      return bitsToFloat(s) >= bitsToFloat(e) ? FLOAT_ONE_BITS : 0;
    case 47: // LEF
      return bitsToFloat(s) <= bitsToFloat(e) ? FLOAT_ONE_BITS : 0;
    case 58: // DIVI (e ≠ 0 checked by the caller; INT_MIN / -1 wraps to INT_MIN)
      return (s / e) | 0;
    case 59: // MODI (sign of s; INT_MIN % -1 = 0)
      return (s % e) | 0;
    case 60: // ANDI
      return s & e;
    case 61: // ORI
      return s | e;
    case 62: // XORI
      return s ^ e;
    case 64: // SHLI
      return s << e;
    case 65: // SHRI
      return s >> e;
    case 66: // SHRUI
      return (s >>> e) | 0;
    case 69: // DIVF
      return floatToBits(bitsToFloat(s) / bitsToFloat(e));
    case 70: // FGT
      return bitsToFloat(s) > bitsToFloat(e) ? 1 : 0;
    case 71: // FLT
      return bitsToFloat(s) < bitsToFloat(e) ? 1 : 0;
    case 72: // FEQ
      return bitsToFloat(s) === bitsToFloat(e) ? 1 : 0;
    case 73: // FGE
      return bitsToFloat(s) >= bitsToFloat(e) ? 1 : 0;
    default: // 74 FLE
      return bitsToFloat(s) <= bitsToFloat(e) ? 1 : 0;
  }
}
