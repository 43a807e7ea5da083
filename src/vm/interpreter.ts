/**
 * The interpreter tier: one run loop, registers in locals, a `switch` over the pre-decoded
 * instruction words (decode.ts). Registers are written back to the context record only when the
 * loop stops (budget, runtime call, STOP, fault) and before each allocation, because an
 * allocation may collect and the collector reads roots from the context records.
 *
 * Every instruction checks what could take it outside the container: the kind of the value it
 * dereferences (only POINTER words index the heap), stack bounds, jump targets and return
 * addresses. Arithmetic reads words whatever their kind (a pointer's index is just a number to
 * ADDI; it cannot be turned back into a pointer), so it needs no check.
 *
 * Case labels are numeric literals (opcodes of src/isa/opcodes.ts, mnemonic in the comment) so
 * that V8 compiles the switch to a jump table.
 *
 * Superinstructions: while no per-instruction hook is on and the budget left covers a whole
 * sequence, the loop dispatches on `handlers` (superinstructions.ts) instead of the opcodes, so
 * frequent fall-through sequences (PUSH; LTIK k; GOTOFALSE L, …) take one dispatch. Their cases
 * are at the end of the switch; exactness is explained there.
 */
import { INSTRUCTIONS } from '../isa/opcodes.js';
import type { Program } from '../isa/program.js';
import type { DecodedProgram } from './decode.js';
import { OP_END, OP_INVALID, decodeProgram } from './decode.js';
import { MAX_FUSED_LENGTH, fuseSuperinstructions, handlerCycleTable } from './superinstructions.js';
import type { FaultCause, FaultRecord } from './faults.js';
import { makeFault } from './faults.js';
import { BASE_OF_CONSTANT_OP, binary } from './binary-ops.js';
import { bitsToFloat, floatToBits, floatToIntSaturating } from './floats.js';
import {
  CONTEXT_ACTIVE,
  CONTEXT_FAULTED,
  CONTEXT_RECORD_WORDS,
  CONTEXT_STOPPED,
  CTX_ENV,
  CTX_ENV_KIND,
  CTX_PC,
  CTX_SP,
  CTX_STATE,
  ContainerMemory,
  FST_POINTER,
  POINTER,
  RETURN_ADDRESS,
  SND_POINTER,
} from './memory.js';

/** Why `run` returned. */
export type StopReason = 'budget' | 'rts' | 'stop' | 'fault';

export interface RunResult {
  readonly reason: StopReason;
  /** Instructions executed by this call (the CALLRTS, STOP or faulting one included). */
  readonly executed: number;
  /** The n of `CALLRTS n` when reason is 'rts', else -1. */
  readonly rtsCall: number;
  readonly fault?: FaultRecord;
}

/** What an execution tier implements; the machine façade and the runtime only see this. */
export interface ExecutionTier {
  run(context: number, budget: number): RunResult;
}

export interface InterpreterHooks {
  readonly trace?: ((line: string) => void) | undefined;
  readonly opcodeCounts?: Float64Array | undefined;
  /** Charges the board's cycles per executed opcode (the CPU cost model); see CycleMeter. */
  readonly cycles?: CycleMeter | undefined;
  /** Dispatch fused instruction sequences (superinstructions.ts); default true. */
  readonly superinstructions?: boolean | undefined;
}

/**
 * Cycles of the executed instructions: `table` gives cycles per opcode (hal `cycleTable`),
 * `total` grows by the cost of every executed instruction (a faulting one included). Both tiers
 * charge the same meter, the compiled tier per block (see jit/emit.ts).
 */
export interface CycleMeter {
  readonly table: Uint32Array;
  total: number;
}

const WILDCARD = 0xffff;

let warmedUp = false;

/**
 * Runs a tiny program once through every way out of the run loop (budget, STOP, CALLRTS, fault)
 * before any real program. Why: V8 compiles the hot loop on-stack while it runs (OSR), before
 * the code after the loop has ever executed; that code then has no type feedback, and the cached
 * OSR code deoptimises at the end of every slice — measured: fib 27 at 8–15 ns per instruction
 * instead of 4. With feedback present first, the loop stays optimised.
 */
function warmUpExitPaths(): void {
  warmedUp = true;
  // pc 0: CLEAR; PUSH; POP; GOTO 0 (endless) | pc 6: STOP | pc 7: CALLRTS 0; STOP | pc 10: FAIL 0
  const code = Uint8Array.of(8, 4, 50, 17, 0, 0, 13, 55, 0, 13, 76, 0);
  const program: Program = {
    format: 'sensevm',
    version: 1,
    ints: new Int32Array(0),
    floats: new Float32Array(0),
    strings: [],
    natives: new Uint32Array(0),
    code,
    labelBase: 0,
    debug: [],
  };
  const memory = new ContainerMemory({
    heapBytes: 100,
    stackBytes: 50,
    maxContexts: 4,
    rootSlots: 0,
    markStackEntries: 4,
  });
  const interpreter = new Interpreter(program, decodeProgram(program), memory, 'warm-up');
  // Several rounds: V8 allocates a function's feedback vector only after a few calls.
  for (let round = 0; round < 4; round++) {
    for (const start of [6, 7, 10, 0]) {
      const context = memory.acquireContext();
      memory.contexts[context * CONTEXT_RECORD_WORDS + CTX_PC] = start;
      for (let slice = 0; slice < 4 && memory.contextState(context) === CONTEXT_ACTIVE; slice++)
        interpreter.run(context, 5);
      memory.releaseContext(context);
    }
  }
}

export class Interpreter implements ExecutionTier {
  /** Handler id per pc: the opcode, or a superinstruction starting there (superinstructions.ts). */
  readonly handlers: Uint16Array;
  /** Cycles per handler id, when a cycle meter is charged. */
  private readonly handlerCycles: Uint32Array | undefined;
  /** Whether the fused handlers are used at all (not with per-instruction hooks, or disabled). */
  private readonly fusing: boolean;

  constructor(
    private readonly program: Program,
    private readonly decoded: DecodedProgram,
    private readonly memory: ContainerMemory,
    private readonly containerName: string,
    private readonly hooks: InterpreterHooks = {},
  ) {
    const instrumented = hooks.trace !== undefined || hooks.opcodeCounts !== undefined;
    this.fusing = hooks.superinstructions !== false && !instrumented;
    this.handlers = this.fusing ? fuseSuperinstructions(decoded) : new Uint16Array(0);
    this.handlerCycles = hooks.cycles ? handlerCycleTable(hooks.cycles.table) : undefined;
    if (!warmedUp) warmUpExitPaths();
  }

  run(context: number, budget: number): RunResult {
    const mem = this.memory;
    if (mem.contextState(context) !== CONTEXT_ACTIVE)
      throw new RangeError(`internal error: context ${context} is not active`);
    const ops = this.decoded.ops;
    const handlers = this.handlers;
    const starts = this.decoded.starts;
    const codeLength = this.decoded.codeLength;
    const labelBase = this.decoded.labelBase;
    const fst = mem.fst;
    const snd = mem.snd;
    const cellFlags = mem.cellFlags;
    const stackWords = mem.stackWords;
    const stackKinds = mem.stackKinds;
    const records = mem.contexts;
    const rec = context * CONTEXT_RECORD_WORDS;
    const base = mem.stackBase(context);
    const limit = base + mem.layout.stackSlotsPerContext;
    const instrumented = this.hooks.trace !== undefined || this.hooks.opcodeCounts !== undefined;

    let pc = records[rec + CTX_PC]!;
    let env = records[rec + CTX_ENV]!;
    let envKind = records[rec + CTX_ENV_KIND]!;
    let sp = records[rec + CTX_SP]!;
    let executed = 0;
    const cycleMeter = this.hooks.cycles;
    const costs = this.handlerCycles;
    let cycles = 0;
    // Superinstructions are dispatched while a whole sequence fits in the budget left; below
    // `fastLimit`, and always with per-instruction hooks, every instruction takes the plain path.
    // A fused handler that meets any fault condition of its instructions changes nothing and
    // leaves through the end of the switch, which lowers fastLimit so that its first
    // instruction runs plain (and faults, counts and charges exactly as plain code).
    const fastLimitNormal = this.fusing ? budget - (MAX_FUSED_LENGTH - 1) : -1;
    let fastLimit = fastLimitNormal;
    // Every `break exec` that does not set another reason is a fault.
    let reason: StopReason = 'fault';
    let rtsCall = -1;
    let cause: FaultCause = 'invalid instruction';
    let detail: string | undefined;

    exec: while (true) {
      let op: number;
      if (executed < fastLimit) {
        op = handlers[pc]!;
      } else {
        if (executed >= budget) {
          reason = 'budget';
          break;
        }
        op = ops[pc]!;
        fastLimit = fastLimitNormal;
        if (instrumented) this.instrument(context, pc, op, env, envKind, sp - base);
      }
      executed++;
      if (costs !== undefined) cycles += costs[op] ?? 0;
      switch (op) {
        case 0: // FST
          if (envKind !== POINTER) {
            cause = 'wrong kind of value';
            detail = 'FST of a value that is not a pair';
            break exec;
          }
          envKind = cellFlags[env]! & FST_POINTER;
          env = fst[env]!;
          pc += 1;
          continue;
        case 1: // SND
          if (envKind !== POINTER) {
            cause = 'wrong kind of value';
            detail = 'SND of a value that is not a pair';
            break exec;
          }
          envKind = (cellFlags[env]! & SND_POINTER) >> 1;
          env = snd[env]!;
          pc += 1;
          continue;
        case 2: // ACC n
        case 3: {
          // REST n: n× env := fst(env), each step on a pair. ACC n then takes the snd of the
          // result, so only ACC needs the result itself to be a pair.
          let n = ops[pc + 1]!;
          for (; n > 0; n--) {
            if (envKind !== POINTER) break;
            envKind = cellFlags[env]! & FST_POINTER;
            env = fst[env]!;
          }
          if (n > 0 || (op === 2 && envKind !== POINTER)) {
            cause = 'wrong kind of value';
            detail = `${op === 2 ? 'ACC' : 'REST'} through a value that is not a pair`;
            break exec;
          }
          if (op === 2) {
            envKind = (cellFlags[env]! & SND_POINTER) >> 1;
            env = snd[env]!;
          }
          pc += 2;
          continue;
        }
        case 4: // PUSH
          if (sp >= limit) {
            cause = 'stack overflow';
            break exec;
          }
          stackWords[sp] = env;
          stackKinds[sp++] = envKind;
          pc += 1;
          continue;
        case 5: {
          // SWAP
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          const word = stackWords[sp - 1]!;
          const kind = stackKinds[sp - 1]!;
          stackWords[sp - 1] = env;
          stackKinds[sp - 1] = envKind;
          env = word;
          envKind = kind;
          pc += 1;
          continue;
        }
        case 6: // LOADI
        case 56: // LOADF
        case 57: // LOADS
          env = ops[pc + 1]!;
          envKind = 0;
          pc += 3;
          continue;
        case 7: // LOADB
          env = ops[pc + 1]!;
          envKind = 0;
          pc += 2;
          continue;
        case 8: // CLEAR
          env = 0;
          envKind = 0;
          pc += 1;
          continue;
        case 9: // CONS: env := [s, env]
        case 51: {
          // SNOC: env := [env, s]
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          records[rec + CTX_ENV] = env;
          records[rec + CTX_ENV_KIND] = envKind;
          records[rec + CTX_SP] = sp;
          const cell = mem.allocate();
          if (cell < 0) {
            cause = 'heap exhausted';
            break exec;
          }
          sp--;
          if (op === 9) {
            fst[cell] = stackWords[sp]!;
            snd[cell] = env;
            cellFlags[cell] = (stackKinds[sp]! & POINTER) | ((envKind & POINTER) << 1);
          } else {
            fst[cell] = env;
            snd[cell] = stackWords[sp]!;
            cellFlags[cell] = (envKind & POINTER) | ((stackKinds[sp]! & POINTER) << 1);
          }
          env = cell;
          envKind = POINTER;
          pc += 1;
          continue;
        }
        case 10: // CUR L: env := [env, L]
        case 11: // PACK t: env := [t, env]
        case 52: {
          // COMB L: env := [L, COMB]
          records[rec + CTX_ENV] = env;
          records[rec + CTX_ENV_KIND] = envKind;
          records[rec + CTX_SP] = sp;
          const cell = mem.allocate();
          if (cell < 0) {
            cause = 'heap exhausted';
            break exec;
          }
          const operand = ops[pc + 1]!;
          if (op === 10) {
            fst[cell] = env;
            snd[cell] = operand;
            cellFlags[cell] = envKind & POINTER;
          } else if (op === 11) {
            fst[cell] = operand;
            snd[cell] = env;
            cellFlags[cell] = (envKind & POINTER) << 1;
          } else {
            fst[cell] = operand;
            snd[cell] = -1;
            cellFlags[cell] = 0;
          }
          env = cell;
          envKind = POINTER;
          pc += 3;
          continue;
        }
        case 12: // SKIP
          pc += 1;
          continue;
        case 13: // STOP
          reason = 'stop';
          break exec;
        case 14: // APP
        case 77: {
          // TAPP
          if (envKind !== POINTER) {
            cause = 'wrong kind of value';
            detail = `${op === 14 ? 'APP' : 'TAPP'} of a value that is not a function`;
            break exec;
          }
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          const flags = cellFlags[env]!;
          const second = snd[env]!;
          const combinator = second === -1 && (flags & SND_POINTER) === 0;
          if ((combinator ? flags & FST_POINTER : flags & SND_POINTER) !== 0) {
            cause = 'wrong kind of value';
            detail = `${op === 14 ? 'APP' : 'TAPP'} of a pair that is not a closure`;
            break exec;
          }
          const target = (combinator ? fst[env]! : second) - labelBase;
          if (target >>> 0 >= codeLength || starts[target] !== 1) {
            cause = 'label out of range';
            detail = `function label ${target + labelBase} is not an instruction`;
            break exec;
          }
          if (combinator) {
            env = stackWords[sp - 1]!;
            envKind = stackKinds[sp - 1]!;
          } else {
            records[rec + CTX_ENV] = env;
            records[rec + CTX_ENV_KIND] = envKind;
            records[rec + CTX_SP] = sp;
            const cell = mem.allocate();
            if (cell < 0) {
              cause = 'heap exhausted';
              break exec;
            }
            fst[cell] = fst[env]!;
            snd[cell] = stackWords[sp - 1]!;
            cellFlags[cell] = (flags & FST_POINTER) | ((stackKinds[sp - 1]! & POINTER) << 1);
            env = cell;
            envKind = POINTER;
          }
          if (op === 14) {
            stackWords[sp - 1] = pc + 1;
            stackKinds[sp - 1] = RETURN_ADDRESS;
          } else {
            sp--;
          }
          pc = target;
          continue;
        }
        case 15: {
          // RETURN
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          const target = stackWords[sp - 1]!;
          if (
            stackKinds[sp - 1] !== RETURN_ADDRESS ||
            target >>> 0 >= codeLength ||
            starts[target] !== 1
          ) {
            cause = 'bad return address';
            detail = 'the stack top is not a return address';
            break exec;
          }
          sp--;
          pc = target;
          continue;
        }
        case 16: {
          // CALL L
          if (sp >= limit) {
            cause = 'stack overflow';
            break exec;
          }
          const target = ops[pc + 1]!;
          if (target < 0) {
            cause = 'label out of range';
            break exec;
          }
          stackWords[sp] = pc + 3;
          stackKinds[sp++] = RETURN_ADDRESS;
          pc = target;
          continue;
        }
        case 17: {
          // GOTO L
          const target = ops[pc + 1]!;
          if (target < 0) {
            cause = 'label out of range';
            break exec;
          }
          pc = target;
          continue;
        }
        case 18: {
          // GOTOFALSE L: c := env; env := pop; branch if c is false
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          const taken = (env & 1) === 0;
          const target = ops[pc + 1]!;
          if (taken && target < 0) {
            cause = 'label out of range';
            break exec;
          }
          env = stackWords[--sp]!;
          envKind = stackKinds[sp]!;
          pc = taken ? target : pc + 3;
          continue;
        }
        case 19: // SWITCH
        case 54: {
          // SWITCHI
          if (envKind !== POINTER || (cellFlags[env]! & FST_POINTER) !== 0) {
            cause = 'wrong kind of value';
            detail = `${op === 19 ? 'SWITCH' : 'SWITCHI'} on a value that is not a constructor`;
            break exec;
          }
          const tag = fst[env]!;
          const arms = ops[pc + 1]!;
          let target = -2;
          for (let at = pc + 2, end = pc + 2 + 2 * arms; at < end; at += 2) {
            const armTag = ops[at]!;
            if (armTag === tag || armTag === WILDCARD) {
              target = ops[at + 1]!;
              break;
            }
          }
          if (target === -2) {
            cause = 'match failure';
            detail = `no arm for constructor tag ${tag}`;
            break exec;
          }
          if (target < 0) {
            cause = 'label out of range';
            break exec;
          }
          if (op === 54) {
            envKind = (cellFlags[env]! & SND_POINTER) >> 1;
            env = snd[env]!;
            pc = target;
            continue;
          }
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          records[rec + CTX_ENV] = env;
          records[rec + CTX_ENV_KIND] = envKind;
          records[rec + CTX_SP] = sp;
          const cell = mem.allocate();
          if (cell < 0) {
            cause = 'heap exhausted';
            break exec;
          }
          sp--;
          fst[cell] = stackWords[sp]!;
          snd[cell] = snd[env]!;
          cellFlags[cell] = (stackKinds[sp]! & POINTER) | (cellFlags[env]! & SND_POINTER);
          env = cell;
          envKind = POINTER;
          pc = target;
          continue;
        }
        case 20: // ABS
          env = env < 0 ? -env | 0 : env;
          envKind = 0;
          pc += 1;
          continue;
        case 21: // NEG
          env = -env | 0;
          envKind = 0;
          pc += 1;
          continue;
        case 22: // NOT
          env ^= 1;
          envKind = 0;
          pc += 1;
          continue;
        case 23: // DEC
          env = (env - 1) | 0;
          envKind = 0;
          pc += 1;
          continue;
        case 63: // NOTI
          env = ~env;
          envKind = 0;
          pc += 1;
          continue;
        case 67: // ITOF
          env = floatToBits(env);
          envKind = 0;
          pc += 1;
          continue;
        case 68: // FTOI
          env = floatToIntSaturating(bitsToFloat(env));
          envKind = 0;
          pc += 1;
          continue;
        case 75: // NEGF
          env = floatToBits(-bitsToFloat(env));
          envKind = 0;
          pc += 1;
          continue;
        case 24: // ADDI
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          env = (stackWords[--sp]! + env) | 0;
          envKind = 0;
          pc += 1;
          continue;
        case 26: // MINI
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          env = (stackWords[--sp]! - env) | 0;
          envKind = 0;
          pc += 1;
          continue;
        case 30: // GTI
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          env = stackWords[--sp]! > env ? 1 : 0;
          envKind = 0;
          pc += 1;
          continue;
        case 31: // LTI
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          env = stackWords[--sp]! < env ? 1 : 0;
          envKind = 0;
          pc += 1;
          continue;
        case 32: // EQI
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          env = stackWords[--sp]! === env ? 1 : 0;
          envKind = 0;
          pc += 1;
          continue;
        case 25: // MULI
        case 27: // ADDF
        case 28: // MULF
        case 29: // MINF
        case 33: // GEI
        case 34: // LEI
        case 35: // ADDUI
        case 36: // MULUI
        case 37: // MINUI
        case 38: // GTUI
        case 39: // LTUI
        case 40: // EQUI
        case 41: // GEUI
        case 42: // LEUI
        case 43: // GTF
        case 44: // LTF
        case 45: // EQF
        case 46: // GEF
        case 47: // LEF
        case 48: // EQB
        case 58: // DIVI
        case 59: // MODI
        case 60: // ANDI
        case 61: // ORI
        case 62: // XORI
        case 64: // SHLI
        case 65: // SHRI
        case 66: // SHRUI
        case 69: // DIVF
        case 70: // FGT
        case 71: // FLT
        case 72: // FEQ
        case 73: // FGE
        case 74: {
          // FLE
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          if ((op === 58 || op === 59) && env === 0) {
            cause = 'division by zero';
            break exec;
          }
          env = binary(op, stackWords[--sp]!, env);
          envKind = 0;
          pc += 1;
          continue;
        }
        case 78: // ADDIK k
          env = (env + ops[pc + 1]!) | 0;
          envKind = 0;
          pc += 3;
          continue;
        case 79: // MINIK k
          env = (env - ops[pc + 1]!) | 0;
          envKind = 0;
          pc += 3;
          continue;
        case 82: // LTIK k
          env = env < ops[pc + 1]! ? 1 : 0;
          envKind = 0;
          pc += 3;
          continue;
        case 80: // MULIK k
        case 81: // GTIK k
        case 83: // EQIK k
        case 84: // GEIK k
        case 85: // LEIK k
          env = binary(BASE_OF_CONSTANT_OP[op]!, env, ops[pc + 1]!);
          envKind = 0;
          pc += 3;
          continue;
        case 49: // MOVE
          if (sp >= limit) {
            cause = 'stack overflow';
            break exec;
          }
          stackWords[sp] = env;
          stackKinds[sp++] = envKind;
          env = 0;
          envKind = 0;
          pc += 1;
          continue;
        case 50: // POP
          if (sp === base) {
            cause = 'stack underflow';
            break exec;
          }
          env = stackWords[--sp]!;
          envKind = stackKinds[sp]!;
          pc += 1;
          continue;
        case 53: {
          // GOTOIFALSE L
          if ((env & 1) === 0) {
            const target = ops[pc + 1]!;
            if (target < 0) {
              cause = 'label out of range';
              break exec;
            }
            pc = target;
          } else {
            pc += 3;
          }
          continue;
        }
        case 55: // CALLRTS n
          reason = 'rts';
          rtsCall = ops[pc + 1]!;
          pc += 2;
          break exec;
        case 76: {
          // FAIL n
          const n = ops[pc + 1]!;
          cause = n === 0 ? 'match failure' : 'program failure';
          detail = n === 0 ? 'no pattern matched' : `FAIL ${n}`;
          break exec;
        }
        // Superinstructions (superinstructions.ts), numbered from SUPERINSTRUCTION_BASE. Each
        // checks every fault condition of its instructions first and, when one holds, `break`s
        // to the end of the switch without having changed anything. `executed` was counted
        // once at dispatch; a handler adds its other instructions.
        case 258: {
          // PUSH; LTIK k; GOTOFALSE L — the pushed env is popped again by GOTOFALSE
          const target = ops[pc + 5]!;
          if (sp >= limit || target < 0) break;
          stackWords[sp] = env;
          stackKinds[sp] = envKind;
          executed += 2;
          pc = env < ops[pc + 2]! ? pc + 7 : target;
          continue;
        }
        case 259: {
          // PUSH; MINIK k; CALL L
          const target = ops[pc + 5]!;
          if (sp + 1 >= limit || target < 0) break;
          stackWords[sp] = env;
          stackKinds[sp++] = envKind;
          env = (env - ops[pc + 2]!) | 0;
          envKind = 0;
          stackWords[sp] = pc + 7;
          stackKinds[sp++] = RETURN_ADDRESS;
          executed += 2;
          pc = target;
          continue;
        }
        case 260: {
          // SWAP; MINIK k; CALL L
          const target = ops[pc + 5]!;
          if (sp === base || sp >= limit || target < 0) break;
          const word = stackWords[sp - 1]!;
          stackWords[sp - 1] = env;
          stackKinds[sp - 1] = envKind;
          env = (word - ops[pc + 2]!) | 0;
          envKind = 0;
          stackWords[sp] = pc + 7;
          stackKinds[sp++] = RETURN_ADDRESS;
          executed += 2;
          pc = target;
          continue;
        }
        case 261: // PUSH; PUSH; ACC n
        case 265: {
          // PUSH; ACC n
          const twice = op === 261;
          if (sp + (twice ? 1 : 0) >= limit) break;
          let word = env;
          let kind = envKind;
          for (let n = ops[pc + (twice ? 3 : 2)]!; n > 0 && kind === POINTER; n--) {
            kind = cellFlags[word]! & FST_POINTER;
            word = fst[word]!;
          }
          if (kind !== POINTER) break;
          stackWords[sp] = env;
          stackKinds[sp++] = envKind;
          if (twice) {
            stackWords[sp] = env;
            stackKinds[sp++] = envKind;
          }
          envKind = (cellFlags[word]! & SND_POINTER) >> 1;
          env = snd[word]!;
          executed += twice ? 2 : 1;
          pc += twice ? 4 : 3;
          continue;
        }
        case 262: {
          // SWAP; FST; FST
          if (sp === base) break;
          const word = stackWords[sp - 1]!;
          if (stackKinds[sp - 1] !== POINTER || (cellFlags[word]! & FST_POINTER) === 0) break;
          const inner = fst[word]!;
          stackWords[sp - 1] = env;
          stackKinds[sp - 1] = envKind;
          envKind = cellFlags[inner]! & FST_POINTER;
          env = fst[inner]!;
          executed += 2;
          pc += 3;
          continue;
        }
        case 263: {
          // SND; FST; SWAP
          if (envKind !== POINTER || (cellFlags[env]! & SND_POINTER) === 0 || sp === base) break;
          const inner = snd[env]!;
          env = stackWords[sp - 1]!;
          envKind = stackKinds[sp - 1]!;
          stackWords[sp - 1] = fst[inner]!;
          stackKinds[sp - 1] = cellFlags[inner]! & FST_POINTER;
          executed += 2;
          pc += 3;
          continue;
        }
        case 264: // PUSH; PUSH
          if (sp + 1 >= limit) break;
          stackWords[sp] = env;
          stackKinds[sp++] = envKind;
          stackWords[sp] = env;
          stackKinds[sp++] = envKind;
          executed += 1;
          pc += 2;
          continue;
        case 266: {
          // SWAP; ACC n
          if (sp === base) break;
          let word = stackWords[sp - 1]!;
          let kind = stackKinds[sp - 1]!;
          for (let n = ops[pc + 2]!; n > 0 && kind === POINTER; n--) {
            kind = cellFlags[word]! & FST_POINTER;
            word = fst[word]!;
          }
          if (kind !== POINTER) break;
          stackWords[sp - 1] = env;
          stackKinds[sp - 1] = envKind;
          envKind = (cellFlags[word]! & SND_POINTER) >> 1;
          env = snd[word]!;
          executed += 1;
          pc += 3;
          continue;
        }
        case 267: {
          // SWAP; SND
          if (sp === base || stackKinds[sp - 1] !== POINTER) break;
          const word = stackWords[sp - 1]!;
          stackWords[sp - 1] = env;
          stackKinds[sp - 1] = envKind;
          envKind = (cellFlags[word]! & SND_POINTER) >> 1;
          env = snd[word]!;
          executed += 1;
          pc += 2;
          continue;
        }
        case 268: {
          // REST n; FST (REST n, n > 0, faults unless it ends on a pair: FST needs one anyway)
          let word = env;
          let kind = envKind;
          for (let n = ops[pc + 1]!; n > 0 && kind === POINTER; n--) {
            kind = cellFlags[word]! & FST_POINTER;
            word = fst[word]!;
          }
          if (kind !== POINTER) break;
          envKind = cellFlags[word]! & FST_POINTER;
          env = fst[word]!;
          executed += 1;
          pc += 3;
          continue;
        }
        case 269: {
          // ADDI; RETURN
          if (sp - base < 2) break;
          const target = stackWords[sp - 2]!;
          if (
            stackKinds[sp - 2] !== RETURN_ADDRESS ||
            target >>> 0 >= codeLength ||
            starts[target] !== 1
          )
            break;
          env = (stackWords[sp - 1]! + env) | 0;
          envKind = 0;
          sp -= 2;
          executed += 1;
          pc = target;
          continue;
        }
        case 270: // CONS; GOTO L
        case 271: {
          // CONS; CALL L (the CONS pops one, so CALL's push cannot overflow)
          const target = ops[pc + 2]!;
          if (sp === base || target < 0) break;
          records[rec + CTX_ENV] = env;
          records[rec + CTX_ENV_KIND] = envKind;
          records[rec + CTX_SP] = sp;
          const cell = mem.allocate();
          if (cell < 0) {
            // The CONS faults: counted once at dispatch, as it should; but the GOTO/CALL's cycles
            // were charged too and it never ran.
            if (costs !== undefined) cycles -= costs[ops[pc + 1]!]!;
            cause = 'heap exhausted';
            break exec;
          }
          sp--;
          fst[cell] = stackWords[sp]!;
          snd[cell] = env;
          cellFlags[cell] = (stackKinds[sp]! & POINTER) | ((envKind & POINTER) << 1);
          env = cell;
          envKind = POINTER;
          if (op === 271) {
            stackWords[sp] = pc + 4;
            stackKinds[sp++] = RETURN_ADDRESS;
          }
          executed += 1;
          pc = target;
          continue;
        }
        case 272: // LTI; GOTOFALSE L
        case 273: // EQI; GOTOFALSE L
        case 274: {
          // GTI; GOTOFALSE L — compare with the popped word, then branch and pop again
          const target = ops[pc + 2]!;
          if (sp - base < 2 || target < 0) break;
          const word = stackWords[sp - 1]!;
          const holds = op === 272 ? word < env : op === 273 ? word === env : word > env;
          env = stackWords[sp - 2]!;
          envKind = stackKinds[sp - 2]!;
          sp -= 2;
          executed += 1;
          pc = holds ? pc + 4 : target;
          continue;
        }
        case 275: // PUSH; SND
        case 276: {
          // PUSH; FST
          if (sp >= limit || envKind !== POINTER) break;
          stackWords[sp] = env;
          stackKinds[sp++] = envKind;
          if (op === 275) {
            envKind = (cellFlags[env]! & SND_POINTER) >> 1;
            env = snd[env]!;
          } else {
            envKind = cellFlags[env]! & FST_POINTER;
            env = fst[env]!;
          }
          executed += 1;
          pc += 2;
          continue;
        }
        case 277: {
          // SND; RETURN
          if (envKind !== POINTER || sp === base) break;
          const target = stackWords[sp - 1]!;
          if (
            stackKinds[sp - 1] !== RETURN_ADDRESS ||
            target >>> 0 >= codeLength ||
            starts[target] !== 1
          )
            break;
          envKind = (cellFlags[env]! & SND_POINTER) >> 1;
          env = snd[env]!;
          sp--;
          executed += 1;
          pc = target;
          continue;
        }
        case OP_END:
          cause = 'invalid instruction';
          detail = 'execution ran past the end of the code';
          break exec;
        case OP_INVALID:
        default:
          cause = 'invalid instruction';
          detail = 'the bytes at pc are not a valid instruction';
          break exec;
      }
      // Only a superinstruction that met a fault condition gets here: undo its dispatch and run
      // its first instruction on the plain path (which restores fastLimit).
      executed--;
      if (costs !== undefined) cycles -= costs[op]!;
      fastLimit = -1;
    }

    // A fault leaves pc on the faulting instruction.
    records[rec + CTX_PC] = pc;
    records[rec + CTX_ENV] = env;
    records[rec + CTX_ENV_KIND] = envKind;
    records[rec + CTX_SP] = sp;
    if (cycleMeter !== undefined) cycleMeter.total += cycles;
    return this.leave(context, reason, executed, rtsCall, pc, cause, detail);
  }

  /**
   * The end of a slice, kept out of the run loop: code that runs once per slice inside the
   * loop's function makes V8 deoptimise the optimised loop when it first gets there.
   */
  private leave(
    context: number,
    reason: StopReason,
    executed: number,
    rtsCall: number,
    pc: number,
    cause: FaultCause,
    detail: string | undefined,
  ): RunResult {
    const rec = context * CONTEXT_RECORD_WORDS;
    if (reason === 'stop') this.memory.contexts[rec + CTX_STATE] = CONTEXT_STOPPED;
    if (reason === 'fault') {
      this.memory.contexts[rec + CTX_STATE] = CONTEXT_FAULTED;
      const fault = makeFault(this.program, this.containerName, context, pc, cause, detail);
      return { reason, executed, rtsCall, fault };
    }
    return { reason, executed, rtsCall };
  }

  private instrument(
    context: number,
    pc: number,
    op: number,
    env: number,
    envKind: number,
    depth: number,
  ): void {
    const counts = this.hooks.opcodeCounts;
    if (counts && op < counts.length) counts[op] = counts[op]! + 1;
    const trace = this.hooks.trace;
    if (trace) {
      const row = INSTRUCTIONS[op];
      const operand = row && row.operands.length > 0 ? ` ${this.decoded.ops[pc + 1]}` : '';
      const top =
        depth > 0
          ? describeWord(
              this.memory.stackWords[this.memory.stackBase(context) + depth - 1]!,
              this.memory.stackKinds[this.memory.stackBase(context) + depth - 1]!,
            )
          : '-';
      trace(
        `ctx ${context} pc ${pc} ${row?.mnemonic ?? '?'}${operand} | env ${describeWord(env, envKind)} sp ${depth} top ${top}`,
      );
    }
  }
}

/** A word as the trace shows it: `42`, `#17` (cell 17), `@30` (return address 30). */
export function describeWord(word: number, kind: number): string {
  if (kind === POINTER) return `#${word}`;
  if (kind === RETURN_ADDRESS) return `@${word}`;
  return String(word);
}
