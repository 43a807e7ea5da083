/**
 * Errors of the platform layer as data: a stable code from src/errors/catalogue.ts, the path of
 * the offending value inside its file (`peripherals[3].kind`, `[2].at`) and a finished message.
 * Nothing in hal/ throws because of user input; loaders return a `HalResult`.
 */
import { catalogueEntry, formatMessage } from '../errors/catalogue.js';

export interface HalError {
  readonly code: string;
  /** Where in the input the problem is; '' for the whole input. */
  readonly path: string;
  /** The catalogue template filled in. */
  readonly message: string;
}

export type HalResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly HalError[] };

export function halError(
  code: string,
  args: Readonly<Record<string, string | number>> & { readonly path?: string },
): HalError {
  const path = args.path ?? '';
  return {
    code,
    path,
    message: formatMessage(catalogueEntry(code).template, { ...args, path: path || '(top)' }),
  };
}

export const ok = <T>(value: T): HalResult<T> => ({ ok: true, value });
export const fail = <T>(...errors: HalError[]): HalResult<T> => ({ ok: false, errors });

/** `error[E0641]: peripherals[2].kind: …` — one line per error, for the CLI. */
export function formatHalErrors(errors: readonly HalError[], file?: string): string {
  return errors.map((e) => `${file ? file + ': ' : ''}error[${e.code}]: ${e.message}\n`).join('');
}

/** The zod issues of a failed parse as path-by-path errors with `code`. */
export function zodIssuesToErrors(
  code: string,
  issues: readonly {
    readonly code: string;
    readonly path: readonly PropertyKey[];
    readonly message: string;
    readonly input?: unknown;
    readonly keys?: readonly string[];
    readonly expected?: unknown;
  }[],
): HalError[] {
  const errors: HalError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys)
        errors.push(
          halError(code, { path: formatPath([...issue.path, key]), detail: 'unknown key' }),
        );
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      errors.push(
        halError(code, {
          path: formatPath(issue.path),
          detail: `missing (expected ${String(issue.expected)})`,
        }),
      );
    } else {
      errors.push(halError(code, { path: formatPath(issue.path), detail: issue.message }));
    }
  }
  return errors;
}

/** A zod issue path as `peripherals[3].kind`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
