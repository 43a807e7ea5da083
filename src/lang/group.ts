/**
 * Assembles the parser's raw items into the AST's declarations: consecutive clauses of one name
 * (and its signature, wherever it is written) become one FunctionDecl; a `mutrec` block is
 * grouped the same way inside itself.
 *
 * Errors: clauses of one function separated by other definitions (E0307), two signatures for one
 * name (E0310), a signature without a definition (E0309), clauses with different numbers of
 * arguments (E0206). The offending item is dropped so later passes see a consistent function.
 */
import type { Clause, Decl, FunctionDecl, Module, Span, TypeExpr } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import type { RawClause, RawItem, RawSignature } from './parser.js';
import { diag, spanJoin } from './report.js';

interface FunctionBuilder {
  readonly name: string;
  signature?: { readonly type: TypeExpr; readonly span: Span };
  readonly clauses: Clause[];
  /** Where the function is first mentioned (signature or first clause). */
  readonly firstSpan: Span;
  firstClauseSpan?: Span;
}

export interface GroupResult {
  readonly module: Module;
  readonly diagnostics: Diagnostic[];
}

export function groupDeclarations(items: readonly RawItem[], file: string): GroupResult {
  const diagnostics: Diagnostic[] = [];
  // Declarations in source order; a function takes the place where it is first mentioned.
  const ordered: (Decl | FunctionBuilder)[] = [];
  const topGrouper = new Grouper(diagnostics, (b) => ordered.push(b));
  for (const item of items) {
    if (item.kind === 'data') {
      ordered.push(item);
      topGrouper.interrupt();
    } else if (item.kind === 'mutrec') {
      const members: FunctionBuilder[] = [];
      const inner = new Grouper(diagnostics, (b) => members.push(b));
      for (const m of item.items) inner.add(m);
      inner.finish();
      const functions = members.filter((b) => b.clauses.length > 0).map(buildFunction);
      ordered.push({ kind: 'mutrec', functions, span: item.span });
      topGrouper.interrupt();
    } else {
      topGrouper.add(item);
    }
  }
  topGrouper.finish();
  const decls: Decl[] = [];
  for (const d of ordered) {
    if ('kind' in d) decls.push(d);
    else if (d.clauses.length > 0) decls.push(buildFunction(d));
  }
  return { module: { file, decls }, diagnostics };
}

function buildFunction(b: FunctionBuilder): FunctionDecl {
  const last = b.clauses[b.clauses.length - 1];
  const end = last ? last.span : b.firstSpan;
  return {
    kind: 'fun',
    name: b.name,
    ...(b.signature ? { signature: b.signature.type } : {}),
    clauses: b.clauses,
    span: spanJoin(b.firstSpan, end),
  };
}

class Grouper {
  private readonly byName = new Map<string, FunctionBuilder>();
  private current: string | undefined;

  private readonly builders: FunctionBuilder[] = [];

  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly onNewFunction: (b: FunctionBuilder) => void,
  ) {}

  private create(name: string, firstSpan: Span): FunctionBuilder {
    const builder: FunctionBuilder = { name, clauses: [], firstSpan };
    this.byName.set(name, builder);
    this.builders.push(builder);
    this.onNewFunction(builder);
    return builder;
  }

  /** Another kind of declaration comes between: the next clause cannot continue the last function. */
  interrupt(): void {
    this.current = undefined;
  }

  add(item: RawSignature | RawClause): void {
    let builder = this.byName.get(item.name);
    if (item.kind === 'sig') {
      if (builder?.signature) {
        this.diagnostics.push(
          diag(
            'E0310',
            item.nameSpan,
            { name: item.name },
            { related: [{ span: builder.signature.span, message: 'first signature here' }] },
          ),
        );
        return;
      }
      builder ??= this.create(item.name, item.span);
      builder.signature = { type: item.type, span: item.span };
      this.current = item.name;
      return;
    }
    if (builder && builder.clauses.length > 0 && this.current !== item.name) {
      this.diagnostics.push(
        diag(
          'E0307',
          item.nameSpan,
          { name: item.name },
          {
            related: [
              { span: builder.firstClauseSpan ?? builder.firstSpan, message: 'first defined here' },
            ],
            hint: 'write all clauses of a function together, or rename one of the definitions',
          },
        ),
      );
      this.current = item.name;
      return;
    }
    builder ??= this.create(item.name, item.clause.span);
    const first = builder.clauses[0];
    if (first && first.params.length !== item.clause.params.length) {
      this.diagnostics.push(
        diag(
          'E0206',
          item.clause.span,
          { name: item.name, first: first.params.length, other: item.clause.params.length },
          {
            related: [{ span: first.span, message: 'first clause here' }],
            ...bareConstructorHint(item.clause),
          },
        ),
      );
    } else {
      builder.clauses.push(item.clause);
      builder.firstClauseSpan ??= item.clause.span;
    }
    this.current = item.name;
  }

  /** Reports signatures that never got a definition. */
  finish(): void {
    for (const b of this.builders) {
      if (b.clauses.length === 0 && b.signature) {
        this.diagnostics.push(diag('E0309', b.signature.span, { name: b.name }));
      }
    }
  }
}

/** `f Cons x xs = …` is almost always `f (Cons x xs) = …`. */
function bareConstructorHint(clause: Clause): { hint?: string } {
  const index = clause.params.findIndex((p) => p.kind === 'pcon' && p.args.length === 0);
  const bare = clause.params[index];
  if (!bare || bare.kind !== 'pcon' || index === clause.params.length - 1) return {};
  return {
    hint: `if \`${bare.con}\` takes arguments, put the pattern in parentheses: \`(${bare.con} …)\``,
  };
}
