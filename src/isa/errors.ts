/**
 * Typed errors of the isa/ layer: image loading, verification, assembly and image writing.
 * Every error has a stable catalogue code (E01xx), a message and a position. Nothing in isa/
 * throws because of bad input; functions return `{ ok: false, errors }` instead.
 */
import { catalogueEntry, formatMessage } from '../errors/catalogue.js';

export interface IsaError {
  /** Catalogue code, `E01nn`. */
  readonly code: string;
  readonly message: string;
  /**
   * Where: a byte offset into the image file for load and verify errors, a character offset
   * into the text for assembly-text errors, the item index for symbolic assembly errors.
   */
  readonly offset: number;
  /** 1-based line and column, for assembly-text errors. */
  readonly line?: number;
  readonly column?: number;
}

export type IsaResult<T> =
  ({ readonly ok: true } & T) | { readonly ok: false; readonly errors: readonly IsaError[] };

/** At most this many errors are reported for one input (the rest are usually cascades). */
export const MAX_ERRORS = 100;

export function isaError(
  code: string,
  offset: number,
  args: Readonly<Record<string, string | number>> = {},
  position?: { line: number; column: number },
): IsaError {
  const message = formatMessage(catalogueEntry(code).template, args);
  return position ? { code, message, offset, ...position } : { code, message, offset };
}

/** Collects errors up to MAX_ERRORS; later ones are dropped. */
export class ErrorSink {
  readonly errors: IsaError[] = [];
  add(e: IsaError): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(e);
  }
  get full(): boolean {
    return this.errors.length >= MAX_ERRORS;
  }
  get empty(): boolean {
    return this.errors.length === 0;
  }
}

export function hex(n: number, digits = 4): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}
