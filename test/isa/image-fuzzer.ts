/**
 * Random and mutated images for fuzzing the loader and verifier (test/isa/fuzz.test.ts runs a
 * bounded batch in every test run; `npm run fuzz -- --count N` runs long batches locally).
 * Deterministic: the same seed gives the same images.
 */
import { assemble } from '../../src/isa/assemble.js';
import { assembleText } from '../../src/isa/assemble-text.js';
import { crc32 } from '../../src/isa/crc32.js';
import { disassemble } from '../../src/isa/disassemble.js';
import { CATALOGUE } from '../../src/errors/catalogue.js';
import { toHexText } from '../../src/isa/hex-text.js';
import { loadImage, writeImage } from '../../src/isa/image.js';
import { INSTRUCTIONS, FAIL_CAUSES, Op, type Mnemonic } from '../../src/isa/opcodes.js';
import type { ImageFormat } from '../../src/isa/program.js';
import { RTS_CALL_COUNT } from '../../src/isa/rts-calls.js';
import type { SymArg, SymItem } from '../../src/isa/symbolic.js';
import { verify } from '../../src/isa/verify.js';

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** A random program that the verifier must accept, as an image in `format`. */
export function randomValidImage(rng: Rng, format: ImageFormat): Uint8Array {
  const rows = INSTRUCTIONS.filter((r) => format === 'sensevm' || !r.sensevmOnly);
  const count = 1 + int(rng, 24);
  const items: SymItem[] = [];
  const label = (): string => `i${int(rng, count + 1)}`;
  for (let i = 0; i < count; i++) {
    items.push({ kind: 'label', name: `i${i}` });
    const row = rows[int(rng, rows.length)]!;
    const args: SymArg[] = row.operands.map((kind) => {
      switch (kind) {
        case 'u8':
          if (row.opcode === Op.LOADB) return int(rng, 2);
          if (row.opcode === Op.CALLRTS) return int(rng, RTS_CALL_COUNT);
          if (row.opcode === Op.FAIL) return int(rng, FAIL_CAUSES.length);
          return int(rng, 256);
        case 'label':
          return label();
        case 'int':
          return int(rng, 2 ** 32) - 2 ** 31;
        case 'float':
          return (rng() - 0.5) * 1000;
        case 'string':
          return 'str' + int(rng, 4);
        case 'tag':
          return int(rng, 0xffff);
        case 'table':
          return Array.from({ length: int(rng, 4) }, () => ({
            tag: rng() < 0.2 ? 0xffff : int(rng, 8),
            label: label(),
          }));
      }
    });
    items.push({ kind: 'instr', op: row.mnemonic as Mnemonic, args });
  }
  items.push({ kind: 'label', name: `i${count}` }, { kind: 'instr', op: 'STOP', args: [] });
  const assembled = assemble({ items }, { format });
  if (!assembled.ok)
    throw new Error('fuzzer produced an invalid program: ' + JSON.stringify(assembled.errors));
  const written = writeImage(assembled.program);
  if (!written.ok)
    throw new Error('fuzzer could not write its program: ' + JSON.stringify(written.errors));
  return written.bytes;
}

/** Rewrites a Sense-VM image's length field and CRC so mutations get past the checksum. */
export function fixSenseVmChecksum(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 16 || bytes[0] !== 0x89) return bytes;
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  view.setUint32(8, out.length, true);
  view.setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
  return out;
}

export function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  let b = input.slice();
  const edits = 1 + int(rng, 4);
  for (let e = 0; e < edits; e++) {
    const at = int(rng, Math.max(1, b.length));
    switch (int(rng, 6)) {
      case 0: // flip a bit
        if (b.length > 0) b[at] = b[at]! ^ (1 << int(rng, 8));
        break;
      case 1: // random byte
        if (b.length > 0) b[at] = int(rng, 256);
        break;
      case 2: // interesting byte
        if (b.length > 0) b[at] = [0, 1, 0x7f, 0x80, 0xff, 0x37, 0x13, 0x11][int(rng, 8)]!;
        break;
      case 3: // truncate
        b = b.slice(0, at);
        break;
      case 4: {
        // insert bytes
        const extra = Uint8Array.from({ length: 1 + int(rng, 4) }, () => int(rng, 256));
        const next = new Uint8Array(b.length + extra.length);
        next.set(b.subarray(0, at));
        next.set(extra, at);
        next.set(b.subarray(at), at + extra.length);
        b = next;
        break;
      }
      case 5: // delete a byte
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
        break;
    }
  }
  return rng() < 0.6 ? fixSenseVmChecksum(b) : b;
}

export function randomBytes(rng: Rng): Uint8Array {
  const b = Uint8Array.from({ length: int(rng, 80) }, () => int(rng, 256));
  const prefix = [[0xfe, 0xed, 0xca, 0xfe, 1], [0x89, 0x53, 0x56, 0x4d, 1, 0], [0x30, 0x78], []][
    int(rng, 4)
  ]!;
  b.set(prefix.slice(0, b.length));
  return fixSenseVmChecksum(b);
}

const KNOWN_CODES = new Set(CATALOGUE.map((e) => e.code));

export interface FuzzStats {
  cases: number;
  accepted: number;
  rejected: number;
  /** Codes seen, with counts. */
  codes: Map<string, number>;
  /** Descriptions of contract violations (exceptions, malformed errors, failed round trips). */
  failures: string[];
}

/**
 * Runs one input through loader and verifier. Accepted images must also survive
 * disassemble → assemble → write → load with identical code.
 */
export function checkOne(input: Uint8Array, stats: FuzzStats): void {
  stats.cases++;
  const fail = (why: string): void => {
    if (stats.failures.length < 20)
      stats.failures.push(`${why} on input ${toHexText(input.subarray(0, 64))}`);
  };
  try {
    const loaded = loadImage(input);
    const result = loaded.ok ? verify(loaded.program, { codeOffset: loaded.codeOffset }) : loaded;
    if (!result.ok) {
      stats.rejected++;
      if (result.errors.length === 0) fail('rejected without errors');
      for (const e of result.errors) {
        stats.codes.set(e.code, (stats.codes.get(e.code) ?? 0) + 1);
        if (
          !KNOWN_CODES.has(e.code) ||
          !e.code.startsWith('E01') ||
          typeof e.message !== 'string' ||
          !Number.isInteger(e.offset)
        ) {
          fail(`malformed error ${JSON.stringify(e)}`);
        }
      }
      return;
    }
    stats.accepted++;
    if (!loaded.ok) return;
    const again = assembleText(disassemble(loaded.program));
    if (!again.ok) return fail(`listing does not assemble: ${JSON.stringify(again.errors[0])}`);
    const written = writeImage(again.program);
    if (!written.ok)
      return fail(`reassembled program does not write: ${JSON.stringify(written.errors[0])}`);
    const reloaded = loadImage(written.bytes);
    if (!reloaded.ok) return fail('rewritten image does not load');
    if (toHexText(reloaded.program.code) !== toHexText(loaded.program.code))
      return fail('code changed in the round trip');
    // The whole image, not just the code: pools, natives, debug info and metadata survive the
    // listing, and an input in canonical form (what the writer produces: sections in id order,
    // no unknown or empty optional sections) comes back byte for byte.
    const direct = writeImage(loaded.program);
    if (!direct.ok)
      return fail(`loaded program does not write: ${JSON.stringify(direct.errors[0])}`);
    if (toHexText(direct.bytes) !== toHexText(written.bytes))
      return fail('the listing lost part of the image');
    const binaryInput = loaded.encoding === 'hex' ? undefined : input;
    if (
      binaryInput !== undefined &&
      loaded.program.format === 'synchronvm' &&
      toHexText(binaryInput) !== toHexText(written.bytes)
    )
      fail('asm(disasm(image)) is not the image');
  } catch (e) {
    fail(`exception ${e instanceof Error ? e.stack : String(e)}`);
  }
}

/** Runs `count` cases from `seed`: a mix of random bytes, valid images and mutated images. */
export function fuzz(count: number, seed: number, seeds: readonly Uint8Array[] = []): FuzzStats {
  const rng = prng(seed);
  const stats: FuzzStats = { cases: 0, accepted: 0, rejected: 0, codes: new Map(), failures: [] };
  const corpus: Uint8Array[] = [...seeds];
  for (let i = 0; i < 40; i++)
    corpus.push(randomValidImage(rng, i % 2 === 0 ? 'sensevm' : 'synchronvm'));
  for (let i = 0; i < count; i++) {
    const kind = int(rng, 10);
    let input: Uint8Array;
    if (kind === 0) input = randomBytes(rng);
    else if (kind === 1) input = randomValidImage(rng, rng() < 0.5 ? 'sensevm' : 'synchronvm');
    else {
      input = mutate(rng, corpus[int(rng, corpus.length)]!);
      if (kind === 2) input = new TextEncoder().encode(toHexText(input));
    }
    checkOne(input, stats);
  }
  return stats;
}
