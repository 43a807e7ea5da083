/**
 * Building diagnostics from catalogue codes, and span helpers shared by the front-end passes.
 * Every front-end diagnostic goes through `diag`, so its message always comes from the
 * catalogue template and its severity from the catalogue entry.
 */
import { catalogueEntry, formatMessage } from '../errors/catalogue.js';
import { editDistance } from '../errors/edit-distance.js';
import type { Span } from './ast.js';
import type { Diagnostic } from './diagnostic.js';

export interface DiagExtras {
  readonly related?: readonly { readonly span: Span; readonly message: string }[];
  readonly hint?: string;
}

export function diag(
  code: string,
  span: Span,
  args: Readonly<Record<string, string | number>> = {},
  extras: DiagExtras = {},
): Diagnostic {
  const entry = catalogueEntry(code);
  return {
    code,
    severity: entry.severity,
    message: formatMessage(entry.template, args),
    span,
    ...(extras.related && extras.related.length > 0 ? { related: extras.related } : {}),
    ...(extras.hint ? { hint: extras.hint } : {}),
  };
}

/** The smallest span covering both (they must be in the same file, `a` first). */
export function spanJoin(a: Span, b: Span): Span {
  return {
    file: a.file,
    line: a.line,
    column: a.column,
    endLine: b.endLine,
    endColumn: b.endColumn,
  };
}

/** Orders diagnostics by position, then by code, so output is deterministic. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** The closest candidate within a distance that scales with the name's length, if any. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
