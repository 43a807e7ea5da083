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
  // Load-time checks (isa/image.ts, synchronvm-image.ts, sensevm-image.ts, hex-text.ts)
  entry('E0101', 'error', 'invalid image', 'unrecognised image format: {detail}'),
  entry('E0102', 'error', 'invalid image', 'unsupported {format} format version {version}'),
  entry('E0103', 'error', 'invalid image', 'the image is truncated: {detail}'),
  entry('E0104', 'error', 'invalid image', 'length mismatch: {detail}'),
  entry('E0105', 'error', 'invalid image', 'malformed hex text: {detail}'),
  entry('E0106', 'error', 'invalid image', 'CRC-32 mismatch: stored {stored}, computed {computed}'),
  entry('E0107', 'error', 'invalid image', 'malformed section: {detail}'),
  entry('E0108', 'error', 'invalid image', 'section {section} appears more than once'),
  entry('E0109', 'error', 'invalid image', 'the image has no code section'),
  entry('E0110', 'error', 'invalid image', 'invalid UTF-8 in {where}'),
  entry('E0111', 'error', 'invalid image', 'malformed debug info: {detail}'),
  entry('E0112', 'error', 'invalid image', 'malformed metadata: {detail}'),
  entry('E0113', 'error', 'invalid image', 'unsupported header flags {flags}'),
  entry('E0114', 'error', 'invalid image', 'malformed string pool: {detail}'),
  // The verifier (isa/verify.ts)
  entry('E0120', 'error', 'invalid bytecode', 'the code is empty'),
  entry('E0121', 'error', 'invalid bytecode', 'unknown opcode {opcode}'),
  entry('E0122', 'error', 'invalid bytecode', '{mnemonic} runs past the end of the code'),
  entry(
    'E0123',
    'error',
    'invalid bytecode',
    '{mnemonic} table of {arms} arms runs past the end of the code',
  ),
  entry(
    'E0124',
    'error',
    'invalid bytecode',
    'int pool index {index} out of range (pool has {size})',
  ),
  entry(
    'E0125',
    'error',
    'invalid bytecode',
    'float pool index {index} out of range (pool has {size})',
  ),
  entry(
    'E0126',
    'error',
    'invalid bytecode',
    'string pool index {index} out of range (pool has {size})',
  ),
  entry(
    'E0127',
    'error',
    'invalid bytecode',
    'constructor tag {tag} is reserved (0xffff is the wildcard)',
  ),
  entry('E0128', 'error', 'invalid bytecode', 'unknown runtime call {n} (there are {count})'),
  entry('E0129', 'error', 'invalid bytecode', 'LOADB operand {value} is not 0 or 1'),
  entry('E0130', 'error', 'invalid bytecode', 'unknown FAIL cause {cause}'),
  entry('E0131', 'error', 'invalid bytecode', '{mnemonic} target {label} is outside the code'),
  entry('E0132', 'error', 'invalid bytecode', '{mnemonic} target {label} is inside an instruction'),
  entry(
    'E0133',
    'error',
    'invalid bytecode',
    'control runs off the end of the code after {mnemonic}',
  ),
  entry(
    'E0134',
    'error',
    'invalid bytecode',
    '{mnemonic} (opcode {opcode}) does not exist in SynchronVM version-1 images',
  ),
  // The assembler (isa/assemble-text.ts, assemble.ts) and the image writers
  entry('E0140', 'error', 'assembly error', '{detail}'),
  entry('E0141', 'error', 'assembly error', 'unknown mnemonic `{name}`'),
  entry('E0142', 'error', 'assembly error', '{mnemonic} expects {expected}'),
  entry('E0143', 'error', 'assembly error', '{what} {value} is out of range ({range})'),
  entry('E0144', 'error', 'assembly error', 'undefined label `{name}`'),
  entry('E0145', 'error', 'assembly error', 'label `{name}` is defined twice'),
  entry('E0146', 'error', 'assembly error', 'the code is too large: {detail}'),
  entry(
    'E0147',
    'error',
    'assembly error',
    '{mnemonic} does not exist in SynchronVM version-1 images',
  ),
  entry('E0148', 'error', 'assembly error', 'cannot write a {format} image: {detail}'),
  entry(
    'E0149',
    'error',
    'assembly error',
    'missing `.format` directive (for example `.format sensevm 1`)',
  ),
];

// ---- E02xx–E05xx: the CamIoT compiler (lang/) ----
const LANG_ENTRIES: readonly CatalogueEntry[] = [
  // E02xx syntax (lang/lexer, layout, parser)
  entry('E0201', 'error', 'syntax error', 'unknown character `{char}`'),
  entry('E0202', 'error', 'syntax error', 'unterminated block comment'),
  entry('E0203', 'error', 'syntax error', 'malformed number literal `{text}`'),
  entry('E0204', 'error', 'syntax error', 'expected {expected}, found {found}'),
  entry('E0205', 'error', 'syntax error', 'comparison operators cannot be chained'),
  entry(
    'E0206',
    'error',
    'syntax error',
    'clauses of `{name}` have different numbers of arguments ({first} and {other})',
  ),
  entry('E0207', 'error', 'syntax error', 'string and character literals are not supported'),
  entry('E0208', 'error', 'syntax error', 'the program is nested too deeply to compile'),
  entry('E0209', 'error', 'syntax error', 'number literal `{text}` does not fit in {range}'),
  // E03xx names (lang/names)
  entry('E0301', 'error', 'unbound name', 'unbound variable `{name}`'),
  entry('E0302', 'error', 'unbound name', 'unbound constructor `{name}`'),
  entry('E0303', 'error', 'unbound name', 'unbound type `{name}`'),
  entry('E0304', 'error', 'duplicate definition', '`{name}` is defined more than once'),
  entry('E0305', 'error', 'duplicate definition', 'data type `{name}` is declared more than once'),
  entry(
    'E0306',
    'error',
    'duplicate definition',
    'constructor `{name}` is declared more than once',
  ),
  entry(
    'E0307',
    'error',
    'duplicate definition',
    'clauses of `{name}` are separated by other definitions',
  ),
  entry('E0308', 'error', 'missing main', 'the program has no `main` definition'),
  entry('E0309', 'error', 'unbound name', 'type signature for `{name}` has no definition'),
  entry('E0310', 'error', 'duplicate definition', '`{name}` has more than one type signature'),
  entry(
    'E0311',
    'error',
    'duplicate definition',
    '`{name}` is bound more than once in the same pattern',
  ),
  entry(
    'E0312',
    'error',
    'duplicate definition',
    'type parameter `{name}` is declared more than once',
  ),
  // E04xx types and data declarations (lang/types, lang/infer, lang/datatypes)
  entry('E0401', 'error', 'type error', 'expected `{expected}`, found `{found}`'),
  entry('E0402', 'error', 'type error', 'infinite type: `{var}` occurs in `{type}`'),
  entry(
    'E0403',
    'error',
    'type error',
    'the type signature of `{name}` is more general than its definition: {detail}',
  ),
  entry('E0404', 'error', 'type error', '`{op}` works on {allowed}, not on `{found}`'),
  entry(
    'E0405',
    'error',
    'type error',
    'type `{name}` takes {expected} argument(s) but is given {found}',
  ),
  entry('E0406', 'error', 'type error', 'type variable `{name}` is not a parameter of `{data}`'),
  entry(
    'E0407',
    'error',
    'type error',
    'constructor `{con}` must produce `{expected}`, not `{found}`',
  ),
  entry('E0408', 'error', 'type error', 'built-in type `{name}` cannot be redefined'),
  entry(
    'E0409',
    'error',
    'type error',
    'constructor `{name}` takes {expected} argument(s) but the pattern gives {found}',
  ),
  entry('E0410', 'error', 'type error', '{what} is not a function; it has type `{type}`'),
  // E05xx patterns (back end) go below.
  entry('E0501', 'warning', 'non-exhaustive match', '`{missing}` is not matched'),
  entry(
    'E0502',
    'warning',
    'unreachable clause',
    'this clause can never match: earlier clauses cover every value it matches',
  ),
  entry(
    'E0590',
    'error',
    'recursive value',
    '`{name}` is a value defined in terms of itself; only functions can be recursive',
  ),
  entry('E0591', 'error', 'unsupported by the image format', '{detail}'),
];

// ---- E06xx: manifests and boards (system/, hal/) ----
const SYSTEM_ENTRIES: readonly CatalogueEntry[] = [
  // E0640–E0669: boards, stimulus scripts and durations (hal/)
  entry('E0640', 'error', 'invalid board', 'the board description is not valid JSON: {detail}'),
  entry('E0641', 'error', 'invalid board', '{path}: {detail}'),
  entry('E0642', 'error', 'invalid board', 'unknown board `{name}` (built in: {known})'),
  entry('E0643', 'error', 'invalid board', '{path}: peripheral name `{name}` is used twice'),
  entry(
    'E0644',
    'error',
    'invalid peripherals',
    'board `{board}` has no peripheral `{name}` (it has: {known})',
  ),
  entry('E0645', 'error', 'invalid peripherals', 'peripheral `{name}` is listed twice'),
  entry('E0650', 'error', 'invalid stimulus', 'the stimulus script is not valid JSON: {detail}'),
  entry('E0651', 'error', 'invalid stimulus', '{path}: {detail}'),
  entry('E0652', 'error', 'invalid stimulus', '{path}: the board has no device `{device}`'),
  entry('E0653', 'error', 'invalid stimulus', '{path}: device `{device}` ({kind}) {detail}'),
  entry('E0654', 'error', 'invalid stimulus', '{path}: CSV `{file}`: {detail}'),
  entry('E0660', 'error', 'invalid duration', '{detail}'),
  // E0670–E0699: system manifests (system/manifest.ts)
  entry('E0670', 'error', 'invalid manifest', 'the manifest is not valid JSON: {detail}'),
  entry('E0671', 'error', 'invalid manifest', '{detail}'),
  entry('E0672', 'error', 'invalid manifest', 'unknown board "{board}"; known boards: {known}'),
  entry('E0673', 'error', 'invalid manifest', 'two containers are named "{name}"'),
  entry(
    'E0674',
    'error',
    'invalid manifest',
    'peripheral "{peripheral}" is assigned to both "{first}" and "{second}"',
  ),
  entry(
    'E0675',
    'error',
    'invalid manifest',
    'board "{board}" has no peripheral "{peripheral}"; it has: {known}',
  ),
  entry(
    'E0676',
    'error',
    'invalid manifest',
    'the system needs {needed} bytes of RAM but board "{board}" has {available} ({over} bytes over)',
  ),
  entry('E0677', 'error', 'invalid manifest', 'two links are named "{name}"'),
  entry(
    'E0678',
    'error',
    'invalid manifest',
    'link "{link}" names {end} container "{container}", which does not exist',
  ),
  entry('E0679', 'error', 'invalid manifest', 'link "{link}" goes from "{container}" to itself'),
  entry(
    'E0680',
    'error',
    'invalid manifest',
    'container "{container}" lists "link:{link}" but there is no link "{link}"',
  ),
  entry(
    'E0681',
    'error',
    'invalid manifest',
    'container "{container}" lists "link:{link}" but the link connects "{from}" to "{to}"',
  ),
  entry(
    'E0682',
    'error',
    'invalid manifest',
    'link "{link}": its {end} container "{container}" does not list "link:{link}" among its peripherals',
  ),
  entry(
    'E0683',
    'error',
    'invalid manifest',
    'link "{link}" blocks when full, so "{from}" (criticality {fromCriticality}) would wait for "{to}" (criticality {toCriticality}); a container never waits for a lower criticality: use "drop-oldest" or "drop-newest"',
  ),
  entry('E0684', 'error', 'invalid manifest', 'container "{container}" lists "{peripheral}" twice'),
  entry(
    'E0685',
    'error',
    'invalid manifest',
    'the guaranteed CPU budgets add up to {percent} %, more than the whole CPU',
  ),
  entry('E0686', 'error', 'invalid manifest', 'program "{program}" cannot be read: {detail}'),
  entry('E0687', 'error', 'invalid manifest', 'program "{program}" is rejected: {detail}'),
  entry('E0688', 'warning', 'manifest warning', '{detail}'),
  entry('E0689', 'error', 'invalid manifest', 'link "{link}": message type "{type}": {detail}'),
  entry(
    'E0690',
    'error',
    'invalid manifest',
    'link "{link}" cannot carry "{type}" from "{from}" to "{to}": {detail}',
  ),
  entry(
    'E0691',
    'error',
    'invalid manifest',
    'link "{link}" carries "{type}", but container "{container}" binds it (driver {driver}) to a channel of {found}',
  ),
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
