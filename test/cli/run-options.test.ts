/**
 * `sensevm run`'s option errors and fault advice: out-of-range sizes are usage errors (64) that
 * name the option and the limit, and a stack overflow says which option to raise.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileProblem } from '../../src/cli/io.js';
import { formatBytes, parseBytes, wrapParagraph } from '../../src/cli/commands/run.js';
import { parseSizeBytes } from '../../src/system/units.js';
import { runCli, scratchDir } from '../helpers/cli.js';

const { dir, file } = scratchDir('sensevm-run-options-');

const run = runCli;

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
    expect(parseBytes('8K')).toBe(8192);
    // One grammar with manifests (system/units.ts): KB is decimal there and here.
    expect(parseBytes('8KB')).toBe(parseSizeBytes('8KB'));
    expect(parseBytes('8KB')).toBe(8000);
    expect(parseBytes('8 parsecs')).toBeUndefined();
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

describe('option errors are usage errors (64)', () => {
  const BLINKY = 'examples/blinky/blinky.cam';

  it('--peripherals "" is refused before the program runs', async () => {
    const r = await run('run', BLINKY, '--for', '1s', '--peripherals', '');
    expect(r.code).toBe(64);
    expect(r.err).toContain('--peripherals needs peripheral names');
    expect(r.err).not.toContain('no driver');
  });

  it('an unknown --board name exits 64 like a bad --peripherals; an invalid board file stays 65', async () => {
    const name = await run('run', BLINKY, '--for', '1s', '--board', 'arduino-uno');
    expect(name.code).toBe(64);
    expect(name.err).toContain('--board: error[E0642]: unknown board `arduino-uno`');
    const bad = await run('run', BLINKY, '--for', '1s', '--peripherals', 'zz');
    expect(bad.code).toBe(64);
    const invalid = file('bad-board.json', '{"name": 3}');
    expect((await run('run', BLINKY, '--for', '1s', '--board', invalid)).code).toBe(65);
  });

  it('a stimulus entry that is not an object shows what an entry looks like', async () => {
    const script = file('numbers.json', '[3, {"at": "1ms", "device": "button0", "value": 1}]');
    const r = await run('run', BLINKY, '--for', '1s', '--stimulus', script);
    expect(r.code).toBe(65);
    expect(r.err).toContain(
      '[0]: expected an object like {"at": "1ms", "device": "button0", "value": 1}, got 3',
    );
    expect(r.err).not.toContain('missing');
    expect(r.err).not.toContain('[1]');
  });
});

describe('I/O errors', () => {
  it('fileProblem says what went wrong in plain words, never Node text', () => {
    expect(fileProblem(Object.assign(new Error('ENOENT: raw'), { code: 'ENOENT' }))).toBe(
      'no such file',
    );
    expect(fileProblem({ code: 'ENOENT' }, true)).toBe('no such directory');
    expect(fileProblem({ code: 'EACCES' })).toBe('permission denied');
    expect(fileProblem(new Error('Error: something raw'))).toBe('cannot be accessed');
  });

  it.each([
    [['run', '/no/such.svm'], 'cannot read /no/such.svm: no such file'],
    [['run', '/no/such.json'], 'cannot read /no/such.json: no such file'],
    [['trace', '/no/such.json'], 'cannot read /no/such.json: no such file'],
    [['asm', '/no/such.s'], 'cannot read /no/such.s: no such file'],
    [
      ['run', 'examples/blinky/blinky.cam', '--for', '1s', '--stimulus', '/no/such.json'],
      'cannot read stimulus script /no/such.json: no such file',
    ],
    [
      ['run', 'examples/blinky/blinky.cam', '--for', '1s', '--events', '/no/such/e.jsonl'],
      'cannot write /no/such/e.jsonl: no such directory',
    ],
    [
      ['run', 'examples/blinky/blinky.cam', '--for', '1s', '--trace', tmpdir()],
      `cannot write ${tmpdir()}: is a directory`,
    ],
  ])('%j exits 74 with a plain message', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(74);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/Error:|ENOENT|EISDIR/);
  });
});

describe('SynchronVM (version-1) addresses in reports and traces', () => {
  async function v1Deadlock(): Promise<string> {
    const source = file('dead.cam', 'main : Int\nmain = let c = channel () in sync (recv c)\n');
    const image = join(dir, 'dead.svm');
    expect((await run('compile', source, '-o', image, '--format', 'synchronvm')).code).toBe(0);
    return image;
  }

  it('the deadlock report gives the listing address as fault reports do', async () => {
    const r = await run('run', await v1Deadlock());
    expect(r.code).toBe(70);
    // Header of this image: magic 4, version 1, int pool 2, string pool 2, natives 2, length 4.
    expect(r.err).toMatch(/blocked in sync .* at pc 8 \(@23 in the listing\)/);
    const listing = await run('disasm', await v1Deadlock());
    expect(listing.out).toMatch(/CALLRTS 4 +; @23 /);
  });

  it('--trace-instructions shows pcs and label operands both as code offsets and listing addresses', async () => {
    const r = await run(
      'run',
      'examples/bytecode/synchronvm-blinky.svm',
      '--for',
      '1ms',
      '--trace-instructions',
      '--quiet',
    );
    const lines = r.err.split('\n');
    expect(lines[0]).toContain('pc is the code offset, (@N) the address in the listing');
    // COMB 75 (file offset, code starts at 47) designates pc 28.
    expect(lines[1]).toMatch(/^ctx 0 pc 0 \(@47\) COMB pc 28 \(@75\) \| /);
    expect(r.err).toMatch(/ CALL pc 49 \(@96\) \| /);
    expect(r.err).toMatch(/top return pc 26 \(@73\)/);
    // Non-label operands stay as they are.
    expect(r.err).toMatch(/\(@58\) LOADI 1 \| /);
  });

  it('Sense-VM images keep the plain trace', async () => {
    const plain = file('plain.cam', 'main : Int\nmain = 5 + 5\n');
    const r = await run('run', plain, '--trace-instructions');
    expect(r.out).toBe('10\n');
    expect(r.err).toMatch(/^ctx 0 pc 0 \S+/);
    expect(r.err).not.toContain('in the listing');
  });
});

describe('run --help', () => {
  it('fits 80 columns: notes are filled paragraphs, examples are short lines', async () => {
    const r = await run('run', '--help');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(r.out).toContain('$ sensevm run examples/blinky/blinky.cam --for 3s');
    // Every paragraph after the examples: only its last line may be short.
    const notes = r.out.split('\n\n').filter((p) => /^(A device run|Sizes take)/.test(p));
    expect(notes).toHaveLength(2);
    for (const p of notes) {
      const ls = p.trimEnd().split('\n');
      for (const l of ls.slice(0, -1)) expect(l.length, l).toBeGreaterThan(60);
    }
    expect(r.out).toMatch(/--heap <bytes> +heap size, e\.g\. 64KiB \(default 512KiB\)/);
    expect(r.out).toMatch(/--stack <bytes> +stack size per context \(default 32KiB\)/);
  });

  it('wrapParagraph fills words up to the width', () => {
    expect(wrapParagraph('aa bb cc dd', 5)).toBe('aa bb\ncc dd');
    expect(wrapParagraph('  one  ', 10)).toBe('one');
  });
});

describe('README', () => {
  it('documents every option of `sensevm run`', async () => {
    const help = (await run('run', '--help')).out;
    const readme = readFileSync('README.md', 'utf8');
    const options = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!);
    expect(options).toContain('--contexts');
    for (const option of options) expect(readme, option).toContain(`\`${option}`);
  });
});
