/**
 * The compiler driver: source → front end (analyze) → lowering with match compilation →
 * CAM code generation → peephole → assembler. Returns a Program (with metadata for printing
 * values and debug info from source positions) or the diagnostics that prevented one.
 *
 * `--format synchronvm` produces a version-1 image, which only has SynchronVM's opcodes: a
 * program needing Sense-VM's own instructions (floats, division, Sense-VM runtime calls…) is
 * rejected with E0591 naming the instruction and the source position that needs it. Tail
 * applications (TAPP) become `APP; RETURN` and match failures an armless switch there
 * (peephole.ts, forSynchronVm).
 */
import { assemble } from '../isa/assemble.js';
import { rowByMnemonic } from '../isa/opcodes.js';
import { rtsCallName } from '../isa/rts-calls.js';
import type {
  DataTypeDesc,
  ExternalChannelDesc,
  ImageFormat,
  Program,
  ProgramMetadata,
  TypeDesc,
} from '../isa/program.js';
import type { SymItem } from '../isa/symbolic.js';
import type { Module, Span } from './ast.js';
import { generate } from './codegen.js';
import type { Diagnostic } from './diagnostic.js';
import { frontEnd } from './front.js';
import { lowerModule } from './lower.js';
import { peephole, forSynchronVm, fuseConstantOperands } from './peephole.js';
import { diag } from './report.js';

export interface CompileOptions {
  readonly format?: ImageFormat;
  /** Skip the peephole optimiser (for tests of code generation). */
  readonly optimise?: boolean;
}

export interface CompileResult {
  readonly program?: Program;
  /** The symbolic code given to the assembler (for golden listings and tests). */
  readonly items?: readonly SymItem[];
  /** Errors and warnings, errors first within a position. */
  readonly diagnostics: readonly Diagnostic[];
}

export function compile(source: string, file: string, options: CompileOptions = {}): CompileResult {
  const front = frontEnd(source, file);
  if (!front.module || front.diagnostics.some((d) => d.severity === 'error'))
    return { diagnostics: front.diagnostics };
  const module = front.module;
  const back = withinDepth(module, () =>
    compileModule(module, options, front.mainType, front.dataTypes, front.externalChannels),
  );
  return { ...back, diagnostics: [...front.diagnostics, ...back.diagnostics] };
}

/**
 * The back end recurses over the program too, and some programs the front end accepts are deeper
 * than the host stack allows it (a long chain of nested `let`s): E0208, like the front end,
 * instead of crashing.
 */
function withinDepth(module: Module, run: () => CompileResult): CompileResult {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const start = { file: module.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { diagnostics: [diag('E0208', start)] };
  }
}

/**
 * The back end's diagnostics for a module the front end accepted, without generating code:
 * pattern-match warnings (E0501, E0502) and recursive values (E0590). For `sensevm check`.
 */
export function backEndDiagnostics(module: Module): readonly Diagnostic[] {
  return withinDepth(module, () => ({ diagnostics: lowerModule(module).diagnostics })).diagnostics;
}

/** The back end alone, from a checked module (its `resolved` slots filled). */
export function compileModule(
  module: Module,
  options: CompileOptions = {},
  mainType?: TypeDesc,
  dataTypes?: readonly DataTypeDesc[],
  externalChannels: readonly ExternalChannelDesc[] = [],
): CompileResult {
  const format = options.format ?? 'sensevm';
  const lowered = lowerModule(module);
  const diagnostics = [...lowered.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

  let items = generate(lowered.core);
  if (options.optimise !== false) items = peephole(items);
  if (options.optimise !== false && format !== 'synchronvm') items = fuseConstantOperands(items);
  if (format === 'synchronvm') {
    items = forSynchronVm(items);
    for (const item of items) {
      if (item.kind !== 'instr') continue;
      const what = synchronVmLacks(item);
      if (!what) continue;
      const at: Span = item.loc
        ? { ...item.loc, endLine: item.loc.line, endColumn: item.loc.column + 1 }
        : { file: module.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
      diagnostics.push(
        diag('E0591', at, {
          detail: `--format synchronvm cannot express this: it needs ${what}, which SynchronVM does not have; use the default format`,
        }),
      );
      return { items, diagnostics };
    }
  }
  const metadata: ProgramMetadata = {
    dataTypes: dataTypes ?? lowered.dataTypes,
    source: module.file,
    ...(mainType ? { mainType } : {}),
    // Only when there are any, so images of programs without drivers keep their bytes.
    ...(externalChannels.length > 0 ? { externalChannels } : {}),
  };
  const assembled = assemble({ items, metadata }, { format });
  if (!assembled.ok) {
    // The code generator produced something the assembler or verifier rejects: our bug.
    const detail = assembled.errors.map((e) => `${e.code} ${e.message}`).join('; ');
    throw new Error(`internal error: generated code does not assemble: ${detail}`);
  }
  return { program: assembled.program, items, diagnostics };
}

/** SynchronVM's runtime knows CALLRTS 0–8 (spawn … time). */
const SYNCHRONVM_RTS_CALLS = 9;

/** What an instruction needs that a version-1 image cannot have, if anything. */
function synchronVmLacks(item: Extract<SymItem, { kind: 'instr' }>): string | undefined {
  if (rowByMnemonic(item.op)?.sensevmOnly) return `the instruction ${item.op}`;
  const call = item.args[0];
  if (item.op === 'CALLRTS' && typeof call === 'number' && call >= SYNCHRONVM_RTS_CALLS)
    return `the runtime call \`${rtsCallName(call) ?? call}\` (CALLRTS ${call})`;
  return undefined;
}
