/**
 * Data declarations and written types: checks `data` declarations (arity of type constructors,
 * unbound type variables, result types, built-in names), converts types written in source to
 * inference types, and builds the descriptors code generation and image metadata need.
 */
import type { DataDecl, Span, TypeExpr } from './ast.js';
import { BUILTIN_TYPES } from './builtins.js';
import type { Diagnostic } from './diagnostic.js';
import type { DataTypeDesc, TypeDesc } from '../isa/program.js';
import { closestName, diag } from './report.js';
import { con, fn, freshVar, tuple, UNIT, type Scheme, type Type, type TypeVar } from './types.js';

export interface ConstructorInfo {
  readonly name: string;
  readonly dataType: string;
  /** Index of the constructor within its declaration: the tag PACK and SWITCH use. */
  readonly tag: number;
  readonly arity: number;
  /** Field types in terms of the data type's parameters (`var` descriptors named as declared). */
  readonly fieldTypes: readonly TypeDesc[];
  /** Its type as a function of its fields, generalised over the data type's parameters. */
  readonly scheme: Scheme;
}

export interface DataInfo {
  readonly dataTypes: readonly DataTypeDesc[];
  readonly constructors: ReadonlyMap<string, ConstructorInfo>;
  /** Arity of every known type constructor, built-in ones included. */
  readonly arities: ReadonlyMap<string, number>;
}

/** How lower-case type variable names are turned into types while converting. */
export type TypeVariableResolver = (name: string, span: Span) => Type | undefined;

/**
 * Converts a written type. Reports unknown type names (E0303) and wrong arities (E0405), and
 * returns undefined after any error.
 */
export function convertTypeExpr(
  texpr: TypeExpr,
  arities: ReadonlyMap<string, number>,
  resolveVariable: TypeVariableResolver,
  diagnostics: Diagnostic[],
): Type | undefined {
  let ok = true;
  const go = (t: TypeExpr): Type => {
    switch (t.kind) {
      case 'tunit':
        return UNIT;
      case 'tvar': {
        const v = resolveVariable(t.name, t.span);
        if (!v) ok = false;
        return v ?? UNIT;
      }
      case 'ttuple':
        return tuple(t.items.map(go));
      case 'tfun':
        return fn(go(t.from), go(t.to));
      case 'tcon': {
        const arity = arities.get(t.name);
        const args = t.args.map(go);
        if (arity === undefined) {
          const suggestion = closestName(t.name, arities.keys());
          diagnostics.push(
            diag(
              'E0303',
              t.span,
              { name: t.name },
              suggestion ? { hint: `did you mean \`${suggestion}\`?` } : {},
            ),
          );
          ok = false;
        } else if (arity !== t.args.length) {
          diagnostics.push(
            diag('E0405', t.span, { name: t.name, expected: arity, found: t.args.length }),
          );
          ok = false;
        }
        return con(t.name, args);
      }
    }
  };
  const result = go(texpr);
  return ok ? result : undefined;
}

/** A written type as source text, for messages. */
export function printTypeExpr(
  t: TypeExpr,
  context: 'top' | 'arrowLeft' | 'argument' = 'top',
): string {
  switch (t.kind) {
    case 'tunit':
      return '()';
    case 'tvar':
      return t.name;
    case 'ttuple':
      return `(${t.items.map((i) => printTypeExpr(i)).join(', ')})`;
    case 'tfun': {
      const text = `${printTypeExpr(t.from, 'arrowLeft')} -> ${printTypeExpr(t.to)}`;
      return context === 'top' ? text : `(${text})`;
    }
    case 'tcon': {
      if (t.args.length === 0) return t.name;
      const text = `${t.name} ${t.args.map((a) => printTypeExpr(a, 'argument')).join(' ')}`;
      return context === 'argument' ? `(${text})` : text;
    }
  }
}

function typeExprToDesc(t: TypeExpr): TypeDesc {
  switch (t.kind) {
    case 'tunit':
      return { kind: 'unit' };
    case 'tvar':
      return { kind: 'var', name: t.name };
    case 'ttuple':
      return { kind: 'tuple', items: t.items.map(typeExprToDesc) };
    case 'tfun':
      return { kind: 'fun', from: typeExprToDesc(t.from), to: typeExprToDesc(t.to) };
    case 'tcon':
      if (t.args.length === 0 && t.name === 'Int') return { kind: 'int' };
      if (t.args.length === 0 && t.name === 'Float') return { kind: 'float' };
      if (t.args.length === 0 && t.name === 'Bool') return { kind: 'bool' };
      return { kind: 'con', name: t.name, args: t.args.map(typeExprToDesc) };
  }
}

/**
 * Checks the data declarations (the unique ones; duplicates were reported by the name pass)
 * and builds their descriptors and constructor table.
 */
export function checkDataTypes(
  declarations: Iterable<DataDecl>,
  diagnostics: Diagnostic[],
): DataInfo {
  const arities = new Map<string, number>(BUILTIN_TYPES);
  const accepted: DataDecl[] = [];
  for (const d of declarations) {
    if (BUILTIN_TYPES.has(d.name)) {
      diagnostics.push(diag('E0408', d.span, { name: d.name }));
      continue;
    }
    arities.set(d.name, d.params.length);
    accepted.push(d);
  }

  const dataTypes: DataTypeDesc[] = [];
  const constructors = new Map<string, ConstructorInfo>();
  for (const d of accepted) {
    const params = new Map<string, TypeVar>();
    for (const p of d.params) if (!params.has(p)) params.set(p, freshVar(1));
    const resultType = con(
      d.name,
      d.params.map((p) => params.get(p) as TypeVar),
    );
    const expectedResult = [d.name, ...d.params].join(' ');
    const descriptors: DataTypeDesc['constructors'][number][] = [];
    d.constructors.forEach((c, tag) => {
      if (constructors.has(c.name)) return; // a duplicate, reported by the name pass
      const fields: TypeExpr[] = [];
      let result = c.type;
      while (result.kind === 'tfun') {
        fields.push(result.from);
        result = result.to;
      }
      const resultOk =
        result.kind === 'tcon' &&
        result.name === d.name &&
        result.args.length === d.params.length &&
        result.args.every((a, i) => a.kind === 'tvar' && a.name === d.params[i]);
      if (!resultOk) {
        diagnostics.push(
          diag(
            'E0407',
            result.span,
            { con: c.name, expected: expectedResult, found: printTypeExpr(result) },
            {
              hint: 'a constructor of `data T a` has a type `… -> T a` with the declared parameters in order',
            },
          ),
        );
      }
      const fieldTypes: Type[] = [];
      let fieldsOk = true;
      for (const field of fields) {
        const t = convertTypeExpr(
          field,
          arities,
          (name, span) => {
            const v = params.get(name);
            if (!v)
              diagnostics.push(
                diag(
                  'E0406',
                  span,
                  { name, data: d.name },
                  {
                    hint: `declare it as a parameter: \`data ${d.name} ${[...d.params, name].join(' ')} where …\``,
                  },
                ),
              );
            return v;
          },
          diagnostics,
        );
        if (t) fieldTypes.push(t);
        else fieldsOk = false;
      }
      // A constructor with a bad declaration still gets an entry (so its uses are not reported
      // as unbound); its type has the right arity with unconstrained fields.
      const usableFields = fieldsOk ? fieldTypes : fields.map(() => freshVar(1));
      const type = usableFields.reduceRight<Type>((acc, f) => fn(f, acc), resultType);
      const quantified = [...params.values()].map((v) => v.id);
      if (!fieldsOk) quantified.push(...usableFields.map((f) => (f as TypeVar).id));
      const fieldDescs = fields.map(typeExprToDesc);
      constructors.set(c.name, {
        name: c.name,
        dataType: d.name,
        tag,
        arity: fields.length,
        fieldTypes: fieldDescs,
        scheme: { quantified, type },
      });
      descriptors.push({ name: c.name, tag, fields: fieldDescs });
    });
    dataTypes.push({ name: d.name, params: [...d.params], constructors: descriptors });
  }
  return { dataTypes, constructors, arities };
}
