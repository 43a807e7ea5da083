/** `sensevm compile`, `sensevm run prog.cam` and `sensevm check` warnings, run in-process. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';
import { loadVerifiedImage } from '../../src/isa/image.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-compile-'));
function source(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = new BufferIO();
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('sensevm compile', () => {
  it('writes a Sense-VM image next to the source by default', async () => {
    const path = source('double.cam', 'double x = x * 2\nmain = double 21\n');
    const r = await cli('compile', path);
    expect(r.code).toBe(0);
    const image = join(dir, 'double.svm');
    expect(existsSync(image)).toBe(true);
    const loaded = loadVerifiedImage(readFileSync(image));
    expect(loaded.ok && loaded.program.format).toBe('sensevm');
    expect((await cli('run', image)).out).toBe('42\n');
  });

  it('writes SynchronVM hex text with --format synchronvm, and it runs', async () => {
    const path = source('v1.cam', 'main = 5 + 5\n');
    const out = join(dir, 'v1.svm');
    expect((await cli('compile', path, '-o', out, '--format', 'synchronvm')).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('0xfe, 0xed, 0xca, 0xfe')).toBe(true);
    const r = await cli('run', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe('10\n');
  });

  it('refuses --format synchronvm for a program that needs Sense-VM instructions (65)', async () => {
    const path = source('float.cam', 'main = 1.5 * 2.0\n');
    const r = await cli('compile', path, '--format', 'synchronvm', '-o', join(dir, 'float.svm'));
    expect(r.code).toBe(65);
    expect(r.err).toContain('E0591');
    expect(existsSync(join(dir, 'float.svm'))).toBe(false);
  });

  it('exits 65 with rendered diagnostics on a compile error, 64 on a bad format', async () => {
    const path = source('bad.cam', 'main = 1 + True\n');
    const r = await cli('compile', path);
    expect(r.code).toBe(65);
    expect(r.err).toMatch(/bad\.cam:1:\d+: error\[E04\d\d\]/);
    expect((await cli('compile', path, '--format', 'elf')).code).toBe(64);
  });

  it('exits 74 when the source cannot be read', async () => {
    expect((await cli('compile', join(dir, 'missing.cam'))).code).toBe(74);
  });
});

describe('sensevm run prog.cam', () => {
  it('compiles and prints the value of main', async () => {
    const path = source(
      'list.cam',
      'data L a where\n  N : L a\n  C : a -> L a -> L a\nmain = C 1 (C 2 N)\n',
    );
    const r = await cli('run', path);
    expect(r.code).toBe(0);
    expect(r.out).toBe('C 1 (C 2 N)\n');
  });

  it('exits 65 on a compile error and 70 on a runtime fault', async () => {
    expect((await cli('run', source('e.cam', 'main = x\n'))).code).toBe(65);
    const fault = await cli('run', source('f.cam', 'g : Int -> Int\ng 1 = 2\nmain = g 3\n'));
    expect(fault.code).toBe(70);
    expect(fault.err).toContain('match failure');
    expect(fault.err).toContain('warning[E0501]');
  });
});

describe('sensevm check', () => {
  it('reports pattern warnings and still exits 0', async () => {
    const path = source('w.cam', 'f : Int -> Int\nf _ = 1\nf 0 = 2\nmain = f 0\n');
    const r = await cli('check', path);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning[E0502]');
  });
});
