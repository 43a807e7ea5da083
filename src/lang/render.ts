/**
 * Renders diagnostics for people:
 *
 *   prog.cam:3:12: error[E0401]: type error: expected `Int`, found `Bool`
 *      |
 *    3 | main = 1 + True
 *      |            ^^^^
 *   prog.cam:1:1: note: expected because of the signature of `main`
 *      |
 *    1 | main : Int
 *      | ^^^^^^^^^^
 *   hint: did you mean `==`?
 *
 * Colour (picocolors) only when asked; the text is otherwise identical.
 */
import pc from 'picocolors';
import { catalogueEntry } from '../errors/catalogue.js';
import type { Span } from './ast.js';
import type { Diagnostic } from './diagnostic.js';

export interface RenderOptions {
  readonly color?: boolean;
  /** Source text of other files named by related spans, if any. */
  readonly sources?: ReadonlyMap<string, string>;
}

type Paint = (s: string) => string;

export function renderDiagnostic(
  d: Diagnostic,
  source: string,
  options: RenderOptions = {},
): string {
  const colors = pc.createColors(options.color ?? false);
  const lines = source.split(/\r?\n/);
  const sourceOf = (file: string): string[] | undefined => {
    if (file === d.span.file) return lines;
    const other = options.sources?.get(file);
    return other === undefined ? undefined : other.split(/\r?\n/);
  };
  const severityPaint: Paint = d.severity === 'error' ? colors.red : colors.yellow;
  const category = categoryOf(d.code);
  const out: string[] = [];
  out.push(
    `${colors.bold(location(d.span))}: ${colors.bold(severityPaint(`${d.severity}[${d.code}]`))}: ` +
      `${category ? `${category}: ` : ''}${colors.bold(d.message)}`,
  );
  out.push(...codeFrame(d.span, lines, severityPaint, colors.blue));
  for (const r of d.related ?? []) {
    out.push(`${colors.bold(location(r.span))}: ${colors.cyan('note')}: ${r.message}`);
    const relatedLines = sourceOf(r.span.file);
    if (relatedLines) out.push(...codeFrame(r.span, relatedLines, colors.cyan, colors.blue));
  }
  if (d.hint) out.push(`${colors.green('hint')}: ${d.hint}`);
  return out.join('\n') + '\n';
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  source: string,
  options: RenderOptions = {},
): string {
  return diagnostics.map((d) => renderDiagnostic(d, source, options)).join('');
}

/** The category in words (`type error`, …); empty for a code missing from the catalogue. */
function categoryOf(code: string): string {
  try {
    return catalogueEntry(code).category;
  } catch {
    return '';
  }
}

/** `file:line:col` of a span. */
export function location(span: Span): string {
  return `${span.file}:${span.line}:${span.column}`;
}

/**
 * The source line of the span's start with a caret underline. A span running over several
 * lines is underlined to the end of its first line.
 */
function codeFrame(
  span: Span,
  lines: readonly string[],
  paint: Paint,
  gutterPaint: Paint,
): string[] {
  const fullText = lines[span.line - 1];
  if (fullText === undefined) return [];
  const number = String(span.line);
  const gutter = ' '.repeat(number.length);
  // Control characters would garble the terminal: each shows as one replacement character.
  const trimmed = fullText.replace(/\s+$/, '').replace(/[^\P{Cc}\t]/gu, '\uFFFD');
  // A very long line (generated code) shows a window around the span, cut with `…`.
  const from =
    trimmed.length <= MAX_FRAME_WIDTH
      ? 0
      : Math.max(0, Math.min(span.column - 1 - FRAME_CONTEXT, trimmed.length - MAX_FRAME_WIDTH));
  const to = Math.min(trimmed.length, from + MAX_FRAME_WIDTH);
  const before = from > 0 ? '…' : '';
  const text = before + trimmed.slice(from, to) + (to < trimmed.length ? '…' : '');
  const shift = from - before.length;
  const start = Math.max(1, span.column - shift);
  const lineEnd = text.length + 1;
  const end = span.endLine === span.line ? Math.min(span.endColumn - shift, lineEnd) : lineEnd;
  const width = Math.max(1, end - start);
  // Tabs before the caret keep their width so the caret lines up under the code.
  const padding = text.slice(0, start - 1).replace(/[^\t]/g, ' ');
  return [
    gutterPaint(`${gutter} |`),
    `${gutterPaint(`${number} |`)} ${text}`,
    `${gutterPaint(`${gutter} |`)} ${padding}${paint('^'.repeat(width))}`,
  ];
}

/** Code frames show at most this many characters of a line… */
const MAX_FRAME_WIDTH = 120;
/** …starting this many before the span when the line has to be cut. */
const FRAME_CONTEXT = 40;
