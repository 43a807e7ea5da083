/**
 * JavaScript source generation for the compiled tier: one function per group of blocks
 * (blocks.ts), each a `for (;;) switch (block)` whose cases are the CAM blocks in pc order;
 * group-emitter.ts writes the functions, this module the code around them.
 *
 * Registers. At every block boundary the CAM registers are in the function's locals E (env word),
 * K (env kind) and S (absolute stack pointer), and the whole stack is in container memory.
 * Inside a block the generator tracks them symbolically (see `BlockState`): env is a JavaScript
 * expression (a literal or a local), and values pushed in the block stay in fresh locals (the
 * "virtual stack") until the block ends, calls, or leaves — so `PUSH; MOVE; LOADI 1; MINI` is one
 * subtraction of two locals and costs no memory traffic. Kinds known at generation time
 * (after LOADI, arithmetic, CONS…) are literals, which removes their checks and stores; a field
 * of a cell is loaded once per stretch of code. A block that only one conditional branch leads
 * to is compiled at that branch, so what is known there stays known (blocks.ts `inlinable`).
 *
 * Calls. A CAM call is a JavaScript call `g(block, E, K, S, depth)`; the callee hands E, K, S
 * back in the module variables RE, RK, RS and returns the pc it returned to, which the caller
 * checks against its continuation. The budget lives in the local L and is written back to the
 * module around calls and exits (protocol.ts).
 *
 * Allocation is inlined: a bump of the collector's sweep pointer inside the current free run
 * (`ContainerMemory.allocState`). At the run's end the instruction is left to the interpreter,
 * whose `allocate()` finds the next run or collects — compiled code never collects, so no value
 * of it lives only in a JavaScript local during a collection.
 *
 * Exactness: a block is charged its whole instruction count on entry and checks, once, that the
 * budget and the stack bounds allow all of it. Anything unusual — budget too small for the block,
 * a stack bound, a value of the wrong kind, a bad label, a failed match, the end of a free run,
 * STOP, FAIL, an invalid instruction — leaves through the function's one exit, which records
 * the pc, the instructions not executed, env and the virtual stack in module variables and
 * returns EXIT_PENDING; the dispatcher's `flush()` refunds what did not run, spills the virtual
 * stack and lets the interpreter run from that exact pc with exactly the state it would have
 * there. The interpreter is the oracle, so faults, their pc and detail, and instruction counts
 * are the interpreter's by construction.
 */
import type { DecodedProgram } from '../decode.js';
import { CTX_ENV, CTX_ENV_KIND, CTX_PC, CTX_SP } from '../memory.js';
import type { ControlFlow } from './blocks.js';
import { GroupEmitter } from './group-emitter.js';
import { EXIT_DEOPT, TO_RECORD } from './protocol.js';

export { EXIT_DEOPT, EXIT_PENDING, EXIT_RTS, MAX_NATIVE_DEPTH } from './protocol.js';

export interface GeneratedModule {
  /** Body of `new Function('rt', body)`. */
  readonly source: string;
  /** Group (function) index of the block starting at each pc, -1 elsewhere; length code + 1. */
  readonly fnOf: Int32Array;
  /** Index of that block inside its group. */
  readonly blkOf: Int32Array;
  /**
   * With a cycle table: cycles of the instructions from each pc to the end of its block (what a
   * deoptimisation at that pc refunds; the module's `tailCycles`). Undefined without one.
   */
  readonly tailCycles: Int32Array | undefined;
}

/**
 * With `cycleTable` (cycles per opcode) the generated code also charges the CPU cost model: each
 * block adds its cycle total to the module's `cyc` when it is entered, together with its
 * instruction count, and the exit (`flush`) refunds the cycles of the instructions that did not run — so the
 * total is exactly the interpreter's per-instruction sum (the interpreter charges what it runs).
 */
export function generateModule(
  decoded: DecodedProgram,
  flow: ControlFlow,
  cycleTable?: Uint32Array,
): GeneratedModule {
  const fnOf = new Int32Array(decoded.codeLength + 1).fill(-1);
  const blkOf = new Int32Array(decoded.codeLength + 1).fill(-1);
  for (const b of flow.blocks) {
    fnOf[b.start] = b.group;
    blkOf[b.start] = b.index;
  }
  const tailCycles = cycleTable ? blockTailCycles(decoded, flow, cycleTable) : undefined;
  const charge = tailCycles !== undefined;
  const out: string[] = [
    "'use strict';",
    'const fst = rt.fst, snd = rt.snd, cf = rt.cellFlags, sw = rt.stackWords, sk = rt.stackKinds;',
    'const rc = rt.records, mem = rt.memory, starts = rt.starts, io = rt.io;',
    'const AL = rt.allocState;',
    'const fnOf = rt.fnOf, blkOf = rt.blkOf, F = rt.bitsToFloat, B = rt.floatToBits;',
    'const FI = rt.floatToIntSaturating;',
    // `var`, not `let`: inner functions would check every access for the temporal dead zone.
    'var rec = 0, base = 0, limit = 0, left = 0, RE = 0, RK = 0, RS = 0, cyc = 0;',
    ...(charge ? ['const TC = rt.tailCycles;'] : []),
  ];
  const emitters = flow.groups.map(
    (group, g) => new GroupEmitter(decoded, flow, g, group, tailCycles),
  );
  const functions = emitters.flatMap((e) => e.emit());
  const spillSlots = 2 * Math.max(0, ...emitters.map((e) => e.spillDepth));
  out.push(...exitCode(spillSlots, charge), ...functions);
  out.push(`const fns = [${flow.groups.map((_, g) => `g${g}`).join(', ')}];`);
  out.push(
    'return {',
    '  fns,',
    '  enter(r, b, l, budget) { rec = r; base = b; limit = l; left = budget; },',
    // The dispatcher's way in: the registers from the transfer variables, depth 0.
    '  run(g, b) { return fns[g](b, RE | 0, RK | 0, RS | 0, 0); },',
    '  flush,',
    `  load() { RE = rc[rec + ${CTX_ENV}]; RK = rc[rec + ${CTX_ENV_KIND}]; RS = rc[rec + ${CTX_SP}]; },`,
    `  store() { rc[rec + ${CTX_ENV}] = RE; rc[rec + ${CTX_ENV_KIND}] = RK; rc[rec + ${CTX_SP}] = RS; },`,
    '  left() { return left; },',
    '  setLeft(v) { left = v; },',
    '  takeCycles() { const c = cyc; cyc = 0; return c; },',
    '};',
  );
  return { source: out.join('\n'), fnOf, blkOf, tailCycles };
}

/**
 * The way out of generated code for everything unusual. A generated function stores its exit
 * state — pc, instructions not executed, env, stack pointer, the virtual stack — in module
 * variables and returns EXIT_PENDING; the dispatcher then calls `flush()`, which refunds what did
 * not run, spills the virtual stack, saves the registers and asks for `count` interpreted steps
 * from pc. Stores to module variables need no type feedback, so the exit can be reached for the
 * first time in optimised code without deoptimising it (a call or an addition there did: V8 had
 * never seen them run, and threw the whole recursion's frames back to the bytecode interpreter).
 */
function exitCode(spillSlots: number, charge: boolean): string[] {
  const slots = Array.from({ length: spillSlots }, (_, i) => `X${i}`);
  const spills: string[] = [];
  for (let i = 0; i < spillSlots; i += 2)
    spills.push(`  if (XV > ${i / 2}) { sw[S] = X${i}; sk[S++] = X${i + 1}; }`);
  return [
    `var XP = 0, XN = 0, XE = 0, XK = 0, XS = 0, XM = 0, XV = 0${slots.map((x) => `, ${x} = 0`).join('')};`,
    // XN < 0: -XN instructions from XP were never charged (nothing to refund).
    'function flush() {',
    `  let n = XN; if (n < 0) n = -n; else { left += n;${charge ? ' cyc -= TC[XP];' : ''} }`,
    '  const E = XE, K = XK; let S = XS + XM;',
    ...spills,
    `  ${TO_RECORD} rc[rec + ${CTX_PC}] = XP;`,
    `  io[0] = ${EXIT_DEOPT}; io[1] = XP; io[2] = n;`,
    '}',
  ];
}

/** Cycles from every pc to the end of its block (each pc belongs to exactly one block). */
function blockTailCycles(
  decoded: DecodedProgram,
  flow: ControlFlow,
  cycleTable: Uint32Array,
): Int32Array {
  const tail = new Int32Array(decoded.codeLength + 1);
  for (const b of flow.blocks) {
    let sum = 0;
    for (let j = b.pcs.length - 1; j >= 0; j--) {
      const pc = b.pcs[j]!;
      sum += cycleTable[decoded.ops[pc]!] ?? 0;
      tail[pc] = sum;
    }
  }
  return tail;
}
