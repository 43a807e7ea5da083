/**
 * The channel table of one container: rendezvous points with bounded queues of *waiting
 * contexts* (messages are never buffered here; a waiting sender's message stays in its event,
 * which the blocked context's registers keep alive for the GC).
 *
 * Glossary
 * - direction:  SEND (0) — contexts offering a value; RECV (1) — contexts wanting one.
 * - entry:      (context id, alternative index, sync generation). The alternative index says which
 *               base event of the context's event list the entry belongs to, so the runtime
 *               knows the message and the wrap functions when the entry is taken.
 * - generation: every time a context blocks in a sync it gets a new generation number and
 *               registers one entry per base event; when any one of them fires, the context's
 *               generation changes and all its other entries become *stale*. This is SynchronVM's
 *               per-sync dirty flag without allocating a heap cell for it. Stale entries are
 *               dropped when they reach the front of a queue and compacted away before a queue is
 *               declared full, so only live waiters count against the capacity.
 * - driver:     a channel bound by `spawnExternal` to a driver of the container (-1 = none).
 *
 * Memory: every array is allocated once, sized by `maxChannels` and `queueCapacity` (the number of
 * waiting entries per direction per channel; SynchronVM's was 3). A full queue is reported to the
 * caller, which turns it into a fault — never silent.
 */
export const SEND = 0;
export const RECV = 1;
export type Direction = typeof SEND | typeof RECV;

/** Decides whether the entry (context, generation) is still live. */
export type LivenessCheck = (context: number, generation: number) => boolean;

export interface ChannelWait {
  readonly channel: number;
  readonly direction: 'send' | 'recv';
}

/** Queues up to this long are shifted by a loop instead of copyWithin. */
const SHORT_QUEUE = 8;

export class ChannelTable {
  private readonly open: Uint8Array;
  private readonly driver: Int32Array;
  /** Number of entries per (channel, direction) queue. */
  private readonly length: Int32Array;
  private readonly entryContext: Int32Array;
  private readonly entryAlternative: Int32Array;
  private readonly entryGeneration: Float64Array;
  private openCount = 0;
  /** Filled by `take`: the entry just dequeued. */
  takenContext = -1;
  takenAlternative = -1;

  constructor(
    readonly maxChannels: number,
    readonly queueCapacity: number,
    private readonly isLive: LivenessCheck,
  ) {
    this.open = new Uint8Array(maxChannels);
    this.driver = new Int32Array(maxChannels).fill(-1);
    this.length = new Int32Array(maxChannels * 2);
    const entries = maxChannels * 2 * queueCapacity;
    this.entryContext = new Int32Array(entries);
    this.entryAlternative = new Int32Array(entries);
    this.entryGeneration = new Float64Array(entries);
  }

  /** Bytes of the typed arrays behind the table (reported as channel memory). */
  static bytesFor(maxChannels: number, queueCapacity: number): number {
    return maxChannels * (1 + 4 + 2 * 4) + maxChannels * 2 * queueCapacity * (4 + 4 + 8);
  }

  get channelsInUse(): number {
    return this.openCount;
  }

  /** A new channel id, or -1 when all `maxChannels` are in use (channels are never freed). */
  allocate(): number {
    if (this.openCount >= this.maxChannels) return -1;
    const id = this.openCount++;
    this.open[id] = 1;
    return id;
  }

  isOpen(channel: number): boolean {
    return Number.isInteger(channel) && channel >= 0 && channel < this.maxChannels
      ? this.open[channel] === 1
      : false;
  }

  bindDriver(channel: number, driverNo: number): void {
    this.driver[channel] = driverNo;
  }

  /** The driver bound to the channel, or -1. */
  driverOf(channel: number): number {
    return this.driver[channel]!;
  }

  /** The channel bound to the driver, or -1 (the last binding wins, as in SynchronVM). */
  channelOfDriver(driverNo: number): number {
    for (let c = this.openCount - 1; c >= 0; c--) if (this.driver[c] === driverNo) return c;
    return -1;
  }

  /** Adds a waiting entry; false when the queue holds `queueCapacity` live entries. */
  enqueue(
    channel: number,
    direction: Direction,
    context: number,
    alternative: number,
    generation: number,
  ): boolean {
    const q = channel * 2 + direction;
    if (this.length[q]! >= this.queueCapacity) this.compact(q);
    const n = this.length[q]!;
    if (n >= this.queueCapacity) return false;
    const at = q * this.queueCapacity + n;
    this.entryContext[at] = context;
    this.entryAlternative[at] = alternative;
    this.entryGeneration[at] = generation;
    this.length[q] = n + 1;
    return true;
  }

  /** Whether a live entry waits in the queue; drops stale entries at its front on the way. */
  hasLive(channel: number, direction: Direction): boolean {
    const q = channel * 2 + direction;
    const base = q * this.queueCapacity;
    let drop = 0;
    const n = this.length[q]!;
    while (
      drop < n &&
      !this.isLive(this.entryContext[base + drop]!, this.entryGeneration[base + drop]!)
    )
      drop++;
    if (drop > 0) this.shift(q, drop);
    return drop < n;
  }

  /**
   * Dequeues the first live entry into `takenContext`/`takenAlternative`; returns false (and
   * leaves them -1) when none waits.
   */
  take(channel: number, direction: Direction): boolean {
    const q = channel * 2 + direction;
    const n = this.length[q]!;
    if (n > 0) {
      // The usual case: the first entry is live (a plain rendezvous leaves the queue empty).
      const first = q * this.queueCapacity;
      const context = this.entryContext[first]!;
      if (this.isLive(context, this.entryGeneration[first]!)) {
        this.takenContext = context;
        this.takenAlternative = this.entryAlternative[first]!;
        if (n === 1) this.length[q] = 0;
        else this.shift(q, 1);
        return true;
      }
    }
    this.takenContext = -1;
    this.takenAlternative = -1;
    if (!this.hasLive(channel, direction)) return false;
    const base = q * this.queueCapacity;
    this.takenContext = this.entryContext[base]!;
    this.takenAlternative = this.entryAlternative[base]!;
    this.shift(q, 1);
    return true;
  }

  /** Number of entries (live or stale) in a queue; for tests and statistics. */
  queueLength(channel: number, direction: Direction): number {
    return this.length[channel * 2 + direction]!;
  }

  /** Every (channel, direction) on which the context has a live entry (allocates; for reports). */
  waitsOf(context: number): ChannelWait[] {
    const waits: ChannelWait[] = [];
    for (let c = 0; c < this.openCount; c++) {
      for (const direction of [SEND, RECV] as const) {
        const q = c * 2 + direction;
        const base = q * this.queueCapacity;
        for (let i = 0; i < this.length[q]!; i++) {
          const ctx = this.entryContext[base + i]!;
          if (ctx === context && this.isLive(ctx, this.entryGeneration[base + i]!)) {
            waits.push({ channel: c, direction: direction === SEND ? 'send' : 'recv' });
            break;
          }
        }
      }
    }
    return waits;
  }

  private shift(q: number, count: number): void {
    const base = q * this.queueCapacity;
    const n = this.length[q]!;
    const rest = n - count;
    if (rest > SHORT_QUEUE) {
      this.entryContext.copyWithin(base, base + count, base + n);
      this.entryAlternative.copyWithin(base, base + count, base + n);
      this.entryGeneration.copyWithin(base, base + count, base + n);
    } else {
      // A plain rendezvous empties the queue: no builtin calls for nothing or a few entries.
      for (let i = base; i < base + rest; i++) {
        this.entryContext[i] = this.entryContext[i + count]!;
        this.entryAlternative[i] = this.entryAlternative[i + count]!;
        this.entryGeneration[i] = this.entryGeneration[i + count]!;
      }
    }
    this.length[q] = rest;
  }

  /** Removes every stale entry of queue q, keeping the order of the live ones. */
  private compact(q: number): void {
    const base = q * this.queueCapacity;
    const n = this.length[q]!;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const ctx = this.entryContext[base + i]!;
      const gen = this.entryGeneration[base + i]!;
      if (!this.isLive(ctx, gen)) continue;
      this.entryContext[base + kept] = ctx;
      this.entryAlternative[base + kept] = this.entryAlternative[base + i]!;
      this.entryGeneration[base + kept] = gen;
      kept++;
    }
    this.length[q] = kept;
  }
}
