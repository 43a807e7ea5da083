/**
 * The message type of a link, written in the manifest as CamIoT type text (`"Int"`,
 * `"(Int, Bool)"`, `"Reading"`, `"Maybe Int"`). VM values carry no types, so the link's type is
 * what lets the sender's value be copied (message-codec.ts walks value and type together).
 *
 * Checked at load time: the text parses; the type is data (no function, Channel, Event, Ref or
 * String anywhere); every data type it names exists in the sending program with the same
 * constructors (names, tags, fields) as in the receiving one, so both sides read the bytes the
 * same way.
 */
import type { DataTypeDesc, TypeDesc } from '../isa/program.js';
import { nonDataReason } from './message-codec.js';

export const DEFAULT_MESSAGE_TYPE = 'Int';

const BUILTIN: Readonly<Record<string, TypeDesc>> = {
  Int: { kind: 'int' },
  Float: { kind: 'float' },
  Bool: { kind: 'bool' },
  String: { kind: 'string' },
};

export type ParsedType = { ok: true; type: TypeDesc } | { ok: false; detail: string };

/** Parses type text: `T a b`, `a -> b`, `(a, b)`, `()`, parentheses. */
export function parseMessageType(text: string): ParsedType {
  const tokens = text.match(/->|[A-Za-z_][A-Za-z0-9_']*|[(),]|\S/g) ?? [];
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const fail = (detail: string): never => {
    throw new TypeSyntaxError(detail);
  };
  const atom = (): TypeDesc | undefined => {
    const t = peek();
    if (t === undefined) return undefined;
    if (t === '(') {
      at++;
      if (peek() === ')') {
        at++;
        return { kind: 'unit' };
      }
      const items = [arrow()];
      while (peek() === ',') {
        at++;
        items.push(arrow());
      }
      if (peek() !== ')') fail(`expected ")" ${where()}`);
      at++;
      return items.length === 1 ? items[0] : { kind: 'tuple', items };
    }
    if (/^[A-Z]/.test(t)) {
      at++;
      return BUILTIN[t] ?? { kind: 'con', name: t, args: [] };
    }
    if (/^[a-z_]/.test(t)) {
      at++;
      return { kind: 'var', name: t };
    }
    return undefined;
  };
  const where = (): string => (peek() === undefined ? 'at the end' : `at "${peek()}"`);
  const application = (): TypeDesc => {
    const head = atom() ?? fail(`expected a type ${where()}`);
    const args: TypeDesc[] = [];
    for (let a = atom(); a !== undefined; a = atom()) args.push(a);
    if (args.length === 0) return head;
    if (head.kind !== 'con') fail(`only a data type takes arguments`);
    return { kind: 'con', name: (head as { name: string }).name, args };
  };
  const arrow = (): TypeDesc => {
    const from = application();
    if (peek() !== '->') return from;
    at++;
    return { kind: 'fun', from, to: arrow() };
  };
  try {
    const type = arrow();
    if (at < tokens.length) fail(`unexpected "${peek()}"`);
    return { ok: true, type };
  } catch (e) {
    if (e instanceof TypeSyntaxError) return { ok: false, detail: e.message };
    throw e;
  }
}

class TypeSyntaxError extends Error {}

/** Data type names used by `type`, outermost first, without duplicates (follows fields). */
function dataTypesUsed(type: TypeDesc, types: readonly DataTypeDesc[], into: string[]): void {
  switch (type.kind) {
    case 'tuple':
      for (const t of type.items) dataTypesUsed(t, types, into);
      return;
    case 'fun':
      dataTypesUsed(type.from, types, into);
      dataTypesUsed(type.to, types, into);
      return;
    case 'con': {
      for (const a of type.args) dataTypesUsed(a, types, into);
      if (into.includes(type.name)) return;
      into.push(type.name);
      const d = types.find((x) => x.name === type.name);
      for (const c of d?.constructors ?? [])
        for (const f of c.fields) dataTypesUsed(f, types, into);
      return;
    }
    default:
      return;
  }
}

/**
 * Why the link cannot carry `type` between programs with these data types, or undefined.
 * `receiverTypes` undefined: the receiver's image has no metadata (nothing to compare).
 */
export function messageTypeProblem(
  type: TypeDesc,
  senderTypes: readonly DataTypeDesc[],
  receiverTypes: readonly DataTypeDesc[] | undefined,
): string | undefined {
  const notData = nonDataReason(type, senderTypes);
  if (notData) return `only data may cross a link, and this type is ${notData}`;
  if (!receiverTypes) return undefined;
  const used: string[] = [];
  dataTypesUsed(type, senderTypes, used);
  for (const name of used) {
    const mine = senderTypes.find((d) => d.name === name);
    const theirs = receiverTypes.find((d) => d.name === name);
    if (!theirs) return `the receiving program has no data type ${name}`;
    if (JSON.stringify(mine) !== JSON.stringify(theirs))
      return `data type ${name} differs between the sending and the receiving program (constructors, tags or fields)`;
  }
  return undefined;
}

/** Type text as CamIoT writes it (for messages). */
export function showType(t: TypeDesc): string {
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
      return `(${t.items.map(showType).join(', ')})`;
    case 'fun':
      return `${t.from.kind === 'fun' ? `(${showType(t.from)})` : showType(t.from)} -> ${showType(t.to)}`;
    case 'con':
      return [
        t.name,
        ...t.args.map((a) =>
          a.kind === 'con' && a.args.length > 0 ? `(${showType(a)})` : showType(a),
        ),
      ].join(' ');
  }
}

/**
 * Whether a program's channel element type agrees with the link's message type. A type
 * variable in the program's type (a channel whose type the program does not fix) agrees with
 * anything; everything else must be the same type.
 */
export function channelTypeFits(programType: TypeDesc, linkType: TypeDesc): boolean {
  if (programType.kind === 'var') return true;
  switch (programType.kind) {
    case 'tuple':
      return (
        linkType.kind === 'tuple' &&
        linkType.items.length === programType.items.length &&
        programType.items.every((t, i) => channelTypeFits(t, linkType.items[i] as TypeDesc))
      );
    case 'con':
      return (
        linkType.kind === 'con' &&
        linkType.name === programType.name &&
        linkType.args.length === programType.args.length &&
        programType.args.every((t, i) => channelTypeFits(t, linkType.args[i] as TypeDesc))
      );
    case 'fun':
      return (
        linkType.kind === 'fun' &&
        channelTypeFits(programType.from, linkType.from) &&
        channelTypeFits(programType.to, linkType.to)
      );
    default:
      return programType.kind === linkType.kind;
  }
}
