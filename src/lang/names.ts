/**
 * Name resolution: every variable and constructor must be bound, every definition unique, and
 * `main` must exist. Scoping is local > top-level > built-in. Forward references between
 * top-level definitions are allowed; the references found here give the dependency graph whose
 * strongly connected components (in dependency order) are the units of type inference.
 *
 * Sets `binding` on every `var` node. Names that a broken declaration would have defined (parse
 * errors) are treated as bound, so a syntax error never cascades into "unbound" errors.
 */
import type { DataDecl, Expr, FunctionDecl, Module, Pattern, Span } from './ast.js';
import { BUILTIN_BY_NAME } from './builtins.js';
import type { Diagnostic } from './diagnostic.js';
import { closestName, diag } from './report.js';

export interface ConstructorEntry {
  readonly data: DataDecl;
  /** The constructor's index within its declaration: its tag. */
  readonly index: number;
  readonly span: Span;
}

export interface FunctionGroup {
  /** Names of the functions in this strongly connected component, in declaration order. */
  readonly names: readonly string[];
  /** True when some member refers to a member of the group (itself included). */
  readonly recursive: boolean;
}

export interface NameResult {
  readonly diagnostics: Diagnostic[];
  readonly functions: ReadonlyMap<string, FunctionDecl>;
  readonly dataTypes: ReadonlyMap<string, DataDecl>;
  readonly constructors: ReadonlyMap<string, ConstructorEntry>;
  /** Dependency order: every group comes after the groups it refers to. */
  readonly groups: readonly FunctionGroup[];
}

interface Scope {
  readonly names: ReadonlySet<string>;
  readonly parent?: Scope;
}

const LITERAL_CONSTRUCTORS = ['True', 'False'];

export function resolveNames(module: Module, brokenNames: ReadonlySet<string>): NameResult {
  const diagnostics: Diagnostic[] = [];
  const functions = new Map<string, FunctionDecl>();
  const dataTypes = new Map<string, DataDecl>();
  const constructors = new Map<string, ConstructorEntry>();

  // ---- declarations
  const allFunctions: FunctionDecl[] = [];
  for (const d of module.decls) {
    if (d.kind === 'fun') allFunctions.push(d);
    else if (d.kind === 'mutrec') allFunctions.push(...d.functions);
    else declareData(d);
  }
  for (const f of allFunctions) {
    const first = functions.get(f.name);
    if (first) {
      diagnostics.push(
        diag(
          'E0304',
          f.span,
          { name: f.name },
          { related: [{ span: first.span, message: 'first defined here' }] },
        ),
      );
      continue;
    }
    functions.set(f.name, f);
  }
  if (!functions.has('main') && !brokenNames.has('main')) {
    const start = { file: module.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    diagnostics.push(
      diag(
        'E0308',
        start,
        {},
        { hint: 'add a definition `main = …`: its value is the result of the program' },
      ),
    );
  }

  // ---- bodies
  const topNames = new Set([...functions.keys()]);
  const references = new Map<string, Set<string>>();
  for (const f of functions.values()) {
    const refs = new Set<string>();
    references.set(f.name, refs);
    for (const clause of f.clauses) {
      const bound = bindPatterns(clause.params);
      resolveExpr(clause.body, { names: bound }, refs);
    }
  }

  return {
    diagnostics,
    functions,
    dataTypes,
    constructors,
    groups: stronglyConnected([...functions.keys()], references),
  };

  function declareData(d: DataDecl): void {
    const first = dataTypes.get(d.name);
    if (first) {
      diagnostics.push(
        diag(
          'E0305',
          d.span,
          { name: d.name },
          { related: [{ span: first.span, message: 'first declared here' }] },
        ),
      );
    } else {
      dataTypes.set(d.name, d);
    }
    const seenParams = new Set<string>();
    for (const p of d.params) {
      if (seenParams.has(p)) diagnostics.push(diag('E0312', d.span, { name: p }));
      seenParams.add(p);
    }
    d.constructors.forEach((c, index) => {
      const earlier = constructors.get(c.name);
      if (earlier) {
        diagnostics.push(
          diag(
            'E0306',
            c.span,
            { name: c.name },
            { related: [{ span: earlier.span, message: 'first declared here' }] },
          ),
        );
        return;
      }
      constructors.set(c.name, { data: d, index, span: c.span });
    });
  }

  // ---- scopes and patterns

  function lookupLocal(scope: Scope | undefined, name: string): boolean {
    for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
  function allLocals(scope: Scope | undefined): string[] {
    const names: string[] = [];
    for (let s = scope; s; s = s.parent) names.push(...s.names);
    return names;
  }

  /** The names bound by a list of patterns matched together (one clause, one lambda). */
  function bindPatterns(patterns: readonly Pattern[]): Set<string> {
    const bound = new Map<string, Span>();
    for (const p of patterns) collectPattern(p, bound);
    return new Set(bound.keys());
  }
  function collectPattern(p: Pattern, bound: Map<string, Span>): void {
    switch (p.kind) {
      case 'pvar':
        bindName(p.name, p.span, bound);
        return;
      case 'pas':
        bindName(p.name, p.span, bound);
        collectPattern(p.pattern, bound);
        return;
      case 'ptuple':
        for (const item of p.items) collectPattern(item, bound);
        return;
      case 'pcon':
        checkConstructor(p.con, p.span);
        for (const arg of p.args) collectPattern(arg, bound);
        return;
      case 'pwild':
      case 'plit':
        return;
    }
  }
  function bindName(name: string, span: Span, bound: Map<string, Span>): void {
    const first = bound.get(name);
    if (first) {
      diagnostics.push(
        diag('E0311', span, { name }, { related: [{ span: first, message: 'first bound here' }] }),
      );
      return;
    }
    bound.set(name, span);
  }
  function checkConstructor(name: string, span: Span): void {
    if (constructors.has(name) || brokenNames.has(name)) return;
    const suggestion = closestName(name, [...constructors.keys(), ...LITERAL_CONSTRUCTORS]);
    diagnostics.push(
      diag('E0302', span, { name }, suggestion ? { hint: `did you mean \`${suggestion}\`?` } : {}),
    );
  }

  // ---- expressions

  function resolveExpr(e: Expr, scope: Scope, refs: Set<string>): void {
    switch (e.kind) {
      case 'lit':
        return;
      case 'var': {
        if (lookupLocal(scope, e.name)) e.binding = 'local';
        else if (topNames.has(e.name)) {
          e.binding = 'top';
          refs.add(e.name);
        } else if (BUILTIN_BY_NAME.has(e.name)) e.binding = 'builtin';
        else if (!brokenNames.has(e.name)) {
          const suggestion = closestName(e.name, [
            ...allLocals(scope),
            ...topNames,
            ...BUILTIN_BY_NAME.keys(),
          ]);
          diagnostics.push(
            diag(
              'E0301',
              e.span,
              { name: e.name },
              suggestion ? { hint: `did you mean \`${suggestion}\`?` } : {},
            ),
          );
        }
        return;
      }
      case 'con':
        checkConstructor(e.name, e.span);
        return;
      case 'app':
        resolveExpr(e.fn, scope, refs);
        resolveExpr(e.arg, scope, refs);
        return;
      case 'lam':
        resolveExpr(e.body, { names: bindPatterns(e.params), parent: scope }, refs);
        return;
      case 'let':
        resolveExpr(e.value, scope, refs);
        resolveExpr(e.body, { names: bindPatterns([e.pattern]), parent: scope }, refs);
        return;
      case 'letrec': {
        const bound = new Map<string, Span>();
        for (const b of e.bindings) {
          const first = bound.get(b.name);
          if (first) {
            diagnostics.push(
              diag(
                'E0304',
                b.span,
                { name: b.name },
                { related: [{ span: first, message: 'first defined here' }] },
              ),
            );
          } else bound.set(b.name, b.span);
        }
        const inner: Scope = { names: new Set(bound.keys()), parent: scope };
        for (const b of e.bindings)
          resolveExpr(b.body, { names: bindPatterns(b.params), parent: inner }, refs);
        resolveExpr(e.body, inner, refs);
        return;
      }
      case 'if':
        resolveExpr(e.cond, scope, refs);
        resolveExpr(e.then, scope, refs);
        resolveExpr(e.else, scope, refs);
        return;
      case 'case':
        resolveExpr(e.scrutinee, scope, refs);
        for (const arm of e.arms)
          resolveExpr(arm.body, { names: bindPatterns([arm.pattern]), parent: scope }, refs);
        return;
      case 'tuple':
        for (const item of e.items) resolveExpr(item, scope, refs);
        return;
      case 'binary':
        resolveExpr(e.left, scope, refs);
        resolveExpr(e.right, scope, refs);
        return;
      case 'unary':
        resolveExpr(e.operand, scope, refs);
        return;
    }
  }
}

/** Tarjan's algorithm; emits each component after every component it depends on. */
export function stronglyConnected(
  nodes: readonly string[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): FunctionGroup[] {
  const order = new Map(nodes.map((n, i) => [n, i]));
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: FunctionGroup[] = [];
  let counter = 0;

  const visit = (node: string): void => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node) ?? 0, lowLink.get(next) ?? 0));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const members: string[] = [];
      for (;;) {
        const m = stack.pop() as string;
        onStack.delete(m);
        members.push(m);
        if (m === node) break;
      }
      members.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      const recursive = members.length > 1 || (edges.get(node)?.has(node) ?? false);
      groups.push({ names: members, recursive });
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return groups;
}
