/**
 * The CPU cost model: how long an instruction takes on the simulated board. Each instruction's
 * cost class comes from the instruction table (src/isa/opcodes.ts); the board gives cycles per
 * class; the clock rate turns cycles into time. The runtime charges `instructionCycles` per
 * executed instruction (or a precomputed sum per basic block) with `clock.advanceCycles`.
 */
import { INSTRUCTIONS } from '../../isa/opcodes.js';
import type { Board } from './schema.js';

/** Cycles of every opcode on `board`, indexed by opcode; 0 for unassigned opcodes. */
export function cycleTable(board: Board): Uint32Array {
  const table = new Uint32Array(256);
  for (const row of INSTRUCTIONS) table[row.opcode] = board.cpu.cycles[row.cost];
  return table;
}

const tables = new WeakMap<Board, Uint32Array>();

/** Cycles one instruction takes on `board` (cached per board). Unknown opcodes cost 0. */
export function instructionCycles(board: Board, opcode: number): number {
  let table = tables.get(board);
  if (!table) {
    table = cycleTable(board);
    tables.set(board, table);
  }
  return table[opcode] ?? 0;
}

/** µs of device time for `cycles` cycles on `board` (fractional). */
export function cyclesToMicros(board: Board, cycles: number): number {
  return (cycles * 1_000_000) / board.cpu.clockHz;
}
