/**
 * The CamIoT abstract syntax tree: the contract between the front end (lexer, layout, parser,
 * names, types) and the back end (pattern compilation, lowering, CAM code generation).
 *
 * The parser builds it; the type checker fills the `resolved` slots (the back end relies on them
 * being set for every well-typed program); nothing else mutates it.
 */
import type { TypeDesc } from '../isa/program.js';

/** A source range: 1-based line and column of the first character, and of the end (exclusive). */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

// ---------------------------------------------------------------- types as written in source

export type TypeExpr =
  | {
      readonly kind: 'tcon';
      readonly name: string;
      readonly args: readonly TypeExpr[];
      readonly span: Span;
    } // Int, Bool, Float, Maybe a, Channel Int …
  | { readonly kind: 'tvar'; readonly name: string; readonly span: Span }
  | { readonly kind: 'tunit'; readonly span: Span }
  | { readonly kind: 'ttuple'; readonly items: readonly TypeExpr[]; readonly span: Span }
  | { readonly kind: 'tfun'; readonly from: TypeExpr; readonly to: TypeExpr; readonly span: Span };

// ---------------------------------------------------------------- patterns

export type Literal =
  | { readonly kind: 'int'; readonly value: number } // already wrapped to 32 bits
  | { readonly kind: 'float'; readonly value: number } // already rounded to float32
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'unit' };

export type Pattern =
  | { readonly kind: 'pwild'; readonly span: Span }
  | { readonly kind: 'pvar'; readonly name: string; readonly span: Span }
  | { readonly kind: 'plit'; readonly lit: Literal; readonly span: Span }
  | { readonly kind: 'ptuple'; readonly items: readonly Pattern[]; readonly span: Span }
  | {
      readonly kind: 'pcon';
      readonly con: string;
      readonly args: readonly Pattern[];
      readonly span: Span;
    }
  | { readonly kind: 'pas'; readonly name: string; readonly pattern: Pattern; readonly span: Span };

// ---------------------------------------------------------------- expressions

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '==' | '&&' | '||';
export type UnaryOp = '!' | 'neg';

export type VarBinding = 'local' | 'top' | 'builtin';

/** The operand type an arithmetic/comparison operator was resolved to by the type checker. */
export type OperandType = 'int' | 'float' | 'bool';

export interface CaseArm {
  readonly pattern: Pattern;
  readonly body: Expr;
  readonly span: Span;
}

export interface LetBinding {
  readonly name: string;
  readonly params: readonly Pattern[];
  readonly body: Expr;
  readonly span: Span;
}

export type Expr =
  | { readonly kind: 'lit'; readonly lit: Literal; readonly span: Span }
  | {
      readonly kind: 'var';
      readonly name: string;
      readonly span: Span;
      /**
       * Set by the front end's name pass (lang/names.ts): what the name refers to. Scoping is
       * local > top-level > built-in, so a top-level definition may shadow a built-in (programs
       * written for SynchronVM define their own `abs`, `timeout`, …).
       */
      binding?: VarBinding;
    } // variables, top-level functions and built-ins
  | { readonly kind: 'con'; readonly name: string; readonly span: Span } // a constructor used as a value (curried)
  | { readonly kind: 'app'; readonly fn: Expr; readonly arg: Expr; readonly span: Span }
  | {
      readonly kind: 'lam';
      readonly params: readonly Pattern[];
      readonly body: Expr;
      readonly span: Span;
    }
  | {
      readonly kind: 'let';
      readonly pattern: Pattern;
      readonly value: Expr;
      readonly body: Expr;
      readonly span: Span;
    }
  | {
      readonly kind: 'letrec';
      readonly bindings: readonly LetBinding[];
      readonly body: Expr;
      readonly span: Span;
    }
  | {
      readonly kind: 'if';
      readonly cond: Expr;
      readonly then: Expr;
      readonly else: Expr;
      readonly span: Span;
    }
  | {
      readonly kind: 'case';
      readonly scrutinee: Expr;
      readonly arms: readonly CaseArm[];
      readonly span: Span;
    }
  | { readonly kind: 'tuple'; readonly items: readonly Expr[]; readonly span: Span } // 2 or more items
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly span: Span;
      /** Set by the type checker for arithmetic and comparisons. */
      resolved?: OperandType;
    }
  | {
      readonly kind: 'unary';
      readonly op: UnaryOp;
      readonly operand: Expr;
      readonly span: Span;
      resolved?: OperandType;
    };

// ---------------------------------------------------------------- declarations

export interface Clause {
  readonly params: readonly Pattern[];
  readonly body: Expr;
  readonly span: Span;
}

/** A top-level function or value: its optional signature and one or more clauses. */
export interface FunctionDecl {
  readonly kind: 'fun';
  readonly name: string;
  readonly signature?: TypeExpr;
  readonly clauses: readonly Clause[];
  readonly span: Span;
  /** Set by the type checker: the generalised type, for metadata and diagnostics. */
  resolvedType?: TypeDesc;
}

export interface ConstructorDecl {
  readonly name: string;
  /** The declared type `A -> B -> T a` as written. */
  readonly type: TypeExpr;
  readonly span: Span;
}

export interface DataDecl {
  readonly kind: 'data';
  readonly name: string;
  readonly params: readonly string[];
  readonly constructors: readonly ConstructorDecl[];
  readonly span: Span;
}

/** A `mutrec` block: mutually recursive functions (each may have several clauses). */
export interface MutrecDecl {
  readonly kind: 'mutrec';
  readonly functions: readonly FunctionDecl[];
  readonly span: Span;
}

export type Decl = FunctionDecl | DataDecl | MutrecDecl;

export interface Module {
  readonly file: string;
  readonly decls: readonly Decl[];
}
