/**
 * The compiler back end: match compilation (witnesses, unreachable rows, column choice), code
 * shape guarantees (tail calls are jumps, closed functions are combinators, SynchronVM format
 * has no Sense-VM instructions) and a property: integer expressions compute what JavaScript's
 * 32-bit arithmetic computes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferIO } from '../../src/cli/io.js';
import { runProgram } from '../../src/cli/commands/run.js';
import type { Pattern, Span } from '../../src/lang/ast.js';
import { compile } from '../../src/lang/compile.js';
import type { Core } from '../../src/lang/core.js';
import { compileMatch, type ConstructorInfo, type MatchContext } from '../../src/lang/match.js';
import type { SymItem } from '../../src/isa/symbolic.js';

const span: Span = { file: 't.cam', line: 1, column: 1, endLine: 1, endColumn: 2 };
const pvar = (name: string): Pattern => ({ kind: 'pvar', name, span });
const wild: Pattern = { kind: 'pwild', span };
const pint = (value: number): Pattern => ({ kind: 'plit', lit: { kind: 'int', value }, span });
const pcon = (con: string, ...args: Pattern[]): Pattern => ({ kind: 'pcon', con, args, span });

const LIST = [
  { name: 'Nil', tag: 0, arity: 0 },
  { name: 'Cons', tag: 1, arity: 2 },
];
const context = (): MatchContext => {
  let n = 0;
  return {
    constructorInfo: (name): ConstructorInfo | undefined => {
      const c = LIST.find((s) => s.name === name);
      return c && { ...c, dataType: 'List', siblings: LIST };
    },
    fresh: (hint) => `${hint}.${++n}`,
  };
};
const vars = (...names: string[]): Core[] => names.map((name) => ({ k: 'var', name }));
const leafNumber = (row: number): Core => ({ k: 'int', value: row });

function run(source: string): { code: number; out: string; err: string } {
  const compiled = compile(source, 't.cam');
  if (!compiled.program) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  const io = new BufferIO();
  const code = runProgram(compiled.program, {}, io);
  return { code, out: io.stdout.trim(), err: io.stderr };
}

const ops = (items: readonly SymItem[] | undefined): string[] =>
  (items ?? []).flatMap((i) => (i.kind === 'instr' ? [i.op] : []));

const listing = (items: readonly SymItem[] | undefined): string[] =>
  (items ?? []).flatMap((i) =>
    i.kind === 'instr' ? [[i.op, ...i.args.map(String)].join(' ')] : [],
  );

/** The instructions between `label:` and the next label. */
function block(items: readonly SymItem[] | undefined, label: string): string[] {
  const all = items ?? [];
  const start = all.findIndex((i) => i.kind === 'label' && i.name === label);
  const out: string[] = [];
  for (let i = start + 1; i < all.length && all[i]!.kind === 'instr'; i++) {
    const item = all[i]!;
    if (item.kind === 'instr') out.push([item.op, ...item.args.map(String)].join(' '));
  }
  return out;
}

describe('match compilation', () => {
  it('names the first missing constructor, nested inside the matched value', () => {
    const result = compileMatch(
      context(),
      vars('xs'),
      [[pcon('Nil')], [pcon('Cons', wild, pcon('Cons', wild, wild))]],
      leafNumber,
    );
    expect(result.missing).toBe('Cons _ Nil');
    expect(result.unreachable).toEqual([]);
  });

  it('writes witnesses as a function application when given its name', () => {
    const result = compileMatch(
      context(),
      vars('a', 'b'),
      [[pint(0), pcon('Nil')]],
      leafNumber,
      span,
      'f',
    );
    expect(result.missing).toBe('f 1 _');
  });

  it('finds unreachable rows and none in an exhaustive match', () => {
    const result = compileMatch(context(), vars('a'), [[pvar('x')], [pint(3)], [wild]], leafNumber);
    expect(result.missing).toBeUndefined();
    expect(result.unreachable).toEqual([1, 2]);
  });

  it('tests the column where the first row is refutable, not the first column', () => {
    // maybe b _ Nothing = …; maybe _ f (Just a) = … : the switch is on the third column.
    const result = compileMatch(
      context(),
      vars('b', 'f', 'm'),
      [
        [pvar('b'), wild, pcon('Nil')],
        [wild, pvar('f'), pcon('Cons', pvar('a'), wild)],
      ],
      leafNumber,
    );
    expect(result.tree.k).toBe('switch');
    if (result.tree.k === 'switch') expect(result.tree.scrut).toEqual({ k: 'var', name: 'm' });
    expect(result.missing).toBeUndefined();
  });

  it('compiles a failing match to fail, never to a default value', () => {
    const result = compileMatch(context(), vars('n'), [[pint(1)], [pint(2)]], leafNumber);
    const text = JSON.stringify(result.tree);
    expect(text).toContain('"k":"fail"');
    expect(result.missing).toBe('0');
  });
});

describe('code generation', () => {
  it('compiles a self call in tail position to GOTO, keeping the stack flat', () => {
    const c = compile(
      'loop : Int -> Int\nloop n = if n == 0 then 0 else loop (n - 1)\nmain = loop 5',
      't.cam',
    );
    const all = listing(c.items);
    expect(all).toContain('GOTO loop');
    expect(all.filter((i) => i.startsWith('CALL'))).toEqual(['CALL loop']); // main's call only
  });

  it('uses COMB for closed functions and CUR only for closures', () => {
    const c = compile('add x y = x + y\nmain = let f = add 1 in f 2', 't.cam');
    // add is closed: its value would be COMB; the partial application `add 1` is a closure.
    expect(listing(c.items)).toContain('CUR add');
    const d = compile('main = (\\x -> x + 1) 2', 't.cam');
    expect(ops(d.items)).not.toContain('CUR');
  });

  it('applies an unknown closure in tail position with TAPP (APP; RETURN for SynchronVM)', () => {
    const source = 'apply : (Int -> Int) -> Int -> Int\napply f x = f x\nmain = apply (\\y -> y) 3';
    expect(ops(compile(source, 't.cam').items)).toContain('TAPP');
    const v1 = compile(source, 't.cam', { format: 'synchronvm' });
    expect(v1.program?.format).toBe('synchronvm');
    expect(ops(v1.items)).not.toContain('TAPP');
    expect(block(v1.items, 'apply').slice(-2)).toEqual(['APP', 'RETURN']);
  });

  it('rejects --format synchronvm for programs that need Sense-VM instructions', () => {
    for (const source of ['main = 1.5', 'main = 7 / 2', 'main = sleep 5']) {
      const c = compile(source, 't.cam', { format: 'synchronvm' });
      expect(c.program).toBeUndefined();
      expect(c.diagnostics.map((d) => d.code)).toContain('E0591');
    }
  });

  it('turns a match failure into an armless switch for SynchronVM: the same fault here', () => {
    const source = 'f : Int -> Int\nf 1 = 2\nmain = f 3';
    const v1 = compile(source, 't.cam', { format: 'synchronvm' });
    expect(v1.program).toBeDefined();
    expect(ops(v1.items)).not.toContain('FAIL');
    const io = new BufferIO();
    expect(runProgram(v1.program!, {}, io)).toBe(70);
    expect(io.stderr).toContain('match failure');
  });

  it('evaluates a top-level value once', () => {
    // If `r` were re-evaluated at each use, the two cells would differ.
    const r = run('ch : Int\nch = 40 + 2\nmain = (ch, ch)');
    expect(r.out).toBe('(42, 42)');
  });

  it('rejects a value defined in terms of itself', () => {
    const c = compile(
      'data L where\n  N : L\n  C : Int -> L -> L\nxs : L\nxs = C 1 xs\nmain = xs',
      't.cam',
    );
    expect(c.diagnostics.map((d) => d.code)).toContain('E0590');
    expect(c.program).toBeUndefined();
  });

  it('attaches source positions to instructions (debug info)', () => {
    const c = compile('main = 1 / 0', 't.cam');
    expect(c.program?.debug.length).toBeGreaterThan(0);
    const r = run('main = 1 / 0');
    expect(r.code).toBe(70);
    expect(r.err).toContain('t.cam:1:');
  });
});

describe('integer expressions', () => {
  type E = { n: number } | { op: '+' | '-' | '*'; l: E; r: E };
  const expr: fc.Arbitrary<E> = fc.letrec<{ e: E }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: 0, max: 100_000 }).map((n) => ({ n })),
      fc.record({
        op: fc.constantFrom('+', '-', '*'),
        l: tie('e'),
        r: tie('e'),
      }) as fc.Arbitrary<E>,
    ),
  })).e;
  const show = (e: E): string => ('n' in e ? String(e.n) : `(${show(e.l)} ${e.op} ${show(e.r)})`);
  const value = (e: E): number => {
    if ('n' in e) return e.n;
    const a = value(e.l);
    const b = value(e.r);
    return e.op === '+' ? (a + b) | 0 : e.op === '-' ? (a - b) | 0 : Math.imul(a, b);
  };

  it('compute what 32-bit two’s complement arithmetic computes', () => {
    fc.assert(
      fc.property(expr, (e) => {
        expect(run(`main = ${show(e)}`).out).toBe(String(value(e)));
      }),
      { numRuns: 60 },
    );
  });
});
