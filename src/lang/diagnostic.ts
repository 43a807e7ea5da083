/**
 * A compiler diagnostic: data with a stable code from src/errors/catalogue.ts. Rendering
 * (`file:line:col: error[E0nnn]: message`, code frame, caret underline) is in lang/render.
 */
import type { Span } from './ast.js';

export interface Diagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly span: Span;
  /** Related spans, e.g. "first defined here". */
  readonly related?: readonly { readonly span: Span; readonly message: string }[];
  /** A cheap, likely fix: "did you mean `==`?" */
  readonly hint?: string;
}
