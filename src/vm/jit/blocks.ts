/**
 * Control-flow analysis for the compiled tier: basic blocks of the decoded code and their grouping
 * into JavaScript functions.
 *
 * Glossary
 * - leader:  the first instruction of a basic block: pc 0, every jump/branch/switch/call target,
 *            every CUR/COMB label, every instruction after one that transfers control (including
 *            the continuation after CALL/APP/CALLRTS, where a call returns or the runtime resumes)
 *            and the last code byte (the graveyard STOP that spawn pushes as a return address).
 * - block:   the instructions from a leader up to (excluding) the next leader, or up to and
 *            including the first instruction that does not simply fall through.
 * - entry:   a leader where a CAM function starts: pc 0, CALL targets, CUR/COMB labels.
 * - group:   the blocks compiled into one JavaScript function: everything reachable from an entry
 *            without following calls. Grouping affects speed only, never meaning — every block
 *            can be entered from outside its group (the runtime resumes at any leader), and a
 *            transfer to a block of another group is a (tail) call of that group's function.
 */
import { INSTRUCTIONS, Op, instructionLength } from '../../isa/opcodes.js';
import type { Program } from '../../isa/program.js';
import type { DecodedProgram } from '../decode.js';
import { OP_END, OP_INVALID } from '../decode.js';

export interface Block {
  /** pc of the leader. */
  readonly start: number;
  /** pcs of the block's instructions, in order. */
  readonly pcs: readonly number[];
  /** Group (JavaScript function) this block is compiled into, and its index there. */
  group: number;
  index: number;
}

export interface ControlFlow {
  readonly blocks: readonly Block[];
  /** Block whose leader is at pc, by pc. */
  readonly blockAt: ReadonlyMap<number, Block>;
  /** Blocks of each group, in pc order. */
  readonly groups: readonly (readonly Block[])[];
  /**
   * Leaders of blocks whose only way in (besides the dispatcher, which can resume anywhere) is
   * one conditional branch of the same group — its target or its fall-through. The compiled
   * tier compiles such a block only there, continuing with what it knows at the branch; the
   * dispatcher resuming at its leader hands the block to the interpreter.
   */
  readonly inlinable: ReadonlySet<number>;
}

/**
 * Most CAM instructions a group may hold before it is split: V8 does not optimise a function
 * whose bytecode passes 61 440 bytes, and one CAM instruction becomes up to ~60 bytes of it.
 */
export const MAX_GROUP_INSTRUCTIONS = 600;

/** Decoded jump targets of the instruction at pc (only targets that are instructions). */
export function jumpTargets(decoded: DecodedProgram, pc: number): number[] {
  const ops = decoded.ops;
  const op = ops[pc]!;
  switch (op) {
    case Op.GOTO:
    case Op.GOTOFALSE:
    case Op.GOTOIFALSE:
    case Op.CALL: {
      const t = ops[pc + 1]!;
      return t >= 0 ? [t] : [];
    }
    case Op.SWITCH:
    case Op.SWITCHI: {
      const out: number[] = [];
      const arms = ops[pc + 1]!;
      for (let a = 0; a < arms; a++) {
        const t = ops[pc + 3 + 2 * a]!;
        if (t >= 0) out.push(t);
      }
      return out;
    }
    default:
      return [];
  }
}

/** The code offset a CUR/COMB label designates, or -1 when it is not an instruction. */
export function closureTarget(decoded: DecodedProgram, pc: number): number {
  const t = decoded.ops[pc + 1]! - decoded.labelBase;
  return t >= 0 && t < decoded.codeLength && decoded.starts[t] === 1 ? t : -1;
}

/** Whether the instruction ends a block (anything but plain fall-through). */
export function endsBlock(op: number): boolean {
  if (op === Op.CALLRTS || op === OP_INVALID || op === OP_END) return true;
  const row = INSTRUCTIONS[op];
  return !row || row.flow !== 'next';
}

export function analyse(program: Program, decoded: DecodedProgram): ControlFlow {
  const length = decoded.codeLength;
  const ops = decoded.ops;
  const leaders = new Uint8Array(length + 1);
  const entries = new Set<number>([0]);
  const pcs: number[] = [];
  for (let pc = 0; pc < length;) {
    pcs.push(pc);
    const len = instructionLength(program.code, pc);
    if (len <= 0 || ops[pc] === OP_INVALID) break;
    pc += len;
  }
  if (length > 0) leaders[0] = 1;
  const lastPc = length - 1;
  if (lastPc >= 0 && decoded.starts[lastPc] === 1) leaders[lastPc] = 1;
  for (let i = 0; i < pcs.length; i++) {
    const pc = pcs[i]!;
    const op = ops[pc]!;
    for (const t of jumpTargets(decoded, pc)) leaders[t] = 1;
    if (op === Op.CALL) {
      const t = ops[pc + 1]!;
      if (t >= 0) entries.add(t);
    }
    if (op === Op.CUR || op === Op.COMB) {
      const t = closureTarget(decoded, pc);
      if (t >= 0) {
        leaders[t] = 1;
        entries.add(t);
      }
    }
    const next = pcs[i + 1];
    if (next !== undefined && endsBlock(op)) leaders[next] = 1;
  }

  const single = singleBranchEntries(decoded, pcs, leaders, entries);
  const blocks: Block[] = [];
  const blockAt = new Map<number, Block>();
  let current: { start: number; pcs: number[] } | undefined;
  for (const pc of pcs) {
    if (leaders[pc] === 1 || !current) {
      current = { start: pc, pcs: [] };
      const block: Block = { start: pc, pcs: current.pcs, group: -1, index: -1 };
      blocks.push(block);
      blockAt.set(pc, block);
    }
    current.pcs.push(pc);
    if (endsBlock(ops[pc]!)) current = undefined;
  }

  // Group: blocks reachable from each entry without following calls, first claim wins.
  const groups: Block[][] = [];
  const claim = (entry: Block): void => {
    const members: Block[] = [];
    const work = [entry];
    entry.group = groups.length;
    while (work.length > 0) {
      const block = work.pop()!;
      members.push(block);
      for (const succ of successors(decoded, block)) {
        const b = blockAt.get(succ);
        if (b && b.group < 0 && !entries.has(succ)) {
          b.group = groups.length;
          work.push(b);
        }
      }
    }
    members.sort((a, b) => a.start - b.start);
    for (const part of splitBySize(members)) {
      for (const b of part) b.group = groups.length;
      part.forEach((b, i) => (b.index = i));
      groups.push(part);
    }
  };
  for (const entry of [...entries].sort((a, b) => a - b)) {
    const b = blockAt.get(entry);
    if (b && b.group < 0) claim(b);
  }
  for (const b of blocks) if (b.group < 0) claim(b);
  // Only branches inside the block's own group can continue into it.
  const blockOfPc = new Map<number, Block>();
  for (const b of blocks) for (const pc of b.pcs) blockOfPc.set(pc, b);
  const inlinable = new Set<number>();
  for (const [leader, branchPc] of single) {
    if (blockOfPc.get(branchPc)?.group === blockAt.get(leader)?.group) inlinable.add(leader);
  }
  return { blocks, blockAt, groups, inlinable };
}

/**
 * Leaders entered by exactly one edge, a conditional branch (see `ControlFlow.inlinable`),
 * with the pc of that branch.
 */
function singleBranchEntries(
  decoded: DecodedProgram,
  pcs: readonly number[],
  leaders: Uint8Array,
  entries: ReadonlySet<number>,
): Map<number, number> {
  const ops = decoded.ops;
  const edges = new Map<number, number>();
  const fromBranch = new Map<number, number>();
  let at = 0;
  const edge = (to: number, branch: boolean): void => {
    edges.set(to, (edges.get(to) ?? 0) + 1);
    if (branch) fromBranch.set(to, at);
  };
  for (let i = 0; i < pcs.length; i++) {
    const pc = pcs[i]!;
    const op = ops[pc]!;
    const branch = op === Op.GOTOFALSE || op === Op.GOTOIFALSE;
    at = pc;
    for (const t of jumpTargets(decoded, pc)) edge(t, branch);
    if (op === Op.CUR || op === Op.COMB) {
      const t = closureTarget(decoded, pc);
      if (t >= 0) edge(t, false);
    }
    const next = pcs[i + 1];
    // Falling into the next leader: from a branch, or plainly, or as a call's or the runtime's
    // continuation (those never count as a branch edge).
    if (next !== undefined && leaders[next] === 1 && fallsInto(op)) edge(next, branch);
  }
  const out = new Map<number, number>();
  const last = decoded.codeLength - 1;
  for (const [pc, count] of edges) {
    const branchPc = fromBranch.get(pc);
    if (count === 1 && branchPc !== undefined && !entries.has(pc) && pc !== last)
      out.set(pc, branchPc);
  }
  return out;
}

/** Intra-function successors: fall-through, jump and switch targets, call continuations. */
function successors(decoded: DecodedProgram, block: Block): number[] {
  const last = block.pcs[block.pcs.length - 1]!;
  const op = decoded.ops[last]!;
  const out = op === Op.CALL ? [] : jumpTargets(decoded, last);
  if (fallsInto(op)) {
    const len = instructionLengthFromDecoded(decoded, last);
    if (len > 0 && last + len < decoded.codeLength) out.push(last + len);
  }
  return out;
}

/** Whether control can pass from an instruction to the next one (see `successors`). */
function fallsInto(op: number): boolean {
  const row = INSTRUCTIONS[op];
  return op === Op.CALLRTS || (row !== undefined && ['next', 'branch', 'call'].includes(row.flow));
}

function instructionLengthFromDecoded(decoded: DecodedProgram, pc: number): number {
  for (let next = pc + 1; next <= decoded.codeLength; next++) {
    if (next === decoded.codeLength || decoded.starts[next] === 1) return next - pc;
  }
  return -1;
}

function splitBySize(members: readonly Block[]): Block[][] {
  const parts: Block[][] = [];
  let part: Block[] = [];
  let size = 0;
  for (const b of members) {
    const weight = b.pcs.length;
    if (part.length > 0 && size + weight > MAX_GROUP_INSTRUCTIONS) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(b);
    size += weight;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
