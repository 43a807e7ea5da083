/**
 * The CamIoT lexer: source text to tokens with precise 1-based spans. Comments (`-- …` and
 * nested `{- … -}`) are dropped here, so they can never influence layout. Errors are collected
 * as diagnostics and the offending characters skipped, so one bad character does not hide the
 * rest of the file.
 */
import type { Span } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import { diag } from './report.js';

export type TokenKind =
  | 'lower' // variables and functions: x, foldl', _tmp
  | 'upper' // constructors and types: Cons, Int, True
  | 'int'
  | 'float'
  | 'keyword'
  | 'symbol' // operators and punctuation, including explicit { ; }
  | 'vopen' // a layout-inserted `{`
  | 'vsemi' // a layout-inserted `;`
  | 'vclose' // a layout-inserted `}`
  | 'error' // an unknown character or a string literal; the parser reports `diagnostic`
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: Span;
  /** The numeric value of int (wrapped to 32 bits) and float (rounded to float32) literals. */
  readonly value?: number;
  /** True when no other token precedes it on its line (layout looks at these). */
  readonly firstOnLine: boolean;
  /** For error tokens: reported by the parser if it reaches the token (so never twice in one
   * broken declaration). */
  readonly diagnostic?: Diagnostic;
  /** For block tokens (`{ ; }`, virtual or explicit): the nesting depth of the block. */
  depth?: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
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
]);

/** Longest first, so `<=` wins over `<` and `->` over `-`. */
const SYMBOLS = [
  '->',
  '<=',
  '>=',
  '==',
  '/=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '\\',
  '=',
  ':',
  ',',
  '(',
  ')',
  '{',
  '}',
  ';',
  '_',
] as const;

/** Characters that look like a mistake for a known symbol. */
const LOOKALIKE_HINTS: Readonly<Record<string, string>> = {
  '!=': 'did you mean `/=`?',
  '&': 'did you mean `&&`?',
  '|': 'did you mean `||`?',
  '[': 'CamIoT has no list syntax; declare `data List a where Nil : List a; Cons : a -> List a -> List a`',
  '.': 'function composition is not supported; write a lambda `\\x -> f (g x)`',
  $: 'write parentheses instead of `$`',
};

export interface LexResult {
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHexDigit = (c: string | undefined): boolean => c !== undefined && /[0-9a-fA-F]/.test(c);
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_']/.test(c);

export function lex(source: string, file: string): LexResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let offset = 0;
  let line = 1;
  let column = 1;
  let lastTokenLine = 0;

  const peekChar = (ahead = 0): string | undefined => source[offset + ahead];
  const advance = (): void => {
    if (source[offset] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
    offset++;
  };
  const spanFrom = (startLine: number, startColumn: number): Span => ({
    file,
    line: startLine,
    column: startColumn,
    endLine: line,
    endColumn: column,
  });
  const push = (kind: TokenKind, text: string, span: Span, value?: number): void => {
    tokens.push({
      kind,
      text,
      span,
      firstOnLine: span.line !== lastTokenLine,
      ...(value !== undefined ? { value } : {}),
    });
    lastTokenLine = span.line;
  };
  const pushError = (text: string, span: Span, diagnostic: Diagnostic): void => {
    tokens.push({
      kind: 'error',
      text,
      span,
      firstOnLine: span.line !== lastTokenLine,
      diagnostic,
    });
    lastTokenLine = span.line;
  };

  while (offset < source.length) {
    const c = source[offset] as string;
    const startLine = line;
    const startColumn = column;

    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v') {
      advance();
      continue;
    }
    // `--` starts a comment unless it is part of a longer operator such as `-->` (none exist in
    // CamIoT, so any `--` is a comment, as in the reference).
    if (c === '-' && peekChar(1) === '-') {
      while (offset < source.length && source[offset] !== '\n') advance();
      continue;
    }
    if (c === '{' && peekChar(1) === '-') {
      let nesting = 0;
      let closed = false;
      while (offset < source.length) {
        if (source[offset] === '{' && peekChar(1) === '-') {
          nesting++;
          advance();
          advance();
        } else if (source[offset] === '-' && peekChar(1) === '}') {
          nesting--;
          advance();
          advance();
          if (nesting === 0) {
            closed = true;
            break;
          }
        } else {
          advance();
        }
      }
      if (!closed) {
        diagnostics.push(
          diag(
            'E0202',
            {
              file,
              line: startLine,
              column: startColumn,
              endLine: startLine,
              endColumn: startColumn + 2,
            },
            {},
            { hint: 'close it with `-}` (block comments nest)' },
          ),
        );
      }
      continue;
    }
    if (isIdentStart(c)) {
      let text = '';
      while (isIdentPart(peekChar())) {
        text += peekChar();
        advance();
      }
      const span = spanFrom(startLine, startColumn);
      if (text === '_') push('symbol', '_', span);
      else if (KEYWORDS.has(text)) push('keyword', text, span);
      else if (/^[A-Z]/.test(text)) push('upper', text, span);
      else push('lower', text, span);
      continue;
    }
    if (isDigit(c)) {
      lexNumber(startLine, startColumn);
      continue;
    }
    if (c === '"' || c === "'") {
      // Skip the whole literal so its contents do not produce further errors.
      advance();
      while (offset < source.length && source[offset] !== c && source[offset] !== '\n') advance();
      if (source[offset] === c) advance();
      const span = spanFrom(startLine, startColumn);
      pushError(source.slice(offset - (column - startColumn), offset), span, diag('E0207', span));
      continue;
    }
    const two = source.slice(offset, offset + 2);
    if (two === '!=') {
      advance();
      advance();
      diagnostics.push(
        diag(
          'E0201',
          spanFrom(startLine, startColumn),
          { char: '!=' },
          { hint: LOOKALIKE_HINTS['!='] },
        ),
      );
      // Recover as if `/=` was written, so the expression still parses.
      push('symbol', '/=', spanFrom(startLine, startColumn));
      continue;
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, offset));
    if (symbol !== undefined) {
      for (let i = 0; i < symbol.length; i++) advance();
      push('symbol', symbol, spanFrom(startLine, startColumn));
      continue;
    }
    // One whole code point (an emoji is two UTF-16 units), named by its number when it would
    // not print legibly (control characters, a lone surrogate).
    const codePoint = source.codePointAt(offset) ?? 0;
    const char = String.fromCodePoint(codePoint);
    for (let i = 0; i < char.length; i++) advance();
    const hint = LOOKALIKE_HINTS[c];
    const span = spanFrom(startLine, startColumn);
    const shown = /[\p{Cc}\p{Cs}\p{Cf}]/u.test(char)
      ? `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
      : char;
    pushError(char, span, diag('E0201', span, { char: shown }, hint ? { hint } : {}));
  }
  push('eof', '', { file, line, column, endLine: line, endColumn: column });
  return { tokens, diagnostics };

  function lexNumber(startLine: number, startColumn: number): void {
    const start = offset;
    let isFloat = false;
    let malformed = false;
    if (source[offset] === '0' && (peekChar(1) === 'x' || peekChar(1) === 'X')) {
      advance();
      advance();
      if (!isHexDigit(peekChar())) malformed = true;
      while (isHexDigit(peekChar())) advance();
    } else {
      while (isDigit(peekChar())) advance();
      if (peekChar() === '.' && isDigit(peekChar(1))) {
        isFloat = true;
        advance();
        while (isDigit(peekChar())) advance();
      }
      if (peekChar() === 'e' || peekChar() === 'E') {
        const signed = peekChar(1) === '+' || peekChar(1) === '-';
        if (isDigit(peekChar(signed ? 2 : 1))) {
          isFloat = true;
          advance();
          if (signed) advance();
          while (isDigit(peekChar())) advance();
        }
      }
    }
    // `12abc` is one malformed token, not a number applied to a variable.
    if (isIdentPart(peekChar())) {
      malformed = true;
      while (isIdentPart(peekChar())) advance();
    }
    const text = source.slice(start, offset);
    const span = spanFrom(startLine, startColumn);
    if (malformed) {
      diagnostics.push(diag('E0203', span, { text }));
      push('int', text, span, 0);
      return;
    }
    // An Int literal is a 32-bit pattern (`0xFFFFFFFF` and `4294967295` are -1, as in C); one
    // needing more bits, or a Float literal beyond the 32-bit range, would silently change value.
    const value = isFloat ? Math.fround(Number(text)) : BigInt(text);
    if (isFloat ? !Number.isFinite(value) : (value as bigint) >= 2n ** 32n) {
      diagnostics.push(
        diag(
          'E0209',
          span,
          { text, range: isFloat ? 'a 32-bit Float' : '32 bits' },
          {
            hint: isFloat
              ? 'the largest Float is about 3.4e38'
              : 'Int is 32 bits: the largest literal is 4294967295 (0xFFFFFFFF, which is -1)',
          },
        ),
      );
      push(isFloat ? 'float' : 'int', text, span, 0);
      return;
    }
    if (isFloat) push('float', text, span, value as number);
    else push('int', text, span, Number(BigInt.asIntN(32, value as bigint)));
  }
}
