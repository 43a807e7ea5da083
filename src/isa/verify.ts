/**
 * The bytecode verifier: nothing runs before it accepts the program (ARCHITECTURE.md invariant 4).
 *
 * Checks, in one linear sweep over the code plus one pass over the collected labels:
 * - every opcode is defined, and exists in the image's format (no Sense-VM opcodes in version 1);
 * - no instruction or switch table runs past the end of the code;
 * - operands are in range: pool indices, constructor tags (0xFFFF is only a table wildcard),
 *   runtime-call numbers, LOADB 0/1, FAIL causes (ACC/REST take any u8);
 * - every label (jump, call, closure and switch-arm target) designates the start of an
 *   instruction inside the code;
 * - control cannot run off the end: the last instruction does not fall through;
 * - the code fits in the 64 KiB that 16-bit labels address.
 *
 * The sweep stops at the first byte that does not decode (later boundaries are unknown, so
 * anything reported after it would be a cascade). Errors are bounded by MAX_ERRORS.
 */
import { ErrorSink, hex, isaError, type IsaResult } from './errors.js';
import { decodeAt, type TableArm } from './instructions.js';
import { FAIL_CAUSES, WILDCARD_TAG, Op } from './opcodes.js';
import type { Program } from './program.js';
import { RTS_CALL_COUNT } from './rts-calls.js';

/** Addresses a u16 label can hold. */
const LABEL_SPACE = 0x10000;

export interface VerifyOptions {
  /** File offset of code[0], added to pcs so errors carry image byte offsets (default 0). */
  readonly codeOffset?: number;
}

export type VerifyResult = IsaResult<{
  /** instructionStarts[pc] = 1 where an instruction starts: the VM's pre-decoding needs it. */
  readonly instructionStarts: Uint8Array;
}>;

export function verify(program: Program, options: VerifyOptions = {}): VerifyResult {
  const base = options.codeOffset ?? 0;
  const { code } = program;
  const sink = new ErrorSink();
  if (code.length === 0) return { ok: false, errors: [isaError('E0120', base)] };
  // Labels are u16 addresses (file offsets in version 1, code offsets in Sense-VM images), so
  // code beyond them could never be a jump target and no listing of it could be assembled.
  const addressable = LABEL_SPACE - program.labelBase;
  if (code.length > addressable) {
    sink.add(
      isaError('E0146', base + Math.max(0, addressable), {
        detail: `${code.length} bytes of code from address ${program.labelBase}; 16-bit labels address ${LABEL_SPACE} bytes`,
      }),
    );
  }

  const starts = new Uint8Array(code.length);
  // Label references, flattened: instruction pc, label value (mnemonic via the opcode byte).
  const refPcs: number[] = [];
  const refLabels: number[] = [];
  /** Code offset of the first undecodable byte, or code.length. */
  let decodedUpTo = code.length;
  let lastPc = -1;
  const v1 = program.format === 'synchronvm';

  for (let pc = 0; pc < code.length && !sink.full;) {
    const r = decodeAt(code, pc);
    if (!r.ok) {
      const f = r.failure;
      if (f.kind === 'unknown-opcode') sink.add(isaError('E0121', base + pc, { opcode: f.opcode }));
      else if (f.kind === 'truncated')
        sink.add(isaError('E0122', base + pc, { mnemonic: f.row.mnemonic }));
      else sink.add(isaError('E0123', base + pc, { mnemonic: f.row.mnemonic, arms: f.arms }));
      decodedUpTo = pc;
      lastPc = -1;
      break;
    }
    const { row, args } = r.instruction;
    starts[pc] = 1;
    lastPc = pc;
    const at = base + pc;
    if (v1 && row.sensevmOnly)
      sink.add(isaError('E0134', at, { mnemonic: row.mnemonic, opcode: row.opcode }));
    row.operands.forEach((kind, i) => {
      const a = args[i]!;
      switch (kind) {
        case 'int':
          if ((a as number) >= program.ints.length)
            sink.add(isaError('E0124', at, { index: a as number, size: program.ints.length }));
          break;
        case 'float':
          if ((a as number) >= program.floats.length)
            sink.add(isaError('E0125', at, { index: a as number, size: program.floats.length }));
          break;
        case 'string':
          if ((a as number) >= program.strings.length)
            sink.add(isaError('E0126', at, { index: a as number, size: program.strings.length }));
          break;
        case 'tag':
          if (a === WILDCARD_TAG) sink.add(isaError('E0127', at, { tag: hex(a) }));
          break;
        case 'u8':
          if (row.opcode === Op.LOADB && (a as number) > 1)
            sink.add(isaError('E0129', at, { value: a as number }));
          else if (row.opcode === Op.CALLRTS && (a as number) >= RTS_CALL_COUNT) {
            sink.add(isaError('E0128', at, { n: a as number, count: RTS_CALL_COUNT }));
          } else if (row.opcode === Op.FAIL && (a as number) >= FAIL_CAUSES.length) {
            sink.add(isaError('E0130', at, { cause: a as number }));
          }
          break;
        case 'label':
          refPcs.push(pc);
          refLabels.push(a as number);
          break;
        case 'table':
          for (const arm of a as readonly TableArm[]) {
            refPcs.push(pc);
            refLabels.push(arm.label);
          }
          break;
      }
    });
    pc += r.instruction.length;
  }

  if (lastPc >= 0 && decodedUpTo === code.length) {
    const last = decodeAt(code, lastPc);
    if (last.ok) {
      const flow = last.instruction.row.flow;
      if (flow === 'next' || flow === 'branch' || flow === 'call') {
        sink.add(isaError('E0133', base + lastPc, { mnemonic: last.instruction.row.mnemonic }));
      }
    }
  }

  for (let i = 0; i < refPcs.length && !sink.full; i++) {
    const pc = refPcs[i]!;
    const label = refLabels[i]!;
    const target = label - program.labelBase;
    const mnemonic = decodeMnemonic(code, pc);
    if (target < 0 || target >= code.length) {
      sink.add(isaError('E0131', base + pc, { mnemonic, label: hex(label) }));
    } else if (target < decodedUpTo && starts[target] !== 1) {
      sink.add(isaError('E0132', base + pc, { mnemonic, label: hex(label) }));
    }
  }

  if (!sink.empty) return { ok: false, errors: sink.errors };
  return { ok: true, instructionStarts: starts };
}

function decodeMnemonic(code: Uint8Array, pc: number): string {
  const r = decodeAt(code, pc);
  return r.ok ? r.instruction.row.mnemonic : '?';
}
