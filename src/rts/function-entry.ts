/**
 * Entering function values in a context from the runtime: the body of a spawned context and
 * the wrap functions of a committed sync.
 *
 * Wrap functions of one alternative run innermost first. All but the last are *called* with a
 * return address to the graveyard (a STOP): when that STOP runs at the recorded stack depth the
 * runtime knows an inner wrap returned and enters the next one on its result. The last
 * (outermost) wrap is entered as a tail application of the sync's continuation — no return
 * address is pushed when the code after the sync returns at once — so a wrap function that
 * loops back into its caller (`loop () = sync (wrap e (\x -> loop ()))`) runs in constant stack;
 * SynchronVM leaked one stack slot per iteration there (reference §2.3).
 *
 * Pending wrap lists are GC roots: one root-table slot per context.
 */
import { Op } from '../isa/opcodes.js';
import type { FaultCause } from '../vm/faults.js';
import type { Machine } from '../vm/machine.js';
import { IMMEDIATE, POINTER } from '../vm/memory.js';
import type { EventCodec } from './events.js';
import { encodeValue, kindOf, POINTER_OFFSET, wordOf } from './heap-adapter.js';

/** Why entering a function failed; the runtime faults the context with it. */
export interface EntryProblem {
  readonly cause: FaultCause;
  readonly detail: string;
}

/** `returnPc` values of `enter` that push nothing. */
export const TAIL = -1;

export class FunctionEntry {
  /** Where finished contexts and inner wraps return to; -1 when the image has no STOP. */
  readonly graveyardPc: number;
  private readonly wrapRoot: Int32Array;
  private readonly wrapCount: Int32Array;
  private readonly wrapStep: Int32Array;
  private readonly wrapDepth: Int32Array;
  private readonly wrapContinuation: Int32Array;

  constructor(
    private readonly machine: Machine,
    private readonly codec: EventCodec<number>,
    maxContexts: number,
  ) {
    this.graveyardPc = findGraveyard(machine);
    this.wrapRoot = new Int32Array(maxContexts);
    this.wrapCount = new Int32Array(maxContexts);
    this.wrapStep = new Int32Array(maxContexts);
    this.wrapDepth = new Int32Array(maxContexts);
    this.wrapContinuation = new Int32Array(maxContexts);
    for (let c = 0; c < maxContexts; c++) {
      const slot = machine.memory.acquireRoot();
      if (slot < 0) throw new RangeError('not enough root slots for the runtime (2 + maxContexts)');
      this.wrapRoot[c] = slot;
    }
  }

  /** The code offset a function value starts at, or -1 when f is not a function. */
  target(f: number): number {
    if (f < POINTER_OFFSET) return -1;
    const mem = this.machine.memory;
    const cell = f - POINTER_OFFSET;
    const combinator = mem.sndWord(cell) === -1 && mem.sndKind(cell) !== POINTER;
    if ((combinator ? mem.fstKind(cell) : mem.sndKind(cell)) === POINTER) return -1;
    const label = combinator ? mem.fstWord(cell) : mem.sndWord(cell);
    const pc = label - this.machine.program.labelBase;
    return this.machine.isInstructionStart(pc) ? pc : -1;
  }

  /**
   * Applies function value f to the context's env: env := arg (combinator) or
   * [captured, arg] (closure), pc := f's code; pushes `returnPc` first unless it is TAIL.
   * f must be reachable from a root (the allocation may collect).
   */
  enter(ctx: number, f: number, returnPc: number): EntryProblem | undefined {
    const target = this.target(f);
    if (target < 0)
      return { cause: 'wrong kind of value', detail: 'applying a value that is not a function' };
    const mem = this.machine.memory;
    if (returnPc !== TAIL && !this.machine.pushReturnAddress(ctx, returnPc))
      return { cause: 'stack overflow', detail: 'entering a function from the runtime' };
    const cell = f - POINTER_OFFSET;
    if (!(mem.sndWord(cell) === -1 && mem.sndKind(cell) !== POINTER)) {
      const env = mem.allocPair(
        mem.fstWord(cell),
        mem.fstKind(cell),
        mem.envWord(ctx),
        mem.envKind(ctx),
      );
      if (env < 0) return { cause: 'heap exhausted', detail: 'entering a function' };
      mem.setEnv(ctx, env, POINTER);
    }
    this.machine.setPc(ctx, target);
    return undefined;
  }

  /**
   * Records the wrap list (outermost first) of the alternative that fired; call before the
   * context's env (which holds the event) is overwritten with the value.
   */
  begin(ctx: number, wraps: number, count: number): void {
    this.machine.memory.setRoot(this.wrapRoot[ctx]!, wordOf(wraps), kindOf(wraps));
    this.wrapCount[ctx] = count;
    this.wrapStep[ctx] = 0;
    this.wrapContinuation[ctx] = this.machine.pcOf(ctx);
  }

  /** Enters the next pending wrap function on the context's env value. */
  next(ctx: number): EntryProblem | undefined {
    const mem = this.machine.memory;
    const count = this.wrapCount[ctx]!;
    const step = this.wrapStep[ctx]!;
    const slot = this.wrapRoot[ctx]!;
    const f = this.codec.wrapAt(encodeValue(mem.rootWord(slot), mem.rootKind(slot)), count, step);
    if (step < count - 1) {
      if (this.graveyardPc < 0)
        return { cause: 'runtime error', detail: 'nested wraps need a STOP in the image' };
      this.wrapStep[ctx] = step + 1;
      this.wrapDepth[ctx] = mem.stackDepth(ctx);
      return this.enter(ctx, f, this.graveyardPc);
    }
    const continuation = this.wrapContinuation[ctx]!;
    this.wrapCount[ctx] = 0;
    this.machine.setPc(ctx, continuation);
    const problem = this.enter(ctx, f, this.returnsAt(continuation) ? TAIL : continuation);
    mem.setRoot(slot, 0, IMMEDIATE);
    return problem;
  }

  /** True when the context just ran the graveyard STOP because an inner wrap returned. */
  isWrapReturn(ctx: number): boolean {
    return (
      this.wrapCount[ctx]! > 0 &&
      this.wrapStep[ctx]! > 0 &&
      this.machine.pcOf(ctx) === this.graveyardPc &&
      this.machine.memory.stackDepth(ctx) === this.wrapDepth[ctx]
    );
  }

  /** Forgets pending wraps (the context ended). */
  clear(ctx: number): void {
    this.wrapCount[ctx] = 0;
    this.machine.memory.setRoot(this.wrapRoot[ctx]!, 0, IMMEDIATE);
  }

  /** True when the code at pc returns at once (SKIPs and GOTOs followed): a tail position. */
  private returnsAt(pc: number): boolean {
    const code = this.machine.program.code;
    for (let hops = 0; hops < 16; hops++) {
      const op = code[pc];
      if (op === Op.RETURN) return true;
      if (op === Op.SKIP) pc += 1;
      else if (op === Op.GOTO)
        pc = ((code[pc + 1]! << 8) | code[pc + 2]!) - this.machine.program.labelBase;
      else return false;
    }
    return false;
  }
}

/**
 * SynchronVM's graveyard (the last code byte, a STOP) when the image has one, else the first
 * STOP instruction of the code (the Sense-VM compiler ends main with one): returning to any
 * STOP ends a context the same way. -1 when the image has no STOP at all.
 */
function findGraveyard(machine: Machine): number {
  const code = machine.program.code;
  if (code[machine.graveyardPc] === Op.STOP && machine.isInstructionStart(machine.graveyardPc))
    return machine.graveyardPc;
  for (let pc = 0; pc < code.length; pc++)
    if (code[pc] === Op.STOP && machine.isInstructionStart(pc)) return pc;
  return -1;
}
