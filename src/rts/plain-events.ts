/**
 * The message fast path's view of events: a *plain* event is what `send c v` and `recv c` build
 * — one alternative, a SEND or RECV header, no wrap function. `sync (send c v)` and
 * `sync (recv c)` make up almost every sync of a message-passing program, so the runtime builds
 * and recognises them here, on the container's cell arrays directly, and leaves every other
 * event (choose, wrap, always, timeout, malformed values) to EventCodec.
 *
 * Equivalence with EventCodec (events.ts documents the layout):
 * - `build` allocates the same three cells as `EventCodec.base`, in the same order, with the
 *   allocator's own fast case and `allocPair` (operands rooted while it may collect) otherwise,
 *   so heap counts, collections and stress-GC behaviour are unchanged.
 * - `decodeSingle` accepts exactly the values for which `countAlternatives` returns 1 and the
 *   alternative decodes as SEND or RECV with an empty wrap list; it fills the same fields
 *   (`kind`, `channel`, `payload`) that the codec would.
 *
 * Values are passed as the runtime's one-number encoding (heap-adapter.ts): an immediate is its
 * word, a pointer is cell + POINTER_OFFSET.
 */
import {
  FST_POINTER,
  IMMEDIATE,
  POINTER,
  SND_POINTER,
  type ContainerMemory,
  type ValueKind,
} from '../vm/memory.js';
import { EventKind } from './events.js';
import { POINTER_OFFSET } from './heap-adapter.js';

/** Header kinds of a plain event (EventKind.send / EventKind.recv). */
export type PlainKind = typeof EventKind.send | typeof EventKind.recv;

export class PlainEvents {
  /** Filled by `decodeSingle`. */
  kind: PlainKind = EventKind.send;
  channel = 0;
  payload = 0;

  private readonly fstWords: Int32Array;
  private readonly sndWords: Int32Array;
  private readonly flags: Uint8Array;
  private readonly cells: number;

  constructor(private readonly memory: ContainerMemory) {
    this.fstWords = memory.fst;
    this.sndWords = memory.snd;
    this.flags = memory.cellFlags;
    this.cells = memory.layout.cells;
  }

  /**
   * `EventCodec.base(kind, channel, payload)` for SEND/RECV: the event's value, or -1 when the
   * heap is exhausted. The payload must be reachable from a root (the calling context's
   * registers hold it).
   */
  build(kind: PlainKind, channel: number, payloadWord: number, payloadKind: ValueKind): number {
    const body = this.pair(payloadWord, payloadKind, 0, IMMEDIATE);
    if (body < 0) return -1;
    const alternative = this.pair(kind | (channel << 2) | 0, IMMEDIATE, body, POINTER);
    if (alternative < 0) return -1;
    const event = this.pair(alternative, POINTER, 0, IMMEDIATE);
    return event < 0 ? -1 : event + POINTER_OFFSET;
  }

  /**
   * `memory.allocPair`, with the allocator's bump first: a cell of the free run at the sweep
   * pointer (`allocateInRun`, the protocol the compiled tier inlines too). No collection can
   * happen there, so nothing needs rooting; at the end of a run allocPair finds the next one or
   * collects with the operands rooted — the same cells in the same order either way.
   */
  private pair(fstWord: number, fstKind: ValueKind, sndWord: number, sndKind: ValueKind): number {
    const cell = this.memory.allocateInRun();
    if (cell < 0) return this.memory.allocPair(fstWord, fstKind, sndWord, sndKind);
    this.fstWords[cell] = fstWord;
    this.sndWords[cell] = sndWord;
    this.flags[cell] = (fstKind & POINTER) | ((sndKind & POINTER) << 1);
    return cell;
  }

  /** True when `event` is a plain event; its fields are then in `kind`, `channel`, `payload`. */
  decodeSingle(event: number): boolean {
    const list = event - POINTER_OFFSET;
    // Not a pointer (or not a cell: the codec would throw an internal error; let it).
    if (!(list >= 0 && list < this.cells)) return false;
    const flags = this.flags;
    // One alternative: the list cell's head is a pointer, its tail is not.
    if (flags[list] !== FST_POINTER) return false;
    const alternative = this.fstWords[list]!;
    if (!(alternative >= 0 && alternative < this.cells)) return false;
    // [header (immediate), body (pointer)]
    if (flags[alternative] !== SND_POINTER) return false;
    const header = this.fstWords[alternative]!;
    const body = this.sndWords[alternative]!;
    if (header < 0 || !(body >= 0 && body < this.cells)) return false;
    const kind = header & 3;
    if (kind !== EventKind.send && kind !== EventKind.recv) return false;
    // [payload, wraps]: no wrap function.
    const bodyFlags = flags[body]!;
    if ((bodyFlags & SND_POINTER) !== 0) return false;
    const payload = this.fstWords[body]!;
    this.kind = kind;
    this.channel = header >>> 2;
    this.payload = (bodyFlags & FST_POINTER) !== 0 ? payload + POINTER_OFFSET : payload;
    return true;
  }
}
