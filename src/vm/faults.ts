/**
 * Runtime faults: what the execution unit reports instead of throwing. A fault ends the context
 * it happened in; the machine, the container's other contexts and the host keep running.
 */
import type { Program } from '../isa/program.js';
import { sourceAt } from '../isa/program.js';
import { rowOf } from '../isa/opcodes.js';

/** Every cause of a fault, in plain words (they appear verbatim in reports). */
export const FAULT_CAUSES = [
  'stack overflow',
  'stack underflow',
  'heap exhausted',
  'match failure',
  'division by zero',
  'wrong kind of value',
  'bad return address',
  'label out of range',
  'invalid instruction',
  'program failure',
  'runtime call not available',
  'runtime error',
  // Links between containers (rts/value-port.ts, system/links.ts).
  'link closed',
  'link not data',
  'link message too large',
] as const;
export type FaultCause = (typeof FAULT_CAUSES)[number];

/** Stable kebab-case code of a cause, for test annotations (`-- expect fault: heap-exhausted`). */
export function faultCode(cause: FaultCause): string {
  return cause.replace(/ /g, '-');
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface FaultRecord {
  readonly container: string;
  readonly context: number;
  /** Code offset of the faulting instruction. */
  readonly pc: number;
  /**
   * The same instruction's address as `sensevm disasm` lists it, when that differs from pc:
   * SynchronVM images address code by file offset (pc + header size).
   */
  readonly address?: number;
  /** Its opcode, or -1 when pc is not on an instruction. */
  readonly opcode: number;
  readonly mnemonic: string;
  readonly cause: FaultCause;
  readonly code: string;
  /** What exactly went wrong, e.g. `FST of an integer`. */
  readonly detail?: string;
  readonly source?: SourceLocation;
}

export function makeFault(
  program: Program,
  container: string,
  context: number,
  pc: number,
  cause: FaultCause,
  detail: string | undefined,
): FaultRecord {
  const opcode = pc >= 0 && pc < program.code.length ? (program.code[pc] ?? -1) : -1;
  const mnemonic = rowOf(opcode)?.mnemonic ?? (opcode < 0 ? '(none)' : `opcode ${opcode}`);
  const entry = pc >= 0 ? sourceAt(program, pc) : undefined;
  const source = entry ? { file: entry.file, line: entry.line, column: entry.column } : undefined;
  const address = pc >= 0 && program.labelBase !== 0 ? pc + program.labelBase : undefined;
  return {
    container,
    context,
    pc,
    ...(address !== undefined ? { address } : {}),
    opcode,
    mnemonic,
    cause,
    code: faultCode(cause),
    ...(detail !== undefined ? { detail } : {}),
    ...(source ? { source } : {}),
  };
}

/** One-paragraph report for humans: `fault: match failure at pc 12 (SWITCH) in main.cam:3:5`. */
export function formatFault(fault: FaultRecord): string {
  const where = fault.source
    ? ` in ${fault.source.file}:${fault.source.line}:${fault.source.column}`
    : '';
  const detail = fault.detail ? `: ${fault.detail}` : '';
  const listed = fault.address !== undefined ? `, @${fault.address} in the listing` : '';
  return (
    `fault: ${fault.cause}${detail}\n` +
    `  at pc ${fault.pc} (${fault.mnemonic}${listed})${where}, context ${fault.context} of container ${fault.container}`
  );
}
