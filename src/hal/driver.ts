/**
 * The driver interface: the TypeScript form of SynchronVM's `ll_driver_t`
 * (reference/synchronvm.md §4.6) and the interrupt path from a device to whoever consumes it.
 *
 * Glossary
 * - driver:        one peripheral of the board (`led0`, `button0`, …) as the runtime sees it.
 * - driver number: the index a container uses for a driver (`spawnExternal ch 1`); the runtime
 *                  chooses it (board order by default) and passes it to `connect`.
 * - synchronous:   reads and writes complete at once (LED, DAC, PWM, sensors). A `sync` on a
 *                  channel bound to such a driver never blocks.
 * - interrupt:     an asynchronous driver (button, UART input) posts an `InterruptMessage` into
 *                  the `InterruptSink` it was connected to, at the device time the input
 *                  happened. A `recv` on its channel waits for such a message.
 *
 * Values are CamIoT `Int`s (signed 32-bit) instead of SynchronVM's 4-byte little-endian buffers:
 * `write(v)` is `ll_write(&v, 4)` and `read()` returns the whole word (SynchronVM reads one byte
 * and leaves three uninitialised — reference §9.6 asks for better).
 */

/** 'link': one end of a link between containers (system/link-drivers.ts), not a board device. */
export type DeviceKind =
  'led' | 'button' | 'dac' | 'pwm' | 'uart' | 'temperature' | 'light' | 'link';

/** How a driver delivers input: not at all, on demand (`read`), or by interrupt messages. */
export type InputMode = 'none' | 'poll' | 'interrupt';

export interface InterruptMessage {
  /** The driver number given to `connect`. */
  readonly driver: number;
  readonly value: number;
  /** Device time of the input in µs (not the time it is consumed). */
  readonly timestamp: number;
}

export interface InterruptSink {
  /** Returns false when the message is dropped (the sink counts the drop). */
  post(message: InterruptMessage): boolean;
}

export interface Driver {
  /** Peripheral name on the board: `led0`. */
  readonly name: string;
  readonly kind: DeviceKind;
  readonly input: InputMode;
  /** True when the driver accepts writes. */
  readonly output: boolean;
  /** SynchronVM's `is_synchronous`: no operation waits for an interrupt. */
  readonly synchronous: boolean;
  /** The container the peripheral is assigned to, if any. */
  readonly owner: string | undefined;

  /** A `read` returns a meaningful value now. */
  readable(): boolean;
  /** A `write` is accepted now; when false the writer should block and retry later. */
  writable(): boolean;
  /** The current value (LED level, DAC code, sensor reading in the device's integer unit). */
  read(): number;
  /** Returns false if the write was not accepted (not writable, or an input-only device). */
  write(value: number): boolean;
  /** Device-specific requests (see each device); undefined when unsupported. */
  control(request: string, argument?: number): number | undefined;

  /** Interrupt-driven drivers post into `sink` with the given driver number. */
  connect(sink: InterruptSink, driverNumber: number): void;
  disconnect(): void;

  /** Assigns the peripheral to a container (one owner at a time). */
  claim(container: string): void;
  /** Applies the safe state, disconnects and forgets the owner (the container died or ended). */
  release(): void;
  /** Puts the output in its harmless state: LED off, PWM 0, DAC per board (`mid` or `zero`). */
  safeState(): void;
}

/**
 * A bounded FIFO of interrupt messages, owned by whoever consumes them (a container's runtime
 * or the system). A full queue drops the new message and counts it: drops are never silent.
 * Storage is allocated once, as the architecture asks for every queue.
 */
export class InterruptQueue implements InterruptSink {
  private readonly drivers: Int32Array;
  private readonly values: Int32Array;
  private readonly timestamps: Float64Array;
  private head = 0;
  private count = 0;
  /** Messages refused because the queue was full. */
  dropped = 0;

  constructor(
    readonly capacity: number,
    private readonly onDrop?: (message: InterruptMessage) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be ≥ 1');
    this.drivers = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.timestamps = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  post(message: InterruptMessage): boolean {
    if (this.count === this.capacity) {
      this.dropped++;
      this.onDrop?.(message);
      return false;
    }
    const slot = (this.head + this.count) % this.capacity;
    this.drivers[slot] = message.driver;
    this.values[slot] = message.value;
    this.timestamps[slot] = message.timestamp;
    this.count++;
    return true;
  }

  /** The oldest message, removed; undefined when empty. */
  take(): InterruptMessage | undefined {
    if (this.count === 0) return undefined;
    const slot = this.head;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return {
      driver: this.drivers[slot] ?? 0,
      value: this.values[slot] ?? 0,
      timestamp: this.timestamps[slot] ?? 0,
    };
  }

  /** The oldest message without removing it. */
  peek(): InterruptMessage | undefined {
    if (this.count === 0) return undefined;
    const slot = this.head;
    return {
      driver: this.drivers[slot] ?? 0,
      value: this.values[slot] ?? 0,
      timestamp: this.timestamps[slot] ?? 0,
    };
  }
}
