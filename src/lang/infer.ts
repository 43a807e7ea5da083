/**
 * Hindley–Milner type inference (Algorithm W with Rémy levels and in-place unification).
 *
 * - Top-level functions are inferred one dependency group (strongly connected component) at a
 *   time, in dependency order. Inside a group, the members without a signature are inferred
 *   together (monomorphic among themselves) and then generalised; each member with a
 *   signature is then checked alone against its signature, whose type variables are rigid
 *   (skolems): a signature more general than the definition is an error (E0403), a less general
 *   one is fine. Everybody else uses the signature, so signatures allow polymorphic recursion.
 * - let, letrec and top-level bindings are generalised only when the bound expression is a
 *   syntactic value (a lambda, a function with parameters, a constructor applied to values…),
 *   so `newRef` results stay monomorphic.
 * - Operators: `+ - * /` and unary minus on Int or Float, `%` on Int, `< <= > >=` on Int or
 *   Float, `==` on Int, Float or Bool, `&& || !` on Bool — resolved per use through constrained
 *   variables, defaulting to Int. Every binary/unary node gets `resolved`.
 * - One error per top-level function: the first type error abandons the function, which is then
 *   given the type `∀a. a` (or its signature) so its uses do not cascade.
 */
import type { Expr, FunctionDecl, Literal, Pattern, Span } from './ast.js';
import { BUILTINS } from './builtins.js';
import type { Diagnostic } from './diagnostic.js';
import {
  convertTypeExpr,
  type ConstructorInfo,
  type DataInfo,
  type TypeVariableResolver,
} from './datatypes.js';
import { lex } from './lexer.js';
import type { NameResult } from './names.js';
import { parseTypeText } from './parser.js';
import { diag, type DiagExtras } from './report.js';
import {
  BOOL,
  con,
  FLOAT,
  fn,
  freshVar,
  generalize,
  instantiate,
  INT,
  isSkolem,
  lowerLevels,
  monoScheme,
  printType,
  prune,
  skolemNames,
  toTypeDesc,
  tuple,
  TypeNamer,
  UNIT,
  unify,
  UnifyError,
  type Scheme,
  type Type,
  type TypeVar,
} from './types.js';
import type { TypeDesc } from '../isa/program.js';

export interface InferResult {
  readonly diagnostics: Diagnostic[];
  /** The (generalised) type of every top-level function that has one. */
  readonly functionTypes: ReadonlyMap<string, TypeDesc>;
  /** Every `spawnExternal ch n` with a literal n (for image metadata). */
  readonly externalChannels: readonly ExternalChannel[];
}

/**
 * A channel bound to driver `driver` by `spawnExternal ch driver` with a literal driver
 * number: the channel's element type, so a system can check a link end's message type against
 * the program at load time. A type variable means the program does not fix it.
 */
export interface ExternalChannel {
  readonly driver: number;
  readonly element: TypeDesc;
}

/** Thrown after a type error has been reported; caught per top-level function. */
class TypeAbort extends Error {}

interface Env {
  readonly vars: ReadonlyMap<string, Scheme>;
  readonly parent?: Env;
}

const OPERATOR_TYPES: Readonly<Record<string, readonly string[]>> = {
  '+': ['Int', 'Float'],
  '-': ['Int', 'Float'],
  '*': ['Int', 'Float'],
  '/': ['Int', 'Float'],
  neg: ['Int', 'Float'],
  '%': ['Int'],
  '<': ['Int', 'Float'],
  '<=': ['Int', 'Float'],
  '>': ['Int', 'Float'],
  '>=': ['Int', 'Float'],
  '==': ['Int', 'Float', 'Bool'],
  '&&': ['Bool'],
  '||': ['Bool'],
  '!': ['Bool'],
};
const COMPARISONS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '==']);

let builtinSchemes: Map<string, Scheme> | undefined;

/** Built-in types, parsed once from their CamIoT text in builtins.ts. */
function builtinScheme(name: string, arities: ReadonlyMap<string, number>): Scheme | undefined {
  if (!builtinSchemes) {
    builtinSchemes = new Map();
    for (const b of BUILTINS) {
      const texpr = parseTypeText(lex(b.type, '<builtin>').tokens);
      const vars = new Map<string, TypeVar>();
      const type =
        texpr &&
        convertTypeExpr(
          texpr,
          arities,
          (n) => {
            let v = vars.get(n);
            if (!v) vars.set(n, (v = freshVar(1)));
            return v;
          },
          [],
        );
      if (!type) throw new Error(`internal error: built-in ${b.name} has a malformed type`);
      builtinSchemes.set(b.name, { quantified: [...vars.values()].map((v) => v.id), type });
    }
  }
  return builtinSchemes.get(name);
}

export function inferTypes(names: NameResult, data: DataInfo): InferResult {
  return new Inferencer(names, data).run();
}

/** Expressions whose evaluation cannot allocate a Ref: safe to generalise. */
function isSyntacticValue(e: Expr): boolean {
  switch (e.kind) {
    case 'lit':
    case 'var':
    case 'con':
    case 'lam':
      return true;
    case 'tuple':
      return e.items.every(isSyntacticValue);
    case 'app': {
      let head: Expr = e;
      const args: Expr[] = [];
      while (head.kind === 'app') {
        args.push(head.arg);
        head = head.fn;
      }
      return head.kind === 'con' && args.every(isSyntacticValue);
    }
    default:
      return false;
  }
}

function literalType(lit: Literal): Type {
  switch (lit.kind) {
    case 'int':
      return INT;
    case 'float':
      return FLOAT;
    case 'bool':
      return BOOL;
    case 'unit':
      return UNIT;
  }
}

class Inferencer {
  private level = 0;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly globals = new Map<string, Scheme>();
  private readonly signatures = new Map<string, Scheme>();
  private readonly operatorUses: { node: Expr & { resolved?: unknown }; type: Type }[] = [];
  /** `spawnExternal ch` applications and the type of `ch`, until the driver argument is seen. */
  private readonly spawnExternalChannels = new WeakMap<Expr, Type>();
  private readonly externalChannelTypes: { driver: number; channel: Type }[] = [];
  /** The function whose signature is being checked (for E0403 messages). */
  private checking: { name: string; signatureSpan: Span } | undefined;

  constructor(
    private readonly names: NameResult,
    private readonly data: DataInfo,
  ) {}

  run(): InferResult {
    for (const f of this.names.functions.values()) {
      if (!f.signature) continue;
      const vars = new Map<string, TypeVar>();
      const type = convertTypeExpr(
        f.signature,
        this.data.arities,
        this.signatureVariables(vars),
        this.diagnostics,
      );
      if (type)
        this.signatures.set(f.name, { quantified: [...vars.values()].map((v) => v.id), type });
    }
    for (const [name, scheme] of this.signatures) this.globals.set(name, scheme);

    for (const group of this.names.groups) {
      const members = group.names
        .map((n) => this.names.functions.get(n))
        .filter((f): f is FunctionDecl => f !== undefined);
      this.inferGroup(members.filter((f) => !this.signatures.has(f.name)));
      for (const f of members) if (this.signatures.has(f.name)) this.checkSignature(f);
    }

    this.resolveOperators();
    const functionTypes = new Map<string, TypeDesc>();
    for (const f of this.names.functions.values()) {
      const scheme = this.globals.get(f.name);
      if (!scheme) continue;
      const desc = toTypeDesc(scheme.type);
      f.resolvedType = desc;
      functionTypes.set(f.name, desc);
    }
    const externalChannels = this.externalChannelTypes.map(({ driver, channel }) => {
      const desc = toTypeDesc(channel);
      const element: TypeDesc =
        desc.kind === 'con' && desc.name === 'Channel' && desc.args[0]
          ? desc.args[0]
          : { kind: 'var', name: 'a' };
      return { driver, element };
    });
    return { diagnostics: this.diagnostics, functionTypes, externalChannels };
  }

  private signatureVariables(vars: Map<string, TypeVar>): TypeVariableResolver {
    return (name) => {
      let v = vars.get(name);
      if (!v) vars.set(name, (v = freshVar(1)));
      return v;
    };
  }

  // ------------------------------------------------------------ top-level groups

  private inferGroup(members: readonly FunctionDecl[]): void {
    if (members.length === 0) return;
    this.level++;
    const types = new Map(members.map((f) => [f.name, freshVar(this.level)]));
    for (const [name, v] of types) this.globals.set(name, monoScheme(v));
    const failed = new Set<string>();
    for (const f of members) {
      try {
        this.inferClauses(f, types.get(f.name) as TypeVar, undefined);
      } catch (e) {
        if (!(e instanceof TypeAbort)) throw e;
        failed.add(f.name);
      }
    }
    this.level--;
    for (const f of members) {
      const type = types.get(f.name) as TypeVar;
      if (failed.has(f.name)) {
        const any = freshVar(this.level + 1);
        this.globals.set(f.name, { quantified: [any.id], type: any });
        continue;
      }
      const only = f.clauses[0];
      const isValue =
        f.clauses.length > 1 ||
        (only !== undefined && (only.params.length > 0 || isSyntacticValue(only.body)));
      if (isValue) this.globals.set(f.name, generalize(type, this.level));
      else lowerLevels(type, this.level);
    }
  }

  private checkSignature(f: FunctionDecl): void {
    const declared = this.signatures.get(f.name);
    if (!declared || !f.signature) return;
    this.level++;
    const skolems = new Map<number, Type>();
    const namer = new TypeNamer();
    const rigid = (t: Type): Type => {
      const p = prune(t);
      if (p.kind === 'var') {
        if (!declared.quantified.includes(p.id)) return p;
        let s = skolems.get(p.id);
        if (!s) {
          s = { kind: 'con', name: namer.nameOf(p), args: [], skolemLevel: this.level };
          skolems.set(p.id, s);
        }
        return s;
      }
      return p.args.length === 0 ? p : { ...p, args: p.args.map(rigid) };
    };
    this.checking = { name: f.name, signatureSpan: f.signature.span };
    try {
      this.inferClauses(f, rigid(declared.type), f.signature.span);
    } catch (e) {
      if (!(e instanceof TypeAbort)) throw e;
    } finally {
      this.checking = undefined;
      this.level--;
    }
  }

  /**
   * Infers every clause of `f` against `expected`, parameter by parameter, so an error points
   * at the parameter or body that disagrees.
   */
  private inferClauses(f: FunctionDecl, expected: Type, signatureSpan: Span | undefined): void {
    const because = (what: string): DiagExtras =>
      signatureSpan
        ? {
            related: [
              {
                span: signatureSpan,
                message: `expected because of the signature of \`${f.name}\``,
              },
            ],
          }
        : { related: [{ span: f.span, message: what }] };
    for (const clause of f.clauses) {
      const bindings = new Map<string, Type>();
      let rest = expected;
      const env: Env = { vars: new Map() };
      clause.params.forEach((param) => {
        const paramType = this.inferPattern(param, bindings, true);
        const r = prune(rest);
        if (r.kind === 'con' && r.name === '->') {
          this.unifyAt(
            r.args[0] as Type,
            paramType,
            param.span,
            because(`other clauses of \`${f.name}\``),
          );
          rest = r.args[1] as Type;
        } else {
          const result = freshVar(this.level);
          this.unifyAt(
            rest,
            fn(paramType, result),
            param.span,
            because(`other clauses of \`${f.name}\``),
          );
          rest = result;
        }
      });
      const bodyEnv: Env = { vars: this.monoBindings(bindings), parent: env };
      const bodyType = this.infer(clause.body, bodyEnv);
      this.unifyAt(rest, bodyType, clause.body.span, because(`other clauses of \`${f.name}\``));
    }
  }

  private monoBindings(bindings: ReadonlyMap<string, Type>): Map<string, Scheme> {
    return new Map([...bindings].map(([n, t]) => [n, monoScheme(t)]));
  }

  // ------------------------------------------------------------ errors

  private unifyAt(expected: Type, found: Type, span: Span, extras: DiagExtras = {}): void {
    try {
      unify(expected, found);
    } catch (e) {
      if (!(e instanceof UnifyError)) throw e;
      this.report(e, expected, found, span, extras);
    }
  }

  private report(
    e: UnifyError,
    expected: Type,
    found: Type,
    span: Span,
    extras: DiagExtras,
  ): never {
    const namer = new TypeNamer(skolemNames(expected, found));
    const failure = e.failure;
    switch (failure.kind) {
      case 'occurs':
        this.diagnostics.push(
          diag(
            'E0402',
            span,
            {
              var: printType(failure.variable, namer),
              type: printType(failure.type, namer),
            },
            {
              hint: 'a value is used as if it contained itself; check the arguments of a recursive call',
            },
          ),
        );
        break;
      case 'constraint': {
        const c = failure.constraint;
        const op = c.op === 'neg' ? '-' : c.op;
        if (this.checking && isSkolem(failure.found)) {
          // `f : a -> a; f x = x + 1`: the signature promises more than the operator allows.
          this.signatureTooGeneral(
            this.checking,
            span,
            `\`${op}\` needs ${c.allowed.join(' or ')}, but type variable \`${printType(failure.found, namer)}\` stands for any type`,
          );
          break;
        }
        const allowed = c.allowed
          .join(c.allowed.length > 2 ? ', ' : ' or ')
          .replace(/, (\w+)$/, ' or $1');
        const sameSpan = c.span.line === span.line && c.span.column === span.column;
        this.diagnostics.push(
          diag(
            'E0404',
            span,
            { op, allowed, found: printType(failure.found, namer) },
            {
              ...(sameSpan
                ? {}
                : {
                    related: [
                      {
                        span: c.span,
                        message: `the operator \`${op}\` is used here`,
                      },
                    ],
                  }),
              ...(c.op === '=='
                ? {
                    hint: 'only numbers and booleans can be compared; match other values with `case`',
                  }
                : {}),
            },
          ),
        );
        break;
      }
      case 'rigid':
      case 'escape': {
        if (this.checking) {
          this.signatureTooGeneral(
            this.checking,
            span,
            failure.kind === 'escape'
              ? `type variable \`${failure.skolem.name}\` would have to be a fixed type`
              : `type variable \`${failure.skolem.name}\` would have to be \`${printType(failure.other, namer)}\``,
          );
          break;
        }
        this.mismatch(expected, found, span, extras, namer);
        break;
      }
      case 'mismatch':
        this.mismatch(expected, found, span, extras, namer);
        break;
    }
    throw new TypeAbort();
  }

  /** E0403: the signature of the function being checked promises a more general type. */
  private signatureTooGeneral(
    checking: { name: string; signatureSpan: Span },
    span: Span,
    detail: string,
  ): void {
    this.diagnostics.push(
      diag(
        'E0403',
        span,
        { name: checking.name, detail },
        {
          related: [{ span: checking.signatureSpan, message: 'the signature' }],
          hint: 'make the signature more specific, or remove it to infer the type',
        },
      ),
    );
  }

  private mismatch(
    expected: Type,
    found: Type,
    span: Span,
    extras: DiagExtras,
    namer: TypeNamer,
  ): void {
    const e = printType(expected, namer);
    const f = printType(found, namer);
    let hint = extras.hint;
    if (!hint && ((e === 'Int' && f === 'Float') || (e === 'Float' && f === 'Int')))
      hint = 'Int and Float do not mix; convert with `toFloat` or `truncate`';
    this.diagnostics.push(
      diag('E0401', span, { expected: e, found: f }, { ...extras, ...(hint ? { hint } : {}) }),
    );
  }

  // ------------------------------------------------------------ patterns

  private inferPattern(p: Pattern, bindings: Map<string, Type>, clauseParam = false): Type {
    switch (p.kind) {
      case 'pwild':
        return freshVar(this.level);
      case 'pvar': {
        const v = freshVar(this.level);
        bindings.set(p.name, v);
        return v;
      }
      case 'plit':
        return literalType(p.lit);
      case 'ptuple':
        return tuple(p.items.map((item) => this.inferPattern(item, bindings)));
      case 'pas': {
        const t = this.inferPattern(p.pattern, bindings);
        bindings.set(p.name, t);
        return t;
      }
      case 'pcon': {
        const info = this.data.constructors.get(p.con);
        if (!info) {
          // Unbound (already reported): still bind the variables inside.
          for (const arg of p.args) this.inferPattern(arg, bindings);
          return freshVar(this.level);
        }
        if (p.args.length !== info.arity) {
          const hint =
            clauseParam && p.args.length === 0 && info.arity > 0
              ? `in a function clause, put a constructor with arguments in parentheses: \`(${p.con} …)\``
              : undefined;
          this.diagnostics.push(
            diag(
              'E0409',
              p.span,
              { name: p.con, expected: info.arity, found: p.args.length },
              hint ? { hint } : {},
            ),
          );
          throw new TypeAbort();
        }
        let t = instantiate(info.scheme, this.level);
        for (const arg of p.args) {
          const argType = this.inferPattern(arg, bindings);
          const r = prune(t);
          if (r.kind !== 'con' || r.name !== '->')
            throw new Error('internal error: constructor arity');
          this.unifyAt(r.args[0] as Type, argType, arg.span);
          t = r.args[1] as Type;
        }
        return t;
      }
    }
  }

  // ------------------------------------------------------------ expressions

  /** Remembers the channel of `spawnExternal ch n` when n is a literal (see ExternalChannel). */
  private noteSpawnExternal(e: Expr & { kind: 'app' }, argType: Type): void {
    if (e.fn.kind === 'var' && e.fn.binding === 'builtin' && e.fn.name === 'spawnExternal') {
      this.spawnExternalChannels.set(e, argType);
      return;
    }
    const channel = this.spawnExternalChannels.get(e.fn);
    if (channel && e.arg.kind === 'lit' && e.arg.lit.kind === 'int')
      this.externalChannelTypes.push({ driver: e.arg.lit.value, channel });
  }

  private lookup(name: string, env: Env | undefined): Scheme | undefined {
    for (let e = env; e; e = e.parent) {
      const s = e.vars.get(name);
      if (s) return s;
    }
    return undefined;
  }

  private infer(e: Expr, env: Env): Type {
    switch (e.kind) {
      case 'lit':
        return literalType(e.lit);
      case 'var': {
        let scheme: Scheme | undefined;
        if (e.binding === 'local') scheme = this.lookup(e.name, env);
        else if (e.binding === 'top') scheme = this.globals.get(e.name);
        else if (e.binding === 'builtin') scheme = builtinScheme(e.name, this.data.arities);
        // Unbound names were reported by the name pass; they take any type.
        return scheme ? instantiate(scheme, this.level) : freshVar(this.level);
      }
      case 'con': {
        const info: ConstructorInfo | undefined = this.data.constructors.get(e.name);
        return info ? instantiate(info.scheme, this.level) : freshVar(this.level);
      }
      case 'app': {
        const fnType = prune(this.infer(e.fn, env));
        const argType = this.infer(e.arg, env);
        this.noteSpawnExternal(e, argType);
        if (fnType.kind === 'con' && fnType.name === '->') {
          this.unifyAt(fnType.args[0] as Type, argType, e.arg.span);
          return fnType.args[1] as Type;
        }
        if (fnType.kind === 'var') {
          const result = freshVar(this.level);
          this.unifyAt(fnType, fn(argType, result), e.fn.span);
          return result;
        }
        const what =
          e.fn.kind === 'var'
            ? `\`${e.fn.name}\``
            : e.fn.kind === 'con'
              ? `\`${e.fn.name}\``
              : 'this expression';
        this.diagnostics.push(
          diag(
            'E0410',
            e.fn.span,
            { what, type: printType(fnType) },
            e.fn.kind === 'app' ? { hint: 'it is given too many arguments' } : {},
          ),
        );
        throw new TypeAbort();
      }
      case 'lam': {
        const bindings = new Map<string, Type>();
        const params = e.params.map((p) => this.inferPattern(p, bindings));
        const body = this.infer(e.body, { vars: this.monoBindings(bindings), parent: env });
        return params.reduceRight<Type>((acc, p) => fn(p, acc), body);
      }
      case 'let': {
        this.level++;
        const valueType = this.infer(e.value, env);
        const bindings = new Map<string, Type>();
        const patternType = this.inferPattern(e.pattern, bindings);
        this.unifyAt(patternType, valueType, e.value.span);
        this.level--;
        const generalise = isSyntacticValue(e.value);
        const vars = new Map<string, Scheme>();
        for (const [name, t] of bindings) {
          if (generalise) vars.set(name, generalize(t, this.level));
          else {
            lowerLevels(t, this.level);
            vars.set(name, monoScheme(t));
          }
        }
        return this.infer(e.body, { vars, parent: env });
      }
      case 'letrec': {
        this.level++;
        const types = new Map(e.bindings.map((b) => [b.name, freshVar(this.level)]));
        const inner: Env = {
          vars: new Map([...types].map(([n, t]) => [n, monoScheme(t)])),
          parent: env,
        };
        for (const b of e.bindings) {
          const bindings = new Map<string, Type>();
          const params = b.params.map((p) => this.inferPattern(p, bindings));
          const body = this.infer(b.body, { vars: this.monoBindings(bindings), parent: inner });
          const t = params.reduceRight<Type>((acc, p) => fn(p, acc), body);
          this.unifyAt(types.get(b.name) as Type, t, b.span);
        }
        this.level--;
        const vars = new Map<string, Scheme>();
        for (const b of e.bindings) {
          const t = types.get(b.name) as Type;
          if (b.params.length > 0 || isSyntacticValue(b.body))
            vars.set(b.name, generalize(t, this.level));
          else {
            lowerLevels(t, this.level);
            vars.set(b.name, monoScheme(t));
          }
        }
        return this.infer(e.body, { vars, parent: env });
      }
      case 'if': {
        this.unifyAt(BOOL, this.infer(e.cond, env), e.cond.span, {
          hint: 'the condition of `if` must be a Bool',
        });
        const thenType = this.infer(e.then, env);
        const elseType = this.infer(e.else, env);
        this.unifyAt(thenType, elseType, e.else.span, {
          related: [{ span: e.then.span, message: 'expected because of the `then` branch' }],
        });
        return thenType;
      }
      case 'case': {
        const scrutineeType = this.infer(e.scrutinee, env);
        let result: Type | undefined;
        let firstArm: Span | undefined;
        for (const arm of e.arms) {
          const bindings = new Map<string, Type>();
          const patternType = this.inferPattern(arm.pattern, bindings);
          this.unifyAt(scrutineeType, patternType, arm.pattern.span, {
            related: [{ span: e.scrutinee.span, message: 'the value matched' }],
          });
          const bodyType = this.infer(arm.body, { vars: this.monoBindings(bindings), parent: env });
          if (!result) {
            result = bodyType;
            firstArm = arm.body.span;
          } else {
            this.unifyAt(result, bodyType, arm.body.span, {
              related: [{ span: firstArm ?? e.span, message: 'expected because of the first arm' }],
            });
          }
        }
        return result ?? freshVar(this.level);
      }
      case 'tuple':
        return tuple(e.items.map((item) => this.infer(item, env)));
      case 'binary': {
        const operand = this.operandVar(e.op, e.span);
        this.unifyAt(operand, this.infer(e.left, env), e.left.span);
        const rightType = this.infer(e.right, env);
        this.unifyAt(operand, rightType, e.right.span, {
          related: [
            { span: e.left.span, message: `expected because of the left operand of \`${e.op}\`` },
          ],
        });
        this.operatorUses.push({ node: e, type: operand });
        return COMPARISONS.has(e.op) ? BOOL : operand;
      }
      case 'unary': {
        const operand = this.operandVar(e.op, e.span);
        this.unifyAt(operand, this.infer(e.operand, env), e.operand.span);
        this.operatorUses.push({ node: e, type: operand });
        return operand;
      }
    }
  }

  private operandVar(op: string, span: Span): TypeVar {
    return freshVar(this.level, { allowed: OPERATOR_TYPES[op] ?? ['Int'], op, span });
  }

  /** Fills `resolved` on every operator node; still-open operand types default to Int. */
  private resolveOperators(): void {
    for (const use of this.operatorUses) {
      let t = prune(use.type);
      if (t.kind === 'var') {
        const allowed = t.constraint?.allowed ?? ['Int'];
        t.ref = con(allowed.includes('Int') ? 'Int' : (allowed[0] ?? 'Int'));
        t = prune(t);
      }
      const name = t.kind === 'con' ? t.name : 'Int';
      use.node.resolved = name === 'Float' ? 'float' : name === 'Bool' ? 'bool' : 'int';
    }
  }
}
