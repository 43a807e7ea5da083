/**
 * The CamIoT parser: recursive descent over the laid-out token stream, with precedence climbing
 * for operators. It produces raw top-level items (signatures, single clauses, data and mutrec
 * declarations); lang/group.ts assembles them into the AST's FunctionDecls.
 *
 * Error recovery: a syntax error records one diagnostic and abandons the innermost block item
 * (a top-level declaration, a case arm, a let binding, a constructor of a data declaration); the
 * parser skips to the next `;` or `}` of that block and goes on. Names of top-level declarations
 * that failed to parse are remembered so later passes do not report them as unbound.
 *
 * Operator precedence, loosest first: `||` (right) < `&&` (right) < `< <= > >= == /=`
 * (non-associative) < `+ -` (left) < `* / %` (left) < prefix `!` and `-` < application.
 */
import type {
  BinaryOp,
  CaseArm,
  Clause,
  ConstructorDecl,
  DataDecl,
  Expr,
  LetBinding,
  Literal,
  Pattern,
  Span,
  TypeExpr,
} from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import type { Token } from './lexer.js';
import { diag, spanJoin } from './report.js';

export type RawSignature = {
  readonly kind: 'sig';
  readonly name: string;
  readonly nameSpan: Span;
  readonly type: TypeExpr;
  readonly span: Span;
};
export type RawClause = {
  readonly kind: 'clause';
  readonly name: string;
  readonly nameSpan: Span;
  readonly clause: Clause;
};
export type RawMutrec = {
  readonly kind: 'mutrec';
  readonly items: readonly (RawSignature | RawClause)[];
  readonly span: Span;
};
export type RawItem = RawSignature | RawClause | DataDecl | RawMutrec;

export interface ParseResult {
  readonly items: RawItem[];
  /** Names of top-level declarations that did not parse (never reported as unbound). */
  readonly brokenNames: Set<string>;
  readonly diagnostics: Diagnostic[];
}

/** Thrown after a syntax error has been recorded; caught at the innermost block item. */
class ParseAbort extends Error {}

interface OperatorInfo {
  readonly prec: number;
  readonly assoc: 'left' | 'right' | 'none';
}
const OPERATORS: Readonly<Record<string, OperatorInfo>> = {
  '||': { prec: 1, assoc: 'right' },
  '&&': { prec: 2, assoc: 'right' },
  '<': { prec: 3, assoc: 'none' },
  '<=': { prec: 3, assoc: 'none' },
  '>': { prec: 3, assoc: 'none' },
  '>=': { prec: 3, assoc: 'none' },
  '==': { prec: 3, assoc: 'none' },
  '/=': { prec: 3, assoc: 'none' },
  '+': { prec: 4, assoc: 'left' },
  '-': { prec: 4, assoc: 'left' },
  '*': { prec: 5, assoc: 'left' },
  '/': { prec: 5, assoc: 'left' },
  '%': { prec: 5, assoc: 'left' },
};

export function parse(tokens: readonly Token[]): ParseResult {
  return new Parser(tokens).parseModule();
}

/** Parses a type written as text (built-in signatures); undefined if it does not parse. */
export function parseTypeText(tokens: readonly Token[]): TypeExpr | undefined {
  const parser = new Parser(tokens);
  try {
    const type = parser.type();
    return parser.atEnd() ? type : undefined;
  } catch (e) {
    if (e instanceof ParseAbort) return undefined;
    throw e;
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of file';
    case 'vsemi':
      return 'a new line';
    case 'vclose':
      return 'the end of the indented block';
    case 'vopen':
      return 'an indented block';
    case 'keyword':
      return `keyword \`${token.text}\``;
    default:
      return `\`${token.text}\``;
  }
}

class Parser {
  private pos = 0;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly brokenNames = new Set<string>();

  constructor(private readonly tokens: readonly Token[]) {}

  // ------------------------------------------------------------ token helpers

  private peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
    if (!t) throw new Error('internal error: empty token stream');
    return t;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private isSymbol(text: string, t: Token = this.peek()): boolean {
    return t.kind === 'symbol' && t.text === text;
  }
  private isKeyword(text: string, t: Token = this.peek()): boolean {
    return t.kind === 'keyword' && t.text === text;
  }
  private isBlockOpen(t: Token = this.peek()): boolean {
    return t.kind === 'vopen' || this.isSymbol('{', t);
  }
  private isBlockSemi(t: Token): boolean {
    return t.kind === 'vsemi' || this.isSymbol(';', t);
  }
  private isBlockClose(t: Token): boolean {
    return t.kind === 'vclose' || this.isSymbol('}', t);
  }
  private previousEnd(): Span {
    const t = this.tokens[Math.max(0, this.pos - 1)] ?? this.peek();
    return t.span;
  }

  private fail(expected: string, extraHint?: string): never {
    const found = this.peek();
    if (found.kind === 'error' && found.diagnostic) {
      this.diagnostics.push(found.diagnostic);
      throw new ParseAbort();
    }
    let hint = extraHint;
    if (!hint && this.isSymbol('=', found) && expected !== '`=`') hint = 'did you mean `==`?';
    if (!hint && found.kind === 'vclose' && this.endsBlockByIndentation(found))
      hint =
        'this line is indented less than the block it continues, which ends the block; indent it further';
    // An enclosing construct failing at the token an inner one already failed at is the same
    // mistake seen twice (`let g = \x ->` then a line indented too little): report it once.
    const previous = this.diagnostics[this.diagnostics.length - 1]?.span;
    if (previous?.line !== found.span.line || previous.column !== found.span.column)
      this.diagnostics.push(
        diag('E0204', found.span, { expected, found: describe(found) }, hint ? { hint } : {}),
      );
    throw new ParseAbort();
  }
  /** A block closed by a continuation line (not a new top-level declaration, not the end). */
  private endsBlockByIndentation(close: Token): boolean {
    const next = this.tokens.slice(this.pos).find((t) => t.kind !== 'vclose' && t.kind !== 'vsemi');
    return (
      next !== undefined &&
      next.kind !== 'eof' &&
      next.span.column > 1 &&
      next.span.line === close.span.line &&
      next.span.column === close.span.column
    );
  }
  private expectSymbol(text: string, hint?: string): Token {
    if (!this.isSymbol(text)) this.fail(`\`${text}\``, hint);
    return this.next();
  }
  private expectKeyword(text: string): Token {
    if (!this.isKeyword(text)) this.fail(`\`${text}\``);
    return this.next();
  }
  private expectLower(what: string): Token {
    if (this.peek().kind !== 'lower') this.fail(what);
    return this.next();
  }

  /**
   * A block `{ item ; item … }` (virtual or explicit). A failed item is skipped up to the next
   * separator of this block, so one error does not hide the items after it. In a block of
   * definitions (`defining`), an item followed by stray tokens (`main = x where x = 1`) is
   * dropped and its name marked broken, so the part that did parse adds no follow-on errors.
   */
  private block<T>(parseItem: () => T, defining = false): T[] {
    const open = this.peek();
    if (!this.isBlockOpen(open)) this.fail('an indented block');
    this.next();
    const depth = open.depth ?? 0;
    const items: T[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isBlockClose(t) && t.depth === depth) {
        this.next();
        return items;
      }
      if (this.isBlockSemi(t) && t.depth === depth) {
        this.next();
        continue;
      }
      if (t.kind === 'eof') {
        if (open.kind !== 'vopen') this.fail('`}`');
        return items;
      }
      const before = this.pos;
      try {
        const item = parseItem();
        const after = this.peek();
        if (!((this.isBlockSemi(after) || this.isBlockClose(after)) && after.depth === depth)) {
          if (defining) this.recordBroken(t);
          else items.push(item);
          this.fail(
            open.kind === 'vopen' ? 'a new line' : '`;` or `}`',
            this.isKeyword('where', after)
              ? 'CamIoT has no `where` clauses: use `let … in`, or define the helper at the top level'
              : undefined,
          );
        }
        items.push(item);
      } catch (e) {
        if (!(e instanceof ParseAbort)) throw e;
        this.skipToSeparator(depth);
        if (this.pos === before) this.next(); // always make progress
      }
    }
  }
  private skipToSeparator(depth: number): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (
        (this.isBlockSemi(t) || this.isBlockClose(t)) &&
        t.depth !== undefined &&
        t.depth <= depth
      )
        return;
      this.next();
    }
  }

  // ------------------------------------------------------------ declarations

  parseModule(): ParseResult {
    const start = this.peek();
    if (start.kind === 'eof') return { items: [], brokenNames: this.brokenNames, diagnostics: [] };
    const items: RawItem[] = this.block(() => {
      const first = this.peek();
      try {
        return this.topDecl();
      } catch (e) {
        if (e instanceof ParseAbort) this.recordBroken(first);
        throw e;
      }
    }, true);
    const end = this.peek();
    if (end.kind !== 'eof') this.fail('a declaration');
    return { items, brokenNames: this.brokenNames, diagnostics: this.diagnostics };
  }

  /** Remembers the name a failed declaration starting at `first` would have defined. */
  private recordBroken(first: Token): void {
    if (first.kind === 'lower' || first.kind === 'upper') this.brokenNames.add(first.text);
    else if (this.isKeyword('data', first)) {
      const nameToken = this.tokens[this.tokens.indexOf(first) + 1];
      if (nameToken?.kind === 'upper') this.brokenNames.add(nameToken.text);
    }
  }

  /** A block item whose failure marks the name it defines as broken. */
  private definingItem<T>(parseItem: () => T): T {
    const first = this.peek();
    try {
      return parseItem();
    } catch (e) {
      if (e instanceof ParseAbort) this.recordBroken(first);
      throw e;
    }
  }

  private topDecl(): RawItem {
    const t = this.peek();
    if (this.isKeyword('data', t)) return this.dataDecl();
    if (this.isKeyword('mutrec', t)) {
      this.next();
      const items = this.block(() => this.definingItem(() => this.functionItem()), true);
      return { kind: 'mutrec', items, span: spanJoin(t.span, this.previousEnd()) };
    }
    if (t.kind === 'lower') return this.functionItem();
    if (t.kind === 'upper')
      this.fail('a declaration', 'constructors are declared inside `data T where C : … -> T`');
    return this.fail('a declaration');
  }

  /** `name : type` or one clause `name apat* = expr`. */
  private functionItem(): RawSignature | RawClause {
    const nameToken = this.expectLower('a function name');
    if (this.isSymbol(':')) {
      this.next();
      const type = this.type();
      return {
        kind: 'sig',
        name: nameToken.text,
        nameSpan: nameToken.span,
        type,
        span: spanJoin(nameToken.span, type.span),
      };
    }
    const params: Pattern[] = [];
    while (this.startsAtomicPattern()) params.push(this.atomicPattern());
    this.expectSymbol('=');
    const body = this.expr();
    return {
      kind: 'clause',
      name: nameToken.text,
      nameSpan: nameToken.span,
      clause: { params, body, span: spanJoin(nameToken.span, body.span) },
    };
  }

  private dataDecl(): DataDecl {
    const start = this.next();
    const nameToken = this.peek();
    if (nameToken.kind !== 'upper') this.fail('the name of the data type (starting upper-case)');
    this.next();
    const params: string[] = [];
    while (this.peek().kind === 'lower') params.push(this.next().text);
    if (this.isSymbol('='))
      this.fail(
        '`where`',
        'CamIoT declares constructors with their types: `data T where A : T; B : Int -> T`',
      );
    this.expectKeyword('where');
    const constructors = this.block((): ConstructorDecl =>
      this.definingItem(() => {
        const conToken = this.peek();
        if (conToken.kind !== 'upper') this.fail('a constructor name (starting upper-case)');
        this.next();
        this.expectSymbol(':');
        const type = this.type();
        return { name: conToken.text, type, span: spanJoin(conToken.span, type.span) };
      }),
    );
    return {
      kind: 'data',
      name: nameToken.text,
      params,
      constructors,
      span: spanJoin(start.span, this.previousEnd()),
    };
  }

  // ------------------------------------------------------------ types

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  type(): TypeExpr {
    const from = this.btype();
    if (this.isSymbol('->')) {
      this.next();
      const to = this.type();
      return { kind: 'tfun', from, to, span: spanJoin(from.span, to.span) };
    }
    return from;
  }
  private btype(): TypeExpr {
    const t = this.peek();
    if (t.kind === 'upper') {
      this.next();
      const args: TypeExpr[] = [];
      while (this.startsAtomicType()) args.push(this.atype());
      return { kind: 'tcon', name: t.text, args, span: spanJoin(t.span, this.previousEnd()) };
    }
    return this.atype();
  }
  private startsAtomicType(): boolean {
    const t = this.peek();
    return t.kind === 'upper' || t.kind === 'lower' || this.isSymbol('(', t);
  }
  private atype(): TypeExpr {
    const t = this.peek();
    if (t.kind === 'upper') {
      this.next();
      return { kind: 'tcon', name: t.text, args: [], span: t.span };
    }
    if (t.kind === 'lower') {
      this.next();
      return { kind: 'tvar', name: t.text, span: t.span };
    }
    if (this.isSymbol('(', t)) {
      this.next();
      if (this.isSymbol(')')) {
        const close = this.next();
        return { kind: 'tunit', span: spanJoin(t.span, close.span) };
      }
      const items = [this.type()];
      while (this.isSymbol(',')) {
        this.next();
        items.push(this.type());
      }
      const close = this.expectSymbol(')');
      const span = spanJoin(t.span, close.span);
      const only = items[0];
      if (items.length === 1 && only) return { ...only, span } as TypeExpr;
      return { kind: 'ttuple', items, span };
    }
    return this.fail('a type');
  }

  // ------------------------------------------------------------ patterns

  private startsAtomicPattern(ahead = 0): boolean {
    const t = this.peek(ahead);
    return (
      t.kind === 'lower' ||
      t.kind === 'upper' ||
      t.kind === 'int' ||
      t.kind === 'float' ||
      this.isSymbol('_', t) ||
      this.isSymbol('(', t) ||
      this.isNegativeNumber(ahead)
    );
  }

  private isNegativeNumber(ahead: number): boolean {
    const following = this.peek(ahead + 1);
    return (
      this.isSymbol('-', this.peek(ahead)) &&
      (following.kind === 'int' || following.kind === 'float')
    );
  }

  /** A full pattern: `x as p`, `Con p1 … pn` (without parentheses), a negative literal, or atomic. */
  private pattern(): Pattern {
    const t = this.peek();
    if (t.kind === 'lower' && this.isKeyword('as', this.peek(1))) {
      this.next();
      this.next();
      const inner = this.pattern();
      return { kind: 'pas', name: t.text, pattern: inner, span: spanJoin(t.span, inner.span) };
    }
    if (t.kind === 'upper' && t.text !== 'True' && t.text !== 'False') {
      this.next();
      const args: Pattern[] = [];
      while (this.startsAtomicPattern()) args.push(this.atomicPattern());
      return { kind: 'pcon', con: t.text, args, span: spanJoin(t.span, this.previousEnd()) };
    }
    if (this.isSymbol('-', t)) {
      const lit = this.negativeLiteral();
      if (lit) return { kind: 'plit', lit: lit.lit, span: lit.span };
    }
    return this.atomicPattern();
  }

  private atomicPattern(): Pattern {
    const t = this.peek();
    const negative = this.negativeLiteral();
    if (negative) return { kind: 'plit', lit: negative.lit, span: negative.span };
    const literal = this.literal(t);
    if (literal) {
      this.next();
      return { kind: 'plit', lit: literal, span: t.span };
    }
    if (t.kind === 'lower') {
      this.next();
      return { kind: 'pvar', name: t.text, span: t.span };
    }
    if (t.kind === 'upper') {
      this.next();
      return { kind: 'pcon', con: t.text, args: [], span: t.span };
    }
    if (this.isSymbol('_', t)) {
      this.next();
      return { kind: 'pwild', span: t.span };
    }
    if (this.isSymbol('(', t)) {
      this.next();
      if (this.isSymbol(')')) {
        const close = this.next();
        return { kind: 'plit', lit: { kind: 'unit' }, span: spanJoin(t.span, close.span) };
      }
      const items = [this.pattern()];
      while (this.isSymbol(',')) {
        this.next();
        items.push(this.pattern());
      }
      const close = this.expectSymbol(')');
      const span = spanJoin(t.span, close.span);
      const only = items[0];
      if (items.length === 1 && only) return { ...only, span } as Pattern;
      return { kind: 'ptuple', items, span };
    }
    return this.fail('a pattern');
  }

  private literal(t: Token): Literal | undefined {
    if (t.kind === 'int') return { kind: 'int', value: t.value ?? 0 };
    if (t.kind === 'float') return { kind: 'float', value: t.value ?? 0 };
    if (t.kind === 'upper' && t.text === 'True') return { kind: 'bool', value: true };
    if (t.kind === 'upper' && t.text === 'False') return { kind: 'bool', value: false };
    return undefined;
  }

  /** `- 5` or `- 2.5` at the current position, as one literal; undefined (nothing consumed) otherwise. */
  private negativeLiteral(): { lit: Literal; span: Span } | undefined {
    const minus = this.peek();
    const number = this.peek(1);
    if (!this.isSymbol('-', minus) || (number.kind !== 'int' && number.kind !== 'float'))
      return undefined;
    this.next();
    this.next();
    const value = number.value ?? 0;
    const lit: Literal =
      number.kind === 'int' ? { kind: 'int', value: -value | 0 } : { kind: 'float', value: -value };
    return { lit, span: spanJoin(minus.span, number.span) };
  }

  // ------------------------------------------------------------ expressions

  expr(): Expr {
    const t = this.peek();
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'let':
          return this.letExpr();
        case 'letrec':
          return this.letrecExpr();
        case 'if':
          return this.ifExpr();
        case 'case':
          return this.caseExpr();
      }
    }
    if (this.isSymbol('\\', t)) return this.lambda();
    return this.binary(1);
  }

  private binary(minPrec: number): Expr {
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const info = t.kind === 'symbol' ? OPERATORS[t.text] : undefined;
      if (!info || info.prec < minPrec) return left;
      this.next();
      const right = this.binary(info.assoc === 'right' ? info.prec : info.prec + 1);
      left = this.makeBinary(t, left, right);
      if (info.assoc === 'none') {
        const following = this.peek();
        const followingInfo = following.kind === 'symbol' ? OPERATORS[following.text] : undefined;
        if (followingInfo?.prec === info.prec) {
          this.diagnostics.push(
            diag(
              'E0205',
              following.span,
              {},
              { hint: 'combine comparisons with `&&`: `a < b && b < c`' },
            ),
          );
          throw new ParseAbort();
        }
      }
    }
  }

  private makeBinary(opToken: Token, left: Expr, right: Expr): Expr {
    const span = spanJoin(left.span, right.span);
    if (opToken.text === '/=') {
      // `a /= b` is `!(a == b)`; the inner node keeps the operator's position for errors.
      const equal: Expr = { kind: 'binary', op: '==', left, right, span };
      return { kind: 'unary', op: '!', operand: equal, span };
    }
    return { kind: 'binary', op: opToken.text as BinaryOp, left, right, span };
  }

  private prefix(): Expr {
    const t = this.peek();
    if (this.isSymbol('!', t)) {
      this.next();
      const operand = this.prefix();
      return { kind: 'unary', op: '!', operand, span: spanJoin(t.span, operand.span) };
    }
    if (this.isSymbol('-', t)) {
      const lit = this.negativeLiteral();
      if (lit) return { kind: 'lit', lit: lit.lit, span: lit.span };
      this.next();
      const operand = this.prefix();
      return { kind: 'unary', op: 'neg', operand, span: spanJoin(t.span, operand.span) };
    }
    // `let`, `if`, `case` and lambdas extend as far right as possible, even as an operand.
    if (
      (t.kind === 'keyword' && ['let', 'letrec', 'if', 'case'].includes(t.text)) ||
      this.isSymbol('\\', t)
    )
      return this.expr();
    return this.application();
  }

  private startsAtom(t: Token = this.peek()): boolean {
    return (
      t.kind === 'lower' ||
      t.kind === 'upper' ||
      t.kind === 'int' ||
      t.kind === 'float' ||
      this.isSymbol('(', t)
    );
  }

  private application(): Expr {
    let fn = this.atom();
    while (this.startsAtom()) {
      const arg = this.atom();
      fn = { kind: 'app', fn, arg, span: spanJoin(fn.span, arg.span) };
    }
    return fn;
  }

  private atom(): Expr {
    const t = this.peek();
    const literal = this.literal(t);
    if (literal) {
      this.next();
      return { kind: 'lit', lit: literal, span: t.span };
    }
    if (t.kind === 'lower') {
      this.next();
      return { kind: 'var', name: t.text, span: t.span };
    }
    if (t.kind === 'upper') {
      this.next();
      return { kind: 'con', name: t.text, span: t.span };
    }
    if (this.isSymbol('(', t)) {
      this.next();
      if (this.isSymbol(')')) {
        const close = this.next();
        return { kind: 'lit', lit: { kind: 'unit' }, span: spanJoin(t.span, close.span) };
      }
      const items = [this.expr()];
      while (this.isSymbol(',')) {
        this.next();
        items.push(this.expr());
      }
      const close = this.expectSymbol(')');
      const span = spanJoin(t.span, close.span);
      const only = items[0];
      if (items.length === 1 && only) return { ...only, span } as Expr;
      return { kind: 'tuple', items, span };
    }
    return this.fail('an expression');
  }

  private letExpr(): Expr {
    const start = this.next();
    const bindings = this.block(() => this.letBinding());
    this.expectKeyword('in');
    const body = this.expr();
    if (bindings.length === 0) this.fail('a binding');
    // Several bindings in one `let` are sequential: nest them, the last innermost.
    let result = body;
    for (let i = bindings.length - 1; i >= 0; i--) {
      const b = bindings[i] as { pattern: Pattern; value: Expr };
      const span = i === 0 ? spanJoin(start.span, body.span) : spanJoin(b.pattern.span, body.span);
      result = { kind: 'let', pattern: b.pattern, value: b.value, body: result, span };
    }
    return result;
  }

  /** `p = e`, or `f p1 … pn = e` (sugar for `f = \p1 … pn -> e`, not recursive). */
  private letBinding(): { pattern: Pattern; value: Expr } {
    const t = this.peek();
    if (t.kind === 'lower' && this.startsAtomicPattern(1)) {
      this.next();
      const params: Pattern[] = [];
      while (this.startsAtomicPattern()) params.push(this.atomicPattern());
      this.expectSymbol('=');
      const body = this.expr();
      const lambda: Expr = { kind: 'lam', params, body, span: spanJoin(t.span, body.span) };
      return { pattern: { kind: 'pvar', name: t.text, span: t.span }, value: lambda };
    }
    const pattern = this.pattern();
    this.expectSymbol('=');
    return { pattern, value: this.expr() };
  }

  private letrecExpr(): Expr {
    const start = this.next();
    const bindings = this.block((): LetBinding => {
      const nameToken = this.expectLower('the name of a recursive binding');
      const params: Pattern[] = [];
      while (this.startsAtomicPattern()) params.push(this.atomicPattern());
      this.expectSymbol('=');
      const body = this.expr();
      return { name: nameToken.text, params, body, span: spanJoin(nameToken.span, body.span) };
    });
    this.expectKeyword('in');
    const body = this.expr();
    if (bindings.length === 0) this.fail('a binding');
    return { kind: 'letrec', bindings, body, span: spanJoin(start.span, body.span) };
  }

  private lambda(): Expr {
    const start = this.next();
    const params: Pattern[] = [];
    while (this.startsAtomicPattern()) params.push(this.atomicPattern());
    if (params.length === 0) this.fail('a parameter');
    this.expectSymbol('->', this.isSymbol('.') ? 'lambdas are written `\\x -> e`' : undefined);
    const body = this.expr();
    return { kind: 'lam', params, body, span: spanJoin(start.span, body.span) };
  }

  private ifExpr(): Expr {
    const start = this.next();
    const cond = this.expr();
    this.expectKeyword('then');
    const then = this.expr();
    if (!this.isKeyword('else'))
      this.fail('`else`', 'every `if` needs an `else` branch (it is an expression)');
    this.next();
    const otherwise = this.expr();
    return { kind: 'if', cond, then, else: otherwise, span: spanJoin(start.span, otherwise.span) };
  }

  private caseExpr(): Expr {
    const start = this.next();
    const scrutinee = this.expr();
    this.expectKeyword('of');
    const arms = this.block((): CaseArm => {
      const pattern = this.pattern();
      this.expectSymbol('->', this.isSymbol('=') ? 'case arms use `->`, not `=`' : undefined);
      const body = this.expr();
      return { pattern, body, span: spanJoin(pattern.span, body.span) };
    });
    if (arms.length === 0) {
      this.diagnostics.push(
        diag('E0204', this.previousEnd(), { expected: 'a case arm', found: 'none' }),
      );
      throw new ParseAbort();
    }
    return { kind: 'case', scrutinee, arms, span: spanJoin(start.span, this.previousEnd()) };
  }
}
