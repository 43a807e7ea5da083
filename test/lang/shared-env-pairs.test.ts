/**
 * Code generation fetches a pair of variables that env already holds as one cell instead of
 * rebuilding it (a loop passing its leading parameters on unchanged), with the same results.
 */
import { describe, expect, it } from 'vitest';
import { BufferIO } from '../../src/cli/io.js';
import { runProgram } from '../../src/cli/commands/run.js';
import { compile } from '../../src/lang/compile.js';
import type { SymItem } from '../../src/isa/symbolic.js';

function compiled(source: string): { items: readonly SymItem[]; value: string } {
  const result = compile(source, 't.cam');
  if (!result.program || !result.items)
    throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  const io = new BufferIO();
  expect(runProgram(result.program, {}, io)).toBe(0);
  return { items: result.items, value: io.stdout.trim() };
}

const listing = (items: readonly SymItem[]): string[] =>
  items.flatMap((i) => (i.kind === 'instr' ? [[i.op, ...i.args.map(String)].join(' ')] : []));

describe('shared environment pairs', () => {
  it('passes (a, b) on as the cell env already has: REST 2, no CONS for it', () => {
    const { items, value } = compiled(
      'loop : Int -> Int -> Int -> Int -> Int\n' +
        'loop a b n acc = if n == 0 then a * 100 + b * 10 + acc else loop a b (n - 1) (acc + n)\n' +
        'main : Int\nmain = loop 4 2 3 1\n',
    );
    expect(value).toBe('427');
    const code = listing(items);
    // The tail call builds (((a, b), n - 1), acc + n): two CONS for the new values, the (a, b)
    // cell fetched by one REST 2.
    const call = code.lastIndexOf('GOTO loop');
    const callSite = code.slice(code.lastIndexOf('RETURN', call), call);
    expect(callSite).toContain('REST 2');
    expect(callSite.filter((op) => op === 'CONS')).toHaveLength(2);
  });

  it('does not share when the arguments are reordered or changed', () => {
    const { items, value } = compiled(
      'swap : Int -> Int -> Int -> Int\n' +
        'swap a b n = if n == 0 then a * 10 + b else swap b a (n - 1)\n' +
        'main : Int\nmain = swap 4 2 3\n',
    );
    expect(value).toBe('24');
    const code = listing(items);
    const call = code.lastIndexOf('GOTO swap');
    const callSite = code.slice(code.lastIndexOf('RETURN', call), call);
    expect(callSite.filter((op) => op === 'CONS')).toHaveLength(2);
  });

  it('does not share a pair whose variable is shadowed by a nearer binding', () => {
    const { value } = compiled(
      'f : Int -> Int -> Int -> Int\n' +
        'f a b n = if n == 0 then a * 10 + b else (let a = 7 in f a b (n - 1))\n' +
        'main : Int\nmain = f 4 2 1\n',
    );
    expect(value).toBe('72');
  });
});
