/**
 * The JavaScript expressions of the instructions that compute a value (arithmetic, comparisons,
 * floats), and every instruction's effect on the stack — the tables group-emitter.ts translates
 * with.
 */
import { Op } from '../../isa/opcodes.js';

const FLOAT_ONE_BITS = 0x3f800000;

export type Binary = (s: string, e: string) => string;

/** Expression for a binary instruction of the popped stack word s and the env word e. */
export const BINARY: Readonly<Record<number, Binary>> = {
  24: (s, e) => `(${s} + ${e}) | 0`,
  35: (s, e) => `(${s} + ${e}) | 0`,
  25: (s, e) => `Math.imul(${s}, ${e})`,
  36: (s, e) => `Math.imul(${s}, ${e})`,
  26: (s, e) => `(${s} - ${e}) | 0`,
  37: (s, e) => `(${s} - ${e}) | 0`,
  27: (s, e) => `B(F(${s}) + F(${e}))`,
  28: (s, e) => `B(F(${s}) * F(${e}))`,
  29: (s, e) => `B(F(${s}) - F(${e}))`,
  30: (s, e) => `${s} > ${e} ? 1 : 0`,
  31: (s, e) => `${s} < ${e} ? 1 : 0`,
  32: (s, e) => `${s} === ${e} ? 1 : 0`,
  40: (s, e) => `${s} === ${e} ? 1 : 0`,
  48: (s, e) => `${s} === ${e} ? 1 : 0`,
  33: (s, e) => `${s} >= ${e} ? 1 : 0`,
  34: (s, e) => `${s} <= ${e} ? 1 : 0`,
  38: (s, e) => `${s} >>> 0 > ${e} >>> 0 ? 1 : 0`,
  39: (s, e) => `${s} >>> 0 < ${e} >>> 0 ? 1 : 0`,
  41: (s, e) => `${s} >>> 0 >= ${e} >>> 0 ? 1 : 0`,
  42: (s, e) => `${s} >>> 0 <= ${e} >>> 0 ? 1 : 0`,
  43: (s, e) => `F(${s}) > F(${e}) ? ${FLOAT_ONE_BITS} : 0`,
  44: (s, e) => `F(${s}) < F(${e}) ? ${FLOAT_ONE_BITS} : 0`,
  45: (s, e) => `F(${s}) === F(${e}) ? ${FLOAT_ONE_BITS} : 0`,
  46: (s, e) => `F(${s}) >= F(${e}) ? ${FLOAT_ONE_BITS} : 0`,
  47: (s, e) => `F(${s}) <= F(${e}) ? ${FLOAT_ONE_BITS} : 0`,
  58: (s, e) => `(${s} / ${e}) | 0`,
  59: (s, e) => `(${s} % ${e}) | 0`,
  60: (s, e) => `${s} & ${e}`,
  61: (s, e) => `${s} | ${e}`,
  62: (s, e) => `${s} ^ ${e}`,
  64: (s, e) => `${s} << ${e}`,
  65: (s, e) => `${s} >> ${e}`,
  66: (s, e) => `(${s} >>> ${e}) | 0`,
  69: (s, e) => `B(F(${s}) / F(${e}))`,
  70: (s, e) => `F(${s}) > F(${e}) ? 1 : 0`,
  71: (s, e) => `F(${s}) < F(${e}) ? 1 : 0`,
  72: (s, e) => `F(${s}) === F(${e}) ? 1 : 0`,
  73: (s, e) => `F(${s}) >= F(${e}) ? 1 : 0`,
  74: (s, e) => `F(${s}) <= F(${e}) ? 1 : 0`,
};

/** Expression for an instruction that only transforms env. */
export const UNARY: Readonly<Record<number, (e: string) => string>> = {
  20: (e) => `${e} < 0 ? -${e} | 0 : ${e}`,
  21: (e) => `-${e} | 0`,
  22: (e) => `${e} ^ 1`,
  23: (e) => `(${e} - 1) | 0`,
  63: (e) => `~${e}`,
  67: (e) => `B(${e})`,
  68: (e) => `FI(F(${e}))`,
  75: (e) => `B(-F(${e}))`,
};

/** Stack slots an instruction needs below the current top, and how it moves sp. */
export function stackEffect(op: number): { reads: number; delta: number } {
  if (BINARY[op] !== undefined) return { reads: 1, delta: -1 };
  switch (op) {
    case Op.PUSH:
    case Op.MOVE:
    case Op.CALL:
      return { reads: 0, delta: 1 };
    case Op.SWAP:
    case Op.APP:
      return { reads: 1, delta: 0 };
    case Op.CONS:
    case Op.SNOC:
    case Op.POP:
    case Op.RETURN:
    case Op.GOTOFALSE:
    case Op.SWITCH:
    case Op.TAPP:
      return { reads: 1, delta: -1 };
    default:
      return { reads: 0, delta: 0 };
  }
}
