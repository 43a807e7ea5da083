/**
 * Superinstructions: the interpreter's second view of the decoded code. `fuseSuperinstructions`
 * maps every pc to a handler id — the opcode itself, or the id of a superinstruction when the
 * instructions starting at that pc form one of the sequences below. The interpreter dispatches on
 * handler ids when it may (no per-instruction hooks, enough budget left) and on the plain opcodes
 * (`DecodedProgram.ops`, untouched) otherwise.
 *
 * Why the handler array is indexed by pc, as `ops` is: fusing never hides an instruction. A jump,
 * return or resumption that lands on the second instruction of a sequence finds that
 * instruction's own handler there (plain, or the start of another sequence), so a sequence
 * needs no basic-block analysis — only that every instruction but its last falls through to the
 * next one, which is true of every sequence listed (branches, calls and returns come last).
 *
 * The sequences were chosen from measured dynamic fall-through pairs and triples over the five
 * benchmarks (bench/pair-frequencies.ts; docs/performance.md, "Interpreter: pair frequencies").
 * Exactness is the interpreter's job (interpreter.ts, "Superinstructions"): a handler checks
 * every fault condition of its instructions before changing anything and otherwise leaves the
 * first instruction to the plain path, so faults, counts and cycles are those of the plain code.
 */
import { Op } from '../isa/opcodes.js';
import { type DecodedProgram, OP_END, OP_INVALID } from './decode.js';

/** Handler ids of superinstructions start after the decoder's OP_INVALID (256) and OP_END (257). */
export const SUPERINSTRUCTION_BASE = 258;

export interface Superinstruction {
  readonly id: number;
  readonly name: string;
  /** The opcodes fused, in execution order. */
  readonly opcodes: readonly number[];
}

/**
 * The fused sequences, in matching priority (the longest sequence that matches at a pc wins; among
 * equal lengths, the first listed). Ids are fixed: the interpreter's switch has a case for each.
 */
export const SUPERINSTRUCTIONS: readonly Superinstruction[] = [
  { id: 258, name: 'PUSH;LTIK;GOTOFALSE', opcodes: [Op.PUSH, Op.LTIK, Op.GOTOFALSE] },
  { id: 259, name: 'PUSH;MINIK;CALL', opcodes: [Op.PUSH, Op.MINIK, Op.CALL] },
  { id: 260, name: 'SWAP;MINIK;CALL', opcodes: [Op.SWAP, Op.MINIK, Op.CALL] },
  { id: 261, name: 'PUSH;PUSH;ACC', opcodes: [Op.PUSH, Op.PUSH, Op.ACC] },
  { id: 262, name: 'SWAP;FST;FST', opcodes: [Op.SWAP, Op.FST, Op.FST] },
  { id: 263, name: 'SND;FST;SWAP', opcodes: [Op.SND, Op.FST, Op.SWAP] },
  { id: 264, name: 'PUSH;PUSH', opcodes: [Op.PUSH, Op.PUSH] },
  { id: 265, name: 'PUSH;ACC', opcodes: [Op.PUSH, Op.ACC] },
  { id: 266, name: 'SWAP;ACC', opcodes: [Op.SWAP, Op.ACC] },
  { id: 267, name: 'SWAP;SND', opcodes: [Op.SWAP, Op.SND] },
  { id: 268, name: 'REST;FST', opcodes: [Op.REST, Op.FST] },
  { id: 269, name: 'ADDI;RETURN', opcodes: [Op.ADDI, Op.RETURN] },
  { id: 270, name: 'CONS;GOTO', opcodes: [Op.CONS, Op.GOTO] },
  { id: 271, name: 'CONS;CALL', opcodes: [Op.CONS, Op.CALL] },
  { id: 272, name: 'LTI;GOTOFALSE', opcodes: [Op.LTI, Op.GOTOFALSE] },
  { id: 273, name: 'EQI;GOTOFALSE', opcodes: [Op.EQI, Op.GOTOFALSE] },
  { id: 274, name: 'GTI;GOTOFALSE', opcodes: [Op.GTI, Op.GOTOFALSE] },
  { id: 275, name: 'PUSH;SND', opcodes: [Op.PUSH, Op.SND] },
  { id: 276, name: 'PUSH;FST', opcodes: [Op.PUSH, Op.FST] },
  { id: 277, name: 'SND;RETURN', opcodes: [Op.SND, Op.RETURN] },
];

/** One past the largest handler id. */
export const HANDLER_LIMIT = SUPERINSTRUCTION_BASE + SUPERINSTRUCTIONS.length;

/** The longest sequence: near the end of its budget the interpreter dispatches plain opcodes. */
export const MAX_FUSED_LENGTH = Math.max(...SUPERINSTRUCTIONS.map((s) => s.opcodes.length));

/** Byte length of the instructions that can appear in a sequence (none but the last branches). */
const LENGTH: ReadonlyMap<number, number> = new Map([
  [Op.PUSH, 1],
  [Op.SWAP, 1],
  [Op.FST, 1],
  [Op.SND, 1],
  [Op.ADDI, 1],
  [Op.LTI, 1],
  [Op.EQI, 1],
  [Op.GTI, 1],
  [Op.CONS, 1],
  [Op.ACC, 2],
  [Op.REST, 2],
  [Op.LTIK, 3],
  [Op.MINIK, 3],
]);

for (const s of SUPERINSTRUCTIONS) {
  for (const op of s.opcodes.slice(0, -1))
    if (!LENGTH.has(op)) throw new Error(`internal error: ${s.name} fuses a branch before its end`);
}

/**
 * Handler ids per pc (same indexing as `decoded.ops`, including the OP_END slot). Only pcs that
 * start instructions are ever dispatched; a word that is no opcode (an operand, or anything above
 * OP_END) becomes OP_INVALID, which the interpreter treats exactly as it treats such a word.
 */
export function fuseSuperinstructions(decoded: DecodedProgram): Uint16Array {
  const { ops, starts, codeLength } = decoded;
  const handlers = new Uint16Array(codeLength + 1);
  for (let pc = 0; pc <= codeLength; pc++) {
    const word = ops[pc]!;
    handlers[pc] = word >= 0 && word <= OP_END ? word : OP_INVALID;
  }
  for (let pc = 0; pc < codeLength; pc++) {
    if (starts[pc] !== 1) continue;
    let best: Superinstruction | undefined;
    for (const s of SUPERINSTRUCTIONS) {
      if (best && best.opcodes.length >= s.opcodes.length) continue;
      if (matchesAt(s, ops, starts, codeLength, pc)) best = s;
    }
    if (best) handlers[pc] = best.id;
  }
  return handlers;
}

function matchesAt(
  s: Superinstruction,
  ops: Int32Array,
  starts: Uint8Array,
  codeLength: number,
  pc: number,
): boolean {
  let at = pc;
  for (let i = 0; i < s.opcodes.length; i++) {
    if (at >= codeLength || starts[at] !== 1 || ops[at] !== s.opcodes[i]) return false;
    at += LENGTH.get(s.opcodes[i]!) ?? 0;
  }
  return true;
}

/**
 * Cycles per handler id: the plain opcodes' cycles (`table`, hal `cycleTable`), and for a
 * superinstruction the sum over its instructions, so the meter charges what the plain code would.
 */
export function handlerCycleTable(table: Uint32Array): Uint32Array {
  const costs = new Uint32Array(HANDLER_LIMIT);
  for (let op = 0; op < Math.min(table.length, SUPERINSTRUCTION_BASE); op++) costs[op] = table[op]!;
  for (const s of SUPERINSTRUCTIONS)
    costs[s.id] = s.opcodes.reduce((sum, op) => sum + (table[op] ?? 0), 0);
  return costs;
}
