/**
 * Pattern-match compilation to decision trees (the classic clause-matrix algorithm).
 *
 * A match is a matrix: one column per value being matched (an occurrence: a core access path
 * such as `fst (snd x)`), one row per clause. Each step tests the column in which the FIRST
 * remaining row has a refutable pattern — the reference compiler picked a column by position and
 * so tested the wrong argument in multi-clause functions. Constructors become one `switch` on the
 * tag, constants become equality tests, tuples are split into their components by projection
 * (they cannot fail), `x as p` and variables bind names to occurrences (no code at all).
 *
 * An empty matrix is a match failure: it compiles to `fail` (the FAIL 0 instruction) and yields a
 * witness — the first value no clause matches — for the non-exhaustiveness warning. A row that
 * never reaches a leaf is an unreachable clause.
 */
import type { Pattern, Span } from './ast.js';
import { projectNested, type Core, type SwitchArm } from './core.js';

export interface ConstructorInfo {
  readonly name: string;
  readonly tag: number;
  readonly arity: number;
  readonly dataType: string;
  /** Every constructor of the data type, in tag order. */
  readonly siblings: readonly {
    readonly name: string;
    readonly tag: number;
    readonly arity: number;
  }[];
}

export interface MatchContext {
  constructorInfo(name: string): ConstructorInfo | undefined;
  fresh(hint: string): string;
}

export interface MatchResult {
  readonly tree: Core;
  /** A value no row matches, written as patterns (one per column), if the match is partial. */
  readonly missing?: string;
  /** Indices of rows that no value can reach. */
  readonly unreachable: readonly number[];
}

/** Builds the code of a row's right-hand side, given the names its patterns bind. */
export type LeafBuilder = (row: number, bindings: ReadonlyMap<string, Core>) => Core;

/** Where an occurrence comes from, so that a witness can be printed as source patterns. */
type OccDesc =
  | { readonly kind: 'root'; readonly index: number }
  | { readonly kind: 'part'; readonly parent: OccDesc; readonly index: number };

interface Occ {
  readonly code: Core;
  readonly desc: OccDesc;
}

type Decision =
  | { readonly kind: 'con'; readonly name: string; readonly fields: readonly OccDesc[] }
  | { readonly kind: 'tuple'; readonly items: readonly OccDesc[] }
  | { readonly kind: 'lit'; readonly text: string };

interface Row {
  /** null = matches anything without binding. */
  readonly pats: readonly (Pattern | null)[];
  readonly binds: ReadonlyMap<string, Core>;
  readonly index: number;
}

export function compileMatch(
  ctx: MatchContext,
  scrutinees: readonly Core[],
  rows: readonly (readonly Pattern[])[],
  leaf: LeafBuilder,
  span?: Span,
  /** The function whose parameters are matched: witnesses then read `f _ (Cons _ Nil)`. */
  functionName?: string,
): MatchResult {
  const reached = new Set<number>();
  let missing: string | undefined;
  const roots: OccDesc[] = scrutinees.map((_, index) => ({ kind: 'root', index }));

  const witness = (decisions: ReadonlyMap<OccDesc, Decision>, extra?: [OccDesc, Decision]) => {
    const all = new Map(decisions);
    if (extra) all.set(extra[0], extra[1]);
    const show = (d: OccDesc, nested: boolean): string => {
      const dec = all.get(d);
      if (!dec) return '_';
      if (dec.kind === 'lit') return dec.text;
      if (dec.kind === 'tuple') return `(${dec.items.map((i) => show(i, false)).join(', ')})`;
      if (dec.fields.length === 0) return dec.name;
      const text = [dec.name, ...dec.fields.map((f) => show(f, true))].join(' ');
      return nested ? `(${text})` : text;
    };
    const args = roots.map((r) => show(r, roots.length > 1 || functionName !== undefined));
    return (functionName === undefined ? args : [functionName, ...args]).join(' ');
  };

  const go = (
    occs: readonly Occ[],
    input: readonly Row[],
    decisions: Map<OccDesc, Decision>,
  ): Core => {
    const { occs: cols, rows } = normalise(occs, input, decisions);
    const first = rows[0];
    if (!first) {
      missing ??= witness(decisions);
      return { k: 'fail', span };
    }
    const column = first.pats.findIndex((p) => p !== null);
    if (column < 0) {
      reached.add(first.index);
      return leaf(first.index, first.binds);
    }
    const occ = cols[column]!;
    const head = first.pats[column]!;
    const without = <T>(xs: readonly T[]): T[] => xs.filter((_, i) => i !== column);
    const defaults = rows
      .filter((r) => r.pats[column] === null)
      .map((r) => ({ ...r, pats: without(r.pats) }));
    const restOccs = without(cols);

    if (head.kind === 'pcon') {
      const info = ctx.constructorInfo(head.con);
      if (!info) throw new Error(`internal error: unknown constructor ${head.con}`);
      const present = new Set<string>();
      for (const r of rows) {
        const p = r.pats[column];
        if (p?.kind === 'pcon') present.add(p.con);
      }
      const arms: SwitchArm[] = [];
      for (const sib of info.siblings) {
        if (!present.has(sib.name)) continue;
        const payload = sib.arity > 0 ? ctx.fresh('payload') : undefined;
        const fieldDescs: OccDesc[] = [];
        const fieldOccs: Occ[] = [];
        for (let i = 0; i < sib.arity; i++) {
          const desc: OccDesc = { kind: 'part', parent: occ.desc, index: i };
          fieldDescs.push(desc);
          fieldOccs.push({
            code: projectNested({ k: 'var', name: payload! }, i, sib.arity),
            desc,
          });
        }
        const specialised: Row[] = [];
        for (const r of rows) {
          const p = r.pats[column];
          const rest = without(r.pats);
          if (p === null) specialised.push({ ...r, pats: [...fieldOccs.map(() => null), ...rest] });
          else if (p?.kind === 'pcon' && p.con === sib.name)
            specialised.push({ ...r, pats: [...p.args, ...rest] });
        }
        const sub = new Map(decisions);
        sub.set(occ.desc, { kind: 'con', name: sib.name, fields: fieldDescs });
        arms.push({
          tag: sib.tag,
          bind: payload,
          body: go([...fieldOccs, ...restOccs], specialised, sub),
        });
      }
      if (present.size < info.siblings.length) {
        const absent = info.siblings.find((s) => !present.has(s.name))!;
        const fields: OccDesc[] = [];
        for (let i = 0; i < absent.arity; i++)
          fields.push({ kind: 'part', parent: occ.desc, index: i });
        let body: Core;
        if (defaults.length === 0) {
          missing ??= witness(decisions, [occ.desc, { kind: 'con', name: absent.name, fields }]);
          body = { k: 'fail', span };
        } else {
          body = go(restOccs, defaults, decisions);
        }
        arms.push({ tag: 'default', body });
      }
      return { k: 'switch', scrut: occ.code, arms, span };
    }

    if (head.kind === 'plit') {
      const specialise = (text: string): Core => {
        const rowsFor: Row[] = [];
        for (const r of rows) {
          const p = r.pats[column];
          if (p === null) rowsFor.push({ ...r, pats: without(r.pats) });
          else if (p?.kind === 'plit' && literalText(p) === text)
            rowsFor.push({ ...r, pats: without(r.pats) });
        }
        const sub = new Map(decisions);
        sub.set(occ.desc, { kind: 'lit', text });
        return go(restOccs, rowsFor, sub);
      };
      const seen: Pattern[] = [];
      for (const r of rows) {
        const p = r.pats[column];
        if (p?.kind === 'plit' && !seen.some((s) => literalText(s) === literalText(p)))
          seen.push(p);
      }
      const texts = seen.map(literalText);
      const fallback = (witnessText: string | undefined): Core => {
        if (defaults.length > 0) return go(restOccs, defaults, decisions);
        missing ??= witness(decisions, [occ.desc, { kind: 'lit', text: witnessText ?? '_' }]);
        return { k: 'fail', span };
      };
      if (head.lit.kind === 'bool') {
        const t = texts.includes('True') ? specialise('True') : fallback('True');
        const f = texts.includes('False') ? specialise('False') : fallback('False');
        return { k: 'if', cond: occ.code, then: t, else: f, span };
      }
      // Int or Float constants: a chain of equality tests, in order of first appearance.
      let acc = fallback(unusedLiteral(head, texts));
      for (let i = seen.length - 1; i >= 0; i--) {
        const lit = seen[i]!;
        if (lit.kind !== 'plit') continue;
        const value = lit.lit.kind === 'int' || lit.lit.kind === 'float' ? lit.lit.value : 0;
        const constant: Core =
          lit.lit.kind === 'float' ? { k: 'float', value } : { k: 'int', value };
        const cond: Core = {
          k: 'prim',
          op: lit.lit.kind === 'float' ? 'FEQ' : 'EQI',
          args: [occ.code, constant],
          span,
        };
        acc = { k: 'if', cond, then: specialise(texts[i]!), else: acc, span };
      }
      return acc;
    }
    throw new Error(`internal error: unexpected pattern ${head.kind} after normalisation`);
  };

  const tree = go(
    scrutinees.map((code, i) => ({ code, desc: roots[i]! })),
    rows.map((pats, index) => ({ pats, binds: new Map(), index })),
    new Map(),
  );
  const unreachable = rows.map((_, i) => i).filter((i) => !reached.has(i));
  return { tree, missing, unreachable };
}

/**
 * Removes variables, wildcards, `as` and unit patterns (they only bind) and splits tuple
 * columns into one column per component, until every remaining pattern is a constructor or a
 * constant (or null).
 */
function normalise(
  occs: readonly Occ[],
  rows: readonly Row[],
  decisions: Map<OccDesc, Decision>,
): { occs: readonly Occ[]; rows: readonly Row[] } {
  let cols = [...occs];
  let current: Row[] = rows.map((r) => ({ ...r, pats: [...r.pats] }));
  for (;;) {
    current = current.map((r) => {
      const binds = new Map(r.binds);
      const pats = r.pats.map((p, i) => {
        let q = p;
        while (q && (q.kind === 'pas' || q.kind === 'pvar')) {
          binds.set(q.name, cols[i]!.code);
          q = q.kind === 'pas' ? q.pattern : null;
        }
        if (q && (q.kind === 'pwild' || (q.kind === 'plit' && q.lit.kind === 'unit'))) q = null;
        return q;
      });
      return { ...r, pats, binds };
    });
    const tupleColumn = cols.findIndex((_, i) => current.some((r) => r.pats[i]?.kind === 'ptuple'));
    if (tupleColumn < 0) return { occs: cols, rows: current };
    const width = current
      .map((r) => r.pats[tupleColumn])
      .find((p): p is Extract<Pattern, { kind: 'ptuple' }> => p?.kind === 'ptuple')!.items.length;
    const parent = cols[tupleColumn]!;
    const parts: Occ[] = [];
    for (let i = 0; i < width; i++)
      parts.push({
        code: projectNested(parent.code, i, width),
        desc: { kind: 'part', parent: parent.desc, index: i },
      });
    decisions.set(parent.desc, { kind: 'tuple', items: parts.map((p) => p.desc) });
    cols = [...cols.slice(0, tupleColumn), ...parts, ...cols.slice(tupleColumn + 1)];
    current = current.map((r) => {
      const p = r.pats[tupleColumn];
      const items: (Pattern | null)[] = p?.kind === 'ptuple' ? [...p.items] : parts.map(() => null);
      return {
        ...r,
        pats: [...r.pats.slice(0, tupleColumn), ...items, ...r.pats.slice(tupleColumn + 1)],
      };
    });
  }
}

function literalText(p: Pattern): string {
  if (p.kind !== 'plit') return '_';
  switch (p.lit.kind) {
    case 'int':
      return String(p.lit.value);
    case 'float':
      return Number.isInteger(p.lit.value) ? p.lit.value.toFixed(1) : String(p.lit.value);
    case 'bool':
      return p.lit.value ? 'True' : 'False';
    case 'unit':
      return '()';
  }
}

/** A constant of the same type as `head` that none of `texts` names, for a witness. */
function unusedLiteral(head: Pattern, texts: readonly string[]): string | undefined {
  if (head.kind !== 'plit') return undefined;
  for (let i = 0; i < 1000; i++) {
    const text = head.lit.kind === 'float' ? `${i}.0` : String(i);
    if (!texts.includes(text)) return text;
  }
  return undefined;
}
