/**
 * The back end's view of the front end: one call that parses, resolves and type-checks a source
 * file. A thin adapter so the driver does not depend on how the front end is split into passes.
 *
 * Until lang/analyze.ts exists this runs the passes that do (lexer, layout, parser, grouping);
 * operators then default to Int, which is enough for the back end's own tests.
 */
import type { TypeDesc } from '../isa/program.js';
import type { Module } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import { groupDeclarations } from './group.js';
import { layout } from './layout.js';
import { lex } from './lexer.js';
import { parse } from './parser.js';

export interface FrontEndResult {
  readonly module?: Module;
  readonly mainType?: TypeDesc;
  readonly diagnostics: readonly Diagnostic[];
}

export function frontEnd(source: string, file: string): FrontEndResult {
  const lexed = lex(source, file);
  const parsed = parse(layout(lexed.tokens));
  const grouped = groupDeclarations(parsed.items, file);
  return {
    module: grouped.module,
    diagnostics: [...lexed.diagnostics, ...parsed.diagnostics, ...grouped.diagnostics],
  };
}
