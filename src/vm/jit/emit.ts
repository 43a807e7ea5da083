/**
 * JavaScript source generation for the compiled tier: one function per group of blocks
 * (blocks.ts), each a `for (;;) switch (block)` whose cases are the CAM blocks in pc order.
 *
 * Register conventions inside a generated function (locals, so V8 keeps them in machine
 * registers): E = env word, K = env kind, S = absolute stack pointer; t, u, c, r are scratch.
 * They are written back to the context record before every allocation (the collector reads its
 * roots there), before every call or transfer to another function, and at every exit.
 *
 * Exactness: a block is charged its whole instruction count on entry and checks, once, that the
 * budget and the stack bounds allow all of it. Anything unusual — budget too small for the block,
 * a stack bound, a value of the wrong kind, a bad label, a failed match, STOP, FAIL, an invalid
 * instruction — leaves through `X` ("deoptimise"), which refunds the instructions not executed and
 * asks the dispatcher to let the interpreter run from that exact pc. The interpreter is the
 * oracle, so faults, their pc and detail, and instruction counts are the interpreter's by
 * construction. Heap exhaustion leaves through `H` instead, because re-running the allocation
 * would collect a second time.
 */
import { Op } from '../../isa/opcodes.js';
import type { DecodedProgram } from '../decode.js';
import { OP_END, OP_INVALID } from '../decode.js';
import { CTX_ENV, CTX_ENV_KIND, CTX_PC, CTX_SP, POINTER, RETURN_ADDRESS } from '../memory.js';
import type { Block, ControlFlow } from './blocks.js';

/** Exit reasons written to io[0] by generated code. */
export const EXIT_DEOPT = 1;
export const EXIT_HEAP = 2;
export const EXIT_RTS = 3;

/**
 * Deepest chain of nested JavaScript calls between generated functions. Deeper CAM recursion
 * unwinds to the dispatcher (all state is in container memory) and continues from there, so the
 * host stack stays small whatever the CAM stack size.
 */
export const MAX_NATIVE_DEPTH = 200;

const WILDCARD = 0xffff;
const FLOAT_ONE_BITS = 0x3f800000;

/** Expression for a binary instruction; `t` holds the popped stack word, `E` the env word. */
const BINARY: Readonly<Record<number, string>> = {
  24: '(t + E) | 0',
  35: '(t + E) | 0',
  25: 'Math.imul(t, E)',
  36: 'Math.imul(t, E)',
  26: '(t - E) | 0',
  37: '(t - E) | 0',
  27: 'B(F(t) + F(E))',
  28: 'B(F(t) * F(E))',
  29: 'B(F(t) - F(E))',
  30: 't > E ? 1 : 0',
  31: 't < E ? 1 : 0',
  32: 't === E ? 1 : 0',
  40: 't === E ? 1 : 0',
  48: 't === E ? 1 : 0',
  33: 't >= E ? 1 : 0',
  34: 't <= E ? 1 : 0',
  38: 't >>> 0 > E >>> 0 ? 1 : 0',
  39: 't >>> 0 < E >>> 0 ? 1 : 0',
  41: 't >>> 0 >= E >>> 0 ? 1 : 0',
  42: 't >>> 0 <= E >>> 0 ? 1 : 0',
  43: `F(t) > F(E) ? ${FLOAT_ONE_BITS} : 0`,
  44: `F(t) < F(E) ? ${FLOAT_ONE_BITS} : 0`,
  45: `F(t) === F(E) ? ${FLOAT_ONE_BITS} : 0`,
  46: `F(t) >= F(E) ? ${FLOAT_ONE_BITS} : 0`,
  47: `F(t) <= F(E) ? ${FLOAT_ONE_BITS} : 0`,
  58: '(t / E) | 0',
  59: '(t % E) | 0',
  60: 't & E',
  61: 't | E',
  62: 't ^ E',
  64: 't << E',
  65: 't >> E',
  66: '(t >>> E) | 0',
  69: 'B(F(t) / F(E))',
  70: 'F(t) > F(E) ? 1 : 0',
  71: 'F(t) < F(E) ? 1 : 0',
  72: 'F(t) === F(E) ? 1 : 0',
  73: 'F(t) >= F(E) ? 1 : 0',
  74: 'F(t) <= F(E) ? 1 : 0',
};

/** Expression for an instruction that only transforms env. */
const UNARY: Readonly<Record<number, string>> = {
  20: 'E < 0 ? -E | 0 : E',
  21: '-E | 0',
  22: 'E ^ 1',
  23: '(E - 1) | 0',
  63: '~E',
  67: 'B(E)',
  68: 'FI(F(E))',
  75: 'B(-F(E))',
};

/** Stack slots an instruction needs below the current top, and how it moves sp. */
function stackEffect(op: number): { reads: number; delta: number } {
  if (BINARY[op] !== undefined) return { reads: 1, delta: -1 };
  switch (op) {
    case Op.PUSH:
    case Op.MOVE:
    case Op.CALL:
      return { reads: 0, delta: 1 };
    case Op.SWAP:
    case Op.APP:
      return { reads: 1, delta: 0 };
    case Op.CONS:
    case Op.SNOC:
    case Op.POP:
    case Op.RETURN:
    case Op.GOTOFALSE:
    case Op.SWITCH:
    case Op.TAPP:
      return { reads: 1, delta: -1 };
    default:
      return { reads: 0, delta: 0 };
  }
}

const SAVE = `rc[rec + ${CTX_ENV}] = E; rc[rec + ${CTX_ENV_KIND}] = K; rc[rec + ${CTX_SP}] = S;`;
const LOAD = `E = rc[rec + ${CTX_ENV}]; K = rc[rec + ${CTX_ENV_KIND}]; S = rc[rec + ${CTX_SP}];`;

export interface GeneratedModule {
  /** Body of `new Function('rt', body)`. */
  readonly source: string;
  /** Group (function) index of the block starting at each pc, -1 elsewhere; length code + 1. */
  readonly fnOf: Int32Array;
  /** Index of that block inside its group. */
  readonly blkOf: Int32Array;
}

export function generateModule(decoded: DecodedProgram, flow: ControlFlow): GeneratedModule {
  const fnOf = new Int32Array(decoded.codeLength + 1).fill(-1);
  const blkOf = new Int32Array(decoded.codeLength + 1).fill(-1);
  for (const b of flow.blocks) {
    fnOf[b.start] = b.group;
    blkOf[b.start] = b.index;
  }
  const out: string[] = [
    "'use strict';",
    'const fst = rt.fst, snd = rt.snd, cf = rt.cellFlags, sw = rt.stackWords, sk = rt.stackKinds;',
    'const rc = rt.records, mem = rt.memory, starts = rt.starts, io = rt.io;',
    'const fnOf = rt.fnOf, blkOf = rt.blkOf, F = rt.bitsToFloat, B = rt.floatToBits;',
    'const FI = rt.floatToIntSaturating;',
    'let rec = 0, base = 0, limit = 0, left = 0, depth = 0;',
    // Deoptimise: refund what did not run, save registers, ask for `count` interpreted steps.
    'function X(pc, refund, count, E, K, S) {',
    `  left += refund; ${SAVE} rc[rec + ${CTX_PC}] = pc;`,
    `  io[0] = ${EXIT_DEOPT}; io[1] = pc; io[2] = count; return -1;`,
    '}',
    'function H(pc, refund, E, K, S) {',
    `  left += refund; ${SAVE} rc[rec + ${CTX_PC}] = pc;`,
    `  io[0] = ${EXIT_HEAP}; io[1] = pc; return -1;`,
    '}',
  ];
  flow.groups.forEach((group, g) => out.push(...new GroupEmitter(decoded, flow, g, group).emit()));
  out.push(`const fns = [${flow.groups.map((_, g) => `g${g}`).join(', ')}];`);
  out.push(
    'return {',
    '  fns,',
    '  enter(r, b, l, budget) { rec = r; base = b; limit = l; left = budget; depth = 0; },',
    '  left() { return left; },',
    '  setLeft(v) { left = v; },',
    '};',
  );
  return { source: out.join('\n'), fnOf, blkOf };
}

class GroupEmitter {
  private readonly lines: string[] = [];

  constructor(
    private readonly decoded: DecodedProgram,
    private readonly flow: ControlFlow,
    private readonly groupIndex: number,
    private readonly blocks: readonly Block[],
  ) {}

  emit(): string[] {
    const L = this.lines;
    L.push(`function g${this.groupIndex}(b) {`);
    L.push(
      `  let E = rc[rec + ${CTX_ENV}], K = rc[rec + ${CTX_ENV_KIND}], S = rc[rec + ${CTX_SP}];`,
    );
    L.push('  let t = 0, u = 0, c = 0, r = 0;');
    L.push('  for (;;) {');
    L.push('    switch (b) {');
    for (const block of this.blocks) this.block(block);
    L.push(`      default: return X(${this.blocks[0]!.start}, 0, 1, E, K, S);`);
    L.push('    }');
    L.push('  }');
    L.push('}');
    return L;
  }

  private line(text: string): void {
    this.lines.push('        ' + text);
  }

  private block(block: Block): void {
    const ops = this.decoded.ops;
    const n = block.pcs.length;
    this.lines.push(`      case ${block.index}: // pc ${block.start}`);
    // Budget and stack bounds for the whole block, checked once.
    let delta = 0;
    let up = 0;
    let down = 0;
    for (const pc of block.pcs) {
      const e = stackEffect(ops[pc]!);
      down = Math.max(down, e.reads - delta);
      delta += e.delta;
      up = Math.max(up, delta);
    }
    this.line(`if ((left -= ${n}) < 0) return X(${block.start}, ${n}, ${n}, E, K, S);`);
    const bounds: string[] = [];
    if (up > 0) bounds.push(`S + ${up} > limit`);
    if (down > 0) bounds.push(`S - ${down} < base`);
    if (bounds.length > 0)
      this.line(`if (${bounds.join(' || ')}) return X(${block.start}, ${n}, ${n}, E, K, S);`);
    block.pcs.forEach((pc, j) => this.instruction(block, pc, n - j));
    const lastPc = block.pcs[n - 1]!;
    const lastOp = ops[lastPc]!;
    if (!fallsThrough(lastOp)) return;
    // Plain fall-through into the next leader (or off the end of the code).
    const next = nextPc(this.decoded, lastPc);
    this.jump(next, true, block);
  }

  /** Deoptimise at pc with `pending` instructions (this one included) not yet executed. */
  private deopt(pc: number, pending: number): string {
    return `return X(${pc}, ${pending}, ${pending}, E, K, S);`;
  }

  private alloc(pc: number, pending: number): void {
    this.line(SAVE);
    this.line(`c = mem.allocate(); if (c < 0) return H(${pc}, ${pending - 1}, E, K, S);`);
  }

  /** Code that continues at `target`; fall-through is allowed only at the very end of a block. */
  private jump(target: number, atBlockEnd: boolean, from: Block): void {
    const dest = this.flow.blockAt.get(target);
    if (!dest) {
      // Not a leader (or the end of the code): let the dispatcher sort it out.
      this.line(`${SAVE} return ${target};`);
      return;
    }
    if (dest.group === this.groupIndex) {
      if (atBlockEnd && dest.index === from.index + 1) return;
      this.line(`b = ${dest.index}; continue;`);
      return;
    }
    this.line(SAVE);
    this.line(
      `if (depth >= ${MAX_NATIVE_DEPTH}) return ${target}; depth++; r = g${dest.group}(${dest.index}); depth--; return r;`,
    );
  }

  /** A call of a known block: the return address is already pushed. */
  private call(target: number, cont: number, from: Block): void {
    const dest = this.flow.blockAt.get(target);
    this.line(SAVE);
    if (!dest) {
      this.line(`return ${target};`);
      return;
    }
    this.line(
      `if (depth >= ${MAX_NATIVE_DEPTH}) return ${target}; depth++; r = g${dest.group}(${dest.index}); depth--;`,
    );
    this.line(`if (r !== ${cont}) return r;`);
    this.line(LOAD);
    this.jump(cont, true, from);
  }

  private instruction(block: Block, pc: number, pending: number): void {
    const ops = this.decoded.ops;
    const op = ops[pc]!;
    const operand = ops[pc + 1]!;
    const binary = BINARY[op];
    if (binary !== undefined) {
      if (op === Op.DIVI || op === Op.MODI) this.line(`if (E === 0) ${this.deopt(pc, pending)}`);
      this.line(`t = sw[--S]; E = ${binary}; K = 0;`);
      return;
    }
    const unary = UNARY[op];
    if (unary !== undefined) {
      this.line(`E = ${unary}; K = 0;`);
      return;
    }
    const notPair = `if (K !== ${POINTER}) ${this.deopt(pc, pending)}`;
    switch (op) {
      case Op.FST:
        this.line(notPair);
        this.line('K = cf[E] & 1; E = fst[E];');
        return;
      case Op.SND:
        this.line(notPair);
        this.line('K = (cf[E] & 2) >> 1; E = snd[E];');
        return;
      case Op.ACC:
      case Op.REST: {
        // Walk on copies so that a deoptimisation sees env as it was before the instruction.
        if (operand === 0 && op === Op.REST) return;
        this.line('t = E; u = K;');
        for (let i = 0; i < operand; i++)
          this.line(`if (u !== ${POINTER}) ${this.deopt(pc, pending)} u = cf[t] & 1; t = fst[t];`);
        if (op === Op.ACC)
          this.line(
            `if (u !== ${POINTER}) ${this.deopt(pc, pending)} u = (cf[t] & 2) >> 1; t = snd[t];`,
          );
        this.line('E = t; K = u;');
        return;
      }
      case Op.PUSH:
        this.line('sw[S] = E; sk[S++] = K;');
        return;
      case Op.MOVE:
        this.line('sw[S] = E; sk[S++] = K; E = 0; K = 0;');
        return;
      case Op.POP:
        this.line('E = sw[--S]; K = sk[S];');
        return;
      case Op.SWAP:
        this.line('t = sw[S - 1]; u = sk[S - 1]; sw[S - 1] = E; sk[S - 1] = K; E = t; K = u;');
        return;
      case Op.LOADI:
      case Op.LOADF:
      case Op.LOADS:
      case Op.LOADB:
        this.line(`E = ${operand}; K = 0;`);
        return;
      case Op.CLEAR:
        this.line('E = 0; K = 0;');
        return;
      case Op.SKIP:
        return;
      case Op.CONS:
        this.alloc(pc, pending);
        this.line('S--; fst[c] = sw[S]; snd[c] = E; cf[c] = (sk[S] & 1) | ((K & 1) << 1);');
        this.line('E = c; K = 1;');
        return;
      case Op.SNOC:
        this.alloc(pc, pending);
        this.line('S--; fst[c] = E; snd[c] = sw[S]; cf[c] = (K & 1) | ((sk[S] & 1) << 1);');
        this.line('E = c; K = 1;');
        return;
      case Op.CUR:
        this.alloc(pc, pending);
        this.line(`fst[c] = E; snd[c] = ${operand}; cf[c] = K & 1; E = c; K = 1;`);
        return;
      case Op.PACK:
        this.alloc(pc, pending);
        this.line(`fst[c] = ${operand}; snd[c] = E; cf[c] = (K & 1) << 1; E = c; K = 1;`);
        return;
      case Op.COMB:
        this.alloc(pc, pending);
        this.line(`fst[c] = ${operand}; snd[c] = -1; cf[c] = 0; E = c; K = 1;`);
        return;
      case Op.APP:
      case Op.TAPP:
        this.application(block, pc, pending, op === Op.APP);
        return;
      case Op.RETURN:
        this.line('t = sw[S - 1];');
        this.line(
          `if (sk[S - 1] !== ${RETURN_ADDRESS} || t >>> 0 >= ${this.decoded.codeLength} || starts[t] !== 1) ${this.deopt(pc, pending)}`,
        );
        this.line(`S--; ${SAVE} return t;`);
        return;
      case Op.CALL:
        if (operand < 0) {
          this.line(this.deopt(pc, pending));
          return;
        }
        this.line(`sw[S] = ${pc + 3}; sk[S++] = ${RETURN_ADDRESS};`);
        this.call(operand, pc + 3, block);
        return;
      case Op.GOTO:
        if (operand < 0) this.line(this.deopt(pc, pending));
        else this.jump(operand, true, block);
        return;
      case Op.GOTOFALSE:
      case Op.GOTOIFALSE: {
        const pop = op === Op.GOTOFALSE ? ' E = sw[--S]; K = sk[S];' : '';
        this.line('if ((E & 1) === 0) {');
        if (operand < 0) this.line(this.deopt(pc, pending));
        else {
          if (pop) this.line(pop.trim());
          this.jump(operand, false, block);
        }
        this.line('}');
        if (pop) this.line(pop.trim());
        this.jump(pc + 3, true, block);
        return;
      }
      case Op.SWITCH:
      case Op.SWITCHI:
        this.switchOn(block, pc, pending, op === Op.SWITCH);
        return;
      case Op.CALLRTS:
        this.line(`${SAVE} rc[rec + ${CTX_PC}] = ${pc + 2};`);
        this.line(`io[0] = ${EXIT_RTS}; io[1] = ${operand}; return -1;`);
        return;
      case Op.STOP:
      case Op.FAIL:
      case OP_INVALID:
      case OP_END:
      default:
        this.line(this.deopt(pc, pending));
        return;
    }
  }

  private application(block: Block, pc: number, pending: number, pushes: boolean): void {
    const deopt = this.deopt(pc, pending);
    const length = this.decoded.codeLength;
    const labelBase = this.decoded.labelBase;
    this.line(`if (K !== ${POINTER}) ${deopt}`);
    this.line('t = cf[E]; u = snd[E];');
    this.line('if (u === -1 && (t & 2) === 0) {');
    this.line(`  if ((t & 1) !== 0) ${deopt}`);
    this.line(`  u = fst[E] - ${labelBase};`);
    this.line(`  if (u >>> 0 >= ${length} || starts[u] !== 1) ${deopt}`);
    this.line('  E = sw[S - 1]; K = sk[S - 1];');
    this.line('} else {');
    this.line(`  if ((t & 2) !== 0) ${deopt}`);
    this.line(`  u = u - ${labelBase};`);
    this.line(`  if (u >>> 0 >= ${length} || starts[u] !== 1) ${deopt}`);
    this.line(`  ${SAVE}`);
    this.line(`  c = mem.allocate(); if (c < 0) return H(${pc}, ${pending - 1}, E, K, S);`);
    this.line('  fst[c] = fst[E]; snd[c] = sw[S - 1]; cf[c] = (t & 1) | ((sk[S - 1] & 1) << 1);');
    this.line('  E = c; K = 1;');
    this.line('}');
    if (pushes) {
      const cont = pc + 1;
      this.line(`sw[S - 1] = ${cont}; sk[S - 1] = ${RETURN_ADDRESS}; ${SAVE}`);
      this.line(`c = fnOf[u]; if (c < 0 || depth >= ${MAX_NATIVE_DEPTH}) return u;`);
      this.line('depth++; r = fns[c](blkOf[u]); depth--;');
      this.line(`if (r !== ${cont}) return r;`);
      this.line(LOAD);
      this.jump(cont, true, block);
    } else {
      this.line(`S--; c = fnOf[u];`);
      this.line(`if (c === ${this.groupIndex}) { b = blkOf[u]; continue; }`);
      this.line(`${SAVE} if (c < 0 || depth >= ${MAX_NATIVE_DEPTH}) return u;`);
      this.line('depth++; r = fns[c](blkOf[u]); depth--; return r;');
    }
  }

  private switchOn(block: Block, pc: number, pending: number, keepsEnv: boolean): void {
    const ops = this.decoded.ops;
    const deopt = this.deopt(pc, pending);
    this.line(`if (K !== ${POINTER} || (cf[E] & 1) !== 0) ${deopt}`);
    this.line('switch (fst[E]) {');
    const seen = new Set<number>();
    let wildcard = false;
    const arms = ops[pc + 1]!;
    for (let a = 0; a < arms && !wildcard; a++) {
      const tag = ops[pc + 2 + 2 * a]!;
      const target = ops[pc + 3 + 2 * a]!;
      if (tag === WILDCARD) {
        wildcard = true;
        this.line('default:');
      } else {
        if (seen.has(tag)) continue;
        seen.add(tag);
        this.line(`case ${tag}:`);
      }
      if (target < 0) {
        this.line(deopt);
        continue;
      }
      if (keepsEnv) {
        this.alloc(pc, pending);
        this.line('S--; fst[c] = sw[S]; snd[c] = snd[E]; cf[c] = (sk[S] & 1) | (cf[E] & 2);');
        this.line('E = c; K = 1;');
      } else {
        this.line('K = (cf[E] & 2) >> 1; E = snd[E];');
      }
      this.jump(target, false, block);
    }
    if (!wildcard) this.line(`default: ${deopt}`);
    this.line('}');
  }
}

function fallsThrough(op: number): boolean {
  switch (op) {
    case Op.GOTO:
    case Op.RETURN:
    case Op.TAPP:
    case Op.SWITCH:
    case Op.SWITCHI:
    case Op.CALLRTS:
    case Op.STOP:
    case Op.FAIL:
    case Op.APP:
    case Op.CALL:
    case Op.GOTOFALSE:
    case Op.GOTOIFALSE:
    case OP_INVALID:
    case OP_END:
      return false;
    default:
      return true;
  }
}

/** pc of the instruction after the one at pc (codeLength after the last one). */
function nextPc(decoded: DecodedProgram, pc: number): number {
  let next = pc + 1;
  while (next < decoded.codeLength && decoded.starts[next] !== 1) next++;
  return next;
}
