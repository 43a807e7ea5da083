import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';
import { compile } from '../../src/lang/compile.js';
import { renderDiagnostic } from '../../src/lang/render.js';
import { diag } from '../../src/lang/report.js';

const dir = mkdtempSync(join(tmpdir(), 'sensevm-check-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function check(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const io = new BufferIO();
  const code = await main(['check', ...args], io);
  return { code, stderr: io.stderr, stdout: io.stdout };
}

describe('sensevm check', () => {
  it('accepts a correct program silently with exit 0', async () => {
    const r = await check(file('ok.cam', 'main = 1 + 2\n'));
    expect(r).toEqual({ code: 0, stderr: '', stdout: '' });
  });

  it('prints every error with a code frame and exits 65', async () => {
    const path = file('bad.cam', 'a = 1 + True\nmain = undefinedName\n');
    const r = await check(path);
    expect(r.code).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${path}:1:9: error[E0401]: type error: expected \`Int\`, found \`Bool\``,
    );
    expect(r.stderr).toContain(
      `${path}:2:8: error[E0301]: unbound name: unbound variable \`undefinedName\``,
    );
    expect(r.stderr).toContain('1 | a = 1 + True\n  |         ^^^^');
    expect(r.stderr).toContain('2 error(s)');
  });

  it('exits 74 when the file cannot be read', async () => {
    const r = await check(join(dir, 'missing.cam'));
    expect(r.code).toBe(74);
    expect(r.stderr).toBe(`sensevm: cannot read ${join(dir, 'missing.cam')}: no such file\n`);
    // A directory: the same plain words as every other command, no raw errno text.
    const asDirectory = await check(dir);
    expect(asDirectory.code).toBe(74);
    expect(asDirectory.stderr).toBe(`sensevm: cannot read ${dir}: is a directory\n`);
  });

  it('colours only when asked', async () => {
    const path = file('colour.cam', 'main = 1 +\n');
    expect((await check(path)).stderr).not.toContain('\u001b[');
    expect((await check('--color', path)).stderr).toContain('\u001b[');
  });
});

describe('render', () => {
  const source = 'main : Int\nmain = if x = 1 then 1 else 0\n';
  it('renders location, category, caret, related span and hint', () => {
    const span = { file: 'p.cam', line: 2, column: 14, endLine: 2, endColumn: 15 };
    const related = { file: 'p.cam', line: 1, column: 1, endLine: 1, endColumn: 11 };
    const text = renderDiagnostic(
      diag(
        'E0204',
        span,
        { expected: '`then`', found: '`=`' },
        { hint: 'did you mean `==`?', related: [{ span: related, message: 'the signature' }] },
      ),
      source,
    );
    expect(text).toBe(
      [
        'p.cam:2:14: error[E0204]: syntax error: expected `then`, found `=`',
        '  |',
        '2 | main = if x = 1 then 1 else 0',
        '  |              ^',
        'p.cam:1:1: note: the signature',
        '  |',
        '1 | main : Int',
        '  | ^^^^^^^^^^',
        'hint: did you mean `==`?',
        '',
      ].join('\n'),
    );
  });

  it('underlines a multi-line span to the end of its first line', () => {
    const span = { file: 'p.cam', line: 2, column: 8, endLine: 3, endColumn: 2 };
    const text = renderDiagnostic(diag('E0401', span, { expected: 'Int', found: 'Bool' }), source);
    expect(text).toContain(
      '2 | main = if x = 1 then 1 else 0\n  |        ' + '^'.repeat(22) + '\n',
    );
  });

  it('shows a window of a very long line around the span, the caret still under it', () => {
    const long = `main = ${Array.from({ length: 200 }, () => '1').join(' + ')} + True`;
    const column = long.indexOf('True') + 1;
    const span = { file: 'p.cam', line: 1, column, endLine: 1, endColumn: column + 4 };
    const text = renderDiagnostic(diag('E0401', span, { expected: 'Int', found: 'Bool' }), long);
    const [, , code, caret] = text.split('\n');
    expect(code!.length).toBeLessThan(130);
    expect(code).toMatch(/^1 \| …1 \+ 1 .* \+ True$/);
    expect(code!.slice(caret!.indexOf('^'), caret!.lastIndexOf('^') + 1)).toBe('True');
  });

  it('never prints control characters from the source, and names them by number', () => {
    const result = compile('main = \u0001 1\n', 'p.cam');
    expect(result.diagnostics[0]!.message).toBe('unknown character `U+0001`');
    const text = renderDiagnostic(result.diagnostics[0]!, 'main = \u0001 1\n');
    expect(text).toContain('1 | main = \uFFFD 1\n  |        ^\n');
    // An emoji is one unknown character, not two halves of a surrogate pair.
    const emoji = compile('main = \u{1F600} + 1\n', 'p.cam');
    expect(emoji.diagnostics.map((d) => d.message)).toEqual(['unknown character `\u{1F600}`']);
  });
});
