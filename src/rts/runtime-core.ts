/**
 * The state and the commit machinery of one container's runtime (container-runtime.ts has the
 * slice loop, the runtime calls and sync, and the glossary): contexts and their per-context
 * arrays, the ready and wake-up queues, channels, events, the end of a context, and `commit` —
 * a sync firing an alternative — with the two rendezvous. Split from container-runtime.ts to
 * keep both files readable; ContainerRuntime is the only subclass.
 */
import type { Clock } from '../hal/clock.js';
import type { Driver, InterruptMessage, InterruptSink } from '../hal/driver.js';
import type { FaultCause, FaultRecord } from '../vm/faults.js';
import type { Machine } from '../vm/machine.js';
import { CONTEXT_ACTIVE } from '../vm/memory.js';
import { printValue } from '../vm/print.js';
import { ChannelTable } from './channels.js';
import { ContextQueue } from './context-queue.js';
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig, runtimeConfigProblem } from './config.js';
import { CpuCost } from './cpu-cost.js';
import { EventCodec } from './events.js';
import { FunctionEntry } from './function-entry.js';
import { encodeValue, HeapAdapter, kindOf, wordOf } from './heap-adapter.js';
import { InterruptQueue } from './interrupt-queue.js';
import { PlainEvents } from './plain-events.js';
import { PortService } from './port-service.js';
import { RuntimeTracer } from './runtime-trace.js';
import {
  BLOCKED,
  ENDED,
  FAULTED,
  READY,
  RUNNING,
  WAKE_NONE,
  WAKE_TIMEOUT,
  type RuntimeHost,
  type RuntimeObserver,
} from './runtime-types.js';
import { TimingRecorder } from './time.js';

/** How a runtime call leaves the calling context: running on, or giving up the execution unit. */
export type Flow = 'continue' | 'switch';

export abstract class RuntimeCore {
  readonly config: RuntimeConfig;
  readonly channels: ChannelTable;
  readonly readyQueue: ContextQueue;
  readonly wakeQueue: ContextQueue;
  readonly interrupts: InterruptQueue;
  readonly timing = new TimingRecorder();
  readonly faults: FaultRecord[] = [];
  /** Printed value of main, once main has returned. */
  mainResult: string | undefined;
  mainEnded = false;
  mainFaulted = false;
  /** Instructions executed by every context together. */
  instructions = 0;
  /** Messages passed between contexts (rendezvous on channels). */
  messages = 0;
  readonly mainContext: number;

  protected readonly clock: Clock;
  protected readonly drivers: readonly Driver[];
  protected readonly observer: RuntimeObserver;
  protected readonly heap: HeapAdapter;
  protected readonly codec: EventCodec<number>;
  protected readonly plain: PlainEvents;
  protected readonly maxContexts: number;
  protected readonly entry: FunctionEntry;

  readonly state: Uint8Array;
  readonly logicalTime: Float64Array;
  /** EDF priority: the deadline of the context's timed sync, Infinity when untimed. */
  readonly priority: Float64Array;
  readonly generation: Float64Array;
  readonly wakeReason: Uint8Array;
  protected readonly timeoutAlternative: Int32Array;
  protected readonly timedPending: Uint8Array;
  protected readonly releaseAt: Float64Array;
  protected readonly deadlineAt: Float64Array;
  protected readonly rotation: Float64Array;

  /** Device time of executed instructions (the board's cost model). */
  protected readonly cost: CpuCost;
  protected current = -1;
  /** The context whose CALLRTS is being served (-1 outside a call). */
  protected callingContext = -1;
  protected live = 0;
  protected interruptsDirty = false;
  protected readonly sink: InterruptSink;
  protected readonly tracer: RuntimeTracer | undefined;
  /** Drivers that carry whole values (link ends between containers): value-port.ts. */
  readonly ports: PortService;

  constructor(
    readonly machine: Machine,
    host: RuntimeHost,
    config: RuntimeConfig = DEFAULT_RUNTIME_CONFIG,
  ) {
    const problem = runtimeConfigProblem(config);
    if (problem) throw new RangeError(`invalid runtime configuration: ${problem}`);
    this.config = config;
    this.clock = host.clock;
    this.drivers = host.drivers ?? [];
    this.observer = host.observer ?? {};
    this.cost = new CpuCost(machine, host.cycleTable, host.flatCyclesPerInstruction ?? 16);
    const n = (this.maxContexts = machine.memory.layout.maxContexts);
    this.state = new Uint8Array(n);
    this.logicalTime = new Float64Array(n);
    this.priority = new Float64Array(n).fill(Infinity);
    this.generation = new Float64Array(n);
    this.wakeReason = new Uint8Array(n);
    this.timeoutAlternative = new Int32Array(n);
    this.timedPending = new Uint8Array(n);
    this.releaseAt = new Float64Array(n);
    this.deadlineAt = new Float64Array(n);
    this.rotation = new Float64Array(n);
    this.readyQueue = new ContextQueue(n);
    this.wakeQueue = new ContextQueue(n);
    this.channels = new ChannelTable(
      config.maxChannels,
      config.channelQueueCapacity,
      (ctx, gen) => this.state[ctx] === BLOCKED && this.generation[ctx] === gen,
    );
    this.interrupts = new InterruptQueue(config.interruptQueueCapacity);
    this.heap = new HeapAdapter(machine.memory);
    this.codec = new EventCodec(this.heap);
    this.plain = new PlainEvents(machine.memory);
    this.entry = new FunctionEntry(machine, this.codec, n);
    this.ports = new PortService(this.drivers, machine.memory, this.heap, {
      channels: this.channels,
      codec: this.codec,
      isBlocked: (ctx) => this.state[ctx] === BLOCKED,
      commitWaiting: (ctx, alt, value) => {
        if (this.commit(ctx, alt, value, this.clock.now())) this.makeReady(ctx);
      },
      faultWaiting: (ctx, cause, detail) => {
        this.faulted(ctx, this.machine.raiseFault(ctx, cause, detail, this.machine.pcOf(ctx) - 2));
      },
    });
    this.sink = { post: (m) => this.postInterrupt(m) };
    this.tracer = host.trace?.enabled
      ? new RuntimeTracer(host.trace, machine, host.clock)
      : undefined;
    const main = machine.startContext(0);
    if (main < 0) throw new RangeError('no context for main');
    this.mainContext = main;
    this.logicalTime[main] = this.clock.now();
    this.makeReady(main);
    this.live = 1;
  }

  protected postInterrupt(m: InterruptMessage): boolean {
    this.interruptsDirty = true;
    if (this.interrupts.post(m.driver, m.value, m.timestamp)) return true;
    this.observer.interruptDropped?.(m, 'queue-full');
    return false;
  }

  protected makeReady(ctx: number): void {
    this.state[ctx] = READY;
    this.readyQueue.push(ctx, this.priority[ctx]!);
  }

  // ------------------------------------------------------------------ context life

  protected stopped(ctx: number): void {
    const mem = this.machine.memory;
    if (this.entry.isWrapReturn(ctx)) {
      // An inner wrap function returned: run the next one on its result.
      mem.setContextState(ctx, CONTEXT_ACTIVE);
      this.enterNext(ctx);
      return;
    }
    if (ctx === this.mainContext) {
      this.mainEnded = true;
      this.mainResult = printValue(
        mem,
        mem.envWord(ctx),
        mem.envKind(ctx),
        this.machine.program.metadata?.mainType,
        { metadata: this.machine.program.metadata, strings: this.machine.program.strings },
      );
      this.observer.mainReturned?.(this.mainResult);
    }
    this.retire(ctx, ENDED);
  }

  protected faulted(ctx: number, fault: FaultRecord): void {
    this.faults.push(fault);
    if (ctx === this.mainContext) this.mainFaulted = true;
    this.tracer?.faulted(ctx, fault);
    this.observer.contextFaulted?.(fault);
    this.retire(ctx, FAULTED);
  }

  /** Faults ctx; inside a runtime call the fault points at its CALLRTS instruction. */
  protected fault(ctx: number, cause: FaultCause, detail: string): 'switch' {
    const pc = ctx === this.callingContext ? this.machine.pcOf(ctx) - 2 : this.machine.pcOf(ctx);
    this.faulted(ctx, this.machine.raiseFault(ctx, cause, detail, pc));
    return 'switch';
  }

  protected retire(ctx: number, state: number): void {
    if (state === ENDED) this.tracer?.ended(ctx);
    this.state[ctx] = state;
    this.readyQueue.remove(ctx);
    this.wakeQueue.remove(ctx);
    this.wakeReason[ctx] = WAKE_NONE;
    this.generation[ctx]!++;
    this.timedPending[ctx] = 0;
    this.entry.clear(ctx);
    this.machine.releaseContext(ctx);
    if (this.current === ctx) this.current = -1;
    this.live--;
  }

  protected commitRunning(ctx: number, alt: number, value: number, now: number): Flow {
    return this.commit(ctx, alt, value, now, false) ? 'continue' : 'switch';
  }

  /**
   * I send; a receiver waited. The receiver gets the message and runs; I am made ready.
   * `alternatives`: of my event; `wraps`/`wrapCount`: the wrap list of my alternative `alt`.
   */
  protected rendezvousAsSender(
    ctx: number,
    alt: number,
    message: number,
    now: number,
    alternatives: number,
    wraps: number,
    wrapCount: number,
  ): Flow {
    const receiver = this.channels.takenContext;
    const receiverAlt = this.channels.takenAlternative;
    const receiverOk = this.commit(receiver, receiverAlt, message, now);
    if (!this.commitDecoded(ctx, alt, this.heap.unit, now, false, alternatives, wraps, wrapCount)) {
      if (receiverOk) this.makeReady(receiver);
      return 'switch';
    }
    if (!receiverOk) return 'continue';
    this.makeReady(ctx);
    this.readyQueue.remove(receiver);
    this.state[receiver] = RUNNING;
    this.current = receiver;
    this.tracer?.switchTo(receiver, this.readyQueue.size, this.wakeQueue.size);
    return 'switch';
  }

  /**
   * I receive; a sender waited. I get its message and keep running; it is made ready.
   * `alternatives`: of my event; `wraps`/`wrapCount`: the wrap list of my alternative `alt`.
   */
  protected rendezvousAsReceiver(
    ctx: number,
    alt: number,
    now: number,
    alternatives: number,
    wraps: number,
    wrapCount: number,
  ): Flow {
    const sender = this.channels.takenContext;
    const senderAlt = this.channels.takenAlternative;
    const mem = this.machine.memory;
    // The sender's alternative, decoded once: its message now, its wraps for its commit below
    // (its env, which holds the event, does not change before then; cells never move).
    const senderEvent = encodeValue(mem.envWord(sender), mem.envKind(sender));
    let message: number;
    let senderWraps = this.heap.unit;
    let senderWrapCount = 0;
    if (senderAlt === 0 && this.plain.decodeSingle(senderEvent)) {
      message = this.plain.payload;
    } else {
      this.codec.decodeAt(senderEvent, senderAlt);
      message = this.codec.payload;
      senderWraps = this.codec.wraps;
      senderWrapCount = this.codec.wrapCount;
    }
    const mine = this.commitDecoded(ctx, alt, message, now, false, alternatives, wraps, wrapCount);
    const senderAlternatives = this.tracer ? this.alternativesOf(senderEvent) : 1;
    if (
      this.commitDecoded(
        sender,
        senderAlt,
        this.heap.unit,
        now,
        true,
        senderAlternatives,
        senderWraps,
        senderWrapCount,
      )
    )
      this.makeReady(sender);
    return mine ? 'continue' : 'switch';
  }

  /** Alternatives of an event, for the trace (1 for a value that is not an event). */
  protected alternativesOf(event: number): number {
    const n = this.codec.countAlternatives(event);
    return typeof n === 'number' ? n : 1;
  }

  /**
   * The sync of `ctx` (whose env holds the event) fires alternative `alt` with `value` at time
   * `at`. `blocked`: the context had been waiting (its logical time moves up to `at` unless the
   * sync is timed). Returns false when the context faulted while entering its wrap functions.
   */
  protected commit(ctx: number, alt: number, value: number, at: number, blocked = true): boolean {
    const mem = this.machine.memory;
    const event = encodeValue(mem.envWord(ctx), mem.envKind(ctx));
    const alternatives = this.tracer ? this.alternativesOf(event) : 1;
    if (alt === 0 && this.plain.decodeSingle(event))
      return this.commitDecoded(ctx, alt, value, at, blocked, alternatives, this.heap.unit, 0);
    this.codec.decodeAt(event, alt);
    const wraps = this.codec.wraps;
    const count = this.codec.wrapCount;
    return this.commitDecoded(ctx, alt, value, at, blocked, alternatives, wraps, count);
  }

  /** `commit` with the alternative's wrap list already decoded (and the event's size). */
  protected commitDecoded(
    ctx: number,
    alt: number,
    value: number,
    at: number,
    blocked: boolean,
    alternatives: number,
    wraps: number,
    count: number,
  ): boolean {
    const mem = this.machine.memory;
    this.generation[ctx]!++;
    if (this.wakeReason[ctx] === WAKE_TIMEOUT) {
      this.wakeQueue.remove(ctx);
      this.wakeReason[ctx] = WAKE_NONE;
    }
    if (this.timedPending[ctx]) {
      this.timedPending[ctx] = 0;
      const window = { releaseAt: this.releaseAt[ctx]!, deadlineAt: this.deadlineAt[ctx]! };
      const committedAt = Math.max(at, this.clock.now());
      if (this.timing.record(ctx, window, committedAt)) {
        this.tracer?.deadlineMissed(ctx, committedAt - window.deadlineAt);
        this.observer.deadlineMissed?.({ context: ctx, ...window, committedAt });
      }
    } else if (blocked) {
      this.logicalTime[ctx] = Math.max(this.logicalTime[ctx]!, at);
    }
    this.tracer?.sync(ctx, alternatives, alt);
    if (count > 0) this.entry.begin(ctx, wraps, count);
    mem.setEnv(ctx, wordOf(value), kindOf(value));
    if (this.state[ctx] === BLOCKED) this.state[ctx] = READY;
    return count === 0 || this.enterNext(ctx);
  }

  /** Enters the next wrap function of ctx; false when that faulted the context. */
  protected enterNext(ctx: number): boolean {
    const problem = this.entry.next(ctx);
    if (!problem) return true;
    this.fault(ctx, problem.cause, problem.detail);
    return false;
  }
}
