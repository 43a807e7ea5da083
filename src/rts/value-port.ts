/**
 * Value ports: drivers that carry whole CamIoT values instead of Ints — the link ends between
 * containers (system/link-drivers.ts). The runtime stays independent of the system layer: it
 * knows a port only through this interface and hands it access to the container's heap.
 *
 * Glossary
 * - port:     what a driver exposes as `driver.port`. One end of a message queue owned by
 *             someone else; a channel bound to it with `spawnExternal` sends or receives
 *             through it, so `choose`, `wrap` and `syncT` work unchanged.
 * - ready:    a send (receive) on the port can complete now. A send that is not ready (a full
 *             `block` link) waits in the channel's send queue like a software sender; it
 *             completes — and its sync commits — only when the port says it has room.
 * - dead:     the port can never fire again (the peer container stopped for good; for a receive
 *             end, once nothing is queued any more). A sync whose alternatives are all on dead
 *             ports can never complete: the runtime faults its context with `link closed`.
 * - reader:   the sender's heap, read-only, values as one number (heap-adapter.ts). The port
 *             serialises the value itself (it knows the message type and the size bound) and
 *             may refuse it: that is a fault of the *sender* (`link not data`,
 *             `link message too large`).
 * - builder:  builds the received value in the receiver's heap bottom-up. Partial values live
 *             on the receiving context's own VM stack, which the collector scans, so a
 *             collection during decoding (stress GC) is safe.
 * - watch:    the runtime registers a callback when a channel is bound to the port; the port
 *             calls it whenever readiness or deadness may have changed (a message arrived, room
 *             freed up, the peer stopped). The runtime then serves its waiters at its next poll.
 */
import type { Driver } from '../hal/driver.js';
import type { FaultCause } from '../vm/faults.js';
import { IMMEDIATE, POINTER, type ContainerMemory } from '../vm/memory.js';
import { encodeValue, type HeapAdapter, wordOf } from './heap-adapter.js';

/** Read access to the sending container's heap. */
export interface PortHeapReader {
  isPointer(v: number): boolean;
  /** The signed 32-bit word of an immediate value. */
  word(v: number): number;
  fst(cell: number): number;
  snd(cell: number): number;
}

/** Builds a value in the receiving container's heap, bottom-up. */
export interface PortHeapBuilder {
  pushImmediate(word: number): boolean;
  /** Pops snd, then fst; pushes the cell [fst, snd]. False when the heap (or stack) is full. */
  pushPair(): boolean;
  pop(): number;
  reset(): void;
}

/** Why a port refused a value; `cause` decides the fault. */
export interface PortFailure {
  readonly cause:
    'link-not-data' | 'link-message-too-large' | 'link-message-malformed' | 'heap-exhausted';
  readonly detail: string;
}

export interface ValuePort {
  /** Which way values go through this end; using it the other way faults the context. */
  readonly direction: 'send' | 'recv';
  sendReady(): boolean;
  /** Serialises and hands over `value`; a failure is the sender's fault. Only when ready. */
  send(heap: PortHeapReader, value: number): PortFailure | undefined;
  /** A context blocked with a send on this port (for the port's statistics). */
  sendWaiting?(): void;
  receiveReady(): boolean;
  /** Takes the oldest message into the receiver's heap: the value, or why not. */
  receive(builder: PortHeapBuilder): number | PortFailure;
  dead(): boolean;
  watch(onChange: (() => void) | undefined): void;
}

export interface PortDriver extends Driver {
  readonly port: ValuePort;
}

export function portOf(driver: Driver | undefined): ValuePort | undefined {
  return driver && 'port' in driver ? (driver as PortDriver).port : undefined;
}

/** The fault a port failure becomes (vm/faults causes). */
export function faultCauseOf(failure: PortFailure): FaultCause {
  switch (failure.cause) {
    case 'link-not-data':
      return 'link not data';
    case 'link-message-too-large':
      return 'link message too large';
    case 'heap-exhausted':
      return 'heap exhausted';
    case 'link-message-malformed':
      return 'runtime error';
  }
}

/** A reader over a container's heap (values as heap-adapter numbers). */
export function heapReader(heap: HeapAdapter): PortHeapReader {
  return {
    isPointer: (v) => heap.isPointer(v),
    word: (v) => wordOf(v) | 0,
    fst: (cell) => heap.fst(cell),
    snd: (cell) => heap.snd(cell),
  };
}

/**
 * A builder whose partial values sit on `context`'s VM stack, above whatever the context holds;
 * `reset` drops back to the depth it started at. Reused for every message of the container.
 */
export class StackBuilder implements PortHeapBuilder {
  private context = -1;
  private baseDepth = 0;

  constructor(readonly memory: ContainerMemory) {}

  /** Starts building on `context`'s stack. */
  on(context: number): this {
    this.context = context;
    this.baseDepth = this.memory.stackDepth(context);
    return this;
  }

  pushImmediate(word: number): boolean {
    return this.memory.push(this.context, word | 0, IMMEDIATE);
  }

  pushPair(): boolean {
    const mem = this.memory;
    const ctx = this.context;
    if (mem.stackDepth(ctx) - this.baseDepth < 2) return false;
    // Both operands stay on the stack (GC roots) while the cell is allocated.
    const cell = mem.allocPair(
      mem.peekWord(ctx, 1),
      mem.peekKind(ctx, 1),
      mem.peekWord(ctx),
      mem.peekKind(ctx),
    );
    if (cell < 0) return false;
    mem.drop(ctx, 2);
    return mem.push(ctx, cell, POINTER);
  }

  pop(): number {
    const mem = this.memory;
    const v = encodeValue(mem.peekWord(this.context), mem.peekKind(this.context));
    mem.drop(this.context, 1);
    return v;
  }

  reset(): void {
    const extra = this.memory.stackDepth(this.context) - this.baseDepth;
    if (extra > 0) this.memory.drop(this.context, extra);
  }
}
