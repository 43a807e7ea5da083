/**
 * `sensevm run` on hand-made SynchronVM version-1 images (binary and hex text) and on the
 * example images: the value of main is the last line of stdout; a fault exits 70 and names its
 * cause on stderr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';
import { parseBytes } from '../../src/cli/commands/run.js';
import { writeImage } from '../../src/isa/image.js';
import { asm, type Line } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-run-'));

/**
 * A SynchronVM version-1 image: FE ED CA FE, version 1, int pool, empty string and native pools,
 * code length, code. Labels are absolute file offsets (labelBase = header size).
 */
function v1Image(lines: readonly Line[]): Uint8Array {
  const ints = asm(lines).ints; // pool order does not depend on labelBase
  const header = 4 + 1 + 2 + 4 * ints.length + 2 + 2 + 4;
  const program = asm(lines, { labelBase: header, format: 'synchronvm' });
  const bytes: number[] = [0xfe, 0xed, 0xca, 0xfe, 1, ints.length >> 8, ints.length & 0xff];
  for (const v of program.ints)
    bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const n = program.code.length;
  bytes.push(
    0,
    0,
    0,
    0,
    (n >>> 24) & 0xff,
    (n >>> 16) & 0xff,
    (n >>> 8) & 0xff,
    n & 0xff,
    ...program.code,
  );
  expect(bytes.length).toBe(header + n);
  return Uint8Array.from(bytes);
}

/** A Sense-VM image (needed for opcodes 56+, which version-1 images cannot contain). */
function senseVmImage(lines: readonly Line[]): Uint8Array {
  const written = writeImage(asm(lines), 'sensevm');
  if (!written.ok) throw new Error(written.errors.map((e) => e.message).join('; '));
  return written.bytes;
}

let counter = 0;
function file(data: Uint8Array | string): string {
  const path = join(dir, `image-${counter++}.svm`);
  writeFileSync(path, data);
  return path;
}

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = new BufferIO();
  const code = await main(['run', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';

describe('sensevm run', () => {
  it('5 + 5 → 10', async () => {
    const r = await run(file(v1Image([['LOADI', 5], ['PUSH'], ['LOADI', 5], ['ADDI'], ['STOP']])));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(lastLine(r.stdout)).toBe('10');
  });

  it('(\\x -> x + 4) 3 through COMB and APP → 7 (labels are file offsets)', async () => {
    const lines: Line[] = [
      ['PUSH'],
      ['LOADI', 3],
      ['SWAP'],
      ['COMB', 'f'],
      ['APP'],
      ['STOP'],
      'f:',
      ['PUSH'],
      ['LOADI', 4],
      ['ADDI'],
      ['RETURN'],
    ];
    const r = await run(file(v1Image(lines)));
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe('7');
  });

  it('PACK then SWITCHI → the payload, from hex text as camiotc writes it', async () => {
    const lines: Line[] = [
      ['LOADI', 42],
      ['PACK', 1],
      [
        'SWITCHI',
        [
          [0, 'nothing'],
          [1, 'just'],
        ],
      ],
      'nothing:',
      ['LOADI', 0],
      ['STOP'],
      'just:',
      ['STOP'],
    ];
    const hex = Array.from(v1Image(lines), (b) => `0x${b.toString(16)}`).join(', ');
    const r = await run(file(hex));
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe('42');
  });

  it.each([
    ['five-plus-five.svm', '10'],
    ['five-plus-five-binary.svm', '10'],
    ['apply-lambda.svm', '7'],
    ['maybe-switch.svm', '43'],
  ])('runs examples/bytecode/%s → %s', async (name, expected) => {
    const r = await run(join('examples', 'bytecode', name));
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe(expected);
  });

  it('a Sense-VM image faulting with division by zero exits 70', async () => {
    const lines: Line[] = [['LOADI', 1], ['PUSH'], ['LOADI', 0], ['DIVI'], ['STOP']];
    const r = await run(file(senseVmImage(lines)));
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('division by zero');
    expect(r.stderr).toContain('at pc 7 (DIVI)');
  });

  it.each<[string, Line[], string[], string]>([
    [
      'match failure',
      [['LOADI', 1], ['PACK', 2], ['SWITCHI', [[1, 'a']]], 'a:', ['STOP']],
      [],
      'SWITCHI',
    ],
    ['stack overflow', ['f:', ['CALL', 'f'], ['STOP']], ['--stack', '256'], 'CALL'],
    [
      'heap exhausted',
      [['CLEAR'], 'l:', ['PUSH'], ['CONS'], ['GOTO', 'l']],
      ['--heap', '8K'],
      'CONS',
    ],
    // A runtime call the runtime layer refuses: `recv` on a channel that was never created.
    ['no channel 5', [['LOADI', 5], ['CALLRTS', 3], ['STOP']], [], 'CALLRTS'],
  ])(
    'a fault (%s) exits 70 and names its cause, pc and instruction',
    async (cause, lines, flags, mnemonic) => {
      const r = await run(file(v1Image(lines)), ...flags);
      expect(r.code).toBe(70);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(cause);
      expect(r.stderr).toMatch(new RegExp(`at pc \\d+ \\(${mnemonic}, @\\d+ in the listing\\)`));
    },
  );

  it('a fault in a version-1 image also names the address `sensevm disasm` lists', async () => {
    const image = file(v1Image([['LOADI', 5], ['PUSH'], ['RETURN']]));
    const r = await run(image);
    expect(r.code).toBe(70);
    const [, pc, address] = /at pc (\d+) \(RETURN, @(\d+) in the listing\)/.exec(r.stderr) ?? [];
    expect(pc).toBe('4');
    const io = new BufferIO();
    expect(await main(['disasm', image], io)).toBe(0);
    expect(io.stdout).toMatch(new RegExp(`^ +RETURN +; @${address}$`, 'm'));
  });

  it('an invalid image is rejected with exit 65 before anything runs', async () => {
    const r = await run(file(Uint8Array.of(1, 2, 3, 4, 5)));
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/E01\d\d/);
  });

  it('rejects a malformed size with exit 64', async () => {
    const r = await run(file(v1Image([['STOP']])), '--heap', 'lots');
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--heap');
  });

  it('--max-instructions stops an endless loop with exit 70', async () => {
    const r = await run(file(v1Image(['l:', ['GOTO', 'l']])), '--max-instructions', '1000');
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('stopped after 1000 instructions');
  });

  it('--stats reports memory in configured bytes', async () => {
    const r = await run(file(v1Image([['LOADI', 5], ['STOP']])), '--heap', '8192', '--stats');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('heap 8190 = 819 cells of 10 bytes');
  });

  it('parses byte sizes', () => {
    expect(parseBytes('8192')).toBe(8192);
    expect(parseBytes('8K')).toBe(8192);
    expect(parseBytes('1MiB')).toBe(1048576);
    expect(parseBytes('x')).toBeUndefined();
  });
});
