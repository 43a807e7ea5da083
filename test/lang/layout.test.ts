import { describe, expect, it } from 'vitest';
import { layout } from '../../src/lang/layout.js';
import { lex } from '../../src/lang/lexer.js';

/** The laid-out token texts, with virtual tokens shown as `{.` `;.` `}.`. */
function laidOut(source: string): string {
  return layout(lex(source, 'f.cam').tokens)
    .filter((t) => t.kind !== 'eof')
    .map((t) => (t.kind.startsWith('v') ? `${t.text}.` : t.text))
    .join(' ');
}

describe('layout', () => {
  it('separates top-level declarations starting in column 1', () => {
    expect(laidOut('a = 1\nb = 2\n  + 3')).toBe('{. ;. a = 1 ;. b = 2 + 3 }.');
  });

  it('opens blocks after of and where at the next token', () => {
    expect(laidOut('f x = case x of\n  A -> 1\n  B -> 2\nmain = 0')).toBe(
      '{. ;. f x = case x of {. A -> 1 ;. B -> 2 }. ;. main = 0 }.',
    );
    expect(laidOut('data T where\n  A : T\n  B : T')).toBe(
      '{. ;. data T where {. A : T ;. B : T }. }.',
    );
  });

  it('is not affected by comments (the reference breaks here)', () => {
    const withComments = laidOut(
      'f x = case x of\n  A -> 1 -- ; not a separator\n  B -> 2\n-- column-1 comment after the block\n{- ; -}\nmain = 0',
    );
    expect(withComments).toBe(laidOut('f x = case x of\n  A -> 1\n  B -> 2\nmain = 0'));
  });

  it('closes blocks opened inside parentheses at `)` and ignores line starts inside them', () => {
    expect(laidOut('main = g (\\m -> case m of\n          A -> 1\n          B -> 2) 3')).toBe(
      '{. ;. main = g ( \\ m -> case m of {. A -> 1 ;. B -> 2 }. ) 3 }.',
    );
    expect(laidOut('main = (1,\n  2)')).toBe('{. ;. main = ( 1 , 2 ) }.');
  });

  it('closes a let block at `in`, also on one line', () => {
    expect(laidOut('main = let x = 1 in x')).toBe('{. ;. main = let {. x = 1 }. in x }.');
    expect(laidOut('main = let a = 1\n           b = 2\n       in a')).toBe(
      '{. ;. main = let {. a = 1 ;. b = 2 }. in a }.',
    );
  });

  it('closes a case block at then/else of an enclosing if', () => {
    expect(laidOut('main = if case x of A -> True then 1 else 2')).toBe(
      '{. ;. main = if case x of {. A -> True }. then 1 else 2 }.',
    );
  });

  it('keeps explicit braces and does not lay out inside them', () => {
    expect(laidOut('data C where { R : C; G : C }')).toBe(
      '{. ;. data C where { R : C ; G : C } }.',
    );
  });

  it('closes everything left open at a column-1 line (error recovery)', () => {
    expect(laidOut('f = (1 + case x of\n  A -> 1\nmain = 0')).toBe(
      '{. ;. f = ( 1 + case x of {. A -> 1 }. ;. main = 0 }.',
    );
  });

  it('opens an empty block when the next line is not indented', () => {
    expect(laidOut('f = case x of\nmain = 0')).toBe('{. ;. f = case x of {. }. ;. main = 0 }.');
  });
});
