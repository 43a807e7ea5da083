/**
 * Code generation for one group of blocks (one JavaScript function): the symbolic state of a
 * block (env and the virtual stack as JavaScript expressions, kinds known at generation time,
 * fields already loaded), the translation of each instruction, and control flow between blocks.
 * emit.ts explains the scheme and assembles the module.
 */
import { CONSTANT_OPERAND_BASE, Op } from '../../isa/opcodes.js';
import type { DecodedProgram } from '../decode.js';
import { OP_END, OP_INVALID } from '../decode.js';
import { ALLOC_RUN_END, ALLOC_SWEEP, CTX_PC, POINTER, RETURN_ADDRESS } from '../memory.js';
import type { Block, ControlFlow } from './blocks.js';
import { BINARY, UNARY, stackEffect } from './translations.js';
import {
  EXIT_PENDING,
  EXIT_RTS,
  FROM_TRANSFER,
  MAX_NATIVE_DEPTH,
  TO_RECORD,
  TO_TRANSFER,
  syncIn,
  syncOut,
} from './protocol.js';

const WILDCARD = 0xffff;

interface Val {
  readonly w: string;
  readonly k: string;
}

const CANONICAL_ENV: Val = { w: 'E', k: 'K' };

/** What the generator knows about the registers at the current point of a block. */
interface BlockState {
  env: Val;
  /** Values above the memory stack, bottom first. */
  vs: Val[];
  /** The memory stack's top relative to S (negative after popping memory values). */
  m: number;
  /** Kind expressions already checked to be POINTER in this stretch (locals are assigned once). */
  pointers: Set<string>;
  /**
   * Fields of cells known in this stretch, by `<cell expression>.f` / `.s`: loaded once, or
   * written by an allocation of the block. Cells never change once filled, and compiled code
   * never collects (see `allocate`), so a field read twice is the same value.
   */
  fields: Map<string, Val>;
  /**
   * Memory stack slots (offset from S) whose values are known: after a call returned, the
   * caller's values below the callee's frame, checked equal to what was stored (`afterCall`).
   */
  known: Map<number, Val>;
  /** Slots believed to hold these values, not checked since the last call (see `afterCall`). */
  stored: Map<number, Val>;
}

const cloneState = (s: BlockState): BlockState => ({
  env: s.env,
  vs: [...s.vs],
  m: s.m,
  pointers: new Set(s.pointers),
  fields: new Map(s.fields),
  known: new Map(s.known),
  stored: new Map(s.stored),
});

const freshState = (): BlockState => ({
  env: CANONICAL_ENV,
  vs: [],
  m: 0,
  pointers: new Set(),
  fields: new Map(),
  known: new Map(),
  stored: new Map(),
});

const literal = (n: number): string => (n < 0 ? `(${n})` : String(n));
const isLiteral = (x: string): boolean => /^\(?-?\d+\)?$/.test(x);
const literalValue = (x: string): number => Number(x.replace(/[()]/g, ''));
/** `S + off` without noise. */
const stackAt = (off: number): string => (off === 0 ? 'S' : off > 0 ? `S + ${off}` : `S - ${-off}`);
/** The pointer bit of a kind expression (folded for literals). */
const pointerBit = (k: string): string =>
  isLiteral(k) ? String(literalValue(k) & POINTER) : `(${k} & 1)`;

export class GroupEmitter {
  private readonly lines: string[] = [];
  private state: BlockState = freshState();
  /** Fresh locals used by the current block, and the most any block of the group used. */
  private fresh = 0;
  private maxFresh = 0;
  /** Deepest virtual stack at a deoptimisation point (scratch registers x0, x1, … needed). */
  private maxSpill = 0;

  /** Deepest virtual stack at an exit of this group (after `emit`). */
  get spillDepth(): number {
    return this.maxSpill;
  }
  /** Set once the current block has unconditionally left (the rest is unreachable). */
  private dead = false;
  private readonly syncOut: string;
  private readonly syncIn: string;
  /** Blocks being continued into (0: emitting a block at its own `case`). */
  private inlineDepth = 0;

  constructor(
    private readonly decoded: DecodedProgram,
    private readonly flow: ControlFlow,
    private readonly groupIndex: number,
    private readonly blocks: readonly Block[],
    /** Set when the code charges cycles (see generateModule). */
    private readonly tailCycles: Int32Array | undefined,
  ) {
    this.syncOut = syncOut(tailCycles !== undefined);
    this.syncIn = syncIn(tailCycles !== undefined);
  }

  emit(): string[] {
    for (const block of this.blocks) this.block(block);
    const locals: string[] = [];
    for (let i = 0; i < this.maxFresh; i++) locals.push(`v${i} = 0`);
    const spills: string[] = [];
    for (let i = 0; i < 2 * this.maxSpill; i++) spills.push(`x${i}`);
    return [
      // E, K, S: the registers; d: nested JavaScript calls below this one (MAX_NATIVE_DEPTH).
      `function g${this.groupIndex}(b, E, K, S, d) {`,
      `  let L = left,${this.tailCycles ? ' C = cyc,' : ''} r = 0, c = 0, t = 0, u = 0;`,
      '  let xpc = 0, xn = 0, xe = 0, xk = 0, xm = 0, xv = 0;',
      ...(locals.length > 0 ? [`  let ${locals.join(', ')};`] : []),
      ...(spills.length > 0 ? [`  let ${spills.map((x) => `${x} = 0`).join(', ')};`] : []),
      '  exit: for (;;) {',
      '    switch (b) {',
      ...this.lines,
      `      default: ${this.syncOut} ${TO_TRANSFER} return ${this.blocks[0]!.start};`,
      '    }',
      '  }',
      // The one way out for everything unusual (see `deopt`): a single call site, so V8 sees it
      // warm after the first slice instead of deoptimising once per block and check.
      `  ${this.syncOut} XP = xpc; XN = xn; XE = xe; XK = xk; XS = S; XM = xm; XV = xv;`,
      ...(spills.length > 0 ? [`  ${spills.map((x) => `X${x.slice(1)} = ${x};`).join(' ')}`] : []),
      `  return ${EXIT_PENDING};`,
      '}',
    ];
  }

  private line(text: string): void {
    this.lines.push('        ' + text);
  }

  private local(): string {
    const name = `v${this.fresh++}`;
    if (this.fresh > this.maxFresh) this.maxFresh = this.fresh;
    return name;
  }

  // ------------------------------------------------------------------ the symbolic state

  private push(value: Val): void {
    this.state.vs.push(value);
  }

  /** The top value, taken off the virtual stack or loaded from memory into fresh locals. */
  private pop(): Val {
    const s = this.state;
    const top = s.vs.pop();
    if (top) return top;
    s.m--;
    const known = s.known.get(s.m);
    if (known) return known;
    const w = this.local();
    const k = this.local();
    this.line(`${w} = sw[${stackAt(s.m)}]; ${k} = sk[${stackAt(s.m)}];`);
    return { w, k };
  }

  /**
   * Leave for the interpreter at pc with `pending` instructions (this one included) not yet
   * executed: a block statement of register moves and `break exit` (no call, no property access,
   * no arithmetic — nothing V8 needs type feedback for, so reaching it for the first time does
   * not deoptimise the function).
   */
  private deopt(pc: number, pending: number): string {
    const s = this.state;
    const moves = [`xpc = ${pc};`, `xn = ${pending};`];
    moves.push(`xe = ${s.env.w};`, `xk = ${s.env.k};`, `xm = ${s.m};`, `xv = ${s.vs.length};`);
    s.vs.forEach((v, i) => moves.push(`x${2 * i} = ${v.w};`, `x${2 * i + 1} = ${v.k};`));
    if (s.vs.length > this.maxSpill) this.maxSpill = s.vs.length;
    return `{ ${moves.join(' ')} break exit; }`;
  }

  /**
   * Makes the state canonical: virtual stack to memory, S adjusted, env in E/K. Code emitted
   * after it sees the new E and K: what must survive is copied first (see `beforeCall`).
   */
  private materialize(): void {
    const s = this.state;
    const stores: string[] = [];
    s.vs.forEach((v, i) =>
      stores.push(`sw[${stackAt(s.m + i)}] = ${v.w}; sk[${stackAt(s.m + i)}] = ${v.k};`),
    );
    if (stores.length > 0) this.line(stores.join(' '));
    const moved = s.m + s.vs.length;
    const assigns: string[] = [];
    if (moved !== 0) assigns.push(moved > 0 ? `S += ${moved};` : `S -= ${-moved};`);
    if (s.env.w !== 'E') assigns.push(`E = ${s.env.w};`);
    if (s.env.k !== 'K') assigns.push(`K = ${s.env.k};`);
    if (assigns.length > 0) this.line(assigns.join(' '));
    this.state = freshState();
  }

  /**
   * A field of the pair `cell` (its pointer kind already checked): the value known in this
   * stretch, or loaded into fresh locals. A field's kind is its pointer bit (0 or 1).
   */
  private field(cell: string, first: boolean): Val {
    const key = `${cell}.${first ? 'f' : 's'}`;
    const fields = this.state.fields;
    const known = fields.get(key);
    if (known) return known;
    const w = this.local();
    const k = this.local();
    if (first) this.line(`${k} = cf[${cell}] & 1; ${w} = fst[${cell}];`);
    else this.line(`${k} = (cf[${cell}] & 2) >> 1; ${w} = snd[${cell}];`);
    const value = { w, k };
    fields.set(key, value);
    return value;
  }

  /** Records the fields of a cell just filled (kinds reduced to their pointer bit, as stored). */
  private known(cell: string, first: Val, second: Val): void {
    const fields = this.state.fields;
    fields.set(`${cell}.f`, { w: first.w, k: pointerBit(first.k) });
    fields.set(`${cell}.s`, { w: second.w, k: pointerBit(second.k) });
  }

  /**
   * A fresh cell in a new local: a bump of the sweep pointer inside the current free run
   * (`ContainerMemory.allocState`). At the end of the run — after a collection, at a marked cell,
   * at the end of the heap, always under stress GC — the instruction is left to the interpreter,
   * whose `allocate()` finds the next run or collects: compiled code never collects, so no value
   * of it lives only in a JS local during a collection, and the rare path is the shared exit
   * (no call V8 would first meet in optimised code).
   */
  private allocate(pc: number, pending: number): string {
    const c = this.local();
    this.line(
      `${c} = AL[${ALLOC_SWEEP}]; if (${c} >= AL[${ALLOC_RUN_END}]) ${this.deopt(pc, pending)}`,
    );
    this.line(`AL[${ALLOC_SWEEP}] = ${c} + 1;`);
    return c;
  }

  /** The same from a canonical state, into `c` (uses `r`). */
  private allocateCanonical(pc: number, pending: number): void {
    this.line(`c = AL[${ALLOC_SWEEP}]; if (c >= AL[${ALLOC_RUN_END}]) ${this.deopt(pc, pending)}`);
    this.line(`AL[${ALLOC_SWEEP}] = c + 1;`);
  }

  /** Requires env to be a pair pointer (deoptimising otherwise); false when it never is. */
  private requirePointer(kind: string, pc: number, pending: number): boolean {
    if (isLiteral(kind)) {
      if (literalValue(kind) === POINTER) return true;
      this.line(this.deopt(pc, pending));
      this.dead = true;
      return false;
    }
    if (!this.state.pointers.has(kind)) {
      this.line(`if (${kind} !== ${POINTER}) ${this.deopt(pc, pending)}`);
      this.state.pointers.add(kind);
    }
    return true;
  }

  // ------------------------------------------------------------------ blocks and control

  private block(block: Block): void {
    this.state = freshState();
    this.fresh = 0;
    this.dead = false;
    this.lines.push(`      case ${block.index}: // pc ${block.start}`);
    if (this.flow.inlinable.has(block.start)) {
      // Compiled where its branch continues into it; the dispatcher resuming here (after a
      // slice or an exit) hands the whole block to the interpreter — uncharged, so this rarely
      // run code has no arithmetic V8 would first meet in optimised code.
      this.line(this.deopt(block.start, -block.pcs.length));
      return;
    }
    this.body(block);
  }

  /** Stack slots a block may push above, and read below, the stack pointer at its start. */
  private reach(block: Block): { up: number; down: number } {
    const ops = this.decoded.ops;
    let delta = 0;
    let up = 0;
    let down = 0;
    for (const pc of block.pcs) {
      const e = stackEffect(ops[pc]!);
      down = Math.max(down, e.reads - delta);
      delta += e.delta;
      up = Math.max(up, delta);
    }
    return { up, down };
  }

  /**
   * A block's code from the current state: canonical at its own `case`, or whatever the
   * generator knows when a branch continues into it (`continueAt`).
   */
  private body(block: Block): void {
    const ops = this.decoded.ops;
    const n = block.pcs.length;
    // Where the canonical stack pointer is, relative to S, at the block's start.
    const offset = this.state.m + this.state.vs.length;
    // Budget and stack bounds for the whole block, checked once.
    const { up, down } = this.reach(block);
    const whole = this.deopt(block.start, n);
    // The block's cycles are charged with its instructions; the exit refunds what does not run.
    const cycles = this.tailCycles?.[block.start];
    if (cycles !== undefined && cycles > 0) this.line(`C += ${cycles};`);
    // One exit for the budget and both stack bounds: fewer exits, less code for V8 to compile.
    const checks = [`(L -= ${n}) < 0`];
    if (up > 0) checks.push(`${stackAt(offset + up)} > limit`);
    if (down > 0) checks.push(`${stackAt(offset - down)} < base`);
    this.line(`if (${checks.join(' || ')}) ${whole}`);
    for (let j = 0; j < n && !this.dead; j++) this.instruction(block, block.pcs[j]!, n - j);
    if (this.dead) return;
    const lastPc = block.pcs[n - 1]!;
    if (!fallsThrough(ops[lastPc]!)) return;
    // Plain fall-through into the next leader (or off the end of the code).
    this.materialize();
    this.jump(nextPc(this.decoded, lastPc), true, block);
  }

  /**
   * Code that continues at `target` from the current state: the target block itself when only
   * this branch leads there (blocks.ts `inlinable`) — so what is known here (loaded fields,
   * checked kinds, values in locals) stays known — otherwise a jump from a canonical state.
   */
  private continueAt(target: number, from: Block, fallThrough: boolean): void {
    const dest = this.flow.blockAt.get(target);
    if (dest !== undefined && dest.group === this.groupIndex && this.flow.inlinable.has(target)) {
      this.inlineDepth++;
      this.body(dest);
      this.inlineDepth--;
      return;
    }
    this.materialize();
    this.jump(target, fallThrough, from);
  }

  /** Code that continues at `target` from a canonical state. */
  private jump(target: number, atBlockEnd: boolean, from: Block): void {
    const dest = this.flow.blockAt.get(target);
    if (!dest) {
      // Not a leader (or the end of the code): let the dispatcher sort it out.
      this.line(`${this.syncOut} ${TO_TRANSFER} return ${target};`);
      return;
    }
    if (dest.group === this.groupIndex) {
      // The next `case` follows only code emitted at a block's own `case`.
      if (atBlockEnd && this.inlineDepth === 0 && dest.index === from.index + 1) return;
      this.line(`b = ${dest.index}; continue;`);
      return;
    }
    this.line(this.syncOut);
    this.line(`if (d >= ${MAX_NATIVE_DEPTH}) { ${TO_TRANSFER} return ${target}; }`);
    this.line(`return g${dest.group}(${dest.index}, E, K, S, d + 1);`);
  }

  /** A call of a known block from a canonical state with the return address pushed. */
  private call(target: number, cont: number, from: Block, before?: BlockState): void {
    const dest = this.flow.blockAt.get(target);
    this.line(this.syncOut);
    if (!dest) {
      this.line(`${TO_TRANSFER} return ${target};`);
      return;
    }
    this.line(`if (d >= ${MAX_NATIVE_DEPTH}) { ${TO_TRANSFER} return ${target}; }`);
    this.line(`r = g${dest.group}(${dest.index}, E, K, S, d + 1);`);
    this.line(`if (r !== ${cont}) return r;`);
    this.line(`${FROM_TRANSFER} ${this.syncIn}`);
    if (before) this.afterCall(cont, from, before);
    else this.jump(cont, true, from);
  }

  /**
   * What the caller knows that survives a call (a copy of the state with the return address on
   * top, just before the stores of the call): the registers E and K are read back from the
   * callee afterwards, so the expressions that name them are moved to fresh locals first.
   */
  private beforeCall(cont: number): BlockState | undefined {
    const s = this.state;
    // Nothing to keep (no copies emitted) when the continuation would not use it.
    if (!this.continuation(cont, s)) return undefined;
    const uses = (x: string): boolean => /\b[EK]\b/.test(x);
    const mentions =
      s.vs.some((v) => uses(v.w) || uses(v.k)) ||
      [...s.fields].some(([key, v]) => uses(key) || uses(v.w) || uses(v.k)) ||
      [...s.pointers].some(uses);
    if (!mentions) return cloneState(s);
    const e = this.local();
    const k = this.local();
    this.line(`${e} = E; ${k} = K;`);
    const sub = (x: string): string => x.replace(/\bE\b/g, e).replace(/\bK\b/g, k);
    const val = (v: Val): Val => ({ w: sub(v.w), k: sub(v.k) });
    return {
      env: val(s.env),
      vs: s.vs.map(val),
      m: s.m,
      pointers: new Set([...s.pointers].map(sub)),
      fields: new Map([...s.fields].map(([key, v]) => [sub(key), val(v)])),
      known: new Map([...s.known].map(([o, v]) => [o, val(v)])),
      stored: new Map([...s.stored].map(([o, v]) => [o, val(v)])),
    };
  }

  /**
   * What the continuation of a call could know, from the state just before the call's stores
   * (return address on top): the slots relative to S after a balanced return — the values
   * stored for the call, and those known before and not touched since — and which of them the
   * continuation block reads. Undefined when that would not save a load: the block is elsewhere,
   * or none of the values it reads has a field loaded (a check costs as much as a reload).
   */
  private continuation(
    cont: number,
    before: BlockState,
  ): { dest: Block; known: Map<number, Val>; stored: Map<number, Val> } | undefined {
    const dest = this.flow.blockAt.get(cont);
    if (!dest || dest.group !== this.groupIndex) return undefined;
    const shift = before.m + before.vs.length - 1;
    const stored = new Map<number, Val>();
    for (const map of [before.stored, before.known])
      for (const [o, v] of map) if (o < before.m) stored.set(o - shift, v);
    before.vs.slice(0, -1).forEach((v, i) => stored.set(before.m + i - shift, v));
    const known = new Map<number, Val>();
    for (let o = -1; o >= -this.reach(dest).down; o--) {
      const v = stored.get(o);
      if (v) known.set(o, v);
    }
    const useful = [...known.values()].some(
      (v) => before.fields.has(`${v.w}.f`) || before.fields.has(`${v.w}.s`),
    );
    return useful ? { dest, known, stored } : undefined;
  }

  /**
   * The continuation of a call that returned to this function normally. Only generated code
   * ran meanwhile — a runtime call or an exit to the interpreter unwinds every JavaScript frame
   * instead of returning here — so nothing was collected, no cell changed, and cells loaded
   * before are as they were. The caller's values below the callee's frame are compared with what
   * was stored there; when they are the same, the continuation block is compiled here knowing
   * them (and the fields loaded before the call), otherwise it runs at its own `case`.
   */
  private afterCall(cont: number, from: Block, before: BlockState): void {
    const plan = this.continuation(cont, before);
    if (!plan) {
      this.jump(cont, true, from);
      return;
    }
    const { dest, known, stored } = plan;
    const checks = [...known].map(
      ([o, v]) => `sw[${stackAt(o)}] !== ${v.w} || sk[${stackAt(o)}] !== ${v.k}`,
    );
    this.line(`if (${checks.join(' || ')}) { b = ${dest.index}; continue; }`);
    this.state = {
      env: CANONICAL_ENV,
      vs: [],
      m: 0,
      pointers: before.pointers,
      fields: before.fields,
      known,
      stored,
    };
    this.inlineDepth++;
    this.body(dest);
    this.inlineDepth--;
  }

  // ------------------------------------------------------------------ instructions

  private instruction(block: Block, pc: number, pending: number): void {
    const ops = this.decoded.ops;
    const op = ops[pc]!;
    const operand = ops[pc + 1]!;
    const s = this.state;
    const binary = BINARY[op];
    if (binary !== undefined) {
      if (op === Op.DIVI || op === Op.MODI) {
        if (isLiteral(s.env.w)) {
          if (literalValue(s.env.w) === 0) {
            this.line(this.deopt(pc, pending));
            this.dead = true;
            return;
          }
        } else this.line(`if (${s.env.w} === 0) ${this.deopt(pc, pending)}`);
      }
      const top = this.pop();
      const result = this.local();
      this.line(`${result} = ${binary(top.w, s.env.w)};`);
      s.env = { w: result, k: '0' };
      return;
    }
    const constantBase = CONSTANT_OPERAND_BASE.get(op);
    if (constantBase !== undefined) {
      // `opK k` is `MOVE; LOADI k; op`: the operation of env and the literal k.
      const result = this.local();
      this.line(`${result} = ${BINARY[constantBase]!(s.env.w, literal(operand))};`);
      s.env = { w: result, k: '0' };
      return;
    }
    const unary = UNARY[op];
    if (unary !== undefined) {
      const result = this.local();
      this.line(`${result} = ${unary(s.env.w)};`);
      s.env = { w: result, k: '0' };
      return;
    }
    switch (op) {
      case Op.FST:
      case Op.SND: {
        if (!this.requirePointer(s.env.k, pc, pending)) return;
        s.env = this.field(s.env.w, op === Op.FST);
        return;
      }
      case Op.ACC:
      case Op.REST: {
        if (operand === 0 && op === Op.REST) return;
        // Walk on fresh locals so that a deoptimisation sees env as it was before.
        let w = s.env.w;
        let k = s.env.k;
        const steps = op === Op.ACC ? operand + 1 : operand;
        for (let i = 0; i < steps; i++) {
          if (isLiteral(k)) {
            if (literalValue(k) !== POINTER) {
              this.line(this.deopt(pc, pending));
              this.dead = true;
              return;
            }
          } else if (!s.pointers.has(k)) {
            this.line(`if (${k} !== ${POINTER}) ${this.deopt(pc, pending)}`);
            s.pointers.add(k);
          }
          const last = op === Op.ACC && i === steps - 1;
          const next = this.field(w, !last);
          w = next.w;
          k = next.k;
        }
        s.env = { w, k };
        return;
      }
      case Op.PUSH:
        this.push(s.env);
        return;
      case Op.MOVE:
        this.push(s.env);
        s.env = { w: '0', k: '0' };
        return;
      case Op.POP:
        s.env = this.pop();
        return;
      case Op.SWAP: {
        const top = this.pop();
        this.push(s.env);
        s.env = top;
        return;
      }
      case Op.LOADI:
      case Op.LOADF:
      case Op.LOADS:
      case Op.LOADB:
        s.env = { w: literal(operand), k: '0' };
        return;
      case Op.CLEAR:
        s.env = { w: '0', k: '0' };
        return;
      case Op.SKIP:
        return;
      case Op.CONS:
      case Op.SNOC: {
        const c = this.allocate(pc, pending);
        const top = this.pop();
        const [first, second] = op === Op.CONS ? [top, s.env] : [s.env, top];
        const flags = `${pointerBit(first.k)} | (${pointerBit(second.k)} << 1)`;
        this.line(`fst[${c}] = ${first.w}; snd[${c}] = ${second.w}; cf[${c}] = ${flags};`);
        this.known(c, first, second);
        s.env = { w: c, k: '1' };
        return;
      }
      case Op.CUR: {
        const c = this.allocate(pc, pending);
        this.line(
          `fst[${c}] = ${s.env.w}; snd[${c}] = ${literal(operand)}; cf[${c}] = ${pointerBit(s.env.k)};`,
        );
        this.known(c, s.env, { w: literal(operand), k: '0' });
        s.env = { w: c, k: '1' };
        return;
      }
      case Op.PACK: {
        const c = this.allocate(pc, pending);
        this.line(
          `fst[${c}] = ${literal(operand)}; snd[${c}] = ${s.env.w}; cf[${c}] = ${pointerBit(s.env.k)} << 1;`,
        );
        this.known(c, { w: literal(operand), k: '0' }, s.env);
        s.env = { w: c, k: '1' };
        return;
      }
      case Op.COMB: {
        const c = this.allocate(pc, pending);
        this.line(`fst[${c}] = ${literal(operand)}; snd[${c}] = -1; cf[${c}] = 0;`);
        this.known(c, { w: literal(operand), k: '0' }, { w: '(-1)', k: '0' });
        s.env = { w: c, k: '1' };
        return;
      }
      case Op.APP:
      case Op.TAPP:
        this.materialize();
        this.application(block, pc, pending, op === Op.APP);
        return;
      case Op.RETURN:
        this.materialize();
        this.line('t = sw[S - 1];');
        this.line(
          `if (sk[S - 1] !== ${RETURN_ADDRESS} || t >>> 0 >= ${this.decoded.codeLength} || starts[t] !== 1) ${this.deopt(pc, pending)}`,
        );
        this.line(`S--; ${this.syncOut} ${TO_TRANSFER} return t;`);
        return;
      case Op.CALL:
        if (operand < 0) {
          this.line(this.deopt(pc, pending));
          this.dead = true;
          return;
        }
        this.push({ w: String(pc + 3), k: String(RETURN_ADDRESS) });
        {
          const before = this.beforeCall(pc + 3);
          this.materialize();
          this.call(operand, pc + 3, block, before);
        }
        return;
      case Op.GOTO:
        if (operand < 0) {
          this.line(this.deopt(pc, pending));
          this.dead = true;
          return;
        }
        this.materialize();
        this.jump(operand, true, block);
        return;
      case Op.GOTOFALSE:
      case Op.GOTOIFALSE: {
        if (operand < 0) {
          this.line(`if ((${s.env.w} & 1) === 0) ${this.deopt(pc, pending)}`);
        }
        // Each way on starts from the state at the branch (materialized only where it must be).
        const condition = s.env.w;
        if (op === Op.GOTOFALSE) s.env = this.pop();
        const atBranch = cloneState(this.state);
        if (operand >= 0) {
          this.line(`if ((${condition} & 1) === 0) {`);
          this.continueAt(operand, block, false);
          this.line('}');
          this.state = cloneState(atBranch);
          this.dead = false;
        }
        this.continueAt(pc + 3, block, true);
        return;
      }
      case Op.SWITCH:
      case Op.SWITCHI:
        this.materialize();
        this.switchOn(block, pc, pending, op === Op.SWITCH);
        return;
      case Op.CALLRTS:
        this.materialize();
        this.line(`${this.syncOut} ${TO_RECORD} rc[rec + ${CTX_PC}] = ${pc + 2};`);
        this.line(`io[0] = ${EXIT_RTS}; io[1] = ${operand}; return -1;`);
        return;
      case Op.STOP:
      case Op.FAIL:
      case OP_INVALID:
      case OP_END:
      default:
        this.line(this.deopt(pc, pending));
        this.dead = true;
        return;
    }
  }

  /** APP / TAPP from a canonical state: closure in env, argument on top of the stack. */
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
    this.allocateCanonical(pc, pending);
    this.line('  fst[c] = fst[E]; snd[c] = sw[S - 1]; cf[c] = (t & 1) | ((sk[S - 1] & 1) << 1);');
    this.line('  E = c; K = 1;');
    this.line('}');
    if (pushes) {
      const cont = pc + 1;
      this.line(`sw[S - 1] = ${cont}; sk[S - 1] = ${RETURN_ADDRESS}; ${this.syncOut}`);
      this.line(`c = fnOf[u]; if (c < 0 || d >= ${MAX_NATIVE_DEPTH}) { ${TO_TRANSFER} return u; }`);
      this.line('r = fns[c](blkOf[u], E, K, S, d + 1);');
      this.line(`if (r !== ${cont}) return r;`);
      this.line(`${FROM_TRANSFER} ${this.syncIn}`);
      this.jump(cont, true, block);
    } else {
      this.line(`S--; c = fnOf[u];`);
      this.line(`if (c === ${this.groupIndex}) { b = blkOf[u]; continue; }`);
      this.line(
        `${this.syncOut} if (c < 0 || d >= ${MAX_NATIVE_DEPTH}) { ${TO_TRANSFER} return u; }`,
      );
      this.line('return fns[c](blkOf[u], E, K, S, d + 1);');
    }
  }

  /** SWITCH / SWITCHI from a canonical state. */
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
        this.allocateCanonical(pc, pending);
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
  while (next < decoded.codeLength && decoded.starts[next] === 0) next++;
  return next;
}
