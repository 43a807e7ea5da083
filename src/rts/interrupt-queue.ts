/**
 * The bounded queue through which asynchronous drivers (buttons, timers, UART in, sensors) hand
 * interrupts to the container runtime: each message is (driver number, value, timestamp µs).
 *
 * A message waits here until a context receives it on the channel bound to its driver — exactly
 * like a software sender blocked in `send`, so an interrupt and a software message look the same
 * to the program. SynchronVM discarded a message when no receiver was waiting at that moment and
 * dropped silently when its OS queue was full (reference §4.6); here a full queue drops the *new*
 * message and counts it per driver, and messages of drivers bound to no channel are discarded and
 * counted separately. Both counts are reported.
 *
 * Fixed capacity, typed arrays allocated once, FIFO order overall and per driver.
 */
export class InterruptQueue {
  private readonly driver: Int32Array;
  private readonly value: Int32Array;
  private readonly timestamp: Float64Array;
  private count = 0;
  private readonly dropsByDriver = new Map<number, number>();
  private totalDrops = 0;
  /** Filled by `takeFor`: the message just dequeued. */
  takenValue = 0;
  takenTimestamp = 0;

  constructor(readonly capacity: number) {
    this.driver = new Int32Array(capacity);
    this.value = new Int32Array(capacity);
    this.timestamp = new Float64Array(capacity);
  }

  static bytesFor(capacity: number): number {
    return capacity * (4 + 4 + 8);
  }

  get size(): number {
    return this.count;
  }

  get drops(): number {
    return this.totalDrops;
  }

  dropsOf(driverNo: number): number {
    return this.dropsByDriver.get(driverNo) ?? 0;
  }

  /** Queues a message; false (and counted as a drop) when the queue is full. */
  post(driverNo: number, value: number, timestamp: number): boolean {
    if (this.count >= this.capacity) {
      this.countDrop(driverNo);
      return false;
    }
    const at = this.count++;
    this.driver[at] = driverNo;
    this.value[at] = value | 0;
    this.timestamp[at] = timestamp;
    return true;
  }

  countDrop(driverNo: number): void {
    this.totalDrops++;
    this.dropsByDriver.set(driverNo, (this.dropsByDriver.get(driverNo) ?? 0) + 1);
  }

  hasFor(driverNo: number): boolean {
    for (let i = 0; i < this.count; i++) if (this.driver[i] === driverNo) return true;
    return false;
  }

  /** Dequeues the oldest message of the driver into `takenValue`/`takenTimestamp`. */
  takeFor(driverNo: number): boolean {
    for (let i = 0; i < this.count; i++) {
      if (this.driver[i] !== driverNo) continue;
      this.takenValue = this.value[i]!;
      this.takenTimestamp = this.timestamp[i]!;
      this.removeAt(i);
      return true;
    }
    return false;
  }

  /** Discards every message of the driver; returns how many. */
  discardFor(driverNo: number): number {
    let removed = 0;
    for (let i = 0; i < this.count;) {
      if (this.driver[i] === driverNo) {
        this.removeAt(i);
        removed++;
      } else i++;
    }
    return removed;
  }

  /** Drivers with pending messages, oldest first, without duplicates (allocates). */
  pendingDrivers(): number[] {
    const seen: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const d = this.driver[i]!;
      if (!seen.includes(d)) seen.push(d);
    }
    return seen;
  }

  /** Message i of the queue, oldest first (i < size). */
  driverAt(i: number): number {
    return this.driver[i]!;
  }
  valueAt(i: number): number {
    return this.value[i]!;
  }
  timestampAt(i: number): number {
    return this.timestamp[i]!;
  }

  removeAt(i: number): void {
    this.driver.copyWithin(i, i + 1, this.count);
    this.value.copyWithin(i, i + 1, this.count);
    this.timestamp.copyWithin(i, i + 1, this.count);
    this.count--;
  }
}
