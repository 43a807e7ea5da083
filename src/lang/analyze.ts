/**
 * The front end's public API: `analyze(source, file)` runs lexer → layout → parser → grouping →
 * names → data declarations → types, and returns everything the back end needs.
 *
 * Contract with the back end (pattern compilation, lowering, code generation):
 * - `diagnostics` are sorted by position. When any of them is an error, `info` is absent and
 *   `module` (if present) must not be compiled; it is returned for tools only.
 * - When there is no error, `module` is fully annotated:
 *   - every `var` node has `binding` ('local' | 'top' | 'builtin'); scoping is local >
 *     top-level > built-in, so a user's top-level `abs` hides the built-in one;
 *   - every `binary`/`unary` node has `resolved` ('int' | 'float' | 'bool');
 *     `a /= b` arrives as `!(a == b)`; `-5` and `-2.5` arrive as literals;
 *   - every top-level FunctionDecl has `resolvedType`; all clauses of a function have the
 *     same number of parameters; a multi-binding `let` arrives as nested single lets;
 *     `let f x = e` arrives as `let f = \x -> e`.
 * - `info.groups` lists the top-level functions as strongly connected components in
 *   dependency order (each group after the groups it uses); `recursive` tells whether a group
 *   refers to itself. Forward references are allowed, so code generation must follow this order
 *   (or bind all top-level functions recursively), not the source order.
 * - `info.constructors`: name → data type, tag (index within its declaration), arity and field
 *   types. `info.dataTypes` are the descriptors for image metadata (same tags).
 */
import type { FunctionDecl, Module } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import type { DataTypeDesc, TypeDesc } from '../isa/program.js';
import { checkDataTypes, type ConstructorInfo } from './datatypes.js';
import { groupDeclarations } from './group.js';
import { inferTypes, type ExternalChannel } from './infer.js';
import { layout } from './layout.js';
import { lex } from './lexer.js';
import { resolveNames, type FunctionGroup } from './names.js';
import { parse } from './parser.js';
import { compareDiagnostics, diag } from './report.js';

export type { ConstructorInfo } from './datatypes.js';
export type { FunctionGroup } from './names.js';

export interface ProgramInfo {
  readonly dataTypes: readonly DataTypeDesc[];
  readonly constructors: ReadonlyMap<string, ConstructorInfo>;
  /** Top-level functions by name (mutrec members included). */
  readonly functions: ReadonlyMap<string, FunctionDecl>;
  /** Dependency groups of top-level functions, dependencies first. */
  readonly groups: readonly FunctionGroup[];
  /** The type of `main`, with remaining type variables named `a`, `b`, … */
  readonly mainType: TypeDesc;
  /** Channels bound to a literal driver number by `spawnExternal`, with their element types. */
  readonly externalChannels: readonly ExternalChannel[];
}

export interface AnalyzeResult {
  readonly module?: Module;
  readonly info?: ProgramInfo;
  readonly diagnostics: Diagnostic[];
}

export function analyze(source: string, file: string): AnalyzeResult {
  try {
    return analyzeModule(source, file);
  } catch (e) {
    // The passes recurse over the syntax tree; an absurdly deep program must not crash the host.
    if (!(e instanceof RangeError)) throw e;
    const start = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { diagnostics: [diag('E0208', start)] };
  }
}

function analyzeModule(source: string, file: string): AnalyzeResult {
  const lexed = lex(source, file);
  const parsed = parse(layout(lexed.tokens));
  const grouped = groupDeclarations(parsed.items, file);
  const module = grouped.module;
  const diagnostics: Diagnostic[] = [
    ...lexed.diagnostics,
    ...parsed.diagnostics,
    ...grouped.diagnostics,
  ];
  const syntaxOk = !diagnostics.some((d) => d.severity === 'error');

  const names = resolveNames(module, parsed.brokenNames);
  diagnostics.push(...names.diagnostics);
  const data = checkDataTypes(names.dataTypes.values(), diagnostics);
  // Types are only checked on a module that parsed: a half-parsed function would only add
  // follow-on errors.
  const inferred = syntaxOk ? inferTypes(names, data) : undefined;
  if (inferred) diagnostics.push(...inferred.diagnostics);

  diagnostics.sort(compareDiagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { module, diagnostics };
  const main = names.functions.get('main');
  const info: ProgramInfo = {
    dataTypes: data.dataTypes,
    constructors: data.constructors,
    functions: names.functions,
    groups: names.groups,
    mainType: main?.resolvedType ?? { kind: 'unit' },
    externalChannels: inferred?.externalChannels ?? [],
  };
  return { module, info, diagnostics };
}
