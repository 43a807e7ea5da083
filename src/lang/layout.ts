/**
 * Layout: turns indentation into explicit block structure, as Haskell's algorithm L does, so the
 * parser only ever sees `{`, `;` and `}` (virtual ones are `vopen`, `vsemi`, `vclose`).
 *
 * - The whole module is one implicit block at column 1: every line starting in column 1 begins
 *   a new top-level declaration (and closes whatever was left open, which makes error recovery
 *   at declaration boundaries reliable).
 * - After `where`, `of`, `let`, `letrec` and `mutrec` a block opens at the column of the next
 *   token, unless that token is an explicit `{`. A line starting at that column inserts `;`, a
 *   line starting left of it closes the block.
 * - Inside parentheses opened after the innermost block, line starts insert nothing, so an
 *   expression may span lines freely inside `( … )`; `)` and `,` close the blocks opened inside
 *   the parentheses, `then`/`else` those opened since the matching `if`, `in` the `let` block.
 *   (This is the useful part of Haskell's parse-error(t) rule; the reference gets it wrong.)
 *
 * Comments were already removed by the lexer, so they cannot open, close or split blocks.
 */
import type { Span } from './ast.js';
import type { Token } from './lexer.js';

const BLOCK_KEYWORDS: ReadonlySet<string> = new Set(['where', 'of', 'let', 'letrec', 'mutrec']);

type Entry =
  | { readonly kind: 'implicit'; readonly column: number; readonly opener: string }
  | { readonly kind: 'explicit' }
  | { readonly kind: 'paren' }
  | { readonly kind: 'if' };

export function layout(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  const stack: Entry[] = [];
  const blockDepth = (): number =>
    stack.filter((e) => e.kind === 'implicit' || e.kind === 'explicit').length;

  const virtual = (kind: 'vopen' | 'vsemi' | 'vclose', at: Span, depth: number): Token => {
    const point = { file: at.file, line: at.line, column: at.column };
    return {
      kind,
      text: kind === 'vopen' ? '{' : kind === 'vsemi' ? ';' : '}',
      span: { ...point, endLine: point.line, endColumn: point.column },
      firstOnLine: false,
      depth,
    };
  };
  const closeTop = (at: Span): void => {
    const top = stack[stack.length - 1];
    if (top?.kind === 'implicit') out.push(virtual('vclose', at, blockDepth()));
    stack.pop();
  };
  /** Closes implicit blocks (and pending `if`s) above the innermost entry matching `stop`. */
  const closeImplicitAbove = (stop: (e: Entry) => boolean, at: Span): Entry | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const e = stack[i] as Entry;
      if (stop(e)) {
        while (stack.length - 1 > i) closeTop(at);
        return e;
      }
      if (e.kind === 'explicit' || e.kind === 'paren') return undefined;
    }
    return undefined;
  };
  const innermostImplicitColumn = (): number => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const e = stack[i] as Entry;
      if (e.kind === 'implicit') return e.column;
      if (e.kind === 'explicit') return 0;
    }
    return 0;
  };

  const first = tokens[0];
  if (!first) return out;
  stack.push({ kind: 'implicit', column: 1, opener: 'module' });
  out.push(virtual('vopen', first.span, 1));

  let pendingOpener: string | undefined;
  for (const token of tokens) {
    let justOpened = false;
    if (pendingOpener !== undefined) {
      const opener = pendingOpener;
      pendingOpener = undefined;
      if (token.kind === 'symbol' && token.text === '{') {
        stack.push({ kind: 'explicit' });
        token.depth = blockDepth();
        out.push(token);
        continue;
      }
      if (token.kind === 'eof' || token.span.column <= innermostImplicitColumn()) {
        // An empty block: the next token is not indented past the enclosing one.
        out.push(virtual('vopen', token.span, blockDepth() + 1));
        out.push(virtual('vclose', token.span, blockDepth() + 1));
      } else {
        stack.push({ kind: 'implicit', column: token.span.column, opener });
        out.push(virtual('vopen', token.span, blockDepth()));
        justOpened = true;
      }
    }

    if (token.kind === 'eof') {
      while (stack.length > 0) closeTop(token.span);
      out.push(token);
      break;
    }

    if (token.firstOnLine && !justOpened) newLine(token);

    if (token.kind === 'symbol') {
      switch (token.text) {
        case '(':
          stack.push({ kind: 'paren' });
          break;
        case ')':
          if (closeImplicitAbove((e) => e.kind === 'paren', token.span)) stack.pop();
          break;
        case ',':
          closeImplicitAbove((e) => e.kind === 'paren', token.span);
          break;
        case '{':
          stack.push({ kind: 'explicit' });
          token.depth = blockDepth();
          break;
        case '}': {
          // A stray `}` keeps no depth: the parser then reports it as an unexpected token.
          const depth = blockDepth();
          if (closeImplicitAbove((e) => e.kind === 'explicit', token.span)) {
            token.depth = depth;
            stack.pop();
          }
          break;
        }
        case ';':
          token.depth = blockDepth();
          break;
      }
    } else if (token.kind === 'keyword') {
      switch (token.text) {
        case 'if':
          stack.push({ kind: 'if' });
          break;
        case 'then':
          closeImplicitAbove((e) => e.kind === 'if', token.span);
          break;
        case 'else':
          if (closeImplicitAbove((e) => e.kind === 'if', token.span)) stack.pop();
          break;
        case 'in': {
          const isLetBlock = (e: Entry): boolean =>
            e.kind === 'implicit' && (e.opener === 'let' || e.opener === 'letrec');
          if (closeImplicitAbove(isLetBlock, token.span)) closeTop(token.span);
          break;
        }
      }
      if (BLOCK_KEYWORDS.has(token.text)) pendingOpener = token.text;
    }
    out.push(token);
  }
  return out;

  function newLine(token: Token): void {
    if (token.span.column === 1 && !stack.some((e) => e.kind === 'explicit')) {
      // A new top-level declaration: close everything the previous one left open.
      while (stack.length > 1) closeTop(token.span);
      out.push(virtual('vsemi', token.span, 1));
      return;
    }
    for (;;) {
      let i = stack.length - 1;
      while (i >= 0 && stack[i]?.kind === 'if') i--; // pending `if`s are transparent
      const e = stack[i];
      if (!e || e.kind !== 'implicit') return;
      if (token.span.column < e.column) {
        while (stack.length - 1 >= i) closeTop(token.span);
        continue;
      }
      if (token.span.column === e.column) out.push(virtual('vsemi', token.span, blockDepth()));
      return;
    }
  }
}
