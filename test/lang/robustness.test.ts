import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lang/analyze.js';

const FRAGMENTS = [
  'main',
  'f',
  'x',
  'Cons',
  'Nil',
  'data',
  'where',
  'case',
  'of',
  'let',
  'letrec',
  'in',
  'if',
  'then',
  'else',
  'mutrec',
  'as',
  '=',
  '==',
  '->',
  '\\',
  '(',
  ')',
  ',',
  ':',
  ';',
  '{',
  '}',
  '_',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '&&',
  '||',
  '!',
  '1',
  '2.5',
  'True',
  '()',
  'Int',
  'a',
  '\n',
  '\n  ',
  '-- c\n',
  '{- c -}',
  '@',
  '"s"',
];

describe('front-end robustness', () => {
  it('never throws, and reports an error whenever it returns no program info (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), (parts) => {
        const result = analyze(parts.join(' '), 'r.cam');
        if (!result.info) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        for (const d of result.diagnostics) expect(d.span.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  it('handles deep nesting and long chains', () => {
    const deep = `main = ${'('.repeat(300)}1${')'.repeat(300)}`;
    expect(analyze(deep, 'r.cam').diagnostics).toEqual([]);
    const chain = `main = ${Array.from({ length: 300 }, (_, i) => String(i)).join(' + ')}`;
    expect(analyze(chain, 'r.cam').info?.mainType).toEqual({ kind: 'int' });
  });
});

describe('front-end limits', () => {
  it('reports an absurdly deep program as E0208 instead of crashing', () => {
    const chain = `main = ${Array.from({ length: 200_000 }, () => '1').join(' + ')}`;
    expect(analyze(chain, 'r.cam').diagnostics.map((d) => d.code)).toEqual(['E0208']);
  });
});
