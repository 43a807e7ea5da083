/**
 * Golden tests: hand-assembled programs exercising every opcode, with the examples of
 * reference/synchronvm.md §2–§3 whose result is stated there.
 */
import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS } from '../../src/isa/opcodes.js';
import { asm, exec, type Line, FLOAT, BOOL } from './helpers.js';
import { DEFAULT_CONTAINER_CONFIG } from '../../src/vm/index.js';
import type { TypeDesc } from '../../src/isa/program.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** `a op b` with a on the stack and b in env, the compiler's operand order. */
const bin = (op: string, a: Line, b: Line): Line[] => [a, ['PUSH'], b, [op], ['STOP']];
const I = (n: number): Line => ['LOADI', n];
const F = (x: number): Line => ['LOADF', x];

interface Golden {
  readonly name: string;
  readonly ops: readonly string[];
  readonly lines: readonly Line[];
  readonly expect: string;
  readonly type?: TypeDesc;
}

const goldens: Golden[] = [
  // ---- environment access
  {
    name: 'FST of a pair',
    ops: ['FST', 'CONS'],
    lines: [I(1), ['PUSH'], I(2), ['CONS'], ['FST'], ['STOP']],
    expect: '1',
  },
  {
    name: 'SND of a pair',
    ops: ['SND'],
    lines: [I(1), ['PUSH'], I(2), ['CONS'], ['SND'], ['STOP']],
    expect: '2',
  },
  ...(['ACC', 'REST'] as const).flatMap((m) =>
    [0, 1].map((n) => ({
      name: `${m} ${n} on [[(), 10], 20]`,
      ops: [m],
      lines: [
        ['CLEAR'],
        ['PUSH'],
        I(10),
        ['CONS'],
        ['PUSH'],
        I(20),
        ['CONS'],
        [m, n],
        ['STOP'],
      ] as Line[],
      expect: (
        { ACC0: '20', ACC1: '10', REST0: '[[0, 10], 20]', REST1: '[0, 10]' } as Record<
          string,
          string
        >
      )[`${m}${n}`]!,
    })),
  ),
  {
    // n× env := fst(env): only each step needs a pair, not the result (ACC's SND does).
    name: 'REST 2 on [[(), 10], 20] ends on ()',
    ops: ['REST'],
    lines: [['CLEAR'], ['PUSH'], I(10), ['CONS'], ['PUSH'], I(20), ['CONS'], ['REST', 2], ['STOP']],
    expect: '0',
  },
  // ---- stack
  {
    name: 'PUSH then POP restores env',
    ops: ['PUSH', 'POP'],
    lines: [I(5), ['PUSH'], I(6), ['POP'], ['STOP']],
    expect: '5',
  },
  {
    name: 'SWAP exchanges env and top',
    ops: ['SWAP'],
    lines: [I(5), ['PUSH'], I(6), ['SWAP'], ['MINI'], ['STOP']],
    expect: '1',
  },
  {
    name: 'MOVE saves env and clears it',
    ops: ['MOVE'],
    lines: [I(5), ['MOVE'], ['PUSH'], I(1), ['ADDI'], ['ADDI'], ['STOP']],
    expect: '6',
  },
  // ---- constants
  { name: 'LOADI', ops: ['LOADI'], lines: [I(-12345), ['STOP']], expect: '-12345' },
  {
    name: 'LOADB true',
    ops: ['LOADB'],
    lines: [['LOADB', 1], ['STOP']],
    expect: 'True',
    type: BOOL,
  },
  {
    name: 'CLEAR is unit',
    ops: ['CLEAR'],
    lines: [I(3), ['CLEAR'], ['STOP']],
    expect: '()',
    type: { kind: 'unit' },
  },
  { name: 'CLEAR is the word 0', ops: ['CLEAR'], lines: [I(3), ['CLEAR'], ['STOP']], expect: '0' },
  { name: 'LOADF', ops: ['LOADF'], lines: [F(3.25), ['STOP']], expect: '3.25', type: FLOAT },
  {
    name: 'LOADS',
    ops: ['LOADS'],
    lines: [['LOADS', 1], ['STOP']],
    expect: '"world"',
    type: { kind: 'string' },
  },
  // ---- cells
  {
    name: 'CONS pairs stack top with env',
    ops: ['CONS'],
    lines: [I(1), ['PUSH'], I(2), ['CONS'], ['STOP']],
    expect: '[1, 2]',
  },
  {
    name: 'SNOC pairs env with stack top',
    ops: ['SNOC'],
    lines: [I(1), ['PUSH'], I(2), ['SNOC'], ['STOP']],
    expect: '[2, 1]',
  },
  {
    name: 'PACK builds [tag, payload]',
    ops: ['PACK'],
    lines: [I(9), ['PACK', 4], ['STOP']],
    expect: '[4, 9]',
  },
  // ---- functions
  {
    name: '(\\x -> x + 4) 3 through CUR and APP',
    ops: ['CUR', 'APP', 'RETURN'],
    lines: [
      I(3),
      ['PUSH'],
      ['CUR', 'f'],
      ['APP'],
      ['STOP'],
      'f:',
      ['SND'],
      ['PUSH'],
      I(4),
      ['ADDI'],
      ['RETURN'],
    ],
    expect: '7',
  },
  {
    name: '(\\x -> x + 4) 3 through COMB and APP',
    ops: ['COMB', 'APP'],
    lines: [
      I(3),
      ['PUSH'],
      ['COMB', 'f'],
      ['APP'],
      ['STOP'],
      'f:',
      ['PUSH'],
      I(4),
      ['ADDI'],
      ['RETURN'],
    ],
    expect: '7',
  },
  {
    name: 'a closure body sees its captured env as fst(env)',
    ops: ['CUR', 'APP'],
    lines: [
      I(100),
      ['CUR', 'f'],
      ['PUSH'],
      I(5),
      ['SWAP'],
      ['APP'],
      ['STOP'],
      'f:',
      ['PUSH'],
      ['FST'],
      ['SWAP'],
      ['SND'],
      ['MINI'],
      ['RETURN'],
    ],
    expect: '95',
  },
  {
    name: 'CALL pushes the return address, RETURN pops it',
    ops: ['CALL', 'RETURN'],
    lines: [
      I(5),
      ['CALL', 'f'],
      ['PUSH'],
      I(10),
      ['MULI'],
      ['STOP'],
      'f:',
      ['PUSH'],
      I(1),
      ['ADDI'],
      ['RETURN'],
    ],
    expect: '60',
  },
  {
    name: 'TAPP: a closure call in tail position',
    ops: ['TAPP'],
    lines: [
      I(3),
      ['CALL', 'g'],
      ['STOP'],
      'g:',
      ['PUSH'],
      ['COMB', 'f'],
      ['TAPP'],
      'f:',
      ['PUSH'],
      I(1),
      ['MINI'],
      ['RETURN'],
    ],
    expect: '2',
  },
  // ---- control
  {
    name: 'GOTO',
    ops: ['GOTO', 'SKIP'],
    lines: [I(1), ['GOTO', 'l'], I(2), 'l:', ['SKIP'], ['STOP']],
    expect: '1',
  },
  ...[
    [1, '1'],
    [0, '10'],
    [2, '10'], // only bit 0 is tested
  ].map(([c, out]) => ({
    name: `GOTOFALSE with condition ${c} restores the saved env`,
    ops: ['GOTOFALSE'],
    lines: [
      I(9),
      ['PUSH'],
      I(c as number),
      ['GOTOFALSE', 'else'],
      I(1),
      ['GOTO', 'end'],
      'else:',
      ['PUSH'],
      I(1),
      ['ADDI'],
      'end:',
      ['STOP'],
    ] as Line[],
    expect: out as string,
  })),
  {
    name: 'GOTOIFALSE keeps env when jumping',
    ops: ['GOTOIFALSE'],
    lines: [I(4), ['GOTOIFALSE', 'l'], I(1), ['STOP'], 'l:', ['STOP']],
    expect: '4',
  },
  {
    name: 'GOTOIFALSE falls through on true',
    ops: ['GOTOIFALSE'],
    lines: [I(3), ['GOTOIFALSE', 'l'], I(1), ['STOP'], 'l:', ['STOP']],
    expect: '1',
  },
  {
    name: 'PACK then SWITCHI gives the payload',
    ops: ['SWITCHI'],
    lines: [
      I(42),
      ['PACK', 3],
      [
        'SWITCHI',
        [
          [1, 'a'],
          [3, 'b'],
        ],
      ],
      'a:',
      I(0),
      ['STOP'],
      'b:',
      ['STOP'],
    ],
    expect: '42',
  },
  {
    name: 'SWITCH pairs the saved env with the payload',
    ops: ['SWITCH'],
    lines: [
      I(7),
      ['PUSH'],
      I(42),
      ['PACK', 2],
      [
        'SWITCH',
        [
          [1, 'no'],
          [2, 'arm'],
        ],
      ],
      'no:',
      I(0),
      ['STOP'],
      'arm:',
      ['PUSH'],
      ['FST'],
      ['SWAP'],
      ['SND'],
      ['ADDI'],
      ['STOP'],
    ],
    expect: '49',
  },
  {
    name: 'SWITCH wildcard arm',
    ops: ['SWITCH'],
    lines: [
      I(7),
      ['PUSH'],
      I(1),
      ['PACK', 5],
      [
        'SWITCH',
        [
          [1, 'no'],
          [0xffff, 'any'],
        ],
      ],
      'no:',
      I(0),
      ['STOP'],
      'any:',
      ['FST'],
      ['STOP'],
    ],
    expect: '7',
  },
  // ---- integer arithmetic
  { name: 'ABS', ops: ['ABS'], lines: [I(-5), ['ABS'], ['STOP']], expect: '5' },
  {
    name: 'ABS of INT_MIN wraps',
    ops: ['ABS'],
    lines: [I(INT_MIN), ['ABS'], ['STOP']],
    expect: String(INT_MIN),
  },
  { name: 'NEG', ops: ['NEG'], lines: [I(5), ['NEG'], ['STOP']], expect: '-5' },
  {
    name: 'NOT true',
    ops: ['NOT'],
    lines: [['LOADB', 1], ['NOT'], ['STOP']],
    expect: 'False',
    type: BOOL,
  },
  {
    name: 'NOT false',
    ops: ['NOT'],
    lines: [['LOADB', 0], ['NOT'], ['STOP']],
    expect: 'True',
    type: BOOL,
  },
  { name: 'DEC', ops: ['DEC'], lines: [I(INT_MIN), ['DEC'], ['STOP']], expect: String(INT_MAX) },
  {
    name: '2147483647 + 1 wraps (§2.5)',
    ops: ['ADDI'],
    lines: bin('ADDI', I(INT_MAX), I(1)),
    expect: String(INT_MIN),
  },
  { name: 'MULI wraps', ops: ['MULI'], lines: bin('MULI', I(65536), I(65537)), expect: '65536' },
  { name: 'MINI is stack minus env', ops: ['MINI'], lines: bin('MINI', I(3), I(5)), expect: '-2' },
  { name: 'ADDUI', ops: ['ADDUI'], lines: bin('ADDUI', I(-1), I(2)), expect: '1' },
  { name: 'MULUI', ops: ['MULUI'], lines: bin('MULUI', I(-1), I(-1)), expect: '1' },
  { name: 'MINUI', ops: ['MINUI'], lines: bin('MINUI', I(0), I(1)), expect: '-1' },
  { name: 'DIVI truncates', ops: ['DIVI'], lines: bin('DIVI', I(-7), I(2)), expect: '-3' },
  {
    name: 'INT_MIN / -1 wraps',
    ops: ['DIVI'],
    lines: bin('DIVI', I(INT_MIN), I(-1)),
    expect: String(INT_MIN),
  },
  { name: 'MODI has the sign of s', ops: ['MODI'], lines: bin('MODI', I(-7), I(2)), expect: '-1' },
  { name: 'MODI positive s', ops: ['MODI'], lines: bin('MODI', I(7), I(-2)), expect: '1' },
  { name: 'INT_MIN % -1 = 0', ops: ['MODI'], lines: bin('MODI', I(INT_MIN), I(-1)), expect: '0' },
  { name: 'ANDI', ops: ['ANDI'], lines: bin('ANDI', I(12), I(10)), expect: '8' },
  { name: 'ORI', ops: ['ORI'], lines: bin('ORI', I(12), I(10)), expect: '14' },
  { name: 'XORI', ops: ['XORI'], lines: bin('XORI', I(12), I(10)), expect: '6' },
  { name: 'NOTI', ops: ['NOTI'], lines: [I(0), ['NOTI'], ['STOP']], expect: '-1' },
  { name: 'SHLI masks the count', ops: ['SHLI'], lines: bin('SHLI', I(1), I(33)), expect: '2' },
  { name: 'SHRI is arithmetic', ops: ['SHRI'], lines: bin('SHRI', I(-8), I(1)), expect: '-4' },
  { name: 'SHRUI is logical', ops: ['SHRUI'], lines: bin('SHRUI', I(-1), I(28)), expect: '15' },
  // ---- constant operand (Sense-VM only): env op k, stack untouched
  {
    name: 'ADDIK wraps',
    ops: ['ADDIK'],
    lines: [I(INT_MAX), ['ADDIK', 1], ['STOP']],
    expect: String(INT_MIN),
  },
  { name: 'MINIK', ops: ['MINIK'], lines: [I(5), ['MINIK', 7], ['STOP']], expect: '-2' },
  { name: 'MULIK', ops: ['MULIK'], lines: [I(-6), ['MULIK', 7], ['STOP']], expect: '-42' },
  { name: 'GTIK', ops: ['GTIK'], lines: [I(3), ['GTIK', 2], ['STOP']], expect: '1' },
  { name: 'LTIK', ops: ['LTIK'], lines: [I(3), ['LTIK', 2], ['STOP']], expect: '0' },
  { name: 'EQIK', ops: ['EQIK'], lines: [I(-4), ['EQIK', -4], ['STOP']], expect: '1' },
  { name: 'GEIK', ops: ['GEIK'], lines: [I(2), ['GEIK', 2], ['STOP']], expect: '1' },
  { name: 'LEIK', ops: ['LEIK'], lines: [I(3), ['LEIK', 2], ['STOP']], expect: '0' },
  // ---- integer comparisons (true and false case each)
  ...(
    [
      ['GTI', 3, 2, 2, 3],
      ['LTI', -1, 0, 0, -1],
      ['EQI', 4, 4, 4, 5],
      ['GEI', 4, 4, 3, 4],
      ['LEI', 4, 4, 5, 4],
      ['GTUI', -1, 1, 1, -1],
      ['LTUI', 1, -1, -1, 1],
      ['EQUI', -1, -1, -1, 1],
      ['GEUI', -1, -1, 1, -1],
      ['LEUI', 1, -1, -1, 1],
      ['EQB', 1, 1, 1, 0],
    ] as const
  ).flatMap(([op, a, b, c, d]) => [
    { name: `${op} ${a} ${b}`, ops: [op], lines: bin(op, I(a), I(b)), expect: '1' },
    { name: `${op} ${c} ${d}`, ops: [op], lines: bin(op, I(c), I(d)), expect: '0' },
  ]),
  // ---- floats (IEEE-754 single precision)
  {
    name: '0.1 + 0.2 in single precision',
    ops: ['ADDF'],
    lines: bin('ADDF', F(0.1), F(0.2)),
    expect: '0.3',
    type: FLOAT,
  },
  { name: 'MULF', ops: ['MULF'], lines: bin('MULF', F(1.5), F(2.5)), expect: '3.75', type: FLOAT },
  { name: 'MINF', ops: ['MINF'], lines: bin('MINF', F(1), F(2.5)), expect: '-1.5', type: FLOAT },
  { name: 'DIVF', ops: ['DIVF'], lines: bin('DIVF', F(1), F(4)), expect: '0.25', type: FLOAT },
  {
    name: 'DIVF by zero is Infinity',
    ops: ['DIVF'],
    lines: bin('DIVF', F(1), F(0)),
    expect: 'Infinity',
    type: FLOAT,
  },
  { name: 'NEGF', ops: ['NEGF'], lines: [F(2.5), ['NEGF'], ['STOP']], expect: '-2.5', type: FLOAT },
  { name: 'ITOF', ops: ['ITOF'], lines: [I(4), ['ITOF'], ['STOP']], expect: '4.0', type: FLOAT },
  {
    name: 'ITOF rounds to nearest float',
    ops: ['ITOF'],
    lines: [I(16777217), ['ITOF'], ['STOP']],
    expect: '16777216.0',
    type: FLOAT,
  },
  {
    name: 'FTOI truncates toward zero',
    ops: ['FTOI'],
    lines: [F(-3.7), ['FTOI'], ['STOP']],
    expect: '-3',
  },
  {
    name: 'FTOI saturates',
    ops: ['FTOI'],
    lines: [F(1e10), ['FTOI'], ['STOP']],
    expect: String(INT_MAX),
  },
  {
    name: 'FTOI saturates low',
    ops: ['FTOI'],
    lines: [F(-1e10), ['FTOI'], ['STOP']],
    expect: String(INT_MIN),
  },
  {
    name: 'FTOI of NaN is 0',
    ops: ['FTOI'],
    lines: [F(0), ['PUSH'], F(0), ['DIVF'], ['FTOI'], ['STOP']],
    expect: '0',
  },
  ...(
    [
      ['GTF', 2, 1, 1, 2],
      ['LTF', 1, 2, 2, 1],
      ['EQF', 1.5, 1.5, 1.5, 2],
      ['GEF', 2, 2, 1, 2],
      ['LEF', 2, 2, 3, 2],
    ] as const
  ).flatMap(([op, a, b, c, d]) => [
    // SynchronVM's result: the 1.0f pattern (0x3F800000), not 1.
    {
      name: `${op} ${a} ${b} is 1.0f`,
      ops: [op],
      lines: bin(op, F(a), F(b)),
      expect: String(0x3f800000),
    },
    { name: `${op} ${c} ${d} is 0`, ops: [op], lines: bin(op, F(c), F(d)), expect: '0' },
  ]),
  ...(
    [
      ['FGT', 2, 1, 1, 2],
      ['FLT', 1, 2, 2, 1],
      ['FEQ', 1.5, 1.5, 1.5, 2],
      ['FGE', 2, 2, 1, 2],
      ['FLE', 2, 2, 3, 2],
    ] as const
  ).flatMap(([op, a, b, c, d]) => [
    { name: `${op} ${a} ${b}`, ops: [op], lines: bin(op, F(a), F(b)), expect: '1' },
    { name: `${op} ${c} ${d}`, ops: [op], lines: bin(op, F(c), F(d)), expect: '0' },
  ]),
  // ---- reference §2.4: a non-exhaustive constant match falls through to () (value 0):
  // g 1 = 10; g 2 = 20; main = g 3
  {
    name: 'g 1 = 10; g 2 = 20; main = g 3 evaluates to 0 (§2.4)',
    ops: ['COMB', 'APP', 'GOTOFALSE'],
    lines: [
      I(3),
      ['PUSH'],
      ['COMB', 'g'],
      ['APP'],
      ['STOP'],
      'g:',
      ['PUSH'],
      ['PUSH'],
      I(1),
      ['EQI'],
      ['GOTOFALSE', 'g2'],
      I(10),
      ['RETURN'],
      'g2:',
      ['PUSH'],
      ['PUSH'],
      I(2),
      ['EQI'],
      ['GOTOFALSE', 'g3'],
      I(20),
      ['RETURN'],
      'g3:',
      ['CLEAR'],
      ['RETURN'],
    ],
    expect: '0',
  },
  // ---- reference §1.4: `not` of blinky as compiled (COMB, if-chain, GOTOIFALSE).
  {
    name: 'blinky `not` applied to True is False (§1.4)',
    ops: ['COMB', 'GOTOIFALSE', 'REST'],
    lines: [
      ['LOADB', 1],
      ['PUSH'],
      ['COMB', 'not'],
      ['APP'],
      ['STOP'],
      'not:',
      ['PUSH'],
      ['MOVE'],
      I(1),
      ['EQI'],
      ['GOTOFALSE', 'n2'],
      I(0),
      ['RETURN'],
      'n2:',
      ['REST', 0],
      ['MOVE'],
      I(0),
      ['EQI'],
      ['GOTOIFALSE', 'n3'],
      I(1),
      ['RETURN'],
      'n3:',
      ['CLEAR'],
      ['RETURN'],
    ],
    expect: 'False',
    type: BOOL,
  },
];

describe('golden programs', () => {
  for (const g of goldens) {
    it(g.name, () => {
      const lines = g.lines.map((l) => l);
      const program = asm(lines, { strings: ['hello', 'world'] });
      const out = exec(program, g.type ? { type: g.type } : {});
      expect(out.result.fault).toBeUndefined();
      expect(out.result.reason).toBe('stop');
      expect(out.value).toBe(g.expect);
    });
  }

  it('covers every opcode of the table', () => {
    const covered = new Set(
      goldens.flatMap((g) => g.lines.flatMap((l) => (typeof l === 'string' ? [] : [l[0]]))),
    );
    // CALLRTS, FAIL and STOP have tests of their own below and in faults.test.ts.
    for (const m of ['CALLRTS', 'FAIL']) covered.add(m);
    const missing = INSTRUCTIONS.map((r) => r.mnemonic).filter((m) => !covered.has(m));
    expect(missing).toEqual([]);
  });
});

describe('control transfer to the runtime and the end', () => {
  it('CALLRTS stops with the call number, pc past it and the arguments in place', () => {
    const program = asm([I(5), ['PUSH'], I(6), ['CALLRTS', 2], ['STOP']]);
    const { machine, context, result } = exec(program);
    expect(result.reason).toBe('rts');
    expect(result.rtsCall).toBe(2);
    expect(result.executed).toBe(4);
    expect(machine.pcOf(context)).toBe(9); // LOADI(3) PUSH(1) LOADI(3) CALLRTS(2)
    expect(machine.memory.envWord(context)).toBe(6);
    expect(machine.memory.peekWord(context)).toBe(5);
    // The runtime completes the call: pop the argument, set the result, resume.
    machine.memory.drop(context, 1);
    machine.memory.setEnv(context, 99, 0);
    const resumed = machine.run(context, 100);
    expect(resumed.reason).toBe('stop');
    expect(machine.memory.envWord(context)).toBe(99);
  });

  it('run(budget) executes exactly budget instructions and resumes where it stopped', () => {
    const lines: Line[] = [I(0)];
    for (let i = 0; i < 10; i++) lines.push(['PUSH'], I(1), ['ADDI']);
    lines.push(['STOP']);
    const program = asm(lines);
    const { machine } = exec(program, { maxInstructions: 0 });
    const ctx = machine.startContext(0);
    let total = 0;
    let last;
    do {
      last = machine.run(ctx, 4);
      total += last.executed;
      if (last.reason === 'budget') expect(last.executed).toBe(4);
    } while (last.reason === 'budget');
    expect(last.reason).toBe('stop');
    expect(total).toBe(lines.length);
    expect(machine.memory.envWord(ctx)).toBe(10);
  });

  it('counts executed instructions per opcode when profiling', () => {
    const program = asm([I(1), ['PUSH'], I(2), ['ADDI'], ['PUSH'], I(3), ['ADDI'], ['STOP']]);
    const { machine } = exec(program, { machine: { profile: true } });
    const counts = machine.opcodeCounts!;
    expect(counts[6]).toBe(3); // LOADI
    expect(counts[4]).toBe(2); // PUSH
    expect(counts[24]).toBe(2); // ADDI
    expect(counts[13]).toBe(1); // STOP
  });

  it('traces each instruction with pc, mnemonic and an env/stack summary', () => {
    const lines: string[] = [];
    exec(asm([I(7), ['PUSH'], ['STOP']]), { machine: { trace: (l) => lines.push(l) } });
    expect(lines).toEqual([
      'ctx 0 pc 0 LOADI 7 | env 0 sp 0 top -',
      'ctx 0 pc 3 PUSH | env 7 sp 0 top -',
      'ctx 0 pc 4 STOP | env 7 sp 1 top 7',
    ]);
  });

  it('TAPP runs a 100 000-step loop through closures in constant stack', () => {
    // loop n = if n == 0 then 0 else loop (n - 1), called through a combinator each time.
    const program = asm([
      I(100000),
      ['PUSH'],
      ['COMB', 'loop'],
      ['APP'],
      ['STOP'],
      'loop:',
      ['PUSH'],
      ['PUSH'],
      I(0),
      ['EQI'],
      ['GOTOFALSE', 'again'],
      ['RETURN'],
      'again:',
      ['PUSH'],
      I(1),
      ['MINI'],
      ['PUSH'],
      ['COMB', 'loop'],
      ['TAPP'],
    ]);
    const out = exec(program, { config: { stackBytes: 50 } });
    expect(out.result.reason).toBe('stop');
    expect(out.value).toBe('0');
  });
});

describe('non-tail recursion depth (reference §2.3)', () => {
  // sum n = if n == 0 then 0 else n + sum (n - 1), called through a combinator: 2 stack slots
  // per level (the saved n and the return address).
  const sumProgram = (n: number) =>
    asm([
      I(n),
      ['PUSH'],
      ['COMB', 'sum'],
      ['APP'],
      ['STOP'],
      'sum:',
      ['PUSH'],
      ['PUSH'],
      I(0),
      ['EQI'],
      ['GOTOFALSE', 'rec'],
      I(0),
      ['RETURN'],
      'rec:',
      ['PUSH'],
      ['PUSH'],
      I(1),
      ['MINI'],
      ['PUSH'],
      ['COMB', 'sum'],
      ['APP'],
      ['ADDI'],
      ['RETURN'],
    ]);
  const synchronVmStack = { stackBytes: 42 * 5 }; // SynchronVM: 256-byte stacks = 42 slots

  it('sum 15 fits in a 42-slot stack', () => {
    expect(exec(sumProgram(15), { config: synchronVmStack }).value).toBe('120');
  });

  it('sum 20 overflows a 42-slot stack', () => {
    expect(exec(sumProgram(20), { config: synchronVmStack }).result.fault?.cause).toBe(
      'stack overflow',
    );
  });

  it('the default configuration runs a 1 000-deep non-tail recursion', () => {
    const out = exec(sumProgram(1000), {
      config: { stackBytes: DEFAULT_CONTAINER_CONFIG.stackBytes },
    });
    expect(out.value).toBe('500500');
  });
});
