// Hand-made corrupt images: each rejected by `sensevm verify` with exit 65 and its own code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';
import { assembleText } from '../../src/isa/assemble-text.js';
import { crc32 } from '../../src/isa/crc32.js';
import { writeImage } from '../../src/isa/image.js';
import { writeSenseVmImage } from '../../src/isa/sensevm-image.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-corrupt-'));

/** A SynchronVM v1 image around `code` with int pool [5, 5] (code starts at file offset 23). */
function v1(code: number[], ints: number[] = [5, 5]): Uint8Array {
  const header = [0xfe, 0xed, 0xca, 0xfe, 1, 0, ints.length];
  for (const v of ints)
    header.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  header.push(0, 0, 0, 0, 0, 0, (code.length >>> 8) & 0xff, code.length & 0xff);
  return Uint8Array.from([...header, ...code]);
}

function senseVm(source: string): Uint8Array {
  const a = assembleText(source);
  if (!a.ok) throw new Error(JSON.stringify(a.errors));
  const w = writeImage(a.program);
  if (!w.ok) throw new Error(JSON.stringify(w.errors));
  return w.bytes;
}

function refreshCrc(b: Uint8Array): Uint8Array {
  const view = new DataView(b.buffer, b.byteOffset);
  view.setUint32(b.length - 4, crc32(b, 0, b.length - 4), true);
  return b;
}

const GOOD_SENSEVM = senseVm('.format sensevm 1\n.int 5\n    LOADI #0\n    STOP\n');

const CASES: [name: string, bytes: Uint8Array, code: string, offset?: number][] = [
  ['empty file', new Uint8Array(0), 'E0100', 0],
  ['bad magic', Uint8Array.of(0xca, 0xfe, 0xba, 0xbe, 1, 0, 0), 'E0101', 0],
  ['unsupported version', Uint8Array.of(0xfe, 0xed, 0xca, 0xfe, 2, 0, 0), 'E0102', 4],
  ['truncated int pool', v1([6, 0, 0, 0x0d]).subarray(0, 12), 'E0103', 5],
  ['truncated code', v1([6, 0, 0, 0x0d]).subarray(0, 25), 'E0103', 19],
  ['bytes after the code', Uint8Array.from([...v1([0x0d]), 0]), 'E0104', 19],
  ['bad hex text', new TextEncoder().encode('0xfe, 0xed, zz'), 'E0105', 12],
  [
    'bad CRC',
    (() => {
      const b = GOOD_SENSEVM.slice();
      b[24] = b[24]! ^ 1;
      return b;
    })(),
    'E0106',
  ],
  [
    'unsupported flags',
    refreshCrc(
      (() => {
        const b = GOOD_SENSEVM.slice();
        b[6] = 1;
        return b;
      })(),
    ),
    'E0113',
    6,
  ],
  ['unknown opcode', v1([6, 0, 0, 0xee, 0x0d]), 'E0121', 26],
  ['truncated instruction', v1([4, 6, 0]), 'E0122', 24],
  ['switch table past the end', v1([8, 0x36, 3, 0, 0, 0, 23]), 'E0123', 24],
  ['int pool index out of range', v1([6, 0, 2, 0x0d]), 'E0124', 23],
  [
    'float pool index out of range',
    senseVm('.format sensevm 1\n    LOADF #0\n    STOP\n'),
    'E0125',
  ],
  [
    'string pool index out of range',
    senseVm('.format sensevm 1\n    LOADS #3\n    STOP\n'),
    'E0126',
  ],
  ['reserved constructor tag', v1([8, 0x0b, 0xff, 0xff, 0x0d]), 'E0127', 24],
  ['unknown runtime call', v1([0x37, 200, 0x0d]), 'E0128', 23],
  ['LOADB operand not 0/1', v1([7, 2, 0x0d]), 'E0129', 23],
  ['unknown FAIL cause', senseVm('.format sensevm 1\n    FAIL 9\n'), 'E0130'],
  ['jump past the end', v1([0x11, 0, 200]), 'E0131', 23],
  ['jump before the code', v1([0x11, 0, 3]), 'E0131', 23],
  ['jump into the middle of an instruction', v1([0x11, 0, 24]), 'E0132', 23],
  ['control runs off the end', v1([6, 0, 0]), 'E0133', 23],
  ['Sense-VM opcode in a version-1 image', v1([8, 58, 0x0d]), 'E0134', 24],
  ['empty code', v1([]), 'E0120', 23],
];

async function verifyFile(
  bytes: Uint8Array,
  name: string,
): Promise<{ code: number; io: BufferIO }> {
  const file = join(dir, name.replace(/\W+/g, '-') + '.svm');
  writeFileSync(file, bytes);
  const io = new BufferIO();
  return { code: await main(['verify', file], io), io };
}

describe('sensevm verify rejects corrupt images', () => {
  it.each(CASES)('%s → %s', async (name, bytes, code, offset) => {
    const { code: exit, io } = await verifyFile(bytes, name);
    expect(exit).toBe(65);
    expect(io.stdout).toBe('');
    const first = io.stderr.split('\n')[0]!;
    expect(first).toMatch(new RegExp(`: offset 0x[0-9a-f]{4}: error\\[${code}\\]: `));
    if (offset !== undefined)
      expect(first).toContain(`offset 0x${offset.toString(16).padStart(4, '0')}:`);
  });

  it('gives every kind of corruption its own code', () => {
    const codes = CASES.filter(
      ([n]) => !n.startsWith('jump before') && !n.startsWith('truncated code'),
    ).map(([, , c]) => c);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('accepts the good images the corrupt ones were made from', async () => {
    for (const [name, bytes] of [
      ['good v1', v1([6, 0, 0, 4, 6, 0, 1, 0x18, 0x0d])],
      ['good sensevm', GOOD_SENSEVM],
    ] as const) {
      const { code, io } = await verifyFile(bytes, name);
      expect([code, io.stdout, io.stderr]).toEqual([0, 'ok\n', '']);
    }
  });

  it('rejects code beyond the 64 KiB that 16-bit labels address (E0146), in both formats', async () => {
    // Version 1: header (23 bytes) + code may reach file offset 0x10000, not one byte further.
    const pushes = (n: number): number[] => [...Array<number>(n).fill(4), 0x0d];
    const fits = v1(pushes(0x10000 - 23 - 1));
    expect(fits.length).toBe(0x10000);
    expect((await verifyFile(fits, 'v1 fits')).code).toBe(0);
    const tooBig = await verifyFile(v1(pushes(0x10000 - 23)), 'v1 too big');
    expect(tooBig.code).toBe(65);
    expect(tooBig.io.stderr).toMatch(/: offset 0x10000: error\[E0146\]: the code is too large/);
    // Sense-VM: the code section itself is limited (labels are code offsets).
    const big = new Uint8Array(0x10001).fill(4);
    big[0x10000] = 0x0d;
    const image = writeSenseVmImage({
      format: 'sensevm',
      version: 1,
      ints: new Int32Array(0),
      floats: new Float32Array(0),
      strings: [],
      natives: new Uint32Array(0),
      code: big,
      labelBase: 0,
      debug: [],
    });
    const sense = await verifyFile(image, 'sensevm too big');
    expect(sense.code).toBe(65);
    expect(sense.io.stderr).toContain('error[E0146]');
  });

  it('reports several independent problems at once', async () => {
    const { code, io } = await verifyFile(v1([6, 0, 9, 7, 5, 0x11, 0, 99]), 'several');
    expect(code).toBe(65);
    expect(io.stderr.match(/error\[E01\d\d\]/g)).toEqual([
      'error[E0124]',
      'error[E0129]',
      'error[E0131]',
    ]);
  });
});
