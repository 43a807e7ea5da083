/**
 * A stable indexed min-queue of context ids, used twice by the container runtime:
 *
 * - the ready queue, keyed by deadline (µs; `Infinity` for untimed contexts) — EDF, earliest first;
 * - the wake-up queue, keyed by wake time (µs) — sleeping, syncT-released and time-out contexts.
 *
 * Invariants
 * - A context id is in a queue at most once (`has(id)`), so the capacity is `maxContexts` and the
 *   queue can never overflow: `push` of an id already present is a programming error of the
 *   runtime and throws.
 * - Equal keys leave in insertion order (FIFO). SynchronVM's binary heap is not stable (spawning
 *   p1, p2, p3 runs p1, p3, p2, reference §4.3); here every entry carries an insertion sequence
 *   number that breaks ties, so the order is total and deterministic.
 * - No allocation per operation: a binary heap over typed arrays allocated once.
 * - Keys and sequence numbers are doubles: exact integers up to 2^53 (µs: 285 years; insertions:
 *   far more than any run performs).
 */
export class ContextQueue {
  /** heap[i] = context id at heap position i (0 … size-1). */
  private readonly heap: Int32Array;
  /** position[id] = heap index of the id, or -1 when absent. */
  private readonly position: Int32Array;
  private readonly keys: Float64Array;
  private readonly sequence: Float64Array;
  private nextSequence = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.heap = new Int32Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
    this.keys = new Float64Array(capacity);
    this.sequence = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.capacity && this.position[id]! >= 0;
  }

  /** The key the id was queued with (undefined when absent). */
  keyOf(id: number): number | undefined {
    return this.has(id) ? this.keys[id] : undefined;
  }

  push(id: number, key: number): void {
    if (id < 0 || id >= this.capacity) throw new RangeError(`context id ${id} out of range`);
    if (this.position[id]! >= 0) throw new Error(`internal error: context ${id} queued twice`);
    this.keys[id] = key;
    this.sequence[id] = this.nextSequence++;
    const at = this.count++;
    this.heap[at] = id;
    this.position[id] = at;
    this.siftUp(at);
  }

  /** The id with the smallest key (earliest inserted among equals), or -1 when empty. */
  peek(): number {
    return this.count === 0 ? -1 : this.heap[0]!;
  }

  /** The smallest key, or `Infinity` when empty. */
  peekKey(): number {
    return this.count === 0 ? Infinity : this.keys[this.heap[0]!]!;
  }

  /** Removes and returns the first id, or -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const first = this.heap[0]!;
    this.removeAt(0);
    return first;
  }

  /** Removes the id if present; returns whether it was. */
  remove(id: number): boolean {
    if (!this.has(id)) return false;
    this.removeAt(this.position[id]!);
    return true;
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.position[this.heap[i]!] = -1;
    this.count = 0;
  }

  /** The queued ids in queue order (allocates; for reports and tests, not for hot paths). */
  toArray(): number[] {
    const ids = Array.from(this.heap.subarray(0, this.count));
    return ids.sort((a, b) => this.compareIds(a, b));
  }

  private compareIds(a: number, b: number): number {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    if (ka !== kb) return ka < kb ? -1 : 1;
    return this.sequence[a]! - this.sequence[b]!;
  }

  private less(i: number, j: number): boolean {
    return this.compareIds(this.heap[i]!, this.heap[j]!) < 0;
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    this.position[b] = i;
    this.position[a] = j;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.count) return;
      const right = left + 1;
      const child = right < this.count && this.less(right, left) ? right : left;
      if (!this.less(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }

  private removeAt(i: number): void {
    const id = this.heap[i]!;
    const last = --this.count;
    this.position[id] = -1;
    if (i === last) return;
    const moved = this.heap[last]!;
    this.heap[i] = moved;
    this.position[moved] = i;
    this.siftDown(i);
    this.siftUp(this.position[moved]!);
  }
}
