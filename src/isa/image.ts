/**
 * One loader for every image form, one writer for both formats.
 *
 * `loadImage` recognises a Sense-VM image (magic 89 53 56 4D), a SynchronVM version-1 image
 * (magic FE ED CA FE) and the hex text of either (`0xfe, 0xed, …`), and returns the one Program
 * type. It checks the container (magic, version, sizes, CRC); `verify` (verify.ts) then checks
 * the code. `loadVerifiedImage` does both, which is what anything that runs code must use.
 */
import { isWellFormedString } from './bytes.js';
import { isaError, type IsaError, type IsaResult } from './errors.js';
import { looksLikeHexText, parseHexText, toHexText } from './hex-text.js';
import { encodeInto, instructionsOf, mapLabels } from './instructions.js';
import type { ImageFormat, Program } from './program.js';
import { hasSenseVmMagic, readSenseVmImage, writeSenseVmImage } from './sensevm-image.js';
import {
  encodeStringPool,
  hasSynchronVmMagic,
  readSynchronVmImage,
  synchronVmHeaderSize,
  writeSynchronVmImage,
  type LoadedImage,
} from './synchronvm-image.js';
import { verify, type VerifyOptions } from './verify.js';

export type ImageEncoding = 'binary' | 'hex';

export type LoadResult = IsaResult<LoadedImage & { readonly encoding: ImageEncoding }>;

/** Loads an image from file bytes. Offsets in errors are byte offsets in the (decoded) image. */
export function loadImage(file: Uint8Array): LoadResult {
  if (file.length === 0) return { ok: false, errors: [isaError('E0100', 0)] };
  let bytes = file;
  let encoding: ImageEncoding = 'binary';
  if (looksLikeHexText(file)) {
    const decoded = parseHexText(file);
    if (!decoded.ok) return decoded;
    bytes = decoded.bytes;
    encoding = 'hex';
  }
  const loaded = hasSynchronVmMagic(bytes)
    ? readSynchronVmImage(bytes)
    : hasSenseVmMagic(bytes)
      ? readSenseVmImage(bytes)
      : undefined;
  if (!loaded) {
    const start = Array.from(bytes.subarray(0, 4), (b) =>
      b.toString(16).padStart(2, '0').toUpperCase(),
    ).join(' ');
    return {
      ok: false,
      errors: [
        isaError('E0101', 0, {
          detail: `starts with ${start}; expected 89 53 56 4D (Sense-VM), FE ED CA FE (SynchronVM) or hex text`,
        }),
      ],
    };
  }
  return loaded.ok ? { ...loaded, encoding } : loaded;
}

/** Loads and verifies: the only way code should reach the VM. Verifier offsets are file offsets. */
export function loadVerifiedImage(
  file: Uint8Array,
  options: Omit<VerifyOptions, 'codeOffset'> = {},
): IsaResult<
  LoadedImage & { readonly encoding: ImageEncoding; readonly instructionStarts: Uint8Array }
> {
  const loaded = loadImage(file);
  if (!loaded.ok) return loaded;
  const checked = verify(loaded.program, { ...options, codeOffset: loaded.codeOffset });
  if (!checked.ok) return checked;
  return { ...loaded, instructionStarts: checked.instructionStarts };
}

/** The labelBase a program gets when written in `format`. */
export function labelBaseFor(program: Program, format: ImageFormat): number {
  if (format === 'sensevm') return 0;
  return synchronVmHeaderSize(
    program.ints.length,
    encodeStringPool(program.strings).length,
    program.natives.length,
  );
}

/**
 * The same program with its label operands rewritten for another labelBase. Needs decodable
 * code; labels that do not fit in 16 bits afterwards are an error.
 */
export function relocate(
  program: Program,
  labelBase: number,
  format: ImageFormat = program.format,
): IsaResult<{ program: Program }> {
  if (labelBase === program.labelBase) return { ok: true, program: { ...program, format } };
  const code = new Uint8Array(program.code.length);
  const delta = labelBase - program.labelBase;
  const walk = instructionsOf(program.code);
  for (let step = walk.next(); ; step = walk.next()) {
    if (step.done) {
      if (step.value) {
        return {
          ok: false,
          errors: [
            isaError('E0148', 0, {
              format,
              detail: 'its code does not decode, so its labels cannot be relocated',
            }),
          ],
        };
      }
      break;
    }
    const instr = step.value;
    let tooLarge = -1;
    const moved = mapLabels(instr, (l) => {
      const to = l + delta;
      if (to < 0 || to > 0xffff) tooLarge = l;
      return to;
    });
    if (tooLarge >= 0) {
      return {
        ok: false,
        errors: [
          isaError('E0146', 0, {
            detail: `label ${tooLarge} does not fit in 16 bits with labels based at ${labelBase}`,
          }),
        ],
      };
    }
    encodeInto(moved, code, instr.pc);
  }
  return { ok: true, program: { ...program, format, version: 1, code, labelBase } };
}

/** Why a program cannot be written in `format`, as errors (empty if it can). */
function writeProblems(program: Program, format: ImageFormat): IsaError[] {
  const problems: string[] = [];
  program.strings.forEach((s, i) => {
    if (!isWellFormedString(s)) problems.push(`string ${i} is not well-formed Unicode`);
  });
  for (const e of program.debug) {
    const fields = [e.pc, e.length, e.line, e.column];
    if (
      !fields.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff) ||
      !isWellFormedString(e.file)
    ) {
      problems.push(`debug entry at pc ${e.pc} has a field out of range`);
      break;
    }
  }
  if (format === 'synchronvm' && labelBaseFor(program, format) + program.code.length > 0x10000) {
    return [
      isaError('E0146', 0, {
        detail: 'header and code exceed the 64 KiB that 16-bit file-offset labels address',
      }),
    ];
  }
  if (format === 'sensevm' && program.code.length > 0x10000) {
    return [isaError('E0146', 0, { detail: 'more than 64 KiB of code' })];
  }
  return problems.map((detail) => isaError('E0148', 0, { format, detail }));
}

/**
 * Writes a program as an image of `format` (default: the format it came from), relocating its
 * labels if needed. SynchronVM images cannot hold floats, debug info or metadata: floats are an
 * error, debug info and metadata are left out.
 */
export function writeImage(
  program: Program,
  format: ImageFormat = program.format,
  encoding: ImageEncoding = 'binary',
): IsaResult<{ bytes: Uint8Array }> {
  const problems = writeProblems(program, format);
  if (problems.length > 0) return { ok: false, errors: problems };
  const moved = relocate(program, labelBaseFor(program, format), format);
  if (!moved.ok) return moved;
  let bytes: Uint8Array;
  if (format === 'sensevm') {
    bytes = writeSenseVmImage(moved.program);
  } else {
    const written = writeSynchronVmImage(moved.program);
    if (!written.ok) return written;
    bytes = written.bytes;
  }
  if (encoding === 'hex') bytes = new TextEncoder().encode(toHexText(bytes));
  return { ok: true, bytes };
}
