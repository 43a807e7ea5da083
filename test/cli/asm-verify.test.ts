/**
 * `sensevm asm`: verifier errors point at the assembly source the user wrote (file, line and
 * column of the offending instruction), never at the `.svm` output that was not written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferIO, main } from '../../src/cli/main.js';
import { assembleText } from '../../src/isa/assemble-text.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-asm-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function asm(name: string, text: string, ...flags: string[]) {
  const source = join(dir, name);
  writeFileSync(source, text);
  const io = new BufferIO();
  const code = await main(['asm', source, ...flags], io);
  return { code, err: io.stderr, source, output: source.replace(/\.s$/, '.svm') };
}

describe('asm verify errors', () => {
  it.each(['sensevm', 'synchronvm'])(
    'a jump outside the code (%s) names the .s file and the GOTO line',
    async (format) => {
      const r = await asm(
        `jump-${format}.s`,
        `.format ${format} 1\n    PUSH\n    GOTO 200\n    STOP\n`,
      );
      expect(r.code).toBe(65);
      expect(r.err).toContain(`${r.source}:3:5: error[E0131]: GOTO target`);
      expect(r.err).not.toContain('.svm');
      expect(existsSync(r.output)).toBe(false);
    },
  );

  it('control running off the end points at the last instruction', async () => {
    const r = await asm('off-end.s', '.format sensevm 1\n    PUSH\n\n    ACC 0 ; last\n');
    expect(r.code).toBe(65);
    expect(r.err).toContain(`${r.source}:4:5: error[E0133]`);
  });

  it('with --format conversion the line is still found', async () => {
    const r = await asm(
      'convert.s',
      '.format sensevm 1\n    PUSH\n    GOTO 200\n    STOP\n',
      '--format',
      'synchronvm',
    );
    expect(r.code).toBe(65);
    expect(r.err).toContain(`${r.source}:3:5: error[E0131]`);
  });

  it('the assembler records where each instruction starts', () => {
    const r = assembleText('.format sensevm 1\nstart:\n    PUSH\n    GOTO start\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.whereAt.get(0)).toMatchObject({ line: 3, column: 5 });
    expect(r.whereAt.get(1)).toMatchObject({ line: 4, column: 5 });
    expect(r.whereAt.size).toBe(2);
  });
});
