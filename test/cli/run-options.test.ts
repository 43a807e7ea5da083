/**
 * `sensevm run`'s option errors and fault advice: out-of-range sizes are usage errors (64) that
 * name the option and the limit, and a stack overflow says which option to raise.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferIO, main } from '../../src/cli/main.js';
import { formatBytes, parseBytes } from '../../src/cli/commands/run.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-run-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = new BufferIO();
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

const FIVE = 'examples/bytecode/five-plus-five.svm';

const DEEP = file(
  'deep.cam',
  'sumTo : Int -> Int\n' +
    'sumTo n = if n == 0 then 0 else n + sumTo (n - 1)\n\n' +
    'main : Int\nmain = sumTo 100000\n',
);

describe('size and count options', () => {
  it('accepts binary units on --heap and --stack', async () => {
    expect(parseBytes('8KiB')).toBe(8192);
    expect(parseBytes('1MiB')).toBe(1048576);
    expect(parseBytes('2G')).toBe(2 * 1024 ** 3);
    const r = await run('run', FIVE, '--heap', '8KiB', '--stack', '1MiB');
    expect(r).toMatchObject({ code: 0, out: '10\n' });
  });

  it('--stack 0 is a usage error naming the minimum, not a stack-overflow fault', async () => {
    const r = await run('run', FIVE, '--stack', '0');
    expect(r.code).toBe(64);
    expect(r.err).toContain('--stack 0 is too small: the minimum is 64 bytes');
    expect(r.err).not.toContain('fault');
  });

  it('--contexts 0 names the option, not the internal field', async () => {
    const r = await run('run', FIVE, '--contexts', '0');
    expect(r.code).toBe(64);
    expect(r.err).toContain('--contexts must be between 1 and 65536, got 0');
    expect(r.err).not.toContain('maxContexts');
  });

  it('--heap 10G is refused as too large and names the maximum', async () => {
    const r = await run('run', FIVE, '--heap', '10G');
    expect(r.code).toBe(64);
    expect(r.err).toContain('--heap 10G is too large: the maximum is 256MiB');
  });

  it('a size that is not a size still says what is expected', async () => {
    const r = await run('run', FIVE, '--heap', 'lots');
    expect(r.code).toBe(64);
    expect(r.err).toContain("--heap expects a size in bytes (e.g. 8192, 8KiB, 1MiB), got 'lots'");
  });

  it('formats limits in the units users type', () => {
    expect(formatBytes(256 * 1024 * 1024)).toBe('256MiB');
    expect(formatBytes(8192)).toBe('8KiB');
    expect(formatBytes(64)).toBe('64 bytes');
  });
});

describe('fault advice', () => {
  it('a stack overflow carries a hint with the stack size in force', async () => {
    const r = await run('run', DEEP, '--stack', '4KiB');
    expect(r.code).toBe(70);
    expect(r.err).toContain('fault: stack overflow');
    expect(r.err).toContain(
      'hint: non-tail recursion deeper than the stack allows: raise --stack ' +
        '(now 4096 bytes per context) or make the call a tail call',
    );
  });

  it('other faults carry no stack hint', async () => {
    const r = await run('run', DEEP, '--heap', '0', '--stack', '64');
    expect(r.code).toBe(70);
    expect(r.err).toContain('fault: stack overflow');
    const div = file('div.cam', 'main : Int\nmain = 1 / 0\n');
    const d = await run('run', div);
    expect(d.code).toBe(70);
    expect(d.err).toContain('fault: division by zero');
    expect(d.err).not.toContain('hint:');
  });
});
