/** Printing values with types from image metadata, and float32 formatting. */
import { describe, expect, it } from 'vitest';
import type { ProgramMetadata, TypeDesc } from '../../src/isa/program.js';
import {
  ContainerMemory,
  DEFAULT_CONTAINER_CONFIG,
  IMMEDIATE,
  POINTER,
  floatToBits,
  formatFloat32,
  printValue,
} from '../../src/vm/index.js';

const tvar = (name: string): TypeDesc => ({ kind: 'var', name });
const con = (name: string, ...args: TypeDesc[]): TypeDesc => ({ kind: 'con', name, args });
const INT: TypeDesc = { kind: 'int' };
const FLOAT: TypeDesc = { kind: 'float' };

const metadata: ProgramMetadata = {
  dataTypes: [
    {
      name: 'Maybe',
      params: ['a'],
      constructors: [
        { name: 'Nothing', tag: 0, fields: [] },
        { name: 'Just', tag: 1, fields: [tvar('a')] },
      ],
    },
    { name: 'M', params: [], constructors: [{ name: 'MS', tag: 2, fields: [INT, FLOAT] }] },
    {
      name: 'List',
      params: ['a'],
      constructors: [
        { name: 'Nil', tag: 3, fields: [] },
        { name: 'Cons', tag: 4, fields: [tvar('a'), con('List', tvar('a'))] },
      ],
    },
  ],
};

const mem = new ContainerMemory({ ...DEFAULT_CONTAINER_CONFIG, heapBytes: 100_000 });
const pair = (a: number, ak: 0 | 1, b: number, bk: 0 | 1): number => mem.allocPair(a, ak, b, bk);
const packed = (tag: number, payload: number, kind: 0 | 1): number =>
  pair(tag, IMMEDIATE, payload, kind);
const show = (word: number, kind: number, type?: TypeDesc): string =>
  printValue(mem, word, kind, type, { metadata, strings: ['hi "there"'] });

describe('printValue', () => {
  it('prints immediates by type', () => {
    expect(show(10, IMMEDIATE, INT)).toBe('10');
    expect(show(-3, IMMEDIATE, INT)).toBe('-3');
    expect(show(1, IMMEDIATE, { kind: 'bool' })).toBe('True');
    expect(show(0, IMMEDIATE, { kind: 'bool' })).toBe('False');
    expect(show(0, IMMEDIATE, { kind: 'unit' })).toBe('()');
    expect(show(floatToBits(3.25), IMMEDIATE, FLOAT)).toBe('3.25');
    expect(show(floatToBits(4), IMMEDIATE, FLOAT)).toBe('4.0');
    expect(show(0, IMMEDIATE, { kind: 'string' })).toBe('"hi \\"there\\""');
  });

  it('prints right-nested pairs as the type says', () => {
    const inner = pair(2, IMMEDIATE, 3, IMMEDIATE);
    const outer = pair(1, IMMEDIATE, inner, POINTER);
    const nested: TypeDesc = { kind: 'tuple', items: [INT, { kind: 'tuple', items: [INT, INT] }] };
    expect(show(outer, POINTER, nested)).toBe('(1, (2, 3))');
    expect(show(outer, POINTER, { kind: 'tuple', items: [INT, INT, INT] })).toBe('(1, 2, 3)');
  });

  it('prints constructors, parenthesising applications and negative arguments', () => {
    const nil = packed(3, 0, IMMEDIATE);
    const two = packed(4, pair(2, IMMEDIATE, nil, POINTER), POINTER);
    const list = packed(4, pair(1, IMMEDIATE, two, POINTER), POINTER);
    expect(show(list, POINTER, con('List', INT))).toBe('Cons 1 (Cons 2 Nil)');
    const ms = packed(2, pair(3, IMMEDIATE, floatToBits(4), IMMEDIATE), POINTER);
    expect(show(packed(1, ms, POINTER), POINTER, con('Maybe', con('M')))).toBe('Just (MS 3 4.0)');
    expect(show(packed(1, -3, IMMEDIATE), POINTER, con('Maybe', INT))).toBe('Just (-3)');
    expect(show(packed(0, 0, IMMEDIATE), POINTER, con('Maybe', INT))).toBe('Nothing');
    expect(
      show(packed(1, packed(0, 0, IMMEDIATE), POINTER), POINTER, con('Maybe', con('Maybe', INT))),
    ).toBe('Just Nothing');
  });

  it('prints raw words without a type (version-1 images)', () => {
    expect(show(42, IMMEDIATE)).toBe('42');
    expect(show(pair(1, IMMEDIATE, 2, IMMEDIATE), POINTER)).toBe('[1, 2]');
  });

  it('stays bounded on a cyclic structure', () => {
    const cell = packed(4, 0, IMMEDIATE);
    const payload = pair(7, IMMEDIATE, cell, POINTER);
    mem.setSnd(cell, payload, POINTER); // Cons 7 (Cons 7 (…)) forever
    const text = printValue(mem, cell, POINTER, con('List', INT), { metadata, maxNodes: 50 });
    expect(text).toContain('…');
    expect(text.length).toBeLessThan(1000);
    expect(text.startsWith('Cons 7 (Cons 7')).toBe(true);
  });

  it('names functions and runtime objects', () => {
    expect(
      show(pair(0, IMMEDIATE, 9, IMMEDIATE), POINTER, { kind: 'fun', from: INT, to: INT }),
    ).toBe('<function>');
    expect(show(3, IMMEDIATE, con('Channel', INT))).toBe('<channel 3>');
  });
});

describe('formatFloat32', () => {
  it.each([
    [0.1, '0.1'],
    [3.25, '3.25'],
    [4, '4.0'],
    [-2.5, '-2.5'],
    [1e-7, '1.0e-7'],
    [3e38, '3.0e38'],
    [16777216, '16777216.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Infinity, 'Infinity'],
    [NaN, 'NaN'],
  ])('%s → %s', (x, text) => {
    expect(formatFloat32(Math.fround(x))).toBe(text);
  });

  it('is the shortest text that reads back to the same float32', () => {
    for (let i = 0; i < 2000; i++) {
      const x = Math.fround((Math.sin(i) * 10 ** ((i % 20) - 10)) / 3);
      const text = formatFloat32(x);
      expect(Math.fround(Number(text))).toBe(x);
      // Significant digits: no sign, point, exponent, leading or trailing zeros.
      const significant = text
        .replace(/e.*$/, '')
        .replace(/[-.]/g, '')
        .replace(/^0+/, '')
        .replace(/0+$/, '');
      if (significant.length > 1) {
        expect(Math.fround(Number(x.toPrecision(significant.length - 1)))).not.toBe(x);
      }
    }
  });
});
