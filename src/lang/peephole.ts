/**
 * Peephole optimisation of symbolic CAM code, in the spirit of SynchronVM's Peephole.hs, plus
 * the format-specific rewrite of tail applications.
 *
 * Every rule preserves the meaning of the code for any env and stack:
 * - `PUSH; SWAP` ≡ `PUSH` (swapping env with its own copy);
 * - `CALL L; RETURN` ≡ `GOTO L` and `APP; RETURN` ≡ `TAPP` (tail calls: the callee returns
 *   straight to our caller, so the stack does not grow);
 * - a `GOTO` to the next instruction is dropped; a `GOTO` to a `RETURN` is a `RETURN`; a `GOTO`
 *   to a `GOTO` jumps to the final target;
 * - code after an instruction that never falls through, up to the next label that something
 *   refers to, is unreachable (unused labels are dropped too).
 */
import {
  CONSTANT_OPERAND_BASE,
  INSTRUCTIONS,
  rowByMnemonic,
  type Mnemonic,
} from '../isa/opcodes.js';
import type { SymItem } from '../isa/symbolic.js';

type Instr = Extract<SymItem, { kind: 'instr' }>;

const isInstr = (i: SymItem | undefined, op?: string): i is Instr =>
  i !== undefined && i.kind === 'instr' && (op === undefined || i.op === op);

function fallsThrough(i: Instr): boolean {
  const flow = rowByMnemonic(i.op)?.flow;
  return flow !== 'jump' && flow !== 'return' && flow !== 'stop';
}

export function peephole(input: readonly SymItem[]): SymItem[] {
  let items = [...input];
  for (let round = 0; round < 8; round++) {
    const before = items.length;
    items = localRules(items);
    items = threadJumps(items);
    items = dropUnreachable(items);
    if (items.length === before) break;
  }
  return items;
}

function localRules(items: readonly SymItem[]): SymItem[] {
  const out: SymItem[] = [];
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    const b = items[i + 1];
    if (isInstr(a, 'PUSH') && isInstr(b, 'SWAP')) {
      out.push(a);
      i++;
    } else if (isInstr(a, 'CALL') && isInstr(b, 'RETURN')) {
      out.push({ ...a, op: 'GOTO' });
      i++;
    } else if (isInstr(a, 'APP') && isInstr(b, 'RETURN')) {
      out.push({ ...a, op: 'TAPP' });
      i++;
    } else if (isInstr(a, 'MOVE') && isInstr(b, 'CLEAR')) {
      out.push(a);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** First instruction at or after each label. */
function labelTargets(items: readonly SymItem[]): Map<string, Instr | undefined> {
  const targets = new Map<string, Instr | undefined>();
  items.forEach((item, index) => {
    if (item.kind !== 'label') return;
    let j = index;
    while (j < items.length && items[j]!.kind === 'label') j++;
    const next = items[j];
    targets.set(item.name, isInstr(next) ? next : undefined);
  });
  return targets;
}

function threadJumps(items: readonly SymItem[]): SymItem[] {
  const targets = labelTargets(items);
  const finalTarget = (label: string): string => {
    const seen = new Set<string>();
    let current = label;
    for (;;) {
      const t = targets.get(current);
      if (!isInstr(t, 'GOTO') || seen.has(current)) return current;
      seen.add(current);
      current = t.args[0] as string;
    }
  };
  const out: SymItem[] = [];
  items.forEach((item, index) => {
    if (!isInstr(item, 'GOTO')) {
      out.push(item);
      return;
    }
    const target = finalTarget(item.args[0] as string);
    if (isInstr(targets.get(target), 'RETURN')) {
      out.push({ ...item, op: 'RETURN', args: [] });
      return;
    }
    // A jump to a label that directly follows is a no-op.
    for (let j = index + 1; j < items.length && items[j]!.kind === 'label'; j++) {
      const next = items[j]!;
      if (next.kind === 'label' && next.name === target) return;
    }
    out.push({ ...item, args: [target] });
  });
  return out;
}

/** Labels some instruction jumps to, calls, closes over or lists in a switch table. */
function referencedLabels(items: readonly SymItem[]): Set<string> {
  const used = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'instr') continue;
    const operands = rowByMnemonic(item.op)?.operands ?? [];
    item.args.forEach((arg, i) => {
      if (operands[i] === 'label' && typeof arg === 'string') used.add(arg);
      if (operands[i] === 'table' && Array.isArray(arg))
        for (const arm of arg as readonly { label: string }[]) used.add(arm.label);
    });
  }
  return used;
}

/**
 * Drops code no path reaches: after an instruction that never falls through, until a label that
 * something refers to (so unused curried entry points and dead branches disappear).
 */
function dropUnreachable(items: readonly SymItem[]): SymItem[] {
  const used = referencedLabels(items);
  const out: SymItem[] = [];
  let reachable = true;
  for (const item of items) {
    if (item.kind === 'label') {
      if (!used.has(item.name)) continue;
      reachable = true;
    }
    if (!reachable) continue;
    out.push(item);
    if (item.kind === 'instr' && !fallsThrough(item)) reachable = false;
  }
  return out;
}

/**
 * Rewrites Sense-VM idioms that SynchronVM lacks into its own instructions, with the same effect
 * on our VM:
 * - TAPP (tail application) becomes `APP; RETURN`: it pushes a return address, so a long loop
 *   through closures grows the stack there, as it does on SynchronVM itself;
 * - `FAIL 0` (match failure) becomes `CLEAR; PACK 0; SWITCHI []`: a switch with no arm, which is
 *   a `match failure` fault on Sense-VM and halts the container on SynchronVM ("tag not found").
 */
export function forSynchronVm(input: readonly SymItem[]): SymItem[] {
  const out: SymItem[] = [];
  for (const item of input) {
    if (item.kind === 'instr' && item.op === 'TAPP') {
      out.push({ ...item, op: 'APP' });
      out.push({ ...item, op: 'RETURN', args: [] });
    } else if (item.kind === 'instr' && item.op === 'FAIL' && item.args[0] === 0) {
      out.push({ ...item, op: 'CLEAR', args: [] });
      out.push({ ...item, op: 'PACK', args: [0] });
      out.push({ ...item, op: 'SWITCHI', args: [[]] });
    } else {
      out.push(item);
    }
  }
  return out;
}

/** `MOVE; LOADI k; op` → `opK k` for the operations that have a constant-operand form. */
const CONSTANT_FORMS: ReadonlyMap<string, Mnemonic> = new Map(
  [...CONSTANT_OPERAND_BASE].map(([k, base]) => [
    INSTRUCTIONS[base]!.mnemonic,
    INSTRUCTIONS[k]!.mnemonic as Mnemonic,
  ]),
);

/**
 * Sense-VM only (the SynchronVM format has no such instructions): an operation whose right
 * operand is a constant, `MOVE; LOADI k; op` (push env, load k, pop s: env := s op k), becomes
 * one instruction computing env op k with the stack untouched. The three must be adjacent (no
 * label between them, so no jump lands inside the sequence). Observable difference: none in
 * results; fewer instructions executed, and the stack slot MOVE briefly used is not needed.
 */
export function fuseConstantOperands(input: readonly SymItem[]): SymItem[] {
  const out: SymItem[] = [];
  for (let i = 0; i < input.length; i++) {
    const a = input[i]!;
    const b = input[i + 1];
    const c = input[i + 2];
    const fused = isInstr(c) ? CONSTANT_FORMS.get(c.op) : undefined;
    if (isInstr(a, 'MOVE') && isInstr(b, 'LOADI') && fused !== undefined && isInstr(c)) {
      out.push({ ...c, op: fused, args: [b.args[0]!] });
      i += 2;
    } else {
      out.push(a);
    }
  }
  return out;
}
