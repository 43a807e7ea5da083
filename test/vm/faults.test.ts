/**
 * One test per fault kind: each ends as a typed fault record with the right cause and pc, and
 * the host keeps running (the next program runs normally).
 */
import { describe, expect, it } from 'vitest';
import type { Program } from '../../src/isa/program.js';
import { formatFault, Machine, runToEnd } from '../../src/vm/index.js';
import { asm, exec, type Line } from './helpers.js';

const I = (n: number): Line => ['LOADI', n];

/** pc of the instruction at index `i` of `lines` (labels take no bytes). */
function pcOfLine(lines: readonly Line[], i: number): number {
  // Labels defined later are kept (at the end) so forward references still assemble.
  const laterLabels = lines.slice(i).filter((l): l is string => typeof l === 'string');
  return asm([...lines.slice(0, i), ['STOP'], ...laterLabels]).code.length - 1;
}

interface FaultCase {
  readonly name: string;
  readonly lines: readonly Line[];
  /** Index in `lines` of the instruction that must fault. */
  readonly at: number;
  readonly cause: string;
  readonly detail?: RegExp;
  readonly stackBytes?: number;
  readonly heapBytes?: number;
}

const cases: FaultCase[] = [
  {
    name: 'stack overflow (non-tail recursion on a small stack)',
    lines: ['f:', ['CALL', 'f']],
    at: 1,
    cause: 'stack overflow',
    stackBytes: 42 * 5,
  },
  {
    name: 'stack underflow (POP of an empty stack)',
    lines: [['POP']],
    at: 0,
    cause: 'stack underflow',
  },
  {
    name: 'stack underflow (ADDI with one operand)',
    lines: [I(1), ['ADDI']],
    at: 1,
    cause: 'stack underflow',
  },
  {
    name: 'heap exhausted (an ever-growing chain kept alive)',
    lines: [['CLEAR'], 'l:', ['PUSH'], ['CONS'], ['GOTO', 'l']],
    at: 3,
    cause: 'heap exhausted',
    heapBytes: 1000,
  },
  {
    name: 'match failure (SWITCH with no matching arm)',
    lines: [
      I(1),
      ['PACK', 7],
      [
        'SWITCHI',
        [
          [1, 'a'],
          [2, 'a'],
        ],
      ],
      'a:',
      ['STOP'],
    ],
    at: 2,
    cause: 'match failure',
    detail: /tag 7/,
  },
  { name: 'match failure (FAIL 0)', lines: [I(1), ['FAIL', 0]], at: 1, cause: 'match failure' },
  { name: 'program failure (FAIL 3)', lines: [['FAIL', 3]], at: 0, cause: 'program failure' },
  {
    name: 'division by zero (DIVI)',
    lines: [I(7), ['PUSH'], I(0), ['DIVI'], ['STOP']],
    at: 3,
    cause: 'division by zero',
  },
  {
    name: 'division by zero (MODI)',
    lines: [I(7), ['PUSH'], I(0), ['MODI'], ['STOP']],
    at: 3,
    cause: 'division by zero',
  },
  {
    name: 'wrong kind of value (FST of an integer)',
    lines: [I(5), ['FST'], ['STOP']],
    at: 1,
    cause: 'wrong kind of value',
    detail: /FST/,
  },
  {
    name: 'wrong kind of value (ACC through an integer)',
    lines: [I(5), ['PUSH'], I(6), ['CONS'], ['ACC', 2], ['STOP']],
    at: 4,
    cause: 'wrong kind of value',
  },
  {
    name: 'wrong kind of value (REST through an integer)',
    lines: [I(5), ['PUSH'], I(6), ['CONS'], ['REST', 2], ['STOP']],
    at: 4,
    cause: 'wrong kind of value',
    detail: /REST/,
  },
  {
    name: 'wrong kind of value (APP of an integer)',
    lines: [I(5), ['PUSH'], I(6), ['APP'], ['STOP']],
    at: 3,
    cause: 'wrong kind of value',
    detail: /APP/,
  },
  {
    name: 'wrong kind of value (APP of a pair of pairs)',
    lines: [I(5), ['PUSH'], ['CONS'], ['PUSH'], ['PUSH'], ['CONS'], ['APP'], ['STOP']],
    at: 6,
    cause: 'wrong kind of value',
  },
  {
    name: 'wrong kind of value (SWITCH on an integer)',
    lines: [I(5), ['PUSH'], ['SWITCH', [[0xffff, 'a']]], 'a:', ['STOP']],
    at: 2,
    cause: 'wrong kind of value',
    detail: /SWITCH/,
  },
  {
    name: 'label out of range (APP of a pair whose label is not code)',
    lines: [I(5), ['PUSH'], I(1), ['PUSH'], I(4000), ['CONS'], ['APP'], ['STOP']],
    at: 6,
    cause: 'label out of range',
  },
  {
    name: 'bad return address (RETURN to an integer)',
    lines: [I(5), ['PUSH'], ['RETURN']],
    at: 2,
    cause: 'bad return address',
  },
  {
    name: 'invalid instruction (running off the end of the code)',
    lines: [I(5)],
    at: 1,
    cause: 'invalid instruction',
  },
];

describe('faults', () => {
  for (const c of cases) {
    it(c.name, () => {
      const program = asm(c.lines);
      const out = exec(program, {
        config: {
          ...(c.stackBytes !== undefined ? { stackBytes: c.stackBytes } : {}),
          ...(c.heapBytes !== undefined ? { heapBytes: c.heapBytes } : {}),
        },
      });
      expect(out.result.reason).toBe('fault');
      const fault = out.result.fault!;
      expect(fault.cause).toBe(c.cause);
      expect(fault.code).toBe(c.cause.replace(/ /g, '-'));
      expect(fault.pc).toBe(pcOfLine(c.lines, c.at));
      expect(fault.context).toBe(out.context);
      expect(fault.container).toBe('main');
      if (c.detail) expect(fault.detail).toMatch(c.detail);
      expect(out.machine.faultOf(out.context)).toEqual(fault);
      expect(formatFault(fault)).toContain(c.cause);
      // The host keeps running: another program runs normally afterwards.
      expect(exec(asm([I(2), ['PUSH'], I(3), ['ADDI'], ['STOP']])).value).toBe('5');
    });
  }

  it('a faulted context does not stop the other contexts of the machine', () => {
    const program = asm([
      I(1),
      ['FST'],
      ['STOP'],
      'ok:',
      I(2),
      ['PUSH'],
      I(40),
      ['ADDI'],
      ['STOP'],
    ]);
    const machine = new Machine(program);
    const bad = machine.startContext(0);
    const good = machine.startContext(5);
    expect(machine.run(bad, 100).reason).toBe('fault');
    const r = runToEnd(machine, good);
    expect(r.result.reason).toBe('stop');
    expect(machine.memory.envWord(good)).toBe(42);
  });

  it('a fault names the source location from debug info', () => {
    const base = asm([I(7), ['PUSH'], I(0), ['DIVI'], ['STOP']]);
    const program: Program = {
      ...base,
      debug: [
        { pc: 0, length: base.code.length, file: 'main.cam', line: 1, column: 1 },
        { pc: 7, length: 1, file: 'main.cam', line: 3, column: 12 },
      ],
    };
    const fault = exec(program).result.fault!;
    expect(fault.source).toEqual({ file: 'main.cam', line: 3, column: 12 });
    expect(formatFault(fault)).toContain('main.cam:3:12');
    expect(formatFault(fault)).toContain('DIVI');
  });

  it('the runtime layer can fault a context with the same record shape', () => {
    const program = asm([I(3), ['CALLRTS', 1], ['STOP']]);
    const machine = new Machine(program);
    const ctx = machine.startContext(0);
    expect(machine.run(ctx, 10).reason).toBe('rts');
    const fault = machine.raiseFault(
      ctx,
      'runtime error',
      'no such channel',
      machine.pcOf(ctx) - 2,
    );
    expect(fault).toMatchObject({ pc: 3, mnemonic: 'CALLRTS', cause: 'runtime error' });
    expect(machine.faultOf(ctx)).toBe(fault);
  });

  it('no JavaScript exception escapes on random bytes run unverified', () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let round = 0; round < 300; round++) {
      const code = Uint8Array.from({ length: 40 }, next);
      const program: Program = { ...asm([['STOP']]), ints: Int32Array.of(1, 2), code };
      const machine = new Machine(program, {
        heapBytes: 200,
        stackBytes: 50,
        maxContexts: 1,
        rootSlots: 0,
        markStackEntries: 4,
      });
      const ctx = machine.startContext(0);
      const r = runToEnd(machine, ctx, 1000, 5000);
      expect(['stop', 'fault', 'budget', 'rts']).toContain(r.result.reason);
      expect(machine.memory.checkHeap()).toEqual([]);
    }
  });
});
