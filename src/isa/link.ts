/**
 * The last step of both assemblers (assemble-text.ts for `.s` text, assemble.ts for the
 * compiler's symbolic instructions): lay instructions out, resolve labels to addresses in the
 * format's convention, encode, and build the Program. Pools arrive already interned.
 */
import { ErrorSink, isaError, type IsaError, type IsaResult } from './errors.js';
import {
  encodedLength,
  encodeInto,
  encodingProblem,
  type Instruction,
  type Operand,
} from './instructions.js';
import type { InstructionRow } from './opcodes.js';
import type { DebugEntry, Program } from './program.js';
import type { SourceLoc } from './symbolic.js';
import { encodeStringPool, synchronVmHeaderSize } from './synchronvm-image.js';

/** Where an item came from, for error reports. */
export interface Where {
  readonly offset: number;
  readonly line?: number;
  readonly column?: number;
}

/** A label operand before layout: a name to resolve, or a raw label value used as is. */
export type LabelRef =
  { readonly name: string; readonly where?: Where } | { readonly value: number };

export interface LinkArm {
  readonly tag: number;
  readonly label: LabelRef;
}

export type LinkArg = number | LabelRef | readonly LinkArm[];

export type LinkItem =
  | { readonly kind: 'label'; readonly name: string; readonly where: Where }
  | {
      readonly kind: 'instr';
      readonly row: InstructionRow;
      readonly args: readonly LinkArg[];
      readonly where: Where;
      readonly loc?: SourceLoc;
    }
  /** Raw code bytes (`.byte` in assembly text): undecodable code survives a round trip. */
  | { readonly kind: 'bytes'; readonly bytes: readonly number[]; readonly where: Where };

/** A Program's pools and metadata as they are; the code comes as items, placed by `link`. */
export interface LinkInput extends Pick<
  Program,
  'format' | 'version' | 'ints' | 'floats' | 'strings' | 'natives' | 'metadata'
> {
  readonly items: readonly LinkItem[];
  /** Debug entries given explicitly (assembly text); entries from `loc` follow them. */
  readonly debug: readonly DebugEntry[];
}

export function errorAt(
  code: string,
  where: Where,
  args: Record<string, string | number> = {},
): IsaError {
  return isaError(
    code,
    where.offset,
    args,
    where.line !== undefined ? { line: where.line, column: where.column ?? 1 } : undefined,
  );
}

const isArms = (a: LinkArg): a is readonly LinkArm[] => Array.isArray(a);

function placeholderArgs(row: InstructionRow, args: readonly LinkArg[]): Operand[] {
  return row.operands.map((kind, i) => {
    const a = args[i];
    if (kind === 'table')
      return a !== undefined && isArms(a) ? a.map(() => ({ tag: 0, label: 0 })) : [];
    return 0;
  });
}

/** A linked program and where each of its instructions came from (for later error reports). */
export type LinkResult = IsaResult<{
  program: Program;
  /** Code offset of every instruction or `.byte` run → its item's place in the input. */
  readonly whereAt: ReadonlyMap<number, Where>;
}>;

export function link(input: LinkInput): LinkResult {
  const sink = new ErrorSink();
  const labelBase =
    input.format === 'sensevm'
      ? 0
      : synchronVmHeaderSize(
          input.ints.length,
          encodeStringPool(input.strings).length,
          input.natives.length,
        );

  // Pass 1: addresses.
  const labels = new Map<string, number>();
  let size = 0;
  for (const item of input.items) {
    if (item.kind === 'label') {
      if (labels.has(item.name)) sink.add(errorAt('E0145', item.where, { name: item.name }));
      else labels.set(item.name, size);
    } else if (item.kind === 'bytes') {
      size += item.bytes.length;
    } else {
      size += encodedLength({ row: item.row, args: placeholderArgs(item.row, item.args) });
    }
  }
  if (labelBase + size > 0x10000) {
    const detail =
      input.format === 'sensevm'
        ? `${size} bytes of code; labels address at most 65536`
        : `header (${labelBase} bytes) and code (${size} bytes) exceed the 65536 bytes 16-bit file-offset labels address`;
    return { ok: false, errors: [isaError('E0146', 0, { detail })] };
  }

  // Pass 2: resolve and encode.
  const code = new Uint8Array(size);
  const resolve = (ref: LabelRef, where: Where): number => {
    if ('value' in ref) return ref.value;
    const pc = labels.get(ref.name);
    if (pc === undefined) {
      sink.add(errorAt('E0144', ref.where ?? where, { name: ref.name }));
      return 0;
    }
    return pc + labelBase;
  };
  const debug: DebugEntry[] = [...input.debug];
  const whereAt = new Map<number, Where>();
  let pc = 0;
  for (const item of input.items) {
    if (item.kind === 'label') continue;
    whereAt.set(pc, item.where);
    if (item.kind === 'bytes') {
      code.set(item.bytes, pc);
      pc += item.bytes.length;
      continue;
    }
    const args: Operand[] = item.row.operands.map((kind, i) => {
      const a = item.args[i];
      if (a === undefined) return 0;
      if (kind === 'table' && isArms(a))
        return a.map((arm) => ({ tag: arm.tag, label: resolve(arm.label, item.where) }));
      if (kind === 'label' && typeof a === 'object' && !isArms(a)) return resolve(a, item.where);
      return typeof a === 'number' ? a : -1;
    });
    const instruction: Instruction = { row: item.row, args };
    const problem = encodingProblem(instruction);
    if (problem) {
      sink.add(errorAt('E0142', item.where, { mnemonic: item.row.mnemonic, expected: problem }));
      pc += encodedLength(instruction);
      continue;
    }
    const next = encodeInto(instruction, code, pc);
    if (item.loc) addDebug(debug, pc, next - pc, item.loc);
    pc = next;
  }
  if (!sink.empty) return { ok: false, errors: sink.errors };
  const program: Program = {
    format: input.format,
    version: input.version,
    ints: input.ints,
    floats: input.floats,
    strings: input.strings,
    natives: input.natives,
    code,
    labelBase,
    debug,
    ...(input.metadata ? { metadata: input.metadata } : {}),
  };
  return { ok: true, program, whereAt };
}

/** Extends the previous entry when this instruction continues the same source position. */
function addDebug(debug: DebugEntry[], pc: number, length: number, loc: SourceLoc): void {
  const last = debug[debug.length - 1];
  if (
    last &&
    last.pc + last.length === pc &&
    last.file === loc.file &&
    last.line === loc.line &&
    last.column === loc.column
  ) {
    debug[debug.length - 1] = { ...last, length: last.length + length };
  } else {
    debug.push({ pc, length, file: loc.file, line: loc.line, column: loc.column });
  }
}
