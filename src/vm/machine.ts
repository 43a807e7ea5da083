/**
 * The machine: one verified program running in one container's memory. This is the interface
 * the runtime layer (rts/) builds contexts, channels and sync on; it knows nothing about
 * scheduling. The execution tier (interpreter today, compiled JavaScript later) is hidden
 * behind `run`; memory, faults, the budget and everything below are shared by all tiers.
 *
 * Runtime interface
 * -----------------
 * Values are (word, kind) pairs; kind is IMMEDIATE, POINTER or RETURN_ADDRESS (memory.ts).
 *
 * Contexts
 *   startContext(pc = 0)          claim a free context: pc, env = (), empty stack → id or -1
 *   releaseContext(ctx)           free it (its env and stack stop being GC roots)
 *   contextState(ctx)             CONTEXT_FREE | ACTIVE | STOPPED | FAULTED
 *   pcOf / setPc(ctx, pc)         setPc refuses a pc that is not an instruction start
 *   memory.envWord/envKind/setEnv(ctx, …)
 *   memory.push(ctx, w, k) / peekWord / peekKind(ctx, depth) / drop(ctx, n) / stackDepth(ctx)
 *   pushReturnAddress(ctx, pc)    what APP/CALL push; spawn pushes `graveyardPc` (SynchronVM:
 *                                 the last code byte, a STOP)
 *
 * Execution
 *   run(ctx, budget) → { reason, executed, rtsCall, fault? }
 *     'budget'  budget instructions ran; call run again to continue.
 *     'rts'     CALLRTS n ran (rtsCall = n). pc already points past the CALLRTS; env and the
 *               stack hold the arguments exactly as rts-calls.ts describes. The runtime pops
 *               the arguments, sets env to the result, and calls run again — now or, for a
 *               blocking call, when the context is resumed. The call has been counted.
 *     'stop'    STOP ran: the context is STOPPED; env holds its final value (still a root
 *               until releaseContext).
 *     'fault'   the context is FAULTED; `fault` says why and where.
 *   raiseFault(ctx, cause, detail, pc?)  the runtime faults a context (e.g. a bad channel
 *                                   id) with the same record shape.
 *
 * Heap (GC-safe)
 *   memory.allocPair(fw, fk, sw, sk) → cell or -1 (heap exhausted after a collection)
 *   memory.fstWord/fstKind/sndWord/sndKind(cell), memory.setFst/setSnd(cell, w, k)
 *   memory.acquireRoot() → slot; memory.setRoot/rootWord/rootKind(slot); releaseRoot(slot)
 *     Any pointer the runtime keeps between calls (channel queues, timers, messages, refs) must
 *     be in a root slot, a context's env or stack, or a cell reachable from those.
 *   memory.collect(), memory.heapStats(), memory.checkHeap()
 */
import { rowOf } from '../isa/opcodes.js';
import type { Program } from '../isa/program.js';
import {
  type ContainerConfig,
  DEFAULT_CONTAINER_CONFIG,
  type VmOptions,
  stressGcFromEnvironment,
} from './config.js';
import { type DecodedProgram, decodeProgram } from './decode.js';
import { type FaultCause, type FaultRecord, makeFault } from './faults.js';
import {
  type ExecutionTier,
  Interpreter,
  type CycleMeter,
  type InterpreterHooks,
  type RunResult,
} from './interpreter.js';
import {
  CONTEXT_FAULTED,
  CONTEXT_RECORD_WORDS,
  CTX_PC,
  type CollectionStats,
  ContainerMemory,
  RETURN_ADDRESS,
} from './memory.js';
import { OPCODE_COUNT } from '../isa/opcodes.js';

/** Builds an execution tier over the shared memory (the Interpreter's constructor shape). */
export type TierFactory = (
  program: Program,
  decoded: DecodedProgram,
  memory: ContainerMemory,
  containerName: string,
  hooks: InterpreterHooks,
) => ExecutionTier;

export interface MachineOptions extends VmOptions {
  readonly onCollection?: (stats: CollectionStats) => void;
  /** The execution tier; default the interpreter. */
  readonly tier?: TierFactory;
  /**
   * Cycles per opcode (hal `cycleTable(board)`): both tiers then add the cycles of every executed
   * instruction to `cycles` (the CPU cost model, without per-opcode counting).
   */
  readonly cycleTable?: Uint32Array;
  /** The interpreter dispatches superinstructions (default true; false for A/B tests). */
  readonly superinstructions?: boolean;
}

export class Machine {
  readonly memory: ContainerMemory;
  readonly decoded: DecodedProgram;
  readonly containerName: string;
  /** Executed instructions per opcode, when created with `profile: true`. */
  readonly opcodeCounts: Float64Array | undefined;
  /** Cycles charged so far, when created with a `cycleTable`. */
  readonly cycleMeter: CycleMeter | undefined;
  /** Code offset of the last byte: SynchronVM's label graveyard (a STOP in compiled images). */
  readonly graveyardPc: number;
  /** Every executed instruction goes to a trace hook (the runtime then runs none on its own). */
  readonly tracesInstructions: boolean;
  private readonly tier: ExecutionTier;
  private readonly faults = new Map<number, FaultRecord>();

  constructor(
    readonly program: Program,
    config: ContainerConfig = DEFAULT_CONTAINER_CONFIG,
    options: MachineOptions = {},
  ) {
    this.containerName = options.containerName ?? 'main';
    this.memory = new ContainerMemory(config, {
      stressGc: options.stressGc ?? stressGcFromEnvironment(),
      verifyHeap: options.verifyHeap ?? false,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.onCollection ? { onCollection: options.onCollection } : {}),
    });
    this.decoded = decodeProgram(program);
    this.graveyardPc = program.code.length - 1;
    this.tracesInstructions = options.trace !== undefined;
    this.opcodeCounts = options.profile ? new Float64Array(OPCODE_COUNT) : undefined;
    this.cycleMeter = options.cycleTable ? { table: options.cycleTable, total: 0 } : undefined;
    const hooks: InterpreterHooks = {
      trace: options.trace,
      opcodeCounts: this.opcodeCounts,
      cycles: this.cycleMeter,
      superinstructions: options.superinstructions,
    };
    this.tier = options.tier
      ? options.tier(program, this.decoded, this.memory, this.containerName, hooks)
      : new Interpreter(program, this.decoded, this.memory, this.containerName, hooks);
  }

  /** Claims a context starting at `pc` with env = () and an empty stack; -1 when none is free. */
  startContext(pc = 0): number {
    if (!this.isInstructionStart(pc)) return -1;
    const context = this.memory.acquireContext();
    if (context >= 0) this.memory.contexts[context * CONTEXT_RECORD_WORDS + CTX_PC] = pc;
    return context;
  }

  releaseContext(context: number): void {
    this.faults.delete(context);
    this.memory.releaseContext(context);
  }

  contextState(context: number): number {
    return this.memory.contextState(context);
  }

  pcOf(context: number): number {
    return this.memory.pcOf(context);
  }

  /** Moves a context to `pc`; false (nothing changed) when pc is not an instruction start. */
  setPc(context: number, pc: number): boolean {
    if (!this.isInstructionStart(pc)) return false;
    this.memory.contextState(context); // validates the id
    this.memory.contexts[context * CONTEXT_RECORD_WORDS + CTX_PC] = pc;
    return true;
  }

  /** Pushes a return address; false when pc is not an instruction start or the stack is full. */
  pushReturnAddress(context: number, pc: number): boolean {
    if (!this.isInstructionStart(pc)) return false;
    return this.memory.push(context, pc, RETURN_ADDRESS);
  }

  isInstructionStart(pc: number): boolean {
    return (
      Number.isInteger(pc) &&
      pc >= 0 &&
      pc < this.decoded.codeLength &&
      this.decoded.starts[pc] === 1
    );
  }

  /**
   * Back to the state of a new machine of the same program and configuration: memory reset,
   * faults and counters cleared. The execution tier is kept — with the compiled tier, a restarted
   * program runs on code V8 has already optimised.
   */
  reset(): void {
    this.memory.reset();
    this.faults.clear();
    if (this.cycleMeter) this.cycleMeter.total = 0;
    this.opcodeCounts?.fill(0);
  }

  /** Runs an ACTIVE context for at most `budget` instructions. */
  run(context: number, budget: number): RunResult {
    const result = this.tier.run(context, budget);
    if (result.fault) this.faults.set(context, result.fault);
    return result;
  }

  /** The fault that ended a context, if any. */
  faultOf(context: number): FaultRecord | undefined {
    return this.faults.get(context);
  }

  /**
   * Ends a context with a fault raised by the runtime layer, reported at `pc` (default: the
   * context's pc; after a CALLRTS that is the next instruction, so pass pcOf(ctx) - 2 to blame
   * the call itself).
   */
  raiseFault(
    context: number,
    cause: FaultCause,
    detail?: string,
    pc = this.memory.pcOf(context),
  ): FaultRecord {
    const fault = makeFault(this.program, this.containerName, context, pc, cause, detail);
    this.memory.setContextState(context, CONTEXT_FAULTED);
    this.faults.set(context, fault);
    return fault;
  }

  /** Mnemonic of the instruction at pc (for reports). */
  mnemonicAt(pc: number): string {
    return rowOf(this.program.code[pc] ?? -1)?.mnemonic ?? '?';
  }
}

/** Outcome of running one context to its end. */
export interface CompletedRun {
  readonly result: RunResult;
  /** Instructions executed in total. */
  readonly executed: number;
}

/**
 * Runs `context` in slices of `sliceBudget` until it stops, faults or calls the runtime, or
 * `maxInstructions` have run (reason 'budget'). Used where no runtime layer is involved.
 */
export function runToEnd(
  machine: Machine,
  context: number,
  sliceBudget = 100_000,
  maxInstructions = Number.POSITIVE_INFINITY,
): CompletedRun {
  let executed = 0;
  while (true) {
    const budget = Math.min(sliceBudget, maxInstructions - executed);
    const result = machine.run(context, budget);
    executed += result.executed;
    if (result.reason !== 'budget' || executed >= maxInstructions) return { result, executed };
  }
}
