/**
 * Lowering: the type-checked AST to the core language (core.ts).
 *
 * - Every binder gets a program-unique name (`x.3`); top-level names keep their own (they are
 *   unique already), so labels in the disassembly read like the source.
 * - Pattern matching (clauses, case, let and lambda patterns) goes through match.ts; its
 *   warnings (E0501 non-exhaustive, E0502 unreachable) are collected here.
 * - Built-ins and constructors are saturated where they are applied to enough arguments and
 *   η-expanded into lambdas otherwise, so every built-in is first-class.
 * - The program becomes one expression: the top-level definitions reachable from `main`, in
 *   dependency order (strongly connected components), as `let` (values, evaluated once) and
 *   `letrec` (groups of functions) around `main`. Forward references therefore just work, and
 *   a top-level value (`ch = channel ()`) is evaluated exactly once.
 */
import type { Mnemonic } from '../isa/opcodes.js';
import type { TypeDesc, DataTypeDesc } from '../isa/program.js';
import { RtsCall } from '../isa/rts-calls.js';
import type {
  BinaryOp,
  Clause,
  DataDecl,
  Expr,
  FunctionDecl,
  Module,
  Pattern,
  Span,
  TypeExpr,
} from './ast.js';
import { BUILTIN_BY_NAME, type Builtin } from './builtins.js';
import { freeVars, isAccessPath, rightNested, type Core, type LetrecBinding } from './core.js';
import type { Diagnostic } from './diagnostic.js';
import { compileMatch, type ConstructorInfo, type MatchContext } from './match.js';
import { diag } from './report.js';

export interface LoweredProgram {
  /** The whole program as one expression whose value is `main`'s. */
  readonly core: Core;
  readonly dataTypes: readonly DataTypeDesc[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The names in scope while lowering: the top-level definitions, shared and never copied, and the
 * local binders, copied when a binder is added. Copying only the locals keeps a program of many
 * top-level definitions linear (copying everything made 20 000 definitions take minutes).
 */
class Scope {
  constructor(
    private readonly globals: ReadonlyMap<string, Core>,
    private readonly locals: ReadonlyMap<string, Core> = new Map(),
  ) {}

  get(name: string): Core | undefined {
    return this.locals.get(name) ?? this.globals.get(name);
  }

  with(entries: Iterable<readonly [string, Core]>): Scope {
    const locals = new Map(this.locals);
    for (const [name, core] of entries) locals.set(name, core);
    return new Scope(this.globals, locals);
  }
}

export function lowerModule(module: Module): LoweredProgram {
  const lowerer = new Lowerer(module);
  return lowerer.program();
}

/** Converts a source type to the metadata form used to print values. */
export function typeDescOf(t: TypeExpr): TypeDesc {
  switch (t.kind) {
    case 'tvar':
      return { kind: 'var', name: t.name };
    case 'tunit':
      return { kind: 'unit' };
    case 'ttuple':
      return { kind: 'tuple', items: t.items.map(typeDescOf) };
    case 'tfun':
      return { kind: 'fun', from: typeDescOf(t.from), to: typeDescOf(t.to) };
    case 'tcon':
      if (t.name === 'Int' && t.args.length === 0) return { kind: 'int' };
      if (t.name === 'Float' && t.args.length === 0) return { kind: 'float' };
      if (t.name === 'Bool' && t.args.length === 0) return { kind: 'bool' };
      return { kind: 'con', name: t.name, args: t.args.map(typeDescOf) };
  }
}

function constructorFields(t: TypeExpr): TypeExpr[] {
  const fields: TypeExpr[] = [];
  let cur = t;
  while (cur.kind === 'tfun') {
    fields.push(cur.from);
    cur = cur.to;
  }
  return fields;
}

/** Top-level functions, with `mutrec` blocks flattened. */
function topLevelFunctions(module: Module): FunctionDecl[] {
  const out: FunctionDecl[] = [];
  for (const d of module.decls) {
    if (d.kind === 'fun') out.push(d);
    else if (d.kind === 'mutrec') out.push(...d.functions);
  }
  return out;
}

class Lowerer implements MatchContext {
  private readonly constructors = new Map<string, ConstructorInfo>();
  private readonly dataTypes: DataTypeDesc[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private counter = 0;

  constructor(private readonly module: Module) {
    for (const d of module.decls) if (d.kind === 'data') this.addDataType(d);
  }

  constructorInfo(name: string): ConstructorInfo | undefined {
    return this.constructors.get(name);
  }

  fresh(hint: string): string {
    return `${hint}.${++this.counter}`;
  }

  private addDataType(d: DataDecl): void {
    const siblings = d.constructors.map((c, tag) => ({
      name: c.name,
      tag,
      arity: constructorFields(c.type).length,
    }));
    for (const s of siblings) this.constructors.set(s.name, { ...s, dataType: d.name, siblings });
    this.dataTypes.push({
      name: d.name,
      params: d.params,
      constructors: d.constructors.map((c, tag) => ({
        name: c.name,
        tag,
        fields: constructorFields(c.type).map(typeDescOf),
      })),
    });
  }

  program(): LoweredProgram {
    const functions = topLevelFunctions(this.module);
    const globalScope = new Map<string, Core>();
    for (const f of functions) globalScope.set(f.name, { k: 'var', name: f.name, span: f.span });
    const lowered = new Map<string, { decl: FunctionDecl; bind: LetrecBinding }>();
    for (const f of functions) {
      if (lowered.has(f.name)) continue; // a duplicate, reported by the front end
      lowered.set(f.name, {
        decl: f,
        bind: this.lowerFunction(f.name, f.clauses, new Scope(globalScope), f.span),
      });
    }
    const main = lowered.get('main');
    if (!main)
      return { core: { k: 'unit' }, dataTypes: this.dataTypes, diagnostics: this.diagnostics };

    // Dependencies between top-level definitions, restricted to those reachable from main.
    const deps = new Map<string, string[]>();
    for (const [name, { bind }] of lowered) {
      const free = new Set<string>();
      for (const v of freeVars(bind.body))
        if (lowered.has(v) && !bind.params.includes(v)) free.add(v);
      deps.set(name, [...free]);
    }
    const reachable = new Set<string>();
    const visit = (n: string): void => {
      if (reachable.has(n)) return;
      reachable.add(n);
      for (const d of deps.get(n) ?? []) visit(d);
    };
    visit('main');
    const order = [...lowered.keys()].filter((n) => reachable.has(n));
    const groups = stronglyConnected(order, (n) => deps.get(n) ?? []);

    let body: Core = { k: 'var', name: 'main', span: main.decl.span };
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g]!;
      const binds = group.map((n) => lowered.get(n)!);
      const first = binds[0]!;
      const selfRecursive =
        group.length > 1 || (deps.get(first.decl.name) ?? []).includes(first.decl.name);
      if (!selfRecursive && first.bind.params.length === 0) {
        body = {
          k: 'let',
          name: first.decl.name,
          value: first.bind.body,
          body,
          span: first.decl.span,
        };
        continue;
      }
      const value = binds.find((b) => b.bind.params.length === 0);
      if (value) {
        this.diagnostics.push(diag('E0590', value.decl.span, { name: value.decl.name }));
        continue;
      }
      body = { k: 'letrec', binds: binds.map((b) => b.bind), body };
    }
    return { core: body, dataTypes: this.dataTypes, diagnostics: dedupe(this.diagnostics) };
  }

  // ------------------------------------------------------------------ functions and matches

  /** A function (clauses with parameters) or a value (one clause without). */
  private lowerFunction(
    name: string,
    clauses: readonly Clause[],
    scope: Scope,
    span: Span,
  ): LetrecBinding {
    const first = clauses[0];
    if (!first) return { name, params: [], body: { k: 'unit' }, span };
    // `f = \x -> e` and `f x = \y -> e` are functions of all their leading lambda parameters.
    if (clauses.length === 1 && first.body.kind === 'lam') {
      const merged: Clause = {
        params: [...first.params, ...first.body.params],
        body: first.body.body,
        span: first.span,
      };
      return this.lowerFunction(name, [merged], scope, span);
    }
    const arity = first.params.length;
    if (arity === 0) return { name, params: [], body: this.expr(first.body, scope), span };
    const simple = clauses.length === 1 && first.params.every((p) => p.kind === 'pvar');
    if (simple) {
      const bound: [string, Core][] = [];
      const params = first.params.map((p) => {
        const unique = this.fresh(p.kind === 'pvar' ? p.name : 'arg');
        if (p.kind === 'pvar') bound.push([p.name, { k: 'var', name: unique, span: p.span }]);
        return unique;
      });
      return { name, params, body: this.expr(first.body, scope.with(bound)), span };
    }
    const params = Array.from({ length: arity }, (_, i) => this.fresh(`arg${i + 1}`));
    const body = this.match(
      params.map((p) => ({ k: 'var', name: p }) as Core),
      clauses.map((c) => ({ patterns: c.params, body: c.body, span: c.span })),
      scope,
      first.span,
      name === 'lambda' ? undefined : name.replace(/\.\d+$/, ''),
    );
    return { name, params, body, span };
  }

  private match(
    scrutinees: readonly Core[],
    rows: readonly { patterns: readonly Pattern[]; body: Expr; span: Span }[],
    scope: Scope,
    span: Span,
    functionName?: string,
  ): Core {
    const result = compileMatch(
      this,
      scrutinees,
      rows.map((r) => r.patterns),
      (row, bindings) => {
        return this.expr(rows[row]!.body, scope.with(bindings));
      },
      span,
      functionName,
    );
    if (result.missing !== undefined)
      this.diagnostics.push(diag('E0501', span, { missing: result.missing }));
    for (const r of result.unreachable) this.diagnostics.push(diag('E0502', rows[r]!.span));
    return result.tree;
  }

  /** Binds `value` to a name the body can use more than once, unless it already is one. */
  private shared(value: Core, hint: string, body: (c: Core) => Core): Core {
    if (isAccessPath(value)) return body(value);
    const name = this.fresh(hint);
    return { k: 'let', name, value, body: body({ k: 'var', name }), span: value.span };
  }

  // ------------------------------------------------------------------ expressions

  private expr(e: Expr, scope: Scope): Core {
    const span = e.span;
    switch (e.kind) {
      case 'lit':
        switch (e.lit.kind) {
          case 'int':
            return { k: 'int', value: e.lit.value, span };
          case 'float':
            return { k: 'float', value: e.lit.value, span };
          case 'bool':
            return { k: 'bool', value: e.lit.value, span };
          case 'unit':
            return { k: 'unit', span };
        }
        break;
      case 'var':
      case 'con':
      case 'app':
        return this.application(e, scope);
      case 'lam': {
        const bind = this.lowerFunction(
          'lambda',
          [{ params: e.params, body: e.body, span }],
          scope,
          span,
        );
        let body = bind.body;
        for (let i = bind.params.length - 1; i >= 0; i--)
          body = { k: 'lam', param: bind.params[i]!, body, span };
        return body;
      }
      case 'let': {
        const p = e.pattern;
        if (p.kind === 'pvar' && e.value.kind === 'lam') {
          // `let f x = e` (a let-bound lambda) becomes a known function: calls jump to it
          // directly instead of allocating and applying a closure. The name is not in scope in
          // its own body (let is not recursive), so the outer scope is used there.
          const name = this.fresh(p.name);
          const bind = this.lowerFunction(
            name,
            [{ params: e.value.params, body: e.value.body, span: e.value.span }],
            scope,
            e.value.span,
          );
          const inner = scope.with([[p.name, { k: 'var', name, span: p.span }]]);
          return { k: 'letrec', binds: [bind], body: this.expr(e.body, inner), span };
        }
        const value = this.expr(e.value, scope);
        if (p.kind === 'pvar') {
          const name = this.fresh(p.name);
          const inner = scope.with([[p.name, { k: 'var', name, span: p.span }]]);
          return { k: 'let', name, value, body: this.expr(e.body, inner), span };
        }
        const name = this.fresh('let');
        const body = this.match(
          [{ k: 'var', name }],
          [{ patterns: [p], body: e.body, span }],
          scope,
          span,
        );
        return { k: 'let', name, value, body, span };
      }
      case 'letrec': {
        const names = e.bindings.map((b) => this.fresh(b.name));
        const inner = scope.with(
          e.bindings.map((b, i) => [b.name, { k: 'var', name: names[i]!, span: b.span }] as const),
        );
        const binds = e.bindings.map((b, i) =>
          this.lowerFunction(
            names[i]!,
            [{ params: b.params, body: b.body, span: b.span }],
            inner,
            b.span,
          ),
        );
        let body = this.expr(e.body, inner);
        const functions = binds.filter((b) => b.params.length > 0);
        // Bindings without parameters are plain values; they may not refer to the group.
        const values = binds.filter((b) => b.params.length === 0);
        if (functions.length > 0) body = { k: 'letrec', binds: functions, body, span };
        for (const v of values.reverse()) {
          if ([...freeVars(v.body)].some((n) => names.includes(n))) {
            this.diagnostics.push(
              diag('E0590', v.span ?? span, { name: v.name.replace(/\.\d+$/, '') }),
            );
            continue;
          }
          body = { k: 'let', name: v.name, value: v.body, body, span };
        }
        return body;
      }
      case 'if':
        return {
          k: 'if',
          cond: this.expr(e.cond, scope),
          then: this.expr(e.then, scope),
          else: this.expr(e.else, scope),
          span,
        };
      case 'case': {
        const scrut = this.expr(e.scrutinee, scope);
        return this.shared(scrut, 'scrut', (s) =>
          this.match(
            [s],
            e.arms.map((a) => ({ patterns: [a.pattern], body: a.body, span: a.span })),
            scope,
            span,
          ),
        );
      }
      case 'tuple':
        return rightNested(
          e.items.map((i) => this.expr(i, scope)),
          span,
        );
      case 'binary':
        return this.binary(
          e.op,
          this.expr(e.left, scope),
          this.expr(e.right, scope),
          e.resolved,
          span,
        );
      case 'unary': {
        const operand = this.expr(e.operand, scope);
        if (e.op === '!') return { k: 'prim', op: 'NOT', args: [operand], span };
        return { k: 'prim', op: e.resolved === 'float' ? 'NEGF' : 'NEG', args: [operand], span };
      }
    }
    throw new Error('internal error: unknown expression');
  }

  private binary(
    op: BinaryOp,
    left: Core,
    right: Core,
    resolved: string | undefined,
    span: Span,
  ): Core {
    if (op === '&&')
      return { k: 'if', cond: left, then: right, else: { k: 'bool', value: false }, span };
    if (op === '||')
      return { k: 'if', cond: left, then: { k: 'bool', value: true }, else: right, span };
    const float = resolved === 'float';
    const table: Record<Exclude<BinaryOp, '&&' | '||'>, readonly [Mnemonic, Mnemonic]> = {
      '+': ['ADDI', 'ADDF'],
      '-': ['MINI', 'MINF'],
      '*': ['MULI', 'MULF'],
      '/': ['DIVI', 'DIVF'],
      '%': ['MODI', 'MODI'],
      '<': ['LTI', 'FLT'],
      '<=': ['LEI', 'FLE'],
      '>': ['GTI', 'FGT'],
      '>=': ['GEI', 'FGE'],
      '==': ['EQI', 'FEQ'],
    };
    return { k: 'prim', op: table[op][float ? 1 : 0], args: [left, right], span };
  }

  /** Variables, constructors and applications: saturate known heads, η-expand partial ones. */
  private application(e: Expr, scope: Scope): Core {
    const args: Expr[] = [];
    let head = e;
    while (head.kind === 'app') {
      args.unshift(head.arg);
      head = head.fn;
    }
    const loweredArgs = args.map((a) => this.expr(a, scope));
    const span = e.span;
    const apply = (fn: Core, rest: readonly Core[]): Core =>
      rest.length === 0 ? fn : { k: 'app', fn, args: rest, span };

    if (head.kind === 'var') {
      const local = scope.get(head.name);
      if (local) return apply(local, loweredArgs);
      const builtin = BUILTIN_BY_NAME.get(head.name);
      if (!builtin) throw new Error(`internal error: unbound variable ${head.name}`);
      return this.saturate(
        builtinArity(builtin),
        loweredArgs,
        span,
        (xs) => builtinCall(builtin, xs, span),
        apply,
      );
    }
    if (head.kind === 'con') {
      const info = this.constructors.get(head.name);
      if (!info) throw new Error(`internal error: unbound constructor ${head.name}`);
      return this.saturate(
        info.arity,
        loweredArgs,
        span,
        (xs) => ({ k: 'pack', tag: info.tag, payload: rightNested(xs, span), span }),
        apply,
      );
    }
    return apply(this.expr(head, scope), loweredArgs);
  }

  private saturate(
    arity: number,
    args: readonly Core[],
    span: Span,
    build: (xs: readonly Core[]) => Core,
    apply: (fn: Core, rest: readonly Core[]) => Core,
  ): Core {
    if (args.length >= arity) return apply(build(args.slice(0, arity)), args.slice(arity));
    // Partial: evaluate the given arguments now (once), then wait for the rest.
    const bound: Core[] = [];
    const lets: { name: string; value: Core }[] = [];
    for (const a of args) {
      if (isAccessPath(a) || a.k === 'int' || a.k === 'bool' || a.k === 'unit' || a.k === 'float') {
        bound.push(a);
      } else {
        const name = this.fresh('partial');
        lets.push({ name, value: a });
        bound.push({ k: 'var', name });
      }
    }
    const params = Array.from({ length: arity - args.length }, () => this.fresh('eta'));
    let body = build([...bound, ...params.map((p) => ({ k: 'var', name: p }) as Core)]);
    for (let i = params.length - 1; i >= 0; i--) body = { k: 'lam', param: params[i]!, body, span };
    for (let i = lets.length - 1; i >= 0; i--)
      body = { k: 'let', name: lets[i]!.name, value: lets[i]!.value, body, span };
    return body;
  }
}

function builtinArity(b: Builtin): number {
  return b.impl.arity;
}

function builtinCall(b: Builtin, args: readonly Core[], span: Span): Core {
  const impl = b.impl;
  switch (impl.kind) {
    case 'op':
      return { k: 'prim', op: impl.op, args, span };
    case 'syncT':
      return { k: 'syncT', args: [args[0]!, args[1]!, args[2]!], span };
    case 'rts': {
      const call = RtsCall[impl.call];
      if (call === undefined) throw new Error(`internal error: unknown runtime call ${impl.call}`);
      return { k: 'rts', call, args, span };
    }
  }
}

/** Tarjan's algorithm; components come out dependencies first. */
function stronglyConnected(
  nodes: readonly string[],
  edges: (n: string) => readonly string[],
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const known = new Set(nodes);
  const strong = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!known.has(w)) continue;
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.reverse());
    }
  };
  for (const n of nodes) if (!index.has(n)) strong(n);
  return out;
}

/** The same warning can come from a right-hand side compiled into two branches of a match. */
function dedupe(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}:${d.span.line}:${d.span.column}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
