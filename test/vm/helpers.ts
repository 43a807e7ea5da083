/**
 * A tiny hand assembler for VM tests, independent of src/isa's assembler: instructions are
 * arrays `[mnemonic, operand]`, labels are strings ending in ':'. Int and float operands are
 * values (the helper builds the pools); label operands are label names; SWITCH/SWITCHI take
 * `[[tag, label], …]` (tag 0xffff = wildcard).
 */
import { rowByMnemonic } from '../../src/isa/opcodes.js';
import type { Program, ProgramMetadata } from '../../src/isa/program.js';
import {
  Machine,
  type MachineOptions,
  runToEnd,
  printValue,
  type ContainerConfig,
  DEFAULT_CONTAINER_CONFIG,
  type RunResult,
} from '../../src/vm/index.js';
import type { TypeDesc } from '../../src/isa/program.js';

export type Operand = number | string | [number, string][];
export type Line = string | [string, ...Operand[]];

export interface AsmOptions {
  /** Label values are code offsets + labelBase (SynchronVM images: the header size). */
  readonly labelBase?: number;
  readonly metadata?: ProgramMetadata;
  readonly strings?: readonly string[];
  readonly format?: Program['format'];
}

export function asm(lines: readonly Line[], options: AsmOptions = {}): Program {
  const labelBase = options.labelBase ?? 0;
  const ints: number[] = [];
  const floats: number[] = [];
  const labels = new Map<string, number>();
  // First pass: sizes.
  let pc = 0;
  for (const line of lines) {
    if (typeof line === 'string') {
      labels.set(line.replace(/:$/, ''), pc);
      continue;
    }
    const [mnemonic, ...ops] = line;
    const row = rowByMnemonic(mnemonic);
    if (!row) throw new Error(`unknown mnemonic ${mnemonic}`);
    pc += 1;
    row.operands.forEach((kind, i) => {
      if (kind === 'table') pc += 1 + 4 * (ops[i] as [number, string][]).length;
      else pc += kind === 'u8' ? 1 : 2;
    });
  }
  const code: number[] = [];
  const u16 = (v: number): void => {
    code.push((v >> 8) & 0xff, v & 0xff);
  };
  const label = (name: Operand): number => {
    if (typeof name === 'number') return name;
    const at = labels.get(name as string);
    if (at === undefined) throw new Error(`undefined label ${String(name)}`);
    return at + labelBase;
  };
  for (const line of lines) {
    if (typeof line === 'string') continue;
    const [mnemonic, ...ops] = line;
    const row = rowByMnemonic(mnemonic)!;
    code.push(row.opcode);
    row.operands.forEach((kind, i) => {
      const op = ops[i];
      if (op === undefined) throw new Error(`${mnemonic} needs an operand`);
      switch (kind) {
        case 'u8':
          code.push((op as number) & 0xff);
          break;
        case 'int':
          ints.push(op as number);
          u16(ints.length - 1);
          break;
        case 'float':
          floats.push(op as number);
          u16(floats.length - 1);
          break;
        case 'string':
        case 'tag':
          u16(op as number);
          break;
        case 'label':
          u16(label(op));
          break;
        case 'table': {
          const arms = op as [number, string][];
          code.push(arms.length);
          for (const [tag, target] of arms) {
            u16(tag);
            u16(label(target));
          }
          break;
        }
      }
    });
  }
  return {
    format: options.format ?? 'sensevm',
    version: options.format === 'synchronvm' ? 1 : 2,
    ints: Int32Array.from(ints),
    floats: Float32Array.from(floats),
    strings: options.strings ?? [],
    natives: new Uint32Array(0),
    code: Uint8Array.from(code),
    labelBase,
    debug: [],
    ...(options.metadata ? { metadata: options.metadata } : {}),
  };
}

export interface Outcome {
  readonly machine: Machine;
  readonly context: number;
  readonly result: RunResult;
  /** Printed env (raw, or with `type`) when the context stopped. */
  readonly value: string;
}

/** Runs a program's context 0 from pc 0 to its end. */
export function exec(
  program: Program,
  opts: {
    config?: Partial<ContainerConfig>;
    machine?: MachineOptions;
    type?: TypeDesc;
    maxInstructions?: number;
  } = {},
): Outcome {
  const machine = new Machine(
    program,
    {
      ...DEFAULT_CONTAINER_CONFIG,
      heapBytes: 64 * 1024,
      stackBytes: 8 * 1024,
      maxContexts: 4,
      ...opts.config,
    },
    opts.machine ?? {},
  );
  const context = machine.startContext(0);
  const { result } = runToEnd(machine, context, 10_000, opts.maxInstructions ?? 10_000_000);
  const m = machine.memory;
  const value =
    result.reason === 'stop'
      ? printValue(m, m.envWord(context), m.envKind(context), opts.type, {
          metadata: program.metadata,
          strings: program.strings,
        })
      : `<${result.reason}${result.fault ? `: ${result.fault.cause}` : ''}>`;
  return { machine, context, result, value };
}

/** Shorthand: assemble, run, return the printed value. */
export function value(lines: readonly Line[], type?: TypeDesc): string {
  return exec(asm(lines), type ? { type } : {}).value;
}

export const INT: TypeDesc = { kind: 'int' };
export const FLOAT: TypeDesc = { kind: 'float' };
export const BOOL: TypeDesc = { kind: 'bool' };
