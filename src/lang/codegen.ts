/**
 * CAM code generation from the core language (Hinze's scheme, reference §2.3–§2.7).
 *
 * Glossary
 * - layout:   the compile-time shape of env: () , one variable, or a pair of layouts. A variable
 *             is fetched by the FST/SND path to it (emitted as ACC n / REST n / FST / SND).
 * - closed:   an expression that needs nothing from env (no free variable, no closure function);
 *             it can be evaluated with any env, which allows the r-free forms MOVE, SNOC,
 *             GOTOIFALSE and SWITCHI instead of PUSH … SWAP/POP pairs, and COMB instead of CUR.
 * - known function: a `letrec`-bound function (every top-level function is one). It has one
 *             label per curried parameter. Level i expects env = the function's environment
 *             paired with its first i arguments: ((def, a1), a2)…, where def is the env at the
 *             `letrec` (absent for closed functions, whose level 1 sees the bare argument).
 *             A call with all arguments builds that env and jumps straight to the body label:
 *             `CALL body`, or `GOTO body` in tail position (constant stack). A letrec name is not
 *             stored in env: a reference fetches `def` by its path (REST n) and rebuilds the
 *             closure, so nested functions can always call an enclosing recursive function.
 * - tail:     the code of a tail expression ends in RETURN or a jump that does not come back;
 *             calls of unknown closures in tail position use TAPP (APP without a return address).
 *
 * Every expression's code turns env (with the current layout) into the expression's value in env
 * and leaves the stack as it found it.
 */
import type { Mnemonic } from '../isa/opcodes.js';
import { WILDCARD_TAG } from '../isa/opcodes.js';
import { RtsCall } from '../isa/rts-calls.js';
import type { SourceLoc, SwitchArm as SymArm, SymArg, SymItem } from '../isa/symbolic.js';
import type { Span } from './ast.js';
import { freeVars, type Core, type LetrecBinding } from './core.js';

type Layout =
  | { readonly k: 'unit' }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'pair'; readonly l: Layout; readonly r: Layout };

interface KnownFunction {
  readonly name: string;
  readonly arity: number;
  /** labels[i] expects env = def paired with the first i+1 arguments. */
  readonly labels: readonly string[];
  readonly closed: boolean;
  readonly def: Layout;
}

interface PendingBlock {
  readonly label: string;
  /** The code: a body in tail position, or (intermediate curried level) `CUR curTo; RETURN`. */
  readonly body?: Core;
  readonly curTo?: string;
  readonly layout: Layout;
  readonly span?: Span;
}

const UNIT: Layout = { k: 'unit' };
/** The largest ACC/REST operand (a u8). */
const MAX_PATH_STEP = 255;
/** Pseudo-variable standing for a known function's definition env (never a source name). */
const DEF_PREFIX = '%def:';

export function generate(program: Core): SymItem[] {
  return new CodeGenerator().program(program);
}

class CodeGenerator {
  private items: SymItem[] = [];
  private readonly pending: PendingBlock[] = [];
  private readonly functions = new Map<string, KnownFunction>();
  private readonly labels = new Set<string>();
  private span: Span | undefined;

  program(core: Core): SymItem[] {
    this.expr(core, UNIT, false);
    this.emit('STOP');
    for (let i = 0; i < this.pending.length; i++) {
      const block = this.pending[i]!;
      this.label(block.label);
      this.span = block.span;
      if (block.body) {
        this.expr(block.body, block.layout, true);
      } else {
        this.emit('CUR', block.curTo!);
        this.emit('RETURN');
      }
    }
    return this.items;
  }

  // ------------------------------------------------------------------ emission helpers

  private emit(op: Mnemonic, ...args: SymArg[]): void {
    const s = this.span;
    const loc: SourceLoc | undefined = s
      ? { file: s.file, line: s.line, column: s.column }
      : undefined;
    this.items.push(loc ? { kind: 'instr', op, args, loc } : { kind: 'instr', op, args });
  }

  private label(name: string): void {
    this.items.push({ kind: 'label', name });
  }

  private freshLabel(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.]/g, '_') || 'L';
    let name = base;
    for (let i = 2; this.labels.has(name); i++) name = `${base}_${i}`;
    this.labels.add(name);
    return name;
  }

  private ret(tail: boolean): void {
    if (tail) this.emit('RETURN');
  }

  // ------------------------------------------------------------------ environment analysis

  /** True when `e` reads env: a free local variable or a closure-represented function. */
  private needsEnv(e: Core, bound: readonly string[] = []): boolean {
    for (const v of freeVars(e)) {
      if (bound.includes(v)) continue;
      const f = this.functions.get(v);
      if (!f || !f.closed) return true;
    }
    return false;
  }

  private pathTo(layout: Layout, found: (l: Layout) => boolean): ('FST' | 'SND')[] | undefined {
    if (found(layout)) return [];
    if (layout.k !== 'pair') return undefined;
    const left = this.pathTo(layout.l, found);
    if (left) return ['FST', ...left];
    const right = this.pathTo(layout.r, found);
    if (right) return ['SND', ...right];
    return undefined;
  }

  /** FST^n SND = ACC n, a trailing FST^n = REST n (n ≥ 2; single steps stay FST/SND). */
  private emitPath(steps: readonly ('FST' | 'SND')[], endsOnPair = false): void {
    let i = 0;
    while (i < steps.length) {
      let fsts = 0;
      while (steps[i + fsts] === 'FST') fsts++;
      // ACC and REST take a u8: a longer run (more than 255 nested bindings) is walked 255
      // levels at a time first, keeping one FST for a trailing run (REST n-1 then FST below).
      const keep = steps[i + fsts] === 'SND' || endsOnPair ? 0 : 1;
      while (fsts - keep > MAX_PATH_STEP) {
        this.emit('REST', MAX_PATH_STEP);
        fsts -= MAX_PATH_STEP;
        i += MAX_PATH_STEP;
      }
      if (steps[i + fsts] === 'SND') {
        if (fsts === 0) this.emit('SND');
        else this.emit('ACC', fsts);
        i += fsts + 1;
      } else {
        // The VM checks that REST n ends on a pair, but a trailing path may end on any value:
        // REST n-1 (ends on a pair) then FST.
        // (A path known to end on a pair cell is one REST n.)
        if (endsOnPair && fsts >= 2) {
          this.emit('REST', fsts);
          i += fsts;
          continue;
        }
        if (fsts > 2) this.emit('REST', fsts - 1);
        else if (fsts === 2) this.emit('FST');
        this.emit('FST');
        i += fsts;
      }
    }
  }

  private variable(name: string, layout: Layout): void {
    const fn = this.functions.get(name);
    if (fn) {
      this.functionValue(fn, layout);
      return;
    }
    const steps = name.startsWith(DEF_PREFIX)
      ? this.pathTo(layout, (l) => l === this.functions.get(name.slice(DEF_PREFIX.length))?.def)
      : this.pathTo(layout, (l) => l.k === 'var' && l.name === name);
    if (!steps) throw new Error(`internal error: ${name} is not in the environment`);
    this.emitPath(steps);
  }

  /** The FST/SND path a variable's value is fetched by, if it is in env (not a function). */
  private variablePath(name: string, layout: Layout): ('FST' | 'SND')[] | undefined {
    if (name.startsWith(DEF_PREFIX)) {
      const def = this.functions.get(name.slice(DEF_PREFIX.length))?.def;
      return def ? this.pathTo(layout, (l) => l === def) : undefined;
    }
    if (this.functions.has(name)) return undefined;
    return this.pathTo(layout, (l) => l.k === 'var' && l.name === name);
  }

  /**
   * The path to a cell of env that is exactly the pair tree `e` (pairs of variables), if there
   * is one: every variable of `e` must be fetched by that cell's path plus its position in `e`,
   * so the cell holds the very values `e` would pair up (cells are immutable).
   */
  private sharedPair(e: Core, layout: Layout): ('FST' | 'SND')[] | undefined {
    if (!isPairOfVariables(e)) return undefined;
    const matches = (x: Core, node: Layout, path: ('FST' | 'SND')[]): boolean => {
      if (x.k === 'pair')
        return (
          node.k === 'pair' &&
          matches(x.fst, node.l, [...path, 'FST']) &&
          matches(x.snd, node.r, [...path, 'SND'])
        );
      if (x.k !== 'var') return false;
      const found = this.variablePath(x.name, layout);
      return found !== undefined && found.join() === path.join();
    };
    const search = (node: Layout, path: ('FST' | 'SND')[]): ('FST' | 'SND')[] | undefined => {
      if (node.k !== 'pair') return undefined;
      if (matches(e, node, path)) return path;
      return search(node.l, [...path, 'FST']) ?? search(node.r, [...path, 'SND']);
    };
    return search(layout, []);
  }

  private functionValue(fn: KnownFunction, layout: Layout): void {
    if (fn.closed) {
      this.emit('COMB', fn.labels[0]!);
    } else {
      this.variable(DEF_PREFIX + fn.name, layout);
      this.emit('CUR', fn.labels[0]!);
    }
  }

  // ------------------------------------------------------------------ expressions

  private expr(e: Core, layout: Layout, tail: boolean): void {
    const outer = this.span;
    if (e.span) this.span = e.span;
    this.exprInner(e, layout, tail);
    this.span = outer;
  }

  private exprInner(e: Core, layout: Layout, tail: boolean): void {
    switch (e.k) {
      case 'int':
        this.emit('LOADI', e.value);
        return this.ret(tail);
      case 'float':
        this.emit('LOADF', e.value);
        return this.ret(tail);
      case 'bool':
        this.emit('LOADB', e.value ? 1 : 0);
        return this.ret(tail);
      case 'unit':
        this.emit('CLEAR');
        return this.ret(tail);
      case 'var':
        this.variable(e.name, layout);
        return this.ret(tail);
      case 'fst':
      case 'snd':
        this.expr(e.e, layout, false);
        this.emit(e.k === 'fst' ? 'FST' : 'SND');
        return this.ret(tail);
      case 'lam': {
        const closed = !this.needsEnv(e);
        const label = this.freshLabel('lambda');
        this.pending.push({
          label,
          body: e.body,
          layout: closed
            ? { k: 'var', name: e.param }
            : { k: 'pair', l: layout, r: { k: 'var', name: e.param } },
        });
        this.emit(closed ? 'COMB' : 'CUR', label);
        return this.ret(tail);
      }
      case 'let': {
        if (e.body.k === 'var' && e.body.name === e.name) {
          this.expr(e.value, layout, tail);
          return;
        }
        this.emit('PUSH');
        this.expr(e.value, layout, false);
        this.emit('CONS');
        this.expr(e.body, { k: 'pair', l: layout, r: { k: 'var', name: e.name } }, tail);
        return;
      }
      case 'letrec':
        this.letrec(e.binds, layout);
        this.expr(e.body, layout, tail);
        return;
      case 'app': {
        const [first, ...rest] = e.args;
        if (e.fn.k === 'lam' && first) {
          // (\x -> body) a is let x = a in body: no closure, and a tail call stays a jump.
          const body: Core = rest.length > 0 ? { k: 'app', fn: e.fn.body, args: rest } : e.fn.body;
          this.expr({ k: 'let', name: e.fn.param, value: first, body, span: e.span }, layout, tail);
          return;
        }
        this.application(e.fn, e.args, layout, tail);
        return;
      }
      case 'if':
        this.conditional(e.cond, e.then, e.else, layout, tail);
        return;
      case 'prim':
        this.operands(e.args, layout);
        this.emit(e.op);
        return this.ret(tail);
      case 'rts':
        this.operands(e.args, layout);
        this.emit('CALLRTS', e.call);
        return this.ret(tail);
      case 'syncT': {
        // env = baseline, stack = deadline, event (reference §2.6); evaluated event first.
        const [baseline, deadline, event] = e.args;
        this.emit('PUSH');
        this.expr(event, layout, false);
        this.emit('SWAP');
        this.emit('PUSH');
        this.expr(deadline, layout, false);
        this.emit('SWAP');
        this.expr(baseline, layout, false);
        this.emit('CALLRTS', RtsCall.time!);
        this.emit('CALLRTS', RtsCall.sync!);
        return this.ret(tail);
      }
      case 'pair': {
        // A pair of variables that env already holds as one cell (a known call passing its
        // own leading parameters on, like `go n row (c + 1) qs`) is fetched, not rebuilt.
        const shared = this.sharedPair(e, layout);
        if (shared) this.emitPath(shared, true);
        else this.pair(e.fst, e.snd, layout);
        return this.ret(tail);
      }
      case 'pack':
        this.expr(e.payload, layout, false);
        this.emit('PACK', e.tag);
        return this.ret(tail);
      case 'switch':
        this.switchOn(e, layout, tail);
        return;
      case 'fail':
        this.emit('FAIL', 0);
        return;
    }
  }

  /** One argument: into env. Two: the first on the stack, the second in env. */
  private operands(args: readonly Core[], layout: Layout): void {
    const [a, b] = args;
    if (!a) return;
    if (!b) {
      this.expr(a, layout, false);
      return;
    }
    if (!this.needsEnv(b)) {
      this.expr(a, layout, false);
      this.emit('MOVE');
      this.expr(b, UNIT, false);
    } else {
      this.emit('PUSH');
      this.expr(a, layout, false);
      this.emit('SWAP');
      this.expr(b, layout, false);
    }
  }

  private pair(a: Core, b: Core, layout: Layout): void {
    if (!this.needsEnv(b)) {
      this.expr(a, layout, false);
      this.emit('MOVE');
      this.expr(b, UNIT, false);
      this.emit('CONS');
    } else if (!this.needsEnv(a) && isPure(b) && isPure(a)) {
      this.expr(b, layout, false);
      this.emit('MOVE');
      this.expr(a, UNIT, false);
      this.emit('SNOC');
    } else {
      this.emit('PUSH');
      this.expr(a, layout, false);
      this.emit('SWAP');
      this.expr(b, layout, false);
      this.emit('CONS');
    }
  }

  private conditional(
    cond: Core,
    then: Core,
    otherwise: Core,
    layout: Layout,
    tail: boolean,
  ): void {
    const elseLabel = this.freshLabel('else');
    const rfree = !this.needsEnv(then) && !this.needsEnv(otherwise);
    if (rfree) {
      this.expr(cond, layout, false);
      this.emit('GOTOIFALSE', elseLabel);
    } else {
      this.emit('PUSH');
      this.expr(cond, layout, false);
      this.emit('GOTOFALSE', elseLabel);
    }
    const branchLayout = rfree ? UNIT : layout;
    this.expr(then, branchLayout, tail);
    if (tail) {
      this.label(elseLabel);
      this.expr(otherwise, branchLayout, true);
      return;
    }
    const endLabel = this.freshLabel('endif');
    this.emit('GOTO', endLabel);
    this.label(elseLabel);
    this.expr(otherwise, branchLayout, false);
    this.label(endLabel);
  }

  private switchOn(e: Extract<Core, { k: 'switch' }>, layout: Layout, tail: boolean): void {
    const rfree = e.arms.every((a) => !this.needsEnv(a.body, a.bind === undefined ? [] : [a.bind]));
    if (rfree) {
      this.expr(e.scrut, layout, false);
    } else {
      this.emit('PUSH');
      this.expr(e.scrut, layout, false);
    }
    const armLabels = e.arms.map(() => this.freshLabel('arm'));
    const table: SymArm[] = e.arms.map((a, i) => ({
      tag: a.tag === 'default' ? WILDCARD_TAG : a.tag,
      label: armLabels[i]!,
    }));
    // The wildcard arm must come last: arms are tried in order.
    table.sort((x, y) => (x.tag === WILDCARD_TAG ? 1 : 0) - (y.tag === WILDCARD_TAG ? 1 : 0));
    this.emit(rfree ? 'SWITCHI' : 'SWITCH', table);
    const endLabel = tail ? undefined : this.freshLabel('endcase');
    e.arms.forEach((arm, i) => {
      this.label(armLabels[i]!);
      const payload: Layout = arm.bind === undefined ? UNIT : { k: 'var', name: arm.bind };
      const armLayout: Layout = rfree ? payload : { k: 'pair', l: layout, r: payload };
      this.expr(arm.body, armLayout, tail);
      if (endLabel && i < e.arms.length - 1) this.emit('GOTO', endLabel);
    });
    if (endLabel) this.label(endLabel);
  }

  // ------------------------------------------------------------------ functions and calls

  private letrec(binds: readonly LetrecBinding[], layout: Layout): void {
    const names = binds.map((b) => b.name);
    const closed = binds.every((b) => !this.needsEnv(b.body, [...names, ...b.params]));
    for (const b of binds) {
      const labels: string[] = [];
      for (let i = 0; i < b.params.length; i++)
        labels.push(this.freshLabel(i === b.params.length - 1 ? b.name : `${b.name}.arg${i + 1}`));
      this.functions.set(b.name, {
        name: b.name,
        arity: b.params.length,
        labels,
        closed,
        def: layout,
      });
    }
    for (const b of binds) {
      const fn = this.functions.get(b.name)!;
      let env: Layout = closed ? UNIT : layout;
      b.params.forEach((p, i) => {
        const param: Layout = { k: 'var', name: p };
        env = closed && i === 0 ? param : { k: 'pair', l: env, r: param };
        if (i === b.params.length - 1) {
          this.pending.push({ label: fn.labels[i]!, body: b.body, layout: env, span: b.span });
        } else {
          // An intermediate level only collects the next argument: CUR next; RETURN.
          this.pending.push({
            label: fn.labels[i]!,
            curTo: fn.labels[i + 1]!,
            layout: env,
            span: b.span,
          });
        }
      });
    }
  }

  private application(fn: Core, args: readonly Core[], layout: Layout, tail: boolean): void {
    const known = fn.k === 'var' ? this.functions.get(fn.name) : undefined;
    if (known) {
      const direct = Math.min(args.length, known.arity);
      const extra = args.slice(direct);
      for (let i = extra.length - 1; i >= 0; i--) {
        this.emit('PUSH');
        this.expr(extra[i]!, layout, false);
        this.emit('SWAP');
      }
      // Build the env of level `direct`: ((def, a1), a2)… (without def for closed functions).
      let env: Core | undefined = known.closed
        ? undefined
        : { k: 'var', name: DEF_PREFIX + known.name };
      for (const a of args.slice(0, direct)) env = env ? { k: 'pair', fst: env, snd: a } : a;
      this.expr(env!, layout, false);
      if (direct < known.arity) {
        this.emit('CUR', known.labels[direct]!);
      } else if (tail && extra.length === 0) {
        this.emit('GOTO', known.labels[known.arity - 1]!);
        return;
      } else {
        this.emit('CALL', known.labels[known.arity - 1]!);
      }
      this.applyPushed(extra.length, tail);
      return;
    }
    for (let i = args.length - 1; i >= 1; i--) {
      this.emit('PUSH');
      this.expr(args[i]!, layout, false);
      this.emit('SWAP');
    }
    const first = args[0]!;
    if (!this.needsEnv(fn)) {
      this.expr(first, layout, false);
      this.emit('MOVE');
      this.expr(fn, UNIT, false);
    } else {
      this.emit('PUSH');
      this.expr(first, layout, false);
      this.emit('SWAP');
      this.expr(fn, layout, false);
    }
    this.applyPushed(args.length, tail);
  }

  /** Applies the function in env to `count` arguments waiting on the stack. */
  private applyPushed(count: number, tail: boolean): void {
    for (let i = 0; i < count; i++) this.emit(tail && i === count - 1 ? 'TAPP' : 'APP');
    if (tail && count === 0) this.emit('RETURN');
  }
}

/** A pair tree whose leaves are all variables. */
function isPairOfVariables(e: Core): boolean {
  if (e.k !== 'pair') return false;
  const leaf = (x: Core): boolean => x.k === 'var' || isPairOfVariables(x);
  return leaf(e.fst) && leaf(e.snd);
}

/** No calls, no runtime calls: evaluating it twice or in another order changes nothing. */
function isPure(e: Core): boolean {
  switch (e.k) {
    case 'app':
    case 'rts':
    case 'syncT':
    case 'fail':
      return false;
    case 'var':
    case 'int':
    case 'float':
    case 'bool':
    case 'unit':
    case 'lam':
      return true;
    case 'fst':
    case 'snd':
      return isPure(e.e);
    case 'pack':
      return isPure(e.payload);
    case 'pair':
      return isPure(e.fst) && isPure(e.snd);
    case 'prim':
      return e.args.every(isPure);
    default:
      return false;
  }
}
