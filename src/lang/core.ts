/**
 * The core language: what lowering produces and CAM code generation consumes.
 *
 * Pattern matching is gone (compiled to `switch`/`if` decision trees over projections),
 * operators are chosen by type (`prim` carries the instruction), built-ins and constructors are
 * saturated (partial uses were η-expanded), tuples are right-nested pairs, and every binder has a
 * program-unique name, so code generation never has to think about shadowing.
 */
import type { Mnemonic } from '../isa/opcodes.js';
import type { Span } from './ast.js';

export interface LetrecBinding {
  readonly name: string;
  /** Curried parameters; at least one (value recursion is rejected before code generation). */
  readonly params: readonly string[];
  readonly body: Core;
  readonly span?: Span;
}

export interface SwitchArm {
  /** Constructor tag, or 'default' for the arm taken by every other tag. */
  readonly tag: number | 'default';
  /** Name bound to the constructor's payload in the arm, if the arm uses it. */
  readonly bind?: string;
  readonly body: Core;
}

export type Core = (
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'int'; readonly value: number }
  | { readonly k: 'float'; readonly value: number }
  | { readonly k: 'bool'; readonly value: boolean }
  | { readonly k: 'unit' }
  /** Curried application of `fn` to `args` (one or more), left to right. */
  | { readonly k: 'app'; readonly fn: Core; readonly args: readonly Core[] }
  | { readonly k: 'lam'; readonly param: string; readonly body: Core }
  | { readonly k: 'let'; readonly name: string; readonly value: Core; readonly body: Core }
  | { readonly k: 'letrec'; readonly binds: readonly LetrecBinding[]; readonly body: Core }
  | { readonly k: 'if'; readonly cond: Core; readonly then: Core; readonly else: Core }
  /** One instruction on one argument (env) or two (stack top, env). */
  | { readonly k: 'prim'; readonly op: Mnemonic; readonly args: readonly Core[] }
  /** A runtime call with its arguments in source order; `syncT` is `time` then `sync`. */
  | { readonly k: 'rts'; readonly call: number; readonly args: readonly Core[] }
  | { readonly k: 'syncT'; readonly args: readonly [Core, Core, Core] }
  | { readonly k: 'pair'; readonly fst: Core; readonly snd: Core }
  | { readonly k: 'fst'; readonly e: Core }
  | { readonly k: 'snd'; readonly e: Core }
  | { readonly k: 'pack'; readonly tag: number; readonly payload: Core }
  | { readonly k: 'switch'; readonly scrut: Core; readonly arms: readonly SwitchArm[] }
  /** A match that failed at run time: `FAIL 0`. */
  | { readonly k: 'fail' }
) & { readonly span?: Span };

/** Free variables of a core term (memoised: core terms are immutable). */
const FREE = new WeakMap<Core, ReadonlySet<string>>();

export function freeVars(e: Core): ReadonlySet<string> {
  const known = FREE.get(e);
  if (known) return known;
  const out = new Set<string>();
  const add = (s: ReadonlySet<string>, bound?: readonly string[]): void => {
    for (const v of s) if (!bound || !bound.includes(v)) out.add(v);
  };
  switch (e.k) {
    case 'var':
      out.add(e.name);
      break;
    case 'int':
    case 'float':
    case 'bool':
    case 'unit':
    case 'fail':
      break;
    case 'app':
      add(freeVars(e.fn));
      for (const a of e.args) add(freeVars(a));
      break;
    case 'lam':
      add(freeVars(e.body), [e.param]);
      break;
    case 'let':
      add(freeVars(e.value));
      add(freeVars(e.body), [e.name]);
      break;
    case 'letrec': {
      const names = e.binds.map((b) => b.name);
      for (const b of e.binds) add(freeVars(b.body), [...names, ...b.params]);
      add(freeVars(e.body), names);
      break;
    }
    case 'if':
      add(freeVars(e.cond));
      add(freeVars(e.then));
      add(freeVars(e.else));
      break;
    case 'prim':
    case 'rts':
    case 'syncT':
      for (const a of e.args) add(freeVars(a));
      break;
    case 'pair':
      add(freeVars(e.fst));
      add(freeVars(e.snd));
      break;
    case 'fst':
    case 'snd':
      add(freeVars(e.e));
      break;
    case 'pack':
      add(freeVars(e.payload));
      break;
    case 'switch':
      add(freeVars(e.scrut));
      for (const a of e.arms) add(freeVars(a.body), a.bind === undefined ? [] : [a.bind]);
      break;
  }
  FREE.set(e, out);
  return out;
}

/** True when evaluating `e` cannot observe or change anything but its own result. */
export function isAccessPath(e: Core): boolean {
  if (e.k === 'var') return true;
  if (e.k === 'fst' || e.k === 'snd') return isAccessPath(e.e);
  return false;
}

/** Right-nested pairs of the items: (a, (b, c)); one item is itself; none is (). */
export function rightNested(items: readonly Core[], span?: Span): Core {
  if (items.length === 0) return { k: 'unit', span };
  let acc = items[items.length - 1]!;
  for (let i = items.length - 2; i >= 0; i--) acc = { k: 'pair', fst: items[i]!, snd: acc, span };
  return acc;
}

/** The i-th of n components of a right-nested tuple `e` (see rightNested). */
export function projectNested(e: Core, index: number, count: number): Core {
  let acc = e;
  for (let i = 0; i < index; i++) acc = { k: 'snd', e: acc };
  return index === count - 1 ? acc : { k: 'fst', e: acc };
}
