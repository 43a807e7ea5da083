/**
 * The assembler for code generation: symbolic instructions (symbolic.ts) in, a Program out.
 * Interns constants (Sense-VM: each distinct value once; SynchronVM: one int-pool entry per
 * occurrence, as its own assembler does), lays out bytes, resolves labels, records debug
 * entries from each instruction's `loc`, attaches the metadata and, unless told not to, verifies.
 * Errors carry the item index as `offset` and the item's source line/column when it has one.
 */
import { bitsFromFloat } from './asm-syntax.js';
import { floatsFromBits, isWellFormedString } from './bytes.js';
import { ErrorSink, type IsaResult } from './errors.js';
import { errorAt, link, type LinkArg, type LinkItem, type Where } from './link.js';
import { rowByMnemonic, type OperandKind } from './opcodes.js';
import type { Program } from './program.js';
import type { AssembleOptions, SwitchArm, SymArg, SymItem, SymProgram } from './symbolic.js';
import { verify } from './verify.js';

/** Interns values into a pool: deduplicated by key, or one entry per use. */
class Pool<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string | number, number>();
  constructor(private readonly dedupe: boolean) {}
  add(value: T, key: string | number): number {
    if (this.dedupe) {
      const known = this.index.get(key);
      if (known !== undefined) return known;
      this.index.set(key, this.values.length);
    }
    this.values.push(value);
    return this.values.length - 1;
  }
}

const isArms = (a: SymArg): a is readonly SwitchArm[] => Array.isArray(a);

export function assemble(
  sym: SymProgram,
  opts: AssembleOptions = {},
): IsaResult<{ program: Program }> {
  const format = opts.format ?? 'sensevm';
  const dedupe = format === 'sensevm';
  const ints = new Pool<number>(dedupe);
  const floats = new Pool<number>(dedupe);
  const strings = new Pool<string>(dedupe);
  const sink = new ErrorSink();
  const items: LinkItem[] = [];

  sym.items.forEach((item: SymItem, index) => {
    const where: Where =
      'loc' in item && item.loc
        ? { offset: index, line: item.loc.line, column: item.loc.column }
        : { offset: index };
    if (item.kind === 'label') {
      items.push({ kind: 'label', name: item.name, where });
      return;
    }
    const row = rowByMnemonic(item.op);
    if (!row) {
      sink.add(errorAt('E0141', where, { name: String(item.op) }));
      return;
    }
    if (format === 'synchronvm' && row.sensevmOnly) {
      sink.add(errorAt('E0147', where, { mnemonic: row.mnemonic }));
      return;
    }
    if (item.args.length !== row.operands.length) {
      sink.add(
        errorAt('E0142', where, {
          mnemonic: row.mnemonic,
          expected: `${row.operands.length} operand(s), got ${item.args.length}`,
        }),
      );
      return;
    }
    const args: LinkArg[] = [];
    let bad = false;
    row.operands.forEach((kind: OperandKind, i) => {
      const a = item.args[i]!;
      const wrong = (expected: string): void => {
        sink.add(
          errorAt('E0142', where, {
            mnemonic: row.mnemonic,
            expected: `operand ${i + 1} to be ${expected}`,
          }),
        );
        bad = true;
      };
      switch (kind) {
        case 'label':
          if (typeof a !== 'string') return wrong('a label name');
          args.push({ name: a, where });
          return;
        case 'int':
          if (typeof a !== 'number' || !Number.isInteger(a) || a < -0x80000000 || a > 0xffffffff) {
            return wrong('a 32-bit integer');
          }
          args.push(ints.add(a | 0, a | 0));
          return;
        case 'float': {
          if (typeof a !== 'number') return wrong('a number');
          const bits = bitsFromFloat(a);
          args.push(floats.add(bits, bits));
          return;
        }
        case 'string':
          if (typeof a !== 'string' || !isWellFormedString(a)) return wrong('a well-formed string');
          args.push(strings.add(a, a));
          return;
        case 'table':
          if (!isArms(a)) return wrong('switch arms');
          args.push(a.map((arm) => ({ tag: arm.tag, label: { name: arm.label, where } })));
          return;
        case 'u8':
        case 'tag':
          if (typeof a !== 'number') return wrong('a number');
          args.push(a);
          return;
      }
    });
    if (!bad)
      items.push({ kind: 'instr', row, args, where, ...(item.loc ? { loc: item.loc } : {}) });
  });

  const tooMany = (pool: { values: unknown[] }, what: string): void => {
    if (pool.values.length > 0x10000)
      sink.add(errorAt('E0146', { offset: 0 }, { detail: `more than 65536 ${what} constants` }));
  };
  tooMany(ints, 'int');
  tooMany(floats, 'float');
  tooMany(strings, 'string');
  if (!sink.empty) return { ok: false, errors: sink.errors };

  const linked = link({
    format,
    version: 1,
    ints: Int32Array.from(ints.values),
    floats: floatsFromBits(floats.values),
    strings: strings.values,
    natives: new Uint32Array(0),
    items,
    debug: [],
    ...(sym.metadata ? { metadata: sym.metadata } : {}),
  });
  if (!linked.ok || opts.verify === false) return linked;
  const checked = verify(linked.program);
  return checked.ok ? linked : checked;
}
