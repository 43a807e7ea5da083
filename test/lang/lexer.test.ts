import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lex, type Token } from '../../src/lang/lexer.js';

const kinds = (tokens: Token[]): string[] =>
  tokens.filter((t) => t.kind !== 'eof').map((t) => `${t.kind}:${t.text}`);

describe('lexer', () => {
  it('classifies identifiers, keywords and symbols', () => {
    const { tokens, diagnostics } = lex("foldl' x_1 Cons letrec as _ -> <= /= \\", 'f.cam');
    expect(diagnostics).toEqual([]);
    expect(kinds(tokens)).toEqual([
      "lower:foldl'",
      'lower:x_1',
      'upper:Cons',
      'keyword:letrec',
      'keyword:as',
      'symbol:_',
      'symbol:->',
      'symbol:<=',
      'symbol:/=',
      'symbol:\\',
    ]);
  });

  it('wraps int literals to 32 bits and accepts hex', () => {
    const values = lex('2147483648 4294967295 0x7fffffff 0xFFFFFFFF 42', 'f.cam').tokens.map(
      (t) => t.value,
    );
    expect(values.slice(0, 5)).toEqual([-2147483648, -1, 2147483647, -1, 42]);
  });

  it('rounds float literals to float32', () => {
    const tokens = lex('1.5 2.0 1e3 0.1 2.5e-1', 'f.cam').tokens;
    expect(tokens.slice(0, 5).map((t) => t.kind)).toEqual(Array(5).fill('float'));
    expect(tokens.slice(0, 5).map((t) => t.value)).toEqual([1.5, 2, 1000, Math.fround(0.1), 0.25]);
    expect(tokens[3]?.value).not.toBe(0.1);
  });

  it('gives precise 1-based spans', () => {
    const tokens = lex('main =\n  foo 12', 'f.cam').tokens;
    const foo = tokens.find((t) => t.text === 'foo');
    expect(foo?.span).toEqual({ file: 'f.cam', line: 2, column: 3, endLine: 2, endColumn: 6 });
    expect(foo?.firstOnLine).toBe(true);
    expect(tokens.find((t) => t.text === '12')?.firstOnLine).toBe(false);
  });

  it('drops line and nested block comments', () => {
    const { tokens, diagnostics } = lex('a -- b ; c\n{- x {- y -} ; z -} d', 'f.cam');
    expect(diagnostics).toEqual([]);
    expect(kinds(tokens)).toEqual(['lower:a', 'lower:d']);
  });

  it('reports an unterminated block comment at its start', () => {
    const { diagnostics } = lex('a {- {- -}', 'f.cam');
    expect(diagnostics.map((d) => [d.code, d.span.column])).toEqual([['E0202', 3]]);
  });

  it('turns unknown characters into error tokens with hints', () => {
    const { tokens } = lex('a & b | c', 'f.cam');
    const errors = tokens.filter((t) => t.kind === 'error');
    expect(errors.map((t) => t.diagnostic?.code)).toEqual(['E0201', 'E0201']);
    expect(errors.map((t) => t.diagnostic?.hint)).toEqual([
      'did you mean `&&`?',
      'did you mean `||`?',
    ]);
  });

  it('recovers `!=` as `/=` with a hint', () => {
    const { tokens, diagnostics } = lex('a != b', 'f.cam');
    expect(kinds(tokens)).toEqual(['lower:a', 'symbol:/=', 'lower:b']);
    expect(diagnostics[0]?.hint).toBe('did you mean `/=`?');
  });

  it('reports malformed numbers once', () => {
    const { diagnostics } = lex('12abc 0x', 'f.cam');
    expect(diagnostics.map((d) => d.code)).toEqual(['E0203', 'E0203']);
  });

  it('never throws and always ends with eof (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const { tokens } = lex(text, 'f.cam');
        expect(tokens[tokens.length - 1]?.kind).toBe('eof');
      }),
      { numRuns: 300 },
    );
  });
});
