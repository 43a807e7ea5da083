import { describe, expect, it } from 'vitest';
import type { Expr, FunctionDecl, OperandType } from '../../src/lang/ast.js';
import { analyze } from '../../src/lang/analyze.js';
import { printType } from '../../src/lang/types.js';
import type { TypeDesc } from '../../src/isa/program.js';

const LIST = 'data List a where\n  Nil : List a\n  Cons : a -> List a -> List a\n';

/** Prints a TypeDesc the way CamIoT writes types. */
function show(t: TypeDesc | undefined, context: 'top' | 'left' | 'arg' = 'top'): string {
  if (!t) return '?';
  switch (t.kind) {
    case 'int':
      return 'Int';
    case 'float':
      return 'Float';
    case 'bool':
      return 'Bool';
    case 'unit':
      return '()';
    case 'string':
      return 'String';
    case 'var':
      return t.name;
    case 'tuple':
      return `(${t.items.map((i) => show(i)).join(', ')})`;
    case 'fun': {
      const text = `${show(t.from, 'left')} -> ${show(t.to)}`;
      return context === 'top' ? text : `(${text})`;
    }
    case 'con': {
      if (t.args.length === 0) return t.name;
      const text = `${t.name} ${t.args.map((a) => show(a, 'arg')).join(' ')}`;
      return context === 'arg' ? `(${text})` : text;
    }
  }
}

function typesOf(source: string): Record<string, string> {
  const result = analyze(source, 't.cam');
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out: Record<string, string> = {};
  for (const [name, f] of result.info?.functions ?? []) out[name] = show(f.resolvedType);
  return out;
}

function errorsOf(source: string): string[] {
  return analyze(source, 't.cam').diagnostics.map((d) => d.code);
}

function operatorResolutions(f: FunctionDecl | undefined): OperandType[] {
  const out: OperandType[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
      if (e.resolved) out.push(e.resolved);
    } else if (e.kind === 'unary') {
      walk(e.operand);
      if (e.resolved) out.push(e.resolved);
    } else if (e.kind === 'app') {
      walk(e.fn);
      walk(e.arg);
    } else if (e.kind === 'tuple') e.items.forEach(walk);
    else if (e.kind === 'if') [e.cond, e.then, e.else].forEach(walk);
    else if (e.kind === 'lam') walk(e.body);
    else if (e.kind === 'let') [e.value, e.body].forEach(walk);
  };
  for (const c of f?.clauses ?? []) walk(c.body);
  return out;
}

describe('type inference', () => {
  it('infers and generalises top-level functions', () => {
    const t = typesOf(
      `${LIST}id x = x\nconst x _ = x\nmap f Nil = Nil\nmap f (Cons x xs) = Cons (f x) (map f xs)\nmain = (id 1, id True, const () 2)`,
    );
    expect(t.id).toBe('a -> a');
    expect(t.const).toBe('a -> b -> a');
    expect(t.map).toBe('(a -> b) -> List a -> List b');
    expect(t.main).toBe('(Int, Bool, ())');
  });

  it('generalises let and letrec bindings that are values', () => {
    const t = typesOf(
      'main = let f = \\x -> x in letrec g n = if n == 0 then 0 else g (n - 1) in (f 1, f True, g 3)',
    );
    expect(t.main).toBe('(Int, Bool, Int)');
  });

  it('keeps newRef results monomorphic', () => {
    expect(
      errorsOf(
        `${LIST}main = let r = newRef Nil in let _ = writeRef r (Cons 1 Nil) in writeRef r (Cons True Nil)`,
      ),
    ).toEqual(['E0401']);
    expect(
      errorsOf(
        `${LIST}r = newRef Nil\nuse = writeRef r (Cons 1 Nil)\nmain = writeRef r (Cons True Nil)`,
      ),
    ).toEqual(['E0401']);
  });

  it('allows forward references and mutual recursion outside mutrec', () => {
    const t = typesOf(
      'main = ev 4\nev n = if n == 0 then True else od (n - 1)\nod n = if n == 0 then False else ev (n - 1)',
    );
    expect(t.ev).toBe('Int -> Bool');
    expect(t.main).toBe('Bool');
  });

  it('orders dependency groups so every group follows the ones it uses', () => {
    const result = analyze(
      'main = a 1\na x = b x\nb x = if x == 0 then 0 else a (x - 1)\nc = 3',
      't.cam',
    );
    const groups = result.info?.groups.map((g) => [...g.names]);
    expect(groups).toEqual([['a', 'b'], ['main'], ['c']]);
    expect(result.info?.groups.map((g) => g.recursive)).toEqual([true, false, false]);
  });

  it('checks signatures: less general is fine, more general is an error', () => {
    expect(typesOf('f : Int -> Int\nf x = x\nmain = f 1').f).toBe('Int -> Int');
    expect(errorsOf('f : a -> b\nf x = x\nmain = 1')).toEqual(['E0403']);
    expect(errorsOf('f : a -> a\nf x = x + 1\nmain = 1')).toEqual(['E0403']);
    expect(errorsOf('f : Int -> Bool\nf x = x\nmain = 1')).toEqual(['E0401']);
  });

  it('uses signatures for polymorphic recursion', () => {
    const t = typesOf(`${LIST}f : a -> Int\nf x = if True then 0 else f (Cons x Nil)\nmain = f 1`);
    expect(t.f).toBe('a -> Int');
  });

  it('rejects a signature variable escaping into a monomorphic global', () => {
    expect(
      errorsOf(`${LIST}r = newRef Nil\nput : a -> ()\nput x = writeRef r (Cons x Nil)\nmain = ()`),
    ).toEqual(['E0403']);
  });

  it('resolves operators per use, defaulting to Int', () => {
    const result = analyze(
      'f x = x + 1\nmain = (2.5 * 2.0, 7 / 2, 1.0 < 2.0, True == False, !True, -(1.5), -(3), f 2)\nd x y = x - y',
      't.cam',
    );
    expect(result.diagnostics).toEqual([]);
    expect(operatorResolutions(result.info?.functions.get('main'))).toEqual([
      'float',
      'int',
      'float',
      'bool',
      'bool',
      'float',
      'int',
    ]);
    expect(operatorResolutions(result.info?.functions.get('d'))).toEqual(['int']);
    expect(show(result.info?.functions.get('d')?.resolvedType)).toBe('Int -> Int -> Int');
  });

  it('resolves an operator in a function from its use elsewhere', () => {
    const result = analyze('half x = x / 2.0\nmain = half 3.0', 't.cam');
    expect(result.diagnostics).toEqual([]);
    expect(operatorResolutions(result.info?.functions.get('half'))).toEqual(['float']);
  });

  it('rejects operators on the wrong types with a named operator', () => {
    const result = analyze('main = (True + 1)', 't.cam');
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      '`+` works on Int or Float, not on `Bool`',
    ]);
    expect(errorsOf('main = 1.5 % 2.0')).toEqual(['E0404']);
    expect(errorsOf('main = 1 && True')).toEqual(['E0404']);
  });

  it('types built-ins as first-class values', () => {
    const t = typesOf('apply f x = f x\nmain = apply sync (always 3)\ns = sleep\nch = channel ()');
    expect(t.main).toBe('Int');
    expect(t.s).toBe('Int -> ()');
  });

  it('lets a top-level definition shadow a built-in', () => {
    const result = analyze('abs : Bool -> Bool\nabs b = b\nmain = abs True', 't.cam');
    expect(result.diagnostics).toEqual([]);
    expect(show(result.info?.mainType)).toBe('Bool');
  });

  it('reports one error per function and no follow-on errors at its uses', () => {
    expect(errorsOf('f x = if x then 1 else True\nmain = (f True, f 1, f ())')).toEqual(['E0401']);
  });

  it('names both types of a mismatch and points at the offending expression', () => {
    const d = analyze('g : Int -> Int\ng x = x\nmain = g True', 't.cam').diagnostics[0];
    expect(d?.message).toBe('expected `Int`, found `Bool`');
    expect([d?.span.line, d?.span.column, d?.span.endColumn]).toEqual([3, 10, 14]);
  });

  it('relates a signature mismatch to the signature', () => {
    const d = analyze('g : Int -> Bool\ng x = x\nmain = 1', 't.cam').diagnostics[0];
    expect(d?.related?.[0]?.span.line).toBe(1);
    expect(d?.related?.[0]?.message).toContain('signature');
  });

  it('checks data declarations', () => {
    expect(errorsOf('data T a where\n  A : b -> T a\nmain = 1')).toEqual(['E0406']);
    expect(errorsOf('data T a where\n  A : T Int\nmain = 1')).toEqual(['E0407']);
    expect(errorsOf('data T a where\n  A : Maybe a -> T a\nmain = 1')).toEqual(['E0303']);
    expect(errorsOf('data T a where\n  A : T -> T a\nmain = 1')).toEqual(['E0405']);
    expect(errorsOf('data Event where\n  E : Event\nmain = 1')).toEqual(['E0408']);
  });

  it('gives constructor tags by declaration order and field types', () => {
    const result = analyze(
      'data Shape where\n  Dot : Shape\n  Box : Int -> Float -> Shape\nmain = Box 1 2.0',
      't.cam',
    );
    expect(result.info?.constructors.get('Box')).toMatchObject({
      dataType: 'Shape',
      tag: 1,
      arity: 2,
    });
    expect(result.info?.constructors.get('Box')?.fieldTypes).toEqual([
      { kind: 'int' },
      { kind: 'float' },
    ]);
    expect(result.info?.dataTypes[0]?.constructors.map((c) => [c.name, c.tag])).toEqual([
      ['Dot', 0],
      ['Box', 1],
    ]);
    expect(show(result.info?.mainType)).toBe('Shape');
  });

  it('detects infinite types', () => {
    expect(errorsOf('f x = f\nmain = 1')).toEqual(['E0402']);
  });

  it('prints types with parentheses only where needed', () => {
    const a = { kind: 'var' as const, id: -1, level: 0 };
    const list = { kind: 'con' as const, name: 'List', args: [a] };
    const arrow = {
      kind: 'con' as const,
      name: '->',
      args: [{ kind: 'con' as const, name: '->', args: [a, a] }, list],
    };
    expect(printType(arrow)).toBe('(a -> a) -> List a');
    expect(printType({ kind: 'con', name: 'Maybe', args: [list] })).toBe('Maybe (List a)');
  });
});
