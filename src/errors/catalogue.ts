/**
 * The error catalogue: every user-facing error code, its severity and its message template.
 * Codes are stable; never reuse a retired one. Ranges by phase:
 *
 * - E01xx  image loading and verification (isa/)
 * - E02xx  lexing, layout and syntax (lang/)
 * - E03xx  names: unbound, duplicate definitions, missing main (lang/)
 * - E04xx  types and data declarations (lang/)
 * - E05xx  patterns: exhaustiveness and redundancy (lang/, mostly warnings)
 * - E06xx  system manifests and board descriptions (system/, hal/)
 * - E07xx  command-line usage and I/O (cli/)
 *
 * Runtime faults are not errors of this catalogue: they are fault records with a cause
 * (vm/faults), reported with exit code 70.
 *
 * Each block below belongs to one layer; keep entries sorted by code. Templates use {name}
 * placeholders filled by `formatMessage`.
 */
export type Severity = 'error' | 'warning';

export interface CatalogueEntry {
  readonly code: string;
  readonly severity: Severity;
  /** Category named in words in every diagnostic: `syntax error`, `type error`, … */
  readonly category: string;
  readonly template: string;
}

const entry = (
  code: string,
  severity: Severity,
  category: string,
  template: string,
): CatalogueEntry => ({
  code,
  severity,
  category,
  template,
});

// ---- E01xx: images and the verifier (isa/) ----
const IMAGE_ENTRIES: readonly CatalogueEntry[] = [
  entry('E0100', 'error', 'invalid image', 'the image is empty'),
];

// ---- E02xx–E05xx: the CamIoT compiler (lang/) ----
const LANG_ENTRIES: readonly CatalogueEntry[] = [];

// ---- E06xx: manifests and boards (system/, hal/) ----
const SYSTEM_ENTRIES: readonly CatalogueEntry[] = [
  // E0640–E0669: boards, stimulus scripts and durations (hal/)
  entry('E0640', 'error', 'invalid board', 'the board description is not valid JSON: {detail}'),
  entry('E0641', 'error', 'invalid board', '{path}: {detail}'),
  entry('E0642', 'error', 'invalid board', 'unknown board `{name}` (built in: {known})'),
  entry('E0643', 'error', 'invalid board', '{path}: peripheral name `{name}` is used twice'),
  entry('E0650', 'error', 'invalid stimulus', 'the stimulus script is not valid JSON: {detail}'),
  entry('E0651', 'error', 'invalid stimulus', '{path}: {detail}'),
  entry('E0652', 'error', 'invalid stimulus', '{path}: the board has no device `{device}`'),
  entry('E0653', 'error', 'invalid stimulus', '{path}: device `{device}` ({kind}) {detail}'),
  entry('E0654', 'error', 'invalid stimulus', '{path}: CSV `{file}`: {detail}'),
  entry('E0660', 'error', 'invalid duration', '{detail}'),
];

// ---- E07xx: CLI usage and I/O (cli/) ----
const CLI_ENTRIES: readonly CatalogueEntry[] = [
  entry('E0790', 'error', 'invalid trace', '{file}: {detail}'),
];

export const CATALOGUE: readonly CatalogueEntry[] = [
  ...IMAGE_ENTRIES,
  ...LANG_ENTRIES,
  ...SYSTEM_ENTRIES,
  ...CLI_ENTRIES,
];

const BY_CODE = new Map(CATALOGUE.map((e) => [e.code, e]));

export function catalogueEntry(code: string): CatalogueEntry {
  const e = BY_CODE.get(code);
  if (!e) throw new Error(`internal error: error code ${code} is not in the catalogue`);
  return e;
}

/** Fills `{name}` placeholders of a template. Unknown placeholders are left as they are. */
export function formatMessage(
  template: string,
  args: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}
