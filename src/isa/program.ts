/**
 * The in-memory program: what both image formats load into, what the assembler and the compiler
 * produce, what the verifier checks and what the VM executes.
 *
 * Glossary
 * - code:       the instruction bytes only (no header).
 * - labelBase:  label operands are addresses in the image's own convention; the instruction a
 *               label L designates starts at code[L - labelBase]. SynchronVM images use absolute
 *               file offsets (labelBase = header size); Sense-VM images use code offsets (0).
 * - pc:         an offset into `code` (never a label value).
 */

/** A CamIoT type as stored in image metadata, used to print values (`Cons 1 Nil`, `True`, `3.5`). */
export type TypeDesc =
  | { readonly kind: 'int' }
  | { readonly kind: 'float' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'unit' }
  | { readonly kind: 'string' }
  | { readonly kind: 'tuple'; readonly items: readonly TypeDesc[] }
  | { readonly kind: 'fun'; readonly from: TypeDesc; readonly to: TypeDesc }
  | { readonly kind: 'var'; readonly name: string }
  /** A data type applied to arguments; built-ins: Channel, Event, Ref. */
  | { readonly kind: 'con'; readonly name: string; readonly args: readonly TypeDesc[] };

export interface ConstructorDesc {
  readonly name: string;
  /** The u16 tag used by PACK and switch tables. */
  readonly tag: number;
  /** Field types in terms of the data type's parameters. Payload: () for 0 fields, the field
   * itself for 1, right-nested pairs for more. */
  readonly fields: readonly TypeDesc[];
}

export interface DataTypeDesc {
  readonly name: string;
  readonly params: readonly string[];
  readonly constructors: readonly ConstructorDesc[];
}

export interface ProgramMetadata {
  /** The type of `main`, when known. */
  readonly mainType?: TypeDesc;
  readonly dataTypes: readonly DataTypeDesc[];
  /** Name of the source file the image was compiled from, if any. */
  readonly source?: string;
  /**
   * Channels the program binds to a literal driver number with `spawnExternal ch n`, with
   * their element types: a system checks them against the message types of its links.
   */
  readonly externalChannels?: readonly ExternalChannelDesc[];
  /** Any further keys written by newer tools are kept and ignored. */
  readonly [key: string]: unknown;
}

/** `spawnExternal ch driver` with `ch : Channel element` (a `var` element: not fixed). */
export interface ExternalChannelDesc {
  readonly driver: number;
  readonly element: TypeDesc;
}

/** Debug information: the instructions in [pc, pc + length) come from this source position. */
export interface DebugEntry {
  readonly pc: number;
  readonly length: number;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type ImageFormat = 'synchronvm' | 'sensevm';

export interface Program {
  readonly format: ImageFormat;
  /** The version byte/field of the image format it was loaded from (SynchronVM: 1). */
  readonly version: number;
  /** Signed 32-bit int constants (LOADI). */
  readonly ints: Int32Array;
  /** Single-precision float constants (LOADF), see docs/memory.md for why 32-bit. */
  readonly floats: Float32Array;
  /** String constants (LOADS). */
  readonly strings: readonly string[];
  /** SynchronVM's unused native pool, kept so a version-1 image round-trips byte for byte. */
  readonly natives: Uint32Array;
  readonly code: Uint8Array;
  readonly labelBase: number;
  readonly debug: readonly DebugEntry[];
  readonly metadata?: ProgramMetadata;
}

/** The source position of the instruction at `pc`, if debug info covers it. */
export function sourceAt(program: Program, pc: number): DebugEntry | undefined {
  let best: DebugEntry | undefined;
  for (const e of program.debug) {
    if (pc >= e.pc && pc < e.pc + e.length && (!best || e.length <= best.length)) best = e;
  }
  return best;
}
