/**
 * What one container's runtime writes into the shared trace (trace/trace.ts): context switches,
 * spawns and ends, syncs with their alternatives, messages between contexts, collections,
 * faults, deadline misses, and counters for heap use and queue lengths.
 *
 * The runtime holds a tracer only when the trace is enabled, so a run without `--trace` pays one
 * `undefined` check per event site. Counters are emitted only when their value changed, at
 * context switches and after collections, which keeps the trace small and deterministic.
 *
 * Collections happen inside the VM; device time does not advance while one runs (the cost model
 * charges instructions only), so `gc-start` and `gc-end` carry the same timestamp.
 */
import type { Clock } from '../hal/clock.js';
import type { FaultRecord } from '../vm/faults.js';
import type { CollectionStats } from '../vm/memory.js';
import type { Machine } from '../vm/machine.js';
import type { Trace } from '../trace/trace.js';

export class RuntimeTracer {
  private readonly container: string;
  private readonly lastCounter = new Map<string, number>();

  constructor(
    private readonly trace: Trace,
    private readonly machine: Machine,
    private readonly clock: Clock,
  ) {
    this.container = machine.containerName;
    const memory = machine.memory;
    const previous = memory.onCollection;
    memory.onCollection = (stats) => {
      previous?.(stats);
      this.collected(stats);
    };
  }

  switchTo(context: number, readyLength: number, wakeLength: number): void {
    const t = this.clock.now();
    this.trace.emit({ kind: 'context-switch', t, container: this.container, context });
    this.counter(t, 'heap bytes', this.machine.memory.heapStats().bytesInUse);
    this.counter(t, 'ready queue', readyLength);
    this.counter(t, 'wake queue', wakeLength);
  }

  spawned(context: number, parent: number): void {
    this.trace.emit({
      kind: 'context-spawn',
      t: this.clock.now(),
      container: this.container,
      context,
      parent,
    });
  }

  ended(context: number): void {
    this.trace.emit({
      kind: 'context-end',
      t: this.clock.now(),
      container: this.container,
      context,
    });
  }

  faulted(context: number, fault: FaultRecord): void {
    this.trace.emit({
      kind: 'fault',
      t: this.clock.now(),
      container: this.container,
      context,
      cause: fault.cause,
      pc: fault.pc,
    });
  }

  /** A sync of `alternatives` base events: `chosen` fired, or null when the context blocked. */
  sync(context: number, alternatives: number, chosen: number | null): void {
    this.trace.emit({
      kind: 'sync',
      t: this.clock.now(),
      container: this.container,
      context,
      alternatives,
      chosen,
    });
  }

  /** A rendezvous on `channel` between two contexts; `context` is the one running. */
  message(context: number, channel: number, from: number, to: number): void {
    this.trace.emit({
      kind: 'message',
      t: this.clock.now(),
      container: this.container,
      context,
      channel,
      from,
      to,
    });
  }

  deadlineMissed(context: number, lateMicros: number): void {
    this.trace.emit({
      kind: 'deadline-miss',
      t: this.clock.now(),
      container: this.container,
      context,
      lateMicros,
    });
  }

  private collected(stats: CollectionStats): void {
    const t = this.clock.now();
    const cellBytes = this.machine.memory.heapStats().cellBytes;
    const container = this.container;
    this.trace.emit({ kind: 'gc-start', t, container, heapBytes: stats.cellsBefore * cellBytes });
    this.trace.emit({
      kind: 'gc-end',
      t,
      container,
      heapBytes: stats.cellsLive * cellBytes,
      freedBytes: stats.cellsFreed * cellBytes,
    });
    this.counter(t, 'heap bytes', stats.cellsLive * cellBytes);
  }

  private counter(t: number, name: string, value: number): void {
    if (this.lastCounter.get(name) === value) return;
    this.lastCounter.set(name, value);
    this.trace.emit({ kind: 'counter', t, container: this.container, name, value });
  }
}
