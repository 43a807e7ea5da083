/**
 * The container heap (vm/memory.ts) seen as a `CellStore<number>` for the event code.
 *
 * A VM value is a (word, kind) pair. The runtime passes it around as ONE JavaScript number so
 * that the event code allocates no objects:
 *
 *   IMMEDIATE word w (a signed 32-bit Int)  →  w                (−2^31 … 2^31 − 1)
 *   POINTER to cell c                       →  c + 2^32         (≥ 2^32)
 *
 * Return addresses never appear in events (the runtime only reads values a program built).
 * `hold` slots are two slots of the VM's runtime root table, acquired once.
 */
import {
  FST_POINTER,
  IMMEDIATE,
  POINTER,
  SND_POINTER,
  type ContainerMemory,
  type ValueKind,
} from '../vm/memory.js';
import type { CellStore } from './events.js';

export const POINTER_OFFSET = 4294967296;

export function encodeValue(word: number, kind: ValueKind): number {
  return kind === POINTER ? word + POINTER_OFFSET : word;
}

export function wordOf(value: number): number {
  return value >= POINTER_OFFSET ? value - POINTER_OFFSET : value;
}

export function kindOf(value: number): ValueKind {
  return value >= POINTER_OFFSET ? POINTER : IMMEDIATE;
}

export class HeapAdapter implements CellStore<number> {
  readonly unit = 0;
  private readonly holdSlots: [number, number];
  /** The heap's cell arrays, read directly: fst/snd run several times per message. */
  private readonly fstWords: Int32Array;
  private readonly sndWords: Int32Array;
  private readonly flags: Uint8Array;
  private readonly cells: number;

  constructor(private readonly memory: ContainerMemory) {
    this.fstWords = memory.fst;
    this.sndWords = memory.snd;
    this.flags = memory.cellFlags;
    this.cells = memory.layout.cells;
    const a = memory.acquireRoot();
    const b = memory.acquireRoot();
    if (a < 0 || b < 0) throw new RangeError('the runtime needs at least 2 root slots');
    this.holdSlots = [a, b];
  }

  int(n: number): number {
    return n | 0;
  }

  intOf(v: number): number {
    return wordOf(v) | 0;
  }

  isPointer(v: number): boolean {
    return v >= POINTER_OFFSET;
  }

  pair(fst: number, snd: number): number | null {
    const cell = this.memory.allocPair(wordOf(fst), kindOf(fst), wordOf(snd), kindOf(snd));
    return cell < 0 ? null : cell + POINTER_OFFSET;
  }

  hold(slot: number, v: number): void {
    const root = this.holdSlots[slot === 0 ? 0 : 1];
    this.memory.setRoot(root, wordOf(v), kindOf(v));
  }

  fst(p: number): number {
    const cell = this.cellOf(p);
    const word = this.fstWords[cell]!;
    return (this.flags[cell]! & FST_POINTER) !== 0 ? word + POINTER_OFFSET : word;
  }

  snd(p: number): number {
    const cell = this.cellOf(p);
    const word = this.sndWords[cell]!;
    return (this.flags[cell]! & SND_POINTER) !== 0 ? word + POINTER_OFFSET : word;
  }

  /** The cell a pointer value names (a runtime bug, not a program's, when it is not one). */
  private cellOf(p: number): number {
    const cell = p - POINTER_OFFSET;
    if (!(cell >= 0 && cell < this.cells))
      throw new RangeError(`internal error: cell ${cell} is outside the heap`);
    return cell;
  }
}
