/**
 * Types for inference: mutable type variables (union-find by `ref`) with Rémy levels for
 * efficient generalisation, type constructors for everything else, and the unifier.
 *
 * Glossary
 * - level:      how many `let`s deep a variable was created; a variable whose level is deeper
 *               than the binding being generalised is not free in the environment.
 * - skolem:     a rigid type constant standing for a signature's type variable while the
 *               definition is checked against it; it unifies only with itself, and may not flow
 *               into a variable created outside the check (its level guards that).
 * - constraint: the set of base types an operator allows (`+` on Int or Float, `==` on Int,
 *               Float or Bool). A constrained variable is never generalised (operators are
 *               resolved per use, there are no type classes); unresolved ones default to Int.
 */
import type { Span } from './ast.js';
import type { TypeDesc } from '../isa/program.js';

export interface OperatorConstraint {
  readonly allowed: readonly string[];
  readonly op: string;
  readonly span: Span;
}

export interface TypeVar {
  readonly kind: 'var';
  readonly id: number;
  level: number;
  ref?: Type;
  constraint?: OperatorConstraint;
}

export interface TypeCon {
  readonly kind: 'con';
  /** `Int`, `Float`, `Bool`, `()`, `->`, `,` (tuples of any size), data types, or a skolem name. */
  readonly name: string;
  readonly args: readonly Type[];
  /** Set for skolems: the level of the signature check that created it. */
  readonly skolemLevel?: number;
}

export type Type = TypeVar | TypeCon;

export interface Scheme {
  /** The generalised variables (by id). */
  readonly quantified: readonly number[];
  readonly type: Type;
}

export const con = (name: string, args: readonly Type[] = []): TypeCon => ({
  kind: 'con',
  name,
  args,
});
export const INT = con('Int');
export const FLOAT = con('Float');
export const BOOL = con('Bool');
export const UNIT = con('()');
export const fn = (from: Type, to: Type): TypeCon => con('->', [from, to]);
export const tuple = (items: readonly Type[]): TypeCon => con(',', items);

export const isSkolem = (t: Type): boolean => t.kind === 'con' && t.skolemLevel !== undefined;

let nextVarId = 1;
export function freshVar(level: number, constraint?: OperatorConstraint): TypeVar {
  return { kind: 'var', id: nextVarId++, level, ...(constraint ? { constraint } : {}) };
}

/** Follows bound variables (with path compression). */
export function prune(t: Type): Type {
  if (t.kind === 'var' && t.ref) {
    const target = prune(t.ref);
    t.ref = target;
    return target;
  }
  return t;
}

/** Fully substituted copy (for printing and descriptors). */
export function zonk(t: Type): Type {
  const p = prune(t);
  if (p.kind === 'var') return p;
  if (p.args.length === 0) return p;
  return { ...p, args: p.args.map(zonk) };
}

export type UnifyFailure =
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'occurs'; readonly variable: TypeVar; readonly type: Type }
  | { readonly kind: 'constraint'; readonly constraint: OperatorConstraint; readonly found: Type }
  | { readonly kind: 'rigid'; readonly skolem: TypeCon; readonly other: Type }
  | { readonly kind: 'escape'; readonly skolem: TypeCon };

export class UnifyError extends Error {
  constructor(readonly failure: UnifyFailure) {
    super(failure.kind);
  }
}

export function unify(a: Type, b: Type): void {
  const x = prune(a);
  const y = prune(b);
  if (x === y) return;
  if (x.kind === 'var') return bindVar(x, y);
  if (y.kind === 'var') return bindVar(y, x);
  if (x.name !== y.name || x.args.length !== y.args.length) {
    if (isSkolem(x)) throw new UnifyError({ kind: 'rigid', skolem: x, other: y });
    if (isSkolem(y)) throw new UnifyError({ kind: 'rigid', skolem: y, other: x });
    throw new UnifyError({ kind: 'mismatch' });
  }
  x.args.forEach((arg, i) => unify(arg, y.args[i] as Type));
}

function bindVar(v: TypeVar, t: Type): void {
  if (t.kind === 'var') {
    // Keep the constraint on the surviving variable; both constraints must hold.
    if (v.constraint && t.constraint) {
      const allowed = t.constraint.allowed.filter((n) => v.constraint?.allowed.includes(n));
      t.constraint = { ...t.constraint, allowed };
    } else if (v.constraint) {
      t.constraint = v.constraint;
    }
    t.level = Math.min(t.level, v.level);
    v.ref = t;
    return;
  }
  if (v.constraint && !v.constraint.allowed.includes(t.name)) {
    throw new UnifyError({ kind: 'constraint', constraint: v.constraint, found: t });
  }
  adjust(t, v);
  v.ref = t;
}

/** Occurs check, level lowering and skolem escape check for binding `v := t`. */
function adjust(t: Type, v: TypeVar): void {
  const p = prune(t);
  if (p.kind === 'var') {
    if (p === v) throw new UnifyError({ kind: 'occurs', variable: v, type: t });
    if (p.level > v.level) p.level = v.level;
    return;
  }
  if (p.skolemLevel !== undefined && p.skolemLevel > v.level) {
    throw new UnifyError({ kind: 'escape', skolem: p });
  }
  for (const arg of p.args) adjust(arg, v);
}

// ---------------------------------------------------------------- schemes

export function monoScheme(type: Type): Scheme {
  return { quantified: [], type };
}

/**
 * Generalises the variables created deeper than `level`. Constrained variables are not
 * generalised: they are lowered to `level` so a later use can resolve them.
 */
export function generalize(type: Type, level: number): Scheme {
  const quantified: number[] = [];
  const walk = (t: Type): void => {
    const p = prune(t);
    if (p.kind === 'var') {
      if (p.level > level) {
        // An operator allowing one type only (`&&`, `%`) needs no later resolution.
        if (p.constraint?.allowed.length === 1) p.ref = con(p.constraint.allowed[0] as string);
        else if (p.constraint) p.level = level;
        else if (!quantified.includes(p.id)) quantified.push(p.id);
      }
      return;
    }
    p.args.forEach(walk);
  };
  walk(type);
  return { quantified, type };
}

/** Lowers every variable of `type` to `level` (a binding that must stay monomorphic). */
export function lowerLevels(type: Type, level: number): void {
  const p = prune(type);
  if (p.kind === 'var') {
    if (p.level > level) p.level = level;
    return;
  }
  for (const arg of p.args) lowerLevels(arg, level);
}

export function instantiate(scheme: Scheme, level: number): Type {
  if (scheme.quantified.length === 0) return scheme.type;
  const fresh = new Map<number, TypeVar>();
  const copy = (t: Type): Type => {
    const p = prune(t);
    if (p.kind === 'var') {
      if (!scheme.quantified.includes(p.id)) return p;
      let v = fresh.get(p.id);
      if (!v) {
        v = freshVar(level);
        fresh.set(p.id, v);
      }
      return v;
    }
    return p.args.length === 0 ? p : { ...p, args: p.args.map(copy) };
  };
  return copy(scheme.type);
}

// ---------------------------------------------------------------- printing

/** Names type variables `a`, `b`, … in order of appearance; share one namer per message. */
export class TypeNamer {
  private readonly names = new Map<number, string>();
  private readonly taken: Set<string>;

  constructor(taken: Iterable<string> = []) {
    this.taken = new Set(taken);
  }

  nameOf(v: TypeVar): string {
    let name = this.names.get(v.id);
    if (!name) {
      for (let i = 0; ; i++) {
        const candidate = i < 26 ? String.fromCharCode(97 + i) : `t${i - 25}`;
        if (!this.taken.has(candidate)) {
          name = candidate;
          break;
        }
      }
      this.taken.add(name);
      this.names.set(v.id, name);
    }
    return name;
  }
}

/** Skolem names in a type, so fresh variable names can avoid them. */
export function skolemNames(...types: Type[]): string[] {
  const names: string[] = [];
  const walk = (t: Type): void => {
    const p = prune(t);
    if (p.kind === 'var') return;
    if (isSkolem(p)) names.push(p.name);
    p.args.forEach(walk);
  };
  types.forEach(walk);
  return names;
}

export function printType(t: Type, namer: TypeNamer = new TypeNamer(skolemNames(t))): string {
  const go = (type: Type, context: 'top' | 'arrowLeft' | 'argument'): string => {
    const p = prune(type);
    if (p.kind === 'var') return namer.nameOf(p);
    if (p.name === '->') {
      const text = `${go(p.args[0] as Type, 'arrowLeft')} -> ${go(p.args[1] as Type, 'top')}`;
      return context === 'top' ? text : `(${text})`;
    }
    if (p.name === ',') return `(${p.args.map((a) => go(a, 'top')).join(', ')})`;
    if (p.args.length === 0) return p.name;
    const text = `${p.name} ${p.args.map((a) => go(a, 'argument')).join(' ')}`;
    return context === 'argument' ? `(${text})` : text;
  };
  return go(t, 'top');
}

/** The metadata form of a type; remaining variables are named as in `printType`. */
export function toTypeDesc(t: Type, namer: TypeNamer = new TypeNamer(skolemNames(t))): TypeDesc {
  const p = prune(t);
  if (p.kind === 'var') return { kind: 'var', name: namer.nameOf(p) };
  if (isSkolem(p)) return { kind: 'var', name: p.name };
  switch (p.name) {
    case 'Int':
      return { kind: 'int' };
    case 'Float':
      return { kind: 'float' };
    case 'Bool':
      return { kind: 'bool' };
    case '()':
      return { kind: 'unit' };
    case '->':
      return {
        kind: 'fun',
        from: toTypeDesc(p.args[0] as Type, namer),
        to: toTypeDesc(p.args[1] as Type, namer),
      };
    case ',':
      return { kind: 'tuple', items: p.args.map((a) => toTypeDesc(a, namer)) };
    default:
      return { kind: 'con', name: p.name, args: p.args.map((a) => toTypeDesc(a, namer)) };
  }
}
