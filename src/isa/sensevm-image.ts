/**
 * Sense-VM images (format version 1). Layout and rationale: docs/bytecode.md.
 *
 * Header and section headers are little-endian (what every 32-bit MCU we target reads natively);
 * instruction operands inside the code stay big-endian as in SynchronVM, so one decoder serves
 * both formats. Sections are 4-byte aligned so the pools can be viewed in place on a device.
 *
 *   0    4  magic 89 53 56 4D ("\x89SVM")
 *   4    2  format version (1)
 *   6    2  flags (none defined: must be 0)
 *   8    4  image length in bytes, CRC included
 *   12   …  sections: u8 id, 3 zero bytes, u32 payload length, payload, zero padding to 4
 *   L-4  4  CRC-32 (IEEE) of bytes [0, L-4)
 *
 * Labels are code offsets: labelBase = 0.
 */
import {
  ByteWriter,
  bitsOfFloats,
  decodeUtf8,
  encodeUtf8,
  floatsFromBits,
  readU16le,
  readU32le,
} from './bytes.js';
import { crc32 } from './crc32.js';
import { ErrorSink, hex, isaError, type IsaResult } from './errors.js';
import { metadataProblem } from './metadata-schema.js';
import type { DebugEntry, Program, ProgramMetadata } from './program.js';
import type { LoadedImage } from './synchronvm-image.js';

export const SENSEVM_MAGIC = Uint8Array.of(0x89, 0x53, 0x56, 0x4d);
export const SENSEVM_VERSION = 1;
export const HEADER_SIZE = 12;
export const CRC_SIZE = 4;
export const SECTION_HEADER_SIZE = 8;

/** Section ids. Readers skip ids they do not know, so the format can grow. */
export const Section = {
  ints: 1,
  floats: 2,
  strings: 3,
  code: 4,
  debug: 5,
  metadata: 6,
} as const;
export type SectionName = keyof typeof Section;
const SECTION_NAMES = new Map<number, SectionName>(
  (Object.entries(Section) as [SectionName, number][]).map(([name, id]) => [id, name]),
);

export function hasSenseVmMagic(bytes: Uint8Array): boolean {
  return SENSEVM_MAGIC.every((b, i) => bytes[i] === b);
}

const align4 = (n: number): number => (n + 3) & ~3;

export function readSenseVmImage(bytes: Uint8Array): IsaResult<LoadedImage> {
  const fail = (
    code: string,
    offset: number,
    args: Record<string, string | number> = {},
  ): IsaResult<LoadedImage> => ({
    ok: false,
    errors: [isaError(code, offset, args)],
  });
  if (!hasSenseVmMagic(bytes)) return fail('E0101', 0, { detail: 'expected magic 89 53 56 4D' });
  if (bytes.length < HEADER_SIZE + CRC_SIZE) {
    return fail('E0103', bytes.length, {
      detail: `${bytes.length} bytes is shorter than header and CRC`,
    });
  }
  const version = readU16le(bytes, 4);
  if (version !== SENSEVM_VERSION) return fail('E0102', 4, { format: 'Sense-VM', version });
  const imageLength = readU32le(bytes, 8);
  if (imageLength > bytes.length) {
    return fail('E0103', 8, {
      detail: `the header says ${imageLength} bytes, the file has ${bytes.length}`,
    });
  }
  if (imageLength < bytes.length || imageLength < HEADER_SIZE + CRC_SIZE) {
    return fail('E0104', 8, {
      detail: `the header says ${imageLength} bytes, the file has ${bytes.length}`,
    });
  }
  const crcAt = imageLength - CRC_SIZE;
  const stored = readU32le(bytes, crcAt);
  const computed = crc32(bytes, 0, crcAt);
  if (stored !== computed)
    return fail('E0106', crcAt, { stored: hex(stored, 8), computed: hex(computed, 8) });
  const flags = readU16le(bytes, 6);
  if (flags !== 0) return fail('E0113', 6, { flags: hex(flags) });

  // Sections.
  const sink = new ErrorSink();
  const payloads = new Map<SectionName, { at: number; bytes: Uint8Array }>();
  let at = HEADER_SIZE;
  while (at < crcAt) {
    if (at + SECTION_HEADER_SIZE > crcAt) {
      sink.add(isaError('E0103', at, { detail: 'a section header runs into the CRC' }));
      break;
    }
    const id = bytes[at]!;
    if (bytes[at + 1] !== 0 || bytes[at + 2] !== 0 || bytes[at + 3] !== 0) {
      sink.add(
        isaError('E0107', at + 1, { detail: `section ${id}: reserved header bytes are not zero` }),
      );
      break;
    }
    const length = readU32le(bytes, at + 4);
    const start = at + SECTION_HEADER_SIZE;
    if (length > crcAt - start) {
      sink.add(
        isaError('E0103', at + 4, { detail: `section ${id} of ${length} bytes runs into the CRC` }),
      );
      break;
    }
    const next = align4(start + length);
    if (next > crcAt) {
      sink.add(
        isaError('E0107', start + length, { detail: `section ${id} is not padded to 4 bytes` }),
      );
      break;
    }
    // Padding must be zero (docs/bytecode.md): otherwise two different files would load into
    // the same program and `asm(disasm(image))` could not reproduce the file.
    const padding = bytes.subarray(start + length, next).findIndex((b) => b !== 0);
    if (padding >= 0) {
      sink.add(
        isaError('E0107', start + length + padding, {
          detail: `section ${id}: padding bytes are not zero`,
        }),
      );
      break;
    }
    const name = SECTION_NAMES.get(id);
    if (name) {
      if (payloads.has(name)) sink.add(isaError('E0108', at, { section: name }));
      else payloads.set(name, { at: start, bytes: bytes.subarray(start, start + length) });
    }
    at = next;
  }
  if (!sink.empty) return { ok: false, errors: sink.errors };

  const code = payloads.get('code');
  if (!code) return fail('E0109', HEADER_SIZE);
  const ints = readWords(payloads.get('ints'), 'ints', sink);
  const floatBits = readWords(payloads.get('floats'), 'floats', sink);
  const strings = readStrings(payloads.get('strings'), sink);
  const debug = readDebug(payloads.get('debug'), code.bytes.length, sink);
  const metadata = readMetadata(payloads.get('metadata'), sink);
  if (!sink.empty) return { ok: false, errors: sink.errors };
  const program: Program = {
    format: 'sensevm',
    version,
    ints: Int32Array.from(ints, (v) => v | 0),
    floats: floatsFromBits(floatBits),
    strings,
    natives: new Uint32Array(0),
    code: code.bytes.slice(),
    labelBase: 0,
    debug,
    ...(metadata ? { metadata } : {}),
  };
  return { ok: true, program, codeOffset: code.at };
}

type Payload = { at: number; bytes: Uint8Array } | undefined;

function readWords(p: Payload, name: SectionName, sink: ErrorSink): number[] {
  if (!p) return [];
  if (p.bytes.length % 4 !== 0) {
    sink.add(
      isaError('E0107', p.at, {
        detail: `${name} section length ${p.bytes.length} is not a multiple of 4`,
      }),
    );
    return [];
  }
  const words: number[] = [];
  for (let i = 0; i < p.bytes.length; i += 4) words.push(readU32le(p.bytes, i));
  return words;
}

/** A cursor over a section payload that records the first overrun as an error. */
class PayloadReader {
  pos = 0;
  failed = false;
  constructor(
    private readonly p: { at: number; bytes: Uint8Array },
    private readonly name: SectionName,
    private readonly sink: ErrorSink,
  ) {}
  private overrun(): void {
    if (!this.failed) {
      this.sink.add(
        isaError('E0107', this.p.at + this.pos, { detail: `${this.name} section ends too early` }),
      );
    }
    this.failed = true;
  }
  u32(): number {
    if (this.failed || this.pos + 4 > this.p.bytes.length) {
      this.overrun();
      return 0;
    }
    const v = readU32le(this.p.bytes, this.pos);
    this.pos += 4;
    return v;
  }
  string(): string {
    const length = this.u32();
    if (this.failed || length > this.p.bytes.length - this.pos) {
      this.overrun();
      return '';
    }
    const at = this.pos;
    const s = decodeUtf8(this.p.bytes.subarray(at, at + length));
    this.pos += length;
    if (s === undefined) {
      this.sink.add(isaError('E0110', this.p.at + at, { where: `the ${this.name} section` }));
      this.failed = true;
      return '';
    }
    return s;
  }
  get fileOffset(): number {
    return this.p.at + this.pos;
  }
  /** Reports bytes left over after the last field. */
  end(): void {
    if (!this.failed && this.pos !== this.p.bytes.length) {
      this.sink.add(
        isaError('E0107', this.fileOffset, {
          detail: `${this.name} section has ${this.p.bytes.length - this.pos} extra bytes`,
        }),
      );
      this.failed = true;
    }
  }
}

function readStrings(p: Payload, sink: ErrorSink): string[] {
  if (!p) return [];
  const r = new PayloadReader(p, 'strings', sink);
  const count = r.u32();
  const strings: string[] = [];
  for (let i = 0; i < count && !r.failed; i++) strings.push(r.string());
  r.end();
  return r.failed ? [] : strings;
}

function readDebug(p: Payload, codeLength: number, sink: ErrorSink): DebugEntry[] {
  if (!p) return [];
  const r = new PayloadReader(p, 'debug', sink);
  const fileCount = r.u32();
  const files: string[] = [];
  for (let i = 0; i < fileCount && !r.failed; i++) files.push(r.string());
  const count = r.u32();
  const entries: DebugEntry[] = [];
  for (let i = 0; i < count && !r.failed; i++) {
    const at = r.fileOffset;
    const pc = r.u32();
    const length = r.u32();
    const fileIndex = r.u32();
    const line = r.u32();
    const column = r.u32();
    if (r.failed) break;
    const file = files[fileIndex];
    if (file === undefined) {
      sink.add(
        isaError('E0111', at, {
          detail: `entry ${i}: file index ${fileIndex} out of range (${files.length} files)`,
        }),
      );
      return [];
    }
    if (pc + length > codeLength) {
      sink.add(
        isaError('E0111', at, {
          detail: `entry ${i}: pc range ${pc}+${length} is outside the code (${codeLength} bytes)`,
        }),
      );
      return [];
    }
    entries.push({ pc, length, file, line, column });
  }
  r.end();
  return r.failed ? [] : entries;
}

function readMetadata(p: Payload, sink: ErrorSink): ProgramMetadata | undefined {
  if (!p) return undefined;
  const text = decodeUtf8(p.bytes);
  if (text === undefined) {
    sink.add(isaError('E0110', p.at, { where: 'the metadata section' }));
    return undefined;
  }
  let value: unknown;
  let problem: string | undefined;
  try {
    value = JSON.parse(text);
    problem = metadataProblem(value);
  } catch (e) {
    // JSON syntax errors, and RangeError from absurdly deep nesting: both are bad input.
    problem = e instanceof Error ? e.message : 'not JSON';
  }
  if (problem !== undefined) {
    sink.add(isaError('E0112', p.at, { detail: problem }));
    return undefined;
  }
  return value as ProgramMetadata;
}

/** The file-name table of the debug section: names in order of first use. */
function debugFiles(debug: readonly DebugEntry[]): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const e of debug) {
    if (!seen.has(e.file)) {
      seen.add(e.file);
      files.push(e.file);
    }
  }
  return files;
}

/** Writes a Sense-VM image. The program's labels must be code offsets (labelBase 0). */
export function writeSenseVmImage(program: Program): Uint8Array {
  const w = new ByteWriter().bytes(SENSEVM_MAGIC).u16le(SENSEVM_VERSION).u16le(0).u32le(0);
  const section = (id: number, body: (w: ByteWriter) => void): void => {
    w.u8(id).u8(0).u8(0).u8(0);
    const lengthAt = w.length;
    w.u32le(0);
    const start = w.length;
    body(w);
    w.patchU32le(lengthAt, w.length - start);
    w.align(4);
  };
  const str = (s: string): void => {
    const b = encodeUtf8(s);
    w.u32le(b.length).bytes(b);
  };
  if (program.ints.length > 0) section(Section.ints, () => program.ints.forEach((v) => w.u32le(v)));
  if (program.floats.length > 0)
    section(Section.floats, () => bitsOfFloats(program.floats).forEach((b) => w.u32le(b)));
  if (program.strings.length > 0) {
    section(Section.strings, () => {
      w.u32le(program.strings.length);
      program.strings.forEach(str);
    });
  }
  section(Section.code, () => w.bytes(program.code));
  if (program.debug.length > 0) {
    const files = debugFiles(program.debug);
    const index = new Map(files.map((f, i) => [f, i]));
    section(Section.debug, () => {
      w.u32le(files.length);
      files.forEach(str);
      w.u32le(program.debug.length);
      for (const e of program.debug)
        w.u32le(e.pc).u32le(e.length).u32le(index.get(e.file)!).u32le(e.line).u32le(e.column);
    });
  }
  if (program.metadata) {
    const json = encodeUtf8(JSON.stringify(program.metadata));
    section(Section.metadata, () => w.bytes(json));
  }
  const crcAt = w.length;
  w.u32le(0);
  w.patchU32le(8, crcAt + CRC_SIZE);
  const bytes = w.finish();
  const crc = crc32(bytes, 0, crcAt);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(crcAt, crc, true);
  return bytes;
}
