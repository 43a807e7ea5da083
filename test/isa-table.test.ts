import { describe, expect, it } from 'vitest';
import {
  INSTRUCTIONS,
  Op,
  OPCODE_COUNT,
  rowByMnemonic,
  instructionLength,
} from '../src/isa/opcodes.js';
import { RTS_CALLS } from '../src/isa/rts-calls.js';

describe('instruction-set table', () => {
  it('row i has opcode i and mnemonics are unique', () => {
    INSTRUCTIONS.forEach((r, i) => expect(r.opcode).toBe(i));
    expect(new Set(INSTRUCTIONS.map((r) => r.mnemonic)).size).toBe(OPCODE_COUNT);
  });

  it('keeps SynchronVM numbers for 0–55', () => {
    const expected: Record<string, number> = {
      FST: 0,
      SND: 1,
      ACC: 2,
      REST: 3,
      PUSH: 4,
      SWAP: 5,
      LOADI: 6,
      LOADB: 7,
      CLEAR: 8,
      CONS: 9,
      CUR: 10,
      PACK: 11,
      SKIP: 12,
      STOP: 13,
      APP: 14,
      RETURN: 15,
      CALL: 16,
      GOTO: 17,
      GOTOFALSE: 18,
      SWITCH: 19,
      ABS: 20,
      NEG: 21,
      NOT: 22,
      DEC: 23,
      ADDI: 24,
      MULI: 25,
      MINI: 26,
      ADDF: 27,
      MULF: 28,
      MINF: 29,
      GTI: 30,
      LTI: 31,
      EQI: 32,
      GEI: 33,
      LEI: 34,
      ADDUI: 35,
      MULUI: 36,
      MINUI: 37,
      GTUI: 38,
      LTUI: 39,
      EQUI: 40,
      GEUI: 41,
      LEUI: 42,
      GTF: 43,
      LTF: 44,
      EQF: 45,
      GEF: 46,
      LEF: 47,
      EQB: 48,
      MOVE: 49,
      POP: 50,
      SNOC: 51,
      COMB: 52,
      GOTOIFALSE: 53,
      SWITCHI: 54,
      CALLRTS: 55,
    };
    for (const [m, n] of Object.entries(expected)) expect(Op[m as keyof typeof Op]).toBe(n);
    expect(INSTRUCTIONS.filter((r) => !r.sensevmOnly)).toHaveLength(56);
  });

  it('has the Sense-VM instructions the foundation requires, from 56 up', () => {
    for (const m of [
      'LOADF',
      'LOADS',
      'DIVI',
      'MODI',
      'ANDI',
      'ORI',
      'XORI',
      'NOTI',
      'SHLI',
      'SHRI',
      'SHRUI',
      'ITOF',
      'FTOI',
      'DIVF',
      'FGT',
      'FLT',
      'FEQ',
      'FGE',
      'FLE',
    ]) {
      const r = rowByMnemonic(m);
      expect(r, m).toBeDefined();
      expect(r!.opcode).toBeGreaterThanOrEqual(56);
    }
  });

  it('derives instruction widths from operand shapes (reference §2.2 widths)', () => {
    const width = (bytes: number[]) => instructionLength(Uint8Array.from(bytes), 0);
    expect(width([Op.FST])).toBe(1);
    expect(width([Op.ACC, 3])).toBe(2);
    expect(width([Op.LOADI, 0, 1])).toBe(3);
    expect(width([Op.CALLRTS, 4])).toBe(2);
    expect(width([Op.SWITCH, 2, 0, 0, 0, 9, 0xff, 0xff, 0, 9])).toBe(2 + 4 * 2);
    expect(width([0xff])).toBe(-1);
  });

  it('numbers runtime calls densely, keeping SynchronVM 0–8', () => {
    RTS_CALLS.forEach((r, i) => expect(r.n).toBe(i));
    expect(RTS_CALLS.slice(0, 9).map((r) => r.name)).toEqual([
      'spawn',
      'channel',
      'send',
      'recv',
      'sync',
      'choose',
      'spawnExternal',
      'wrap',
      'time',
    ]);
  });
});
