import { describe, expect, it } from 'vitest';
import type { Decl, Expr, FunctionDecl, Pattern } from '../../src/lang/ast.js';
import { groupDeclarations } from '../../src/lang/group.js';
import { layout } from '../../src/lang/layout.js';
import { lex } from '../../src/lang/lexer.js';
import { parse } from '../../src/lang/parser.js';

function parseModule(source: string) {
  const lexed = lex(source, 'f.cam');
  const parsed = parse(layout(lexed.tokens));
  const grouped = groupDeclarations(parsed.items, 'f.cam');
  return {
    decls: grouped.module.decls,
    brokenNames: parsed.brokenNames,
    codes: [...lexed.diagnostics, ...parsed.diagnostics, ...grouped.diagnostics].map((d) => d.code),
  };
}

function fun(decls: readonly Decl[], name: string): FunctionDecl {
  const d = decls.find((x): x is FunctionDecl => x.kind === 'fun' && x.name === name);
  if (!d) throw new Error(`no function ${name}`);
  return d;
}

/** A compact, fully parenthesised rendering of an expression, to assert its structure. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'lit':
      return e.lit.kind === 'unit' ? '()' : String(e.lit.value);
    case 'var':
    case 'con':
      return e.name;
    case 'app':
      return `(${show(e.fn)} ${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'tuple':
      return `<${e.items.map(show).join(', ')}>`;
    case 'if':
      return `if(${show(e.cond)}, ${show(e.then)}, ${show(e.else)})`;
    case 'lam':
      return `\\${e.params.map(showPattern).join(' ')}.${show(e.body)}`;
    case 'let':
      return `let(${showPattern(e.pattern)} = ${show(e.value)}; ${show(e.body)})`;
    case 'letrec':
      return `letrec(${e.bindings.map((b) => `${b.name}/${b.params.length} = ${show(b.body)}`).join('; ')}; ${show(e.body)})`;
    case 'case':
      return `case(${show(e.scrutinee)}; ${e.arms.map((a) => `${showPattern(a.pattern)} -> ${show(a.body)}`).join('; ')})`;
  }
}

function showPattern(p: Pattern): string {
  switch (p.kind) {
    case 'pwild':
      return '_';
    case 'pvar':
      return p.name;
    case 'plit':
      return p.lit.kind === 'unit' ? '()' : String(p.lit.value);
    case 'ptuple':
      return `<${p.items.map(showPattern).join(', ')}>`;
    case 'pcon':
      return p.args.length === 0 ? p.con : `[${p.con} ${p.args.map(showPattern).join(' ')}]`;
    case 'pas':
      return `${p.name}@${showPattern(p.pattern)}`;
  }
}

const body = (source: string): string => {
  const { decls, codes } = parseModule(`main = ${source}`);
  expect(codes).toEqual([]);
  return show(fun(decls, 'main').clauses[0]!.body);
};

describe('parser: expressions', () => {
  it('follows the operator precedence', () => {
    expect(body('a || b && c == d + e * f')).toBe('(a || (b && (c == (d + (e * f)))))');
    expect(body('1 - 2 - 3')).toBe('((1 - 2) - 3)');
    expect(body('a || b || c')).toBe('(a || (b || c))');
    expect(body('10 / 2 % 3')).toBe('((10 / 2) % 3)');
  });

  it('binds prefix operators tighter than binary ones, looser than application', () => {
    expect(body('!f x && y')).toBe('((! (f x)) && y)');
    expect(body('- f x * 2')).toBe('((neg (f x)) * 2)');
    expect(body('-5 + 1')).toBe('(-5 + 1)');
    expect(body('x - 1')).toBe('(x - 1)');
  });

  it('desugars `/=` into a negated equality', () => {
    expect(body('a /= b')).toBe('(! (a == b))');
  });

  it('parses application, tuples and unit', () => {
    expect(body('f (g x) (1, (2, 3)) ()')).toBe('(((f (g x)) <1, <2, 3>>) ())');
  });

  it('lets if, case, let and lambda extend to the right as operands', () => {
    expect(body('1 + if c then 2 else 3 + 4')).toBe('(1 + if(c, 2, (3 + 4)))');
    expect(body('\\x y -> x + y')).toBe('\\x y.(x + y)');
  });

  it('parses lets with patterns, several bindings and function bindings', () => {
    expect(body('let (a, b) = p in a')).toBe('let(<a, b> = p; a)');
    expect(body('let f x = x\n           y = 2\n       in f y')).toBe(
      'let(f = \\x.x; let(y = 2; (f y)))',
    );
  });

  it('parses letrec with several bindings', () => {
    expect(body('letrec ev n = od n\n              od n = ev n\n       in ev 2')).toBe(
      'letrec(ev/1 = (od n); od/1 = (ev n); (ev 2))',
    );
  });

  it('parses case arms with n-ary constructors, nested patterns, as and literals', () => {
    expect(body('case l of\n  Cons x (Cons _ Nil) -> 1\n  all as Cons -1 _ -> 2\n  _ -> 3')).toBe(
      'case(l; [Cons x [Cons _ Nil]] -> 1; all@[Cons -1 _] -> 2; _ -> 3)',
    );
  });
});

describe('parser: declarations', () => {
  it('groups clauses and signatures into functions', () => {
    const { decls, codes } = parseModule('f : Int -> Int\nf 0 = 1\nf n = n\n\nmain = f 2');
    expect(codes).toEqual([]);
    const f = fun(decls, 'f');
    expect(f.clauses).toHaveLength(2);
    expect(f.signature?.kind).toBe('tfun');
    expect(f.span.line).toBe(1);
    expect(f.span.endLine).toBe(3);
  });

  it('parses data declarations and mutrec blocks with several clauses per function', () => {
    const { decls, codes } = parseModule(
      'data Pair a b where\n  P : a -> b -> Pair a b\nmutrec\n  ev 0 = True\n  ev n = od (n - 1)\n  od 0 = False\n  od n = ev (n - 1)\nmain = 0',
    );
    expect(codes).toEqual([]);
    expect(decls.map((d) => d.kind)).toEqual(['data', 'mutrec', 'fun']);
    const block = decls[1];
    expect(
      block?.kind === 'mutrec' && block.functions.map((f) => [f.name, f.clauses.length]),
    ).toEqual([
      ['ev', 2],
      ['od', 2],
    ]);
  });

  it('recovers at declaration boundaries and remembers broken names', () => {
    const { decls, codes, brokenNames } = parseModule(
      'f x = (x +\ng = if True then 1\nh = 3\nmain = h',
    );
    expect(codes).toEqual(['E0204', 'E0204']);
    expect(decls.map((d) => (d.kind === 'fun' ? d.name : d.kind))).toEqual(['h', 'main']);
    expect([...brokenNames].sort()).toEqual(['f', 'g']);
  });

  it('recovers inside a block: a broken case arm does not hide the next declaration', () => {
    const { decls, codes } = parseModule('f x = case x of\n  A -> )\n  B -> 2\nmain = f 1');
    expect(codes).toEqual(['E0204']);
    expect(decls.map((d) => (d.kind === 'fun' ? d.name : d.kind))).toEqual(['f', 'main']);
  });

  it('drops a declaration followed by stray tokens, marking its name broken', () => {
    const { decls, codes, brokenNames } = parseModule(
      'f x = y\n  where y = x\nmain = f 1 )\ng = 2',
    );
    expect(codes).toEqual(['E0204', 'E0204']);
    expect(decls.map((d) => (d.kind === 'fun' ? d.name : d.kind))).toEqual(['g']);
    expect([...brokenNames].sort()).toEqual(['f', 'main']);
    const lexed = lex('f x = y\n  where y = x\nmain = 1', 'f.cam');
    expect(parse(layout(lexed.tokens)).diagnostics[0]?.hint).toMatch(/no `where` clauses/);
  });

  it('reports a continuation line indented too little once, with a hint', () => {
    const lexed = lex('main = let g = \\x ->\n          x + 1\n       in g 2\n', 'f.cam');
    const parsed = parse(layout(lexed.tokens));
    expect(parsed.diagnostics.map((d) => [d.code, d.span.line, d.span.column])).toEqual([
      ['E0204', 2, 11],
    ]);
    expect(parsed.diagnostics[0]?.hint).toMatch(/indented less than the block/);
    // A missing operand before the next declaration gets no indentation hint.
    const next = parse(layout(lex('f = 1 +\ng = 2\nmain = 1\n', 'f.cam').tokens));
    expect(next.diagnostics.map((d) => d.hint)).toEqual([undefined]);
  });

  it('hints `==` when `=` appears inside an expression', () => {
    const lexed = lex('main = if x = 1 then 1 else 0', 'f.cam');
    const parsed = parse(layout(lexed.tokens));
    expect(parsed.diagnostics[0]?.hint).toBe('did you mean `==`?');
  });
});
