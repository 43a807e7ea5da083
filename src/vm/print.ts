/**
 * Printing values for people: `10`, `-3`, `True`, `()`, `3.25`, `(1, 2, 3)`,
 * `Cons 1 (Cons 2 Nil)`, `Just (MS 3 4.0)`. The type comes from image metadata (TypeDesc);
 * values carry no types at run time. Without a type (version-1 images) an immediate prints as
 * its raw signed integer and a cell as `[fst, snd]`.
 *
 * Bounded: at most `maxDepth` levels and `maxNodes` values are printed, so a cyclic structure
 * (built through refs) or a huge one prints with `…` instead of hanging.
 */
import type { ProgramMetadata, TypeDesc } from '../isa/program.js';
import { bitsToFloat, formatFloat32 } from './floats.js';
import { type ContainerMemory, POINTER, RETURN_ADDRESS } from './memory.js';

export interface PrintOptions {
  readonly metadata?: ProgramMetadata | undefined;
  /** The program's string pool (LOADS ids index it). */
  readonly strings?: readonly string[];
  readonly maxDepth?: number;
  readonly maxNodes?: number;
}

const ELLIPSIS = '…';

export function printValue(
  memory: ContainerMemory,
  word: number,
  kind: number,
  type: TypeDesc | undefined,
  options: PrintOptions = {},
): string {
  const printer = new ValuePrinter(memory, options);
  return printer.show(word, kind, type, 0, false);
}

class ValuePrinter {
  private nodesLeft: number;
  private readonly maxDepth: number;

  constructor(
    private readonly memory: ContainerMemory,
    private readonly options: PrintOptions,
  ) {
    this.nodesLeft = options.maxNodes ?? 20_000;
    this.maxDepth = options.maxDepth ?? 1_000;
  }

  show(
    word: number,
    kind: number,
    type: TypeDesc | undefined,
    depth: number,
    nested: boolean,
  ): string {
    if (this.nodesLeft-- <= 0 || depth > this.maxDepth) return ELLIPSIS;
    if (!type || type.kind === 'var') return this.raw(word, kind, depth);
    switch (type.kind) {
      case 'int':
        return kind === POINTER ? this.raw(word, kind, depth) : this.signed(String(word), nested);
      case 'float':
        return this.signed(formatFloat32(bitsToFloat(word)), nested);
      case 'bool':
        return (word & 1) === 1 ? 'True' : 'False';
      case 'unit':
        return '()';
      case 'string': {
        const text = this.options.strings?.[word];
        return text === undefined ? `<string ${word}>` : JSON.stringify(text);
      }
      case 'fun':
        return '<function>';
      case 'tuple':
        return this.tuple(word, kind, type.items, depth);
      case 'con':
        return this.constructed(word, kind, type, depth, nested);
    }
  }

  /** Negative numbers are parenthesised as constructor arguments: `Just (-3)`. */
  private signed(text: string, nested: boolean): string {
    return nested && text.startsWith('-') ? `(${text})` : text;
  }

  private raw(word: number, kind: number, depth: number): string {
    if (kind === RETURN_ADDRESS) return `<return address ${word}>`;
    if (kind !== POINTER) return String(word);
    const m = this.memory;
    const first = this.show(m.fstWord(word), m.fstKind(word), undefined, depth + 1, false);
    const second = this.show(m.sndWord(word), m.sndKind(word), undefined, depth + 1, false);
    return `[${first}, ${second}]`;
  }

  private tuple(word: number, kind: number, items: readonly TypeDesc[], depth: number): string {
    if (items.length === 0) return '()';
    if (items.length === 1) return this.show(word, kind, items[0], depth + 1, false);
    const parts: string[] = [];
    let w = word;
    let k = kind;
    for (let i = 0; i < items.length - 1; i++) {
      if (k !== POINTER) return `<not a tuple: ${this.raw(w, k, depth)}>`;
      parts.push(
        this.show(this.memory.fstWord(w), this.memory.fstKind(w), items[i], depth + 1, false),
      );
      const nextWord = this.memory.sndWord(w);
      k = this.memory.sndKind(w);
      w = nextWord;
    }
    parts.push(this.show(w, k, items[items.length - 1], depth + 1, false));
    return `(${parts.join(', ')})`;
  }

  private constructed(
    word: number,
    kind: number,
    type: Extract<TypeDesc, { kind: 'con' }>,
    depth: number,
    nested: boolean,
  ): string {
    if (type.name === 'Channel') return `<channel ${word}>`;
    if (type.name === 'Event') return '<event>';
    if (type.name === 'Ref') return '<ref>';
    const data = this.options.metadata?.dataTypes.find((d) => d.name === type.name);
    if (!data || kind !== POINTER || this.memory.fstKind(word) === POINTER)
      return this.raw(word, kind, depth);
    const tag = this.memory.fstWord(word);
    const con = data.constructors.find((c) => c.tag === tag);
    if (!con) return `<${type.name} with unknown tag ${tag}>`;
    const bindings = new Map<string, TypeDesc>();
    data.params.forEach((p, i) => {
      const arg = type.args[i];
      if (arg) bindings.set(p, arg);
    });
    const fields = con.fields.map((f) => substitute(f, bindings));
    if (fields.length === 0) return con.name;
    const payloadWord = this.memory.sndWord(word);
    const payloadKind = this.memory.sndKind(word);
    const parts: string[] = [con.name];
    if (fields.length === 1) {
      parts.push(this.show(payloadWord, payloadKind, fields[0], depth + 1, true));
    } else {
      let w = payloadWord;
      let k = payloadKind;
      for (let i = 0; i < fields.length - 1; i++) {
        if (k !== POINTER) return `<malformed ${con.name}>`;
        parts.push(
          this.show(this.memory.fstWord(w), this.memory.fstKind(w), fields[i], depth + 1, true),
        );
        const nextWord = this.memory.sndWord(w);
        k = this.memory.sndKind(w);
        w = nextWord;
      }
      parts.push(this.show(w, k, fields[fields.length - 1], depth + 1, true));
    }
    const text = parts.join(' ');
    return nested ? `(${text})` : text;
  }
}

function substitute(type: TypeDesc, bindings: ReadonlyMap<string, TypeDesc>): TypeDesc {
  switch (type.kind) {
    case 'var':
      return bindings.get(type.name) ?? type;
    case 'tuple':
      return { kind: 'tuple', items: type.items.map((t) => substitute(t, bindings)) };
    case 'fun':
      return {
        kind: 'fun',
        from: substitute(type.from, bindings),
        to: substitute(type.to, bindings),
      };
    case 'con':
      return { kind: 'con', name: type.name, args: type.args.map((t) => substitute(t, bindings)) };
    default:
      return type;
  }
}
