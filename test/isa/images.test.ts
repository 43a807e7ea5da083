import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleText } from '../../src/isa/assemble-text.js';
import { crc32 } from '../../src/isa/crc32.js';
import { disassemble } from '../../src/isa/disassemble.js';
import { parseHexText, toHexText } from '../../src/isa/hex-text.js';
import { loadImage, loadVerifiedImage, writeImage } from '../../src/isa/image.js';
import type { Program } from '../../src/isa/program.js';
import { verify } from '../../src/isa/verify.js';

const example = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../examples/bytecode/${name}`, import.meta.url)));
const text = (name: string): string =>
  readFileSync(new URL(`../../examples/bytecode/${name}`, import.meta.url), 'utf8');

/** `5 + 5` written by hand from reference §1.2. */
// prettier-ignore
const FIVE_PLUS_FIVE = Uint8Array.of(
  0xfe, 0xed, 0xca, 0xfe, // magic
  0x01, //                   version
  0x00, 0x02, //             int pool count
  0x00, 0x00, 0x00, 0x05, // 5
  0x00, 0x00, 0x00, 0x05, // 5
  0x00, 0x00, //             string pool bytes
  0x00, 0x00, //             native count
  0x00, 0x00, 0x00, 0x09, // code length
  0x06, 0x00, 0x00, //       LOADI #0
  0x04, //                   PUSH
  0x06, 0x00, 0x01, //       LOADI #1
  0x18, //                   ADDI
  0x0d, //                   STOP
);

const EXPECTED_LISTING = `; SynchronVM image, version 1: labels are file offsets, code starts at 23
.format synchronvm 1
.int 5                          ; #0
.int 5                          ; #1

    LOADI #0                    ; @23  = 5
    PUSH                        ; @26
    LOADI #1                    ; @27  = 5
    ADDI                        ; @30
    STOP                        ; @31
`;

function loadOk(bytes: Uint8Array): Program {
  const r = loadImage(bytes);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.program;
}

describe('SynchronVM version-1 images', () => {
  it('the 5 + 5 example loads from binary and from hex text into the same program', () => {
    expect(example('five-plus-five-binary.svm')).toEqual(FIVE_PLUS_FIVE);
    const fromBinary = loadImage(FIVE_PLUS_FIVE);
    const fromHex = loadImage(example('five-plus-five.svm'));
    expect(fromBinary.ok && fromBinary.encoding).toBe('binary');
    expect(fromHex.ok && fromHex.encoding).toBe('hex');
    const p = loadOk(FIVE_PLUS_FIVE);
    expect(loadOk(example('five-plus-five.svm'))).toEqual(p);
    expect(p.format).toBe('synchronvm');
    expect(Array.from(p.ints)).toEqual([5, 5]);
    expect(p.labelBase).toBe(23);
    expect(Array.from(p.code)).toEqual([6, 0, 0, 4, 6, 0, 1, 0x18, 0x0d]);
  });

  it('verifies and disassembles to the expected listing', () => {
    const p = loadOk(FIVE_PLUS_FIVE);
    const v = verify(p);
    expect(v.ok).toBe(true);
    if (v.ok) expect(Array.from(v.instructionStarts)).toEqual([1, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(disassemble(p)).toBe(EXPECTED_LISTING);
  });

  it('writes the binary and the hex text camiotc writes', () => {
    const p = loadOk(FIVE_PLUS_FIVE);
    const bin = writeImage(p);
    const hex = writeImage(p, 'synchronvm', 'hex');
    expect(bin.ok && Array.from(bin.bytes)).toEqual(Array.from(FIVE_PLUS_FIVE));
    expect(hex.ok && new TextDecoder().decode(hex.bytes)).toBe(text('five-plus-five.svm'));
    expect(text('five-plus-five.svm').startsWith('0xfe, 0xed, 0xca, 0xfe, 0x1, 0x0, 0x2,')).toBe(
      true,
    );
  });

  it('hex text tolerates whitespace, newlines, a trailing comma, upper case and padding', () => {
    const messy = ' 0xFE,0xed ,\n 0XCA,\t0x0fe,\r\n0x01 ,\n';
    const r = parseHexText(new TextEncoder().encode(messy));
    expect(r.ok && Array.from(r.bytes)).toEqual([0xfe, 0xed, 0xca, 0xfe, 1]);
    expect(toHexText(Uint8Array.of(0, 0x0a, 0xff))).toBe('0x0, 0xa, 0xff');
    const bad = parseHexText(new TextEncoder().encode('0xfe, 0x1g'));
    expect(bad.ok ? '' : bad.errors[0]!.code).toBe('E0105');
    const big = parseHexText(new TextEncoder().encode('0xfe, 0x100'));
    expect(big.ok ? '' : big.errors[0]!.code).toBe('E0105');
  });

  it('keeps the native pool and the string pool byte for byte', () => {
    // prettier-ignore
    const withPools = Uint8Array.of(
      0xfe, 0xed, 0xca, 0xfe, 1, 0, 0, // no ints
      0, 4, 0x68, 0x69, 0, 0, //          strings "hi", ""
      0, 1, 0xde, 0xad, 0xbe, 0xef, //   one native
      0, 0, 0, 1, 0x0d,
    );
    const p = loadOk(withPools);
    expect(p.strings).toEqual(['hi', '']);
    expect(Array.from(p.natives)).toEqual([0xdeadbeef]);
    expect(p.labelBase).toBe(23); // 15 + 4 string bytes + 4 native bytes
    const again = assembleText(disassemble(p));
    const w = again.ok ? writeImage(again.program) : undefined;
    expect(w?.ok && Array.from(w.bytes)).toEqual(Array.from(withPools));
  });
});

describe('Sense-VM images', () => {
  it('CRC-32 is the IEEE one', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('header: magic, version, flags, length; sections 4-aligned; CRC trailer', () => {
    const p = loadOk(example('maybe-switch.svm'));
    const w = writeImage(p);
    if (!w.ok) throw new Error('write failed');
    const b = w.bytes;
    const view = new DataView(b.buffer, b.byteOffset);
    expect(Array.from(b.subarray(0, 4))).toEqual([0x89, 0x53, 0x56, 0x4d]);
    expect(view.getUint16(4, true)).toBe(1);
    expect(view.getUint16(6, true)).toBe(0);
    expect(view.getUint32(8, true)).toBe(b.length);
    expect(b.length % 4).toBe(0);
    expect(view.getUint32(b.length - 4, true)).toBe(crc32(b, 0, b.length - 4));
    // First section: ints (id 1) with 3 entries, little-endian.
    expect(b[12]).toBe(1);
    expect(view.getUint32(16, true)).toBe(12);
    expect(view.getInt32(20, true)).toBe(42);
  });

  it('keeps metadata and debug info, and writes the identical image again', () => {
    const bytes = example('maybe-switch.svm');
    const p = loadOk(bytes);
    expect(p.metadata?.dataTypes[0]?.constructors.map((c) => c.name)).toEqual(['Nothing', 'Just']);
    expect(p.metadata?.mainType).toEqual({ kind: 'int' });
    expect(p.debug).toEqual([
      { pc: 0, length: 6, file: 'maybe.cam', line: 1, column: 11 },
      { pc: 6, length: 10, file: 'maybe.cam', line: 1, column: 6 },
      { pc: 16, length: 4, file: 'maybe.cam', line: 2, column: 17 },
      { pc: 20, length: 6, file: 'maybe.cam', line: 3, column: 17 },
    ]);
    const w = writeImage(p);
    expect(w.ok && Buffer.from(w.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('skips unknown sections', () => {
    const bytes = example('maybe-switch.svm');
    // Insert section id 200 (8 payload bytes) right after the header, then fix length and CRC.
    const extra = Uint8Array.of(200, 0, 0, 0, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
    const grown = new Uint8Array(bytes.length + extra.length);
    grown.set(bytes.subarray(0, 12));
    grown.set(extra, 12);
    grown.set(bytes.subarray(12), 12 + extra.length);
    const view = new DataView(grown.buffer);
    view.setUint32(8, grown.length, true);
    view.setUint32(grown.length - 4, crc32(grown, 0, grown.length - 4), true);
    expect(loadOk(grown)).toEqual(loadOk(bytes));
  });

  it('rejects non-zero section padding (E0107), so every accepted image is canonical', () => {
    const bytes = example('maybe-switch.svm');
    // The code section (id 4) of this image ends 2 bytes short of a multiple of 4.
    const loaded = loadImage(bytes);
    if (!loaded.ok) throw new Error('load');
    const codeEnd = loaded.codeOffset + loaded.program.code.length;
    expect(codeEnd % 4).not.toBe(0);
    expect(bytes[codeEnd]).toBe(0);
    const dirty = bytes.slice();
    dirty[codeEnd] = 0x95;
    const view = new DataView(dirty.buffer);
    view.setUint32(dirty.length - 4, crc32(dirty, 0, dirty.length - 4), true);
    const r = loadImage(dirty);
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.offset])).toEqual([['E0107', codeEnd]]);
  });

  it('floats keep their exact bits (NaN payload, -0) through image and listing', () => {
    const src =
      '.format sensevm 1\n.float 0.1\n.float -0\n.float nan:0x7fc00001\n.float inf\n    LOADF #0\n    STOP\n';
    const a = assembleText(src);
    if (!a.ok) throw new Error(JSON.stringify(a.errors));
    const w = writeImage(a.program);
    if (!w.ok) throw new Error('write');
    const p = loadOk(w.bytes);
    const bits = Array.from(new Uint32Array(p.floats.buffer, p.floats.byteOffset, p.floats.length));
    expect(bits).toEqual([0x3dcccccd, 0x80000000, 0x7fc00001, 0x7f800000]);
    expect(disassemble(p)).toContain('.float 0.1 ');
    expect(disassemble(p)).toContain('.float nan:0x7fc00001');
  });
});

describe('converting between formats', () => {
  it('relocates labels: SynchronVM → Sense-VM → SynchronVM is the identity', () => {
    const v1 = example('apply-lambda.svm');
    const p = loadOk(v1);
    const s = writeImage(p, 'sensevm');
    if (!s.ok) throw new Error('write');
    const q = loadOk(s.bytes);
    expect(q.labelBase).toBe(0);
    expect(disassemble(q)).toContain('COMB L10');
    expect(verify(q).ok).toBe(true);
    const back = writeImage(q, 'synchronvm', 'hex');
    expect(back.ok && new TextDecoder().decode(back.bytes)).toBe(new TextDecoder().decode(v1));
  });

  it('refuses to write floats into a SynchronVM image', () => {
    const a = assembleText('.format sensevm 1\n.float 1.5\n    STOP\n');
    const w = a.ok ? writeImage(a.program, 'synchronvm') : undefined;
    expect(w && !w.ok && w.errors[0]!.code).toBe('E0148');
  });

  it('loadVerifiedImage reports verifier errors at file offsets', () => {
    const bad = FIVE_PLUS_FIVE.slice();
    bad[23 + 3] = 0xee; // PUSH → unknown opcode
    const r = loadVerifiedImage(bad);
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.offset])).toEqual([['E0121', 26]]);
  });
});

describe('a real SynchronVM program (reference §1.4, chibios-examples/blinky/out.svm)', () => {
  it('rebuilt from its listing, has the documented header, size and instruction addresses', () => {
    const p = loadOk(example('synchronvm-blinky.svm'));
    const w = writeImage(p);
    if (!w.ok) throw new Error('write');
    expect(w.bytes.length).toBe(148);
    const header =
      'FE ED CA FE 01 00 08 00000001 00000001 00000001 00000000 00000000 00000001 0000000A 0501BD00 00 00 00 00 00 00 00 65';
    expect(Buffer.from(w.bytes.subarray(0, 47)).toString('hex').toUpperCase()).toBe(
      header.replace(/ /g, ''),
    );
    expect(p.labelBase).toBe(47);
    const listing = disassemble(p);
    for (const line of ['CALL L143 ', 'GOTOIFALSE L102 ', 'CUR L104 ', 'CALLRTS 8 '])
      expect(listing).toContain(line);
    expect(listing).toMatch(/CALL L143 +; @70\n/);
    expect(listing).toMatch(/STOP +; @147\n$/);
    expect(verify(p).ok).toBe(true);
  });
});
