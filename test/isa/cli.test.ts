import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-isa-cli-'));
const example = (name: string): string =>
  new URL(`../../examples/bytecode/${name}`, import.meta.url).pathname;

const run = runCli;

describe('sensevm disasm / asm / verify', () => {
  it('disasm prints the golden listing of the 5 + 5 example', async () => {
    const r = await run('disasm', example('five-plus-five.svm'));
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(example('five-plus-five.disasm.golden'), 'utf8'));
  });

  it('asm(disasm(image)) reproduces every example image byte for byte', async () => {
    for (const name of [
      'five-plus-five.svm',
      'five-plus-five-binary.svm',
      'apply-lambda.svm',
      'maybe-switch.svm',
    ]) {
      const listing = await run('disasm', example(name));
      const source = join(dir, name.replace('.svm', '.s'));
      writeFileSync(source, listing.out);
      const original = readFileSync(example(name));
      const hex = original[0] === 0x30 ? ['--hex'] : [];
      const output = join(dir, 'out-' + name);
      const r = await run('asm', source, '-o', output, ...hex);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(readFileSync(output).equals(original), name).toBe(true);
    }
  });

  it('asm --format converts and the result verifies', async () => {
    const source = join(dir, 'convert.s');
    writeFileSync(source, (await run('disasm', example('apply-lambda.svm'))).out);
    const output = join(dir, 'convert.svm');
    expect((await run('asm', source, '-o', output, '--format', 'sensevm')).code).toBe(0);
    expect(readFileSync(output).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x53, 0x56, 0x4d]));
    expect(await run('verify', output)).toEqual({ code: 0, out: 'ok\n', err: '' });
  });

  it('asm reports assembly errors with file:line:column and exits 65', async () => {
    const source = join(dir, 'bad.s');
    writeFileSync(source, '.format sensevm 1\n    PUHS\n');
    const r = await run('asm', source, '-o', join(dir, 'bad.svm'));
    expect(r.code).toBe(65);
    expect(r.err).toBe(`${source}:2:5: error[E0141]: unknown mnemonic \`PUHS\`\n`);
  });

  it('asm: text that is not UTF-8 is E0140 at its line; a bad .format is one error, no cascade', async () => {
    const binary = join(dir, 'binary.s');
    writeFileSync(binary, Uint8Array.from([...Buffer.from('.format sensevm 1\n'), 0xff, 0xfe]));
    const r = await run('asm', binary, '-o', join(dir, 'binary.svm'));
    expect([r.code, r.err]).toEqual([
      65,
      `${binary}:2:1: error[E0140]: the line is not UTF-8 text\n`,
    ]);
    for (const [text, column] of [
      ['.format elf 1\n    STOP\n', 9],
      ['.format sensevm 2\n    STOP\n', 18],
    ] as const) {
      const source = join(dir, 'format.s');
      writeFileSync(source, text);
      const f = await run('asm', source, '-o', join(dir, 'format.svm'));
      expect(f.code).toBe(65);
      expect(f.err.match(/error\[E\d+\]/g)).toEqual(['error[E0140]']);
      expect(f.err).toContain(`${source}:1:${column}:`);
    }
  });

  it('asm refuses to write an image the verifier rejects, unless --no-verify', async () => {
    const source = join(dir, 'unverified.s');
    writeFileSync(source, '.format synchronvm 1\n    GOTO 999\n');
    const output = join(dir, 'unverified.svm');
    const r = await run('asm', source, '-o', output);
    expect(r.code).toBe(65);
    expect(r.err).toContain('error[E0131]');
    expect((await run('asm', source, '-o', output, '--no-verify')).code).toBe(0);
    expect((await run('verify', output)).code).toBe(65);
  });

  it('missing files exit 74; bad usage exits 64', async () => {
    expect((await run('verify', join(dir, 'nope.svm'))).code).toBe(74);
    expect((await run('disasm', join(dir, 'nope.svm'))).err).toContain('cannot read');
    expect((await run('asm', join(dir, 'nope.s'))).code).toBe(74);
    expect((await run('verify')).code).toBe(64);
    expect((await run('asm', 'x.s', '--format', 'elf')).code).toBe(64);
  });

  it('the built command stops quietly when its reader goes away (`disasm big.svm | head -1`)', () => {
    // 30 000 instructions: a listing far larger than a pipe buffer, so writes hit a closed pipe.
    const code = [...Array<number>(30_000).fill(4), 0x0d];
    const n = code.length;
    const image = Uint8Array.from([
      ...[0xfe, 0xed, 0xca, 0xfe, 1, 0, 0, 0, 0, 0, 0],
      ...[n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff],
      ...code,
    ]);
    const big = join(dir, 'big.svm');
    writeFileSync(big, image);
    const bin = new URL('../../bin/sensevm.js', import.meta.url).pathname;
    const r = spawnSync(
      'bash',
      ['-c', `node "${bin}" disasm "${big}" | head -1; echo "exit \${PIPESTATUS[0]}" >&2`],
      { encoding: 'utf8' },
    );
    expect(r.stdout).toBe(
      '; SynchronVM image, version 1: labels are file offsets, code starts at 15\n',
    );
    expect(r.stderr).toBe('exit 0\n');
  });

  it('each command has help text with an example', async () => {
    for (const cmd of ['asm', 'disasm', 'verify']) {
      const r = await run(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: sensevm ${cmd}`);
      expect(r.out).toContain(`$ sensevm ${cmd}`);
      // The description is wrapped by commander, not broken by hand into ragged fragments.
      const description = r.out.split('\n\n')[1]!.split('\n');
      for (const line of description.slice(0, -1)) expect(line.length, line).toBeGreaterThan(60);
    }
  });
});
