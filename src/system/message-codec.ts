/**
 * Messages between containers: a value of the sender's heap is copied into bytes, and the bytes
 * into a fresh value of the receiver's heap (ARCHITECTURE.md invariant 3: nothing is shared).
 *
 * VM values are untyped words and cells (vm/memory.ts): a tuple, a constructor and a closure
 * are all cells, a channel id and an Int are both words. So the encoder walks the value
 * together with its CamIoT type (image metadata). Only data may cross: Int, Float, Bool, (),
 * tuples and constructors of data types whose fields are data. A function, channel, event,
 * reference or string anywhere in the value is a fault of the sender (`link-not-data`), and so
 * is a message longer than the link's `maxMessageBytes` (`link-message-too-large`). The work
 * is bounded by the byte limit: every node costs at least one byte.
 *
 * Representation assumed (vm + lang): a constructor is a cell [tag, payload] with payload ()
 * for no field, the field for one, right-nested pairs for more; a tuple (a, b, c) is the
 * right-nested pairs [a, [b, c]].
 *
 * Wire format: the value in postfix order, one byte of opcode then its operand (little-endian):
 *
 *   0x00 UNIT            push ()
 *   0x01 FALSE           push False
 *   0x02 TRUE            push True
 *   0x03 INT8   i8       push a small Int
 *   0x04 INT32  i32      push an Int
 *   0x05 FLOAT  f32 bits push a Float (the bit pattern, exact)
 *   0x06 TAG    u16      push a constructor tag
 *   0x07 PAIR            pop snd, pop fst, push the cell [fst, snd]
 *
 * A message is exactly one value: decoding must end with one value on the stack. Decoding
 * needs no type (the receiver's program has the same type for the link; the device checks
 * that when both images carry it), and it is defensive: any malformed message is rejected.
 */
import type { DataTypeDesc, TypeDesc } from '../isa/program.js';

export const OP_UNIT = 0x00;
export const OP_FALSE = 0x01;
export const OP_TRUE = 0x02;
export const OP_INT8 = 0x03;
export const OP_INT32 = 0x04;
export const OP_FLOAT = 0x05;
export const OP_TAG = 0x06;
export const OP_PAIR = 0x07;

/** Read access to the sender's heap. Values are opaque to the codec. */
export interface MessageHeapReader<V> {
  isPointer(v: V): boolean;
  /** The 32-bit word of an immediate value. */
  word(v: V): number;
  fst(cell: V): V;
  snd(cell: V): V;
}

/**
 * Builds a value in the receiver's heap from the bottom up. The builder keeps the partial
 * values on a stack the garbage collector sees (allocation may collect).
 */
export interface MessageHeapBuilder<V> {
  pushImmediate(word: number): boolean;
  /** Pops snd, then fst; pushes the new cell [fst, snd]. False when the heap is exhausted. */
  pushPair(): boolean;
  /** Pops the finished value. */
  pop(): V;
  /** Drops whatever a failed decode left on the stack. */
  reset(): void;
}

export type EncodeResult =
  | { readonly ok: true; readonly length: number }
  | {
      readonly ok: false;
      readonly cause: 'link-message-too-large' | 'link-not-data';
      readonly detail: string;
    };

export type DecodeResult<V> =
  | { readonly ok: true; readonly value: V }
  | {
      readonly ok: false;
      readonly cause: 'link-message-malformed' | 'heap-exhausted';
      readonly detail: string;
    };

const INT: TypeDesc = { kind: 'int' };

/** Built-in types whose values are handles into the sender's runtime. */
function isRuntimeType(t: TypeDesc): boolean {
  return t.kind === 'con' && (t.name === 'Channel' || t.name === 'Event' || t.name === 'Ref');
}

/** Why a type cannot cross a link, or undefined when it is data. */
export function nonDataReason(
  type: TypeDesc,
  dataTypes: readonly DataTypeDesc[],
  seen: ReadonlySet<string> = new Set(),
): string | undefined {
  switch (type.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'unit':
      return undefined;
    case 'string':
      return 'a String (strings are constants of the sender program)';
    case 'fun':
      return 'a function (closures cannot leave their container)';
    case 'var':
      return `a value of unknown type ${type.name}`;
    case 'tuple':
      for (const item of type.items) {
        const r = nonDataReason(item, dataTypes, seen);
        if (r) return r;
      }
      return undefined;
    case 'con': {
      if (type.name === 'Channel' || type.name === 'Event' || type.name === 'Ref') {
        return `a ${type.name} (it refers to the sender's own runtime)`;
      }
      const data = dataTypes.find((d) => d.name === type.name);
      if (!data) return `a value of unknown type ${type.name}`;
      const key = `${type.name}(${JSON.stringify(type.args)})`;
      if (seen.has(key)) return undefined; // recursive types: checked once
      const inner = new Set(seen).add(key);
      for (const c of data.constructors) {
        for (const field of c.fields) {
          const r = nonDataReason(substitute(field, data.params, type.args), dataTypes, inner);
          if (r) return r;
        }
      }
      return undefined;
    }
  }
}

function substitute(
  type: TypeDesc,
  params: readonly string[],
  args: readonly TypeDesc[],
): TypeDesc {
  switch (type.kind) {
    case 'var': {
      const i = params.indexOf(type.name);
      return i >= 0 ? (args[i] ?? type) : type;
    }
    case 'tuple':
      return { kind: 'tuple', items: type.items.map((t) => substitute(t, params, args)) };
    case 'fun':
      return {
        kind: 'fun',
        from: substitute(type.from, params, args),
        to: substitute(type.to, params, args),
      };
    case 'con':
      return {
        kind: 'con',
        name: type.name,
        args: type.args.map((t) => substitute(t, params, args)),
      };
    default:
      return type;
  }
}

/** Right-nested pairs of `items` (one item is itself, none is unit). */
function nestedType(items: readonly TypeDesc[]): TypeDesc {
  if (items.length === 0) return { kind: 'unit' };
  if (items.length === 1) return items[0] ?? { kind: 'unit' };
  return { kind: 'tuple', items };
}

type Work<V> = { readonly value: V; readonly type: TypeDesc } | 'pair';

/**
 * Encodes `value` of type `type` into `out` (whose length is the link's maxMessageBytes).
 * `type` undefined means the link's type is unknown: only an immediate Int may cross.
 */
export function encodeMessage<V>(
  heap: MessageHeapReader<V>,
  value: V,
  type: TypeDesc | undefined,
  dataTypes: readonly DataTypeDesc[],
  out: Uint8Array,
): EncodeResult {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let length = 0;
  const tooLarge = (): EncodeResult => ({
    ok: false,
    cause: 'link-message-too-large',
    detail: `the message needs more than ${out.byteLength} bytes (maxMessageBytes)`,
  });
  const notData = (what: string): EncodeResult => ({
    ok: false,
    cause: 'link-not-data',
    detail: `only data may cross a link; this message contains ${what}`,
  });
  // Postfix output from a depth-first walk: a pair pushes (pair marker, snd, fst), so fst is
  // emitted first, then snd, then PAIR. Iterative: long lists must not overflow the JS stack.
  const work: Work<V>[] = [{ value, type: type ?? INT }];
  const untyped = type === undefined;
  while (work.length > 0) {
    const item = work.pop();
    if (item === undefined) break;
    if (item === 'pair') {
      if (length + 1 > out.byteLength) return tooLarge();
      out[length++] = OP_PAIR;
      continue;
    }
    const t = item.type;
    const v = item.value;
    if (t.kind === 'fun' || t.kind === 'string' || t.kind === 'var' || isRuntimeType(t)) {
      return notData(nonDataReason(t, dataTypes) ?? t.kind);
    }
    const pointer = heap.isPointer(v);
    if (untyped && pointer) {
      return notData('a compound value, and the link has no declared message type');
    }
    const expectsCell = t.kind === 'con' || (t.kind === 'tuple' && t.items.length > 1);
    const expectsImmediate = t.kind !== 'con' && t.kind !== 'tuple';
    if ((expectsCell && !pointer) || (expectsImmediate && pointer)) {
      return notData(`a value whose shape does not match its type (${t.kind})`);
    }
    switch (t.kind) {
      case 'unit':
        if (length + 1 > out.byteLength) return tooLarge();
        out[length++] = OP_UNIT;
        break;
      case 'bool':
        if (length + 1 > out.byteLength) return tooLarge();
        out[length++] = heap.word(v) !== 0 ? OP_TRUE : OP_FALSE;
        break;
      case 'int': {
        const w = heap.word(v) | 0;
        if (w >= -128 && w <= 127) {
          if (length + 2 > out.byteLength) return tooLarge();
          out[length++] = OP_INT8;
          view.setInt8(length++, w);
        } else {
          if (length + 5 > out.byteLength) return tooLarge();
          out[length++] = OP_INT32;
          view.setInt32(length, w, true);
          length += 4;
        }
        break;
      }
      case 'float':
        if (length + 5 > out.byteLength) return tooLarge();
        out[length++] = OP_FLOAT;
        view.setInt32(length, heap.word(v) | 0, true);
        length += 4;
        break;
      case 'tuple': {
        const [first, ...rest] = t.items;
        if (!first) return notData('an empty tuple type');
        if (rest.length === 0) {
          work.push({ value: v, type: first });
          break;
        }
        work.push(
          'pair',
          { value: heap.snd(v), type: nestedType(rest) },
          { value: heap.fst(v), type: first },
        );
        break;
      }
      case 'con': {
        const data = dataTypes.find((d) => d.name === t.name);
        if (!data) return notData(`a value of unknown type ${t.name}`);
        const tagValue = heap.fst(v);
        if (heap.isPointer(tagValue)) return notData(`a ${t.name} value that is not a constructor`);
        const tag = heap.word(tagValue);
        const ctor = data.constructors.find((c) => c.tag === tag);
        if (!ctor) return notData(`an unknown constructor tag ${tag} of ${t.name}`);
        const payloadType = nestedType(ctor.fields.map((f) => substitute(f, data.params, t.args)));
        if (length + 3 > out.byteLength) return tooLarge();
        out[length++] = OP_TAG;
        view.setUint16(length, tag, true);
        length += 2;
        work.push('pair', { value: heap.snd(v), type: payloadType });
        break;
      }
    }
  }
  return { ok: true, length };
}

/** Decodes one message into the receiver's heap. */
export function decodeMessage<V>(
  bytes: Uint8Array,
  builder: MessageHeapBuilder<V>,
): DecodeResult<V> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let depth = 0;
  let at = 0;
  const malformed = (detail: string): DecodeResult<V> => {
    builder.reset();
    return { ok: false, cause: 'link-message-malformed', detail: `${detail} at byte ${at}` };
  };
  const exhausted = (): DecodeResult<V> => {
    builder.reset();
    return { ok: false, cause: 'heap-exhausted', detail: 'no heap left for the message' };
  };
  while (at < bytes.length) {
    const op = bytes[at++];
    let word: number | undefined;
    switch (op) {
      case OP_UNIT:
      case OP_FALSE:
        word = 0;
        break;
      case OP_TRUE:
        word = 1;
        break;
      case OP_INT8:
        if (at + 1 > bytes.length) return malformed('truncated INT8');
        word = view.getInt8(at);
        at += 1;
        break;
      case OP_INT32:
      case OP_FLOAT:
        if (at + 4 > bytes.length) return malformed('truncated word');
        word = view.getInt32(at, true);
        at += 4;
        break;
      case OP_TAG:
        if (at + 2 > bytes.length) return malformed('truncated TAG');
        word = view.getUint16(at, true);
        at += 2;
        break;
      case OP_PAIR:
        if (depth < 2) return malformed('PAIR with fewer than two values');
        if (!builder.pushPair()) return exhausted();
        depth--;
        continue;
      default:
        return malformed(`unknown opcode ${op}`);
    }
    if (!builder.pushImmediate(word)) return exhausted();
    depth++;
  }
  if (depth !== 1) return malformed(`${depth} values instead of one`);
  return { ok: true, value: builder.pop() };
}
