import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/assemble.js';
import { assembleText } from '../../src/isa/assemble-text.js';
import { disassemble } from '../../src/isa/disassemble.js';
import { writeImage } from '../../src/isa/image.js';
import type { SymItem } from '../../src/isa/symbolic.js';

const loc = (line: number, column: number) => ({ file: 'm.cam', line, column });

describe('assemble (symbolic instructions from code generation)', () => {
  const items: SymItem[] = [
    { kind: 'instr', op: 'LOADI', args: [5], loc: loc(1, 8) },
    { kind: 'instr', op: 'PUSH', args: [], loc: loc(1, 8) },
    { kind: 'instr', op: 'LOADI', args: [5], loc: loc(1, 12) },
    { kind: 'instr', op: 'ADDI', args: [], loc: loc(1, 10) },
    { kind: 'instr', op: 'GOTO', args: ['end'] },
    { kind: 'label', name: 'end' },
    { kind: 'instr', op: 'STOP', args: [] },
  ];

  it('Sense-VM: deduplicates constants, resolves labels to code offsets, records debug ranges', () => {
    const r = assemble({ items, metadata: { dataTypes: [], mainType: { kind: 'int' } } });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const p = r.program;
    expect(Array.from(p.ints)).toEqual([5]);
    expect(p.labelBase).toBe(0);
    expect(Array.from(p.code)).toEqual([6, 0, 0, 4, 6, 0, 0, 0x18, 0x11, 0, 11, 0x0d]);
    expect(p.debug).toEqual([
      { pc: 0, length: 4, file: 'm.cam', line: 1, column: 8 },
      { pc: 4, length: 3, file: 'm.cam', line: 1, column: 12 },
      { pc: 7, length: 1, file: 'm.cam', line: 1, column: 10 },
    ]);
    expect(p.metadata?.mainType).toEqual({ kind: 'int' });
    expect(disassemble(p)).toContain('m.cam:1:12');
  });

  it('SynchronVM: one int-pool entry per occurrence, labels are file offsets', () => {
    const r = assemble({ items }, { format: 'synchronvm' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(Array.from(r.program.ints)).toEqual([5, 5]);
    expect(r.program.labelBase).toBe(23);
    expect(Array.from(r.program.code.subarray(8, 11))).toEqual([0x11, 0, 23 + 11]);
    const w = writeImage(r.program);
    expect(w.ok && w.bytes.length).toBe(23 + 12);
  });

  it('interns floats by bit pattern and strings by value', () => {
    const r = assemble({
      items: [
        { kind: 'instr', op: 'LOADF', args: [1.5] },
        { kind: 'instr', op: 'LOADF', args: [1.5] },
        { kind: 'instr', op: 'LOADF', args: [-0] },
        { kind: 'instr', op: 'LOADF', args: [0] },
        { kind: 'instr', op: 'LOADS', args: ['hi'] },
        { kind: 'instr', op: 'LOADS', args: ['hi'] },
        { kind: 'instr', op: 'STOP', args: [] },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(Array.from(r.program.floats)).toEqual([1.5, -0, 0]);
    expect(r.program.strings).toEqual(['hi']);
  });

  it.each([
    ['undefined label', [{ kind: 'instr', op: 'GOTO', args: ['nowhere'] }], {}, 'E0144'],
    [
      'label defined twice',
      [
        { kind: 'label', name: 'a' },
        { kind: 'label', name: 'a' },
        { kind: 'instr', op: 'STOP', args: [] },
      ],
      {},
      'E0145',
    ],
    [
      'new opcode in synchronvm format',
      [{ kind: 'instr', op: 'DIVI', args: [] }],
      { format: 'synchronvm' },
      'E0147',
    ],
    ['wrong operand', [{ kind: 'instr', op: 'LOADI', args: ['five'] }], {}, 'E0142'],
    [
      'u8 out of range',
      [
        { kind: 'instr', op: 'ACC', args: [300] },
        { kind: 'instr', op: 'STOP', args: [] },
      ],
      {},
      'E0142',
    ],
    ['verifier runs by default', [{ kind: 'instr', op: 'PUSH', args: [] }], {}, 'E0133'],
  ] as const)('%s → %s', (_name, items, opts, code) => {
    const r = assemble({ items: items as readonly SymItem[] }, opts);
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toContain(code);
  });

  it('verify: false returns unverified programs', () => {
    expect(
      assemble({ items: [{ kind: 'instr', op: 'PUSH', args: [] }] }, { verify: false }).ok,
    ).toBe(true);
  });

  it('rejects code over 64 KiB', () => {
    const many: SymItem[] = Array.from(
      { length: 0x10001 },
      () => ({ kind: 'instr', op: 'SKIP', args: [] }) as const,
    );
    const r = assemble({ items: many });
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(['E0146']);
  });

  it('carries the source position of a failing instruction', () => {
    const r = assemble({ items: [{ kind: 'instr', op: 'GOTO', args: ['x'], loc: loc(4, 2) }] });
    expect(r.ok ? undefined : r.errors[0]).toMatchObject({
      code: 'E0144',
      offset: 0,
      line: 4,
      column: 2,
    });
  });
});

describe('assembleText errors', () => {
  it.each([
    ['    PUSH\n    STOP\n', 'E0149', 1, 1],
    ['.format sensevm 1\n    PUHS\n', 'E0141', 2, 5],
    ['.format sensevm 1\n    ACC 256\n', 'E0143', 2, 9],
    ['.format sensevm 1\n    GOTO there\n', 'E0144', 2, 10],
    ['.format sensevm 1\nx:\nx:\n    STOP\n', 'E0145', 3, 1],
    ['.format sensevm 1\n    LOADI 3\n', 'E0140', 2, 11],
    ['.format sensevm 2\n', 'E0140', 1, 18],
    ['.format sensevm 1\n.string "abc\n', 'E0140', 2, 9],
    ['.format sensevm 1\n.metadata {"dataTypes": 3}\n', 'E0112', 2, 11],
    ['.format sensevm 1\n    PUSH PUSH\n', 'E0140', 2, 10],
  ])('%j → %s at %i:%i', (text, code, line, column) => {
    const r = assembleText(text);
    expect(r.ok ? undefined : r.errors[0]).toMatchObject({ code, line, column });
  });

  it('reports one error per bad line and keeps going', () => {
    const r = assembleText('.format sensevm 1\n    PUHS\n    ACC x\n    STOP\n    BAD 1\n');
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.line])).toEqual([
      ['E0141', 2],
      ['E0140', 3],
      ['E0141', 5],
    ]);
  });

  it('accepts labels, names of runtime calls, tables with wildcards, and lower-case mnemonics', () => {
    const r = assembleText(
      '.format sensevm 1\nstart: callrts sync\n  SWITCHI [0: start, _: end]  ; comment\nend:\n  STOP\n',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(Array.from(r.program.code)).toEqual([
      0x37, 4, 0x36, 2, 0, 0, 0, 0, 0xff, 0xff, 0, 12, 0x0d,
    ]);
  });
});
