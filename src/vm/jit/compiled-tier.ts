/**
 * The compiled tier: verified CAM bytecode translated to JavaScript (emit.ts) and run by V8's
 * optimising compiler, with exactly the interpreter's semantics — the same container memory,
 * the same budget (instructions counted one by one, charged per block), the same runtime calls,
 * and the same faults at the same pc. It implements the same `ExecutionTier` interface as the
 * interpreter, which it keeps as its oracle: whenever compiled code meets anything unusual it
 * hands the rest of the block to the interpreter (see emit.ts, "Exactness").
 *
 * The dispatcher below runs while a slice lasts: it enters the function of the block at the
 * context's pc; generated functions call each other directly for CAM calls (up to
 * MAX_NATIVE_DEPTH nested JavaScript frames) and return to the dispatcher the pc to continue at
 * when a call chain unwinds, or -1 with the reason in `io` when they leave the slice.
 *
 * When instructions are traced or counted, or the host forbids `new Function` (a strict
 * Content-Security-Policy), every slice runs on the interpreter instead.
 */
import type { Program } from '../../isa/program.js';
import type { DecodedProgram } from '../decode.js';
import { bitsToFloat, floatToBits, floatToIntSaturating } from '../floats.js';
import {
  Interpreter,
  type CycleMeter,
  type ExecutionTier,
  type InterpreterHooks,
  type RunResult,
} from '../interpreter.js';
import { CONTEXT_ACTIVE, CONTEXT_RECORD_WORDS, CTX_PC, type ContainerMemory } from '../memory.js';
import { analyse } from './blocks.js';
import { EXIT_DEOPT, EXIT_PENDING, EXIT_RTS, generateModule } from './emit.js';

interface CompiledModule {
  /** Runs the group's function from one of its blocks with the registers of `load()`. */
  run(group: number, block: number): number;
  /** After `run` returned EXIT_PENDING: completes the exit (registers to the record, io). */
  flush(): void;
  enter(record: number, base: number, limit: number, budget: number): void;
  /** Registers from the context record into the transfer variables, and back. */
  load(): void;
  store(): void;
  left(): number;
  setLeft(value: number): void;
  /** Cycles charged since the last call (0 when the module was generated without a table). */
  takeCycles(): number;
}

type ModuleFactory = (rt: Record<string, unknown>) => CompiledModule;

/**
 * Modules instantiated so far: each gets a source of its own (a numbered comment), so V8 compiles
 * it afresh instead of reusing the cached compilation of an identical source. A generated function
 * that is the only closure of its code is optimised for its own module variables (the typed arrays
 * of its container are then constants); closures sharing code with another machine's are not, and
 * ran about 20 % slower on the benchmarks.
 */
let instances = 0;

/** Largest budget tracked exactly (the counter is a double). */
const MAX_BUDGET = Number.MAX_SAFE_INTEGER;
/**
 * Most instructions handed to generated code at once: its counter stays a small integer (a
 * larger, double-valued counter makes V8 use slower arithmetic for every block).
 */
const MAX_CHUNK = 2 ** 30;

export class CompiledTier implements ExecutionTier {
  private readonly interpreter: Interpreter;
  private readonly module: CompiledModule | undefined;
  private readonly fnOf: Int32Array;
  private readonly blkOf: Int32Array;
  private readonly io = new Int32Array(3);
  private readonly cycleMeter: CycleMeter | undefined;
  /** JavaScript source of the generated module (for `--print-js` style debugging and tests). */
  readonly source: string;

  constructor(
    private readonly program: Program,
    decoded: DecodedProgram,
    private readonly memory: ContainerMemory,
    private readonly containerName: string,
    hooks: InterpreterHooks = {},
  ) {
    this.interpreter = new Interpreter(program, decoded, memory, containerName, hooks);
    this.cycleMeter = hooks.cycles;
    const generated = generateModule(decoded, analyse(program, decoded), hooks.cycles?.table);
    this.source = generated.source;
    this.fnOf = generated.fnOf;
    this.blkOf = generated.blkOf;
    const instrumented = hooks.trace !== undefined || hooks.opcodeCounts !== undefined;
    this.module = instrumented
      ? undefined
      : instantiate(generated.source, {
          fst: memory.fst,
          snd: memory.snd,
          cellFlags: memory.cellFlags,
          allocState: memory.allocState,
          stackWords: memory.stackWords,
          stackKinds: memory.stackKinds,
          records: memory.contexts,
          memory,
          starts: decoded.starts,
          io: this.io,
          fnOf: this.fnOf,
          blkOf: this.blkOf,
          tailCycles: generated.tailCycles,
          bitsToFloat,
          floatToBits,
          floatToIntSaturating,
        });
  }

  /** Whether slices run compiled code (false: every slice is interpreted). */
  get compiled(): boolean {
    return this.module !== undefined;
  }

  run(context: number, budget: number): RunResult {
    const m = this.module;
    if (!m) return this.interpreter.run(context, budget);
    const result = this.runCompiled(m, context, budget);
    // Cycles of compiled blocks (the interpreter's fallbacks charged the meter themselves).
    if (this.cycleMeter !== undefined) this.cycleMeter.total += m.takeCycles();
    return result;
  }

  private runCompiled(m: CompiledModule, context: number, budget: number): RunResult {
    const mem = this.memory;
    if (mem.contextState(context) !== CONTEXT_ACTIVE)
      throw new RangeError(`internal error: context ${context} is not active`);
    const records = mem.contexts;
    const rec = context * CONTEXT_RECORD_WORDS;
    const base = mem.stackBase(context);
    const start = Math.max(0, Math.min(budget, MAX_BUDGET));
    let reserve = start - Math.min(start, MAX_CHUNK);
    m.enter(rec, base, base + mem.layout.stackSlotsPerContext, start - reserve);
    m.load();
    const fnOf = this.fnOf;
    const blkOf = this.blkOf;
    const io = this.io;
    // Invariant at the top of the loop: the registers are in the module's transfer variables.
    let pc = records[rec + CTX_PC]!;
    while (true) {
      if (m.left() <= 0) {
        if (reserve > 0) {
          const chunk = Math.min(reserve, MAX_CHUNK);
          reserve -= chunk;
          m.setLeft(m.left() + chunk);
          continue;
        }
        m.store();
        records[rec + CTX_PC] = pc;
        return { reason: 'budget', executed: start, rtsCall: -1 };
      }
      const group = fnOf[pc] ?? -1;
      if (group >= 0) {
        const next = m.run(group, blkOf[pc]!);
        if (next >= 0) {
          pc = next;
          continue;
        }
        if (next === EXIT_PENDING) m.flush();
      } else {
        // Not a block the compiler knows (e.g. a label built by arithmetic): one interpreted step.
        m.store();
        records[rec + CTX_PC] = pc;
        io[0] = EXIT_DEOPT;
        io[2] = 1;
      }
      // Left through the exit (after flush) or a runtime call: the registers are in the context record.
      const reason = io[0];
      if (reason === EXIT_RTS)
        return { reason: 'rts', executed: start - reserve - m.left(), rtsCall: io[1]! };
      // EXIT_DEOPT: the interpreter runs the rest of the block, within the budget left.
      if (m.left() <= 0 && reserve > 0) {
        const chunk = Math.min(reserve, MAX_CHUNK);
        reserve -= chunk;
        m.setLeft(m.left() + chunk);
      }
      const left = m.left();
      const steps = Math.min(left, io[2]!);
      if (steps <= 0) return { reason: 'budget', executed: start, rtsCall: -1 };
      const result = this.interpreter.run(context, steps);
      m.setLeft(left - result.executed);
      if (result.reason !== 'budget') return { ...result, executed: start - reserve - m.left() };
      pc = records[rec + CTX_PC]!;
      m.load();
    }
  }
}

function instantiate(source: string, runtime: Record<string, unknown>): CompiledModule | undefined {
  let factory: ModuleFactory;
  try {
    // The generated code only touches what `runtime` hands it; see emit.ts.
    factory = new Function('rt', `${source}\n// instance ${++instances}`) as ModuleFactory;
  } catch (e) {
    // A host that forbids code generation throws EvalError; anything else is our bug.
    if (e instanceof EvalError) return undefined;
    throw e;
  }
  return factory(runtime);
}
