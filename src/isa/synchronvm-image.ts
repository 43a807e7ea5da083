/**
 * SynchronVM version-1 images (reference/synchronvm.md §1). All multi-byte fields big-endian:
 *
 *   0      4    magic FE ED CA FE
 *   4      1    version (1)
 *   5      2    int-pool count N
 *   7      4·N  int pool (signed 32-bit) — LOADI hard-codes the pool start at byte 7
 *   …      2    string-pool size S in bytes
 *   …      S    string pool: UTF-8 strings, each ended by a NUL byte (always empty in practice)
 *   …      2    native-pool count M
 *   …      4·M  native pool (unused; kept so the image round-trips byte for byte)
 *   …      4    code length L = bytes from here to the end of the file
 *   H      L    code, H = 15 + 4N + S + 4M
 *
 * Labels are absolute u16 file offsets, so the Program's labelBase is the header size H.
 */
import { ByteWriter, decodeUtf8, encodeUtf8, readU16be, readU32be } from './bytes.js';
import { isaError, type IsaError, type IsaResult } from './errors.js';
import type { Program } from './program.js';

export const SYNCHRONVM_MAGIC = Uint8Array.of(0xfe, 0xed, 0xca, 0xfe);
export const SYNCHRONVM_VERSION = 1;

export function hasSynchronVmMagic(bytes: Uint8Array): boolean {
  return SYNCHRONVM_MAGIC.every((b, i) => bytes[i] === b);
}

/** Bytes before the code: the labelBase of a version-1 image with these pools. */
export function synchronVmHeaderSize(
  intCount: number,
  stringPoolBytes: number,
  nativeCount: number,
): number {
  return 15 + 4 * intCount + stringPoolBytes + 4 * nativeCount;
}

export function encodeStringPool(strings: readonly string[]): Uint8Array {
  const w = new ByteWriter();
  for (const s of strings) w.bytes(encodeUtf8(s)).u8(0);
  return w.finish();
}

export interface LoadedImage {
  readonly program: Program;
  /** File offset of code[0]: add it to a pc to get a file offset. */
  readonly codeOffset: number;
}

export function readSynchronVmImage(bytes: Uint8Array): IsaResult<LoadedImage> {
  const truncated = (offset: number, what: string): IsaResult<LoadedImage> => ({
    ok: false,
    errors: [
      isaError('E0103', offset, {
        detail: `${what} runs past the end of the file (${bytes.length} bytes)`,
      }),
    ],
  });
  if (!hasSynchronVmMagic(bytes)) {
    return { ok: false, errors: [isaError('E0101', 0, { detail: 'expected magic FE ED CA FE' })] };
  }
  if (bytes.length < 7) return truncated(4, 'the header');
  const version = bytes[4]!;
  if (version !== SYNCHRONVM_VERSION) {
    return { ok: false, errors: [isaError('E0102', 4, { format: 'SynchronVM', version })] };
  }
  const intCount = readU16be(bytes, 5);
  let at = 7;
  if (at + 4 * intCount > bytes.length) return truncated(5, `the int pool of ${intCount} entries`);
  const ints = new Int32Array(intCount);
  for (let i = 0; i < intCount; i++) ints[i] = readU32be(bytes, at + 4 * i) | 0;
  at += 4 * intCount;

  if (at + 2 > bytes.length) return truncated(at, 'the string-pool size');
  const stringBytes = readU16be(bytes, at);
  const stringSizeAt = at;
  at += 2;
  if (at + stringBytes > bytes.length)
    return truncated(stringSizeAt, `the string pool of ${stringBytes} bytes`);
  const strings = decodeStringPool(bytes.subarray(at, at + stringBytes), at);
  if (!strings.ok) return strings;
  at += stringBytes;

  if (at + 2 > bytes.length) return truncated(at, 'the native-pool count');
  const nativeCount = readU16be(bytes, at);
  const nativeCountAt = at;
  at += 2;
  if (at + 4 * nativeCount > bytes.length)
    return truncated(nativeCountAt, `the native pool of ${nativeCount} entries`);
  const natives = new Uint32Array(nativeCount);
  for (let i = 0; i < nativeCount; i++) natives[i] = readU32be(bytes, at + 4 * i);
  at += 4 * nativeCount;

  if (at + 4 > bytes.length) return truncated(at, 'the code length');
  const codeLength = readU32be(bytes, at);
  const codeLengthAt = at;
  at += 4;
  if (at + codeLength > bytes.length)
    return truncated(codeLengthAt, `the code of ${codeLength} bytes`);
  if (at + codeLength < bytes.length) {
    return {
      ok: false,
      errors: [
        isaError('E0104', codeLengthAt, {
          detail: `code length ${codeLength} leaves ${bytes.length - at - codeLength} bytes after the code`,
        }),
      ],
    };
  }
  const program: Program = {
    format: 'synchronvm',
    version,
    ints,
    floats: new Float32Array(0),
    strings: strings.strings,
    natives,
    code: bytes.slice(at, at + codeLength),
    labelBase: at,
    debug: [],
  };
  return { ok: true, program, codeOffset: at };
}

function decodeStringPool(pool: Uint8Array, fileOffset: number): IsaResult<{ strings: string[] }> {
  const strings: string[] = [];
  let start = 0;
  for (let i = 0; i < pool.length; i++) {
    if (pool[i] !== 0) continue;
    const s = decodeUtf8(pool.subarray(start, i));
    if (s === undefined) {
      return {
        ok: false,
        errors: [isaError('E0110', fileOffset + start, { where: `string ${strings.length}` })],
      };
    }
    strings.push(s);
    start = i + 1;
  }
  if (start !== pool.length) {
    const errors: IsaError[] = [
      isaError('E0114', fileOffset + start, {
        detail: 'the last string has no terminating NUL byte',
      }),
    ];
    return { ok: false, errors };
  }
  return { ok: true, strings };
}

/**
 * Writes a version-1 image. The program's labels must already use this format's labelBase
 * (image.ts relocates programs coming from the other format).
 */
export function writeSynchronVmImage(program: Program): IsaResult<{ bytes: Uint8Array }> {
  const problems: string[] = [];
  if (program.floats.length > 0)
    problems.push('it has no float pool (LOADF is a Sense-VM instruction)');
  if (program.ints.length > 0xffff)
    problems.push(`at most 65535 int constants, not ${program.ints.length}`);
  if (program.natives.length > 0xffff) problems.push('at most 65535 native entries');
  if (program.strings.some((s) => s.includes('\0'))) problems.push('strings cannot contain NUL');
  const pool = encodeStringPool(program.strings);
  if (pool.length > 0xffff) problems.push('the string pool is limited to 65535 bytes');
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map((detail) =>
        isaError('E0148', 0, { format: 'SynchronVM version-1', detail }),
      ),
    };
  }
  const w = new ByteWriter()
    .bytes(SYNCHRONVM_MAGIC)
    .u8(SYNCHRONVM_VERSION)
    .u16be(program.ints.length);
  for (const v of program.ints) w.u32be(v);
  w.u16be(pool.length).bytes(pool).u16be(program.natives.length);
  for (const v of program.natives) w.u32be(v);
  w.u32be(program.code.length).bytes(program.code);
  return { ok: true, bytes: w.finish() };
}
