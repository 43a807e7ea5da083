/**
 * The mutable reference primitives behind CALLRTS readRef/writeRef: a Ref is one heap pair
 * [value, ()] (newRef builds it through the event code's cell store). A program that passes
 * something else gets a fault, never a host exception.
 */
import type { FaultCause } from '../vm/faults.js';
import { IMMEDIATE, POINTER, type ContainerMemory } from '../vm/memory.js';
import { kindOf, wordOf } from './heap-adapter.js';

export interface RefProblem {
  readonly cause: FaultCause;
  readonly detail: string;
}

/** env := the Ref's value; `env` is the Ref as a runtime value (heap-adapter.ts). */
export function readRef(mem: ContainerMemory, ctx: number, env: number): RefProblem | undefined {
  if (kindOf(env) !== POINTER)
    return { cause: 'wrong kind of value', detail: 'readRef of a value that is not a Ref' };
  mem.setEnv(ctx, mem.fstWord(wordOf(env)), mem.fstKind(wordOf(env)));
  return undefined;
}

/** The Ref on the stack gets `env` as its value; pops it; env := (). */
export function writeRef(mem: ContainerMemory, ctx: number, env: number): RefProblem | undefined {
  if (mem.stackDepth(ctx) < 1) return { cause: 'stack underflow', detail: 'writeRef needs a Ref' };
  if (mem.peekKind(ctx) !== POINTER)
    return { cause: 'wrong kind of value', detail: 'writeRef of a value that is not a Ref' };
  mem.setFst(mem.peekWord(ctx), wordOf(env), kindOf(env));
  mem.drop(ctx, 1);
  mem.setEnv(ctx, 0, IMMEDIATE);
  return undefined;
}
