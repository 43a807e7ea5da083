/**
 * The trace: one structured event log shared by every layer (vm, rts, system, hal). Each layer
 * appends events with device-time timestamps; exports (Chrome trace JSON, the readable
 * timeline) read them afterwards.
 *
 * Cheap when disabled: check `trace.enabled` before building an event, so a run without
 * `--trace` allocates nothing:
 *
 *   if (trace.enabled) trace.emit({ kind: 'gc-start', t: clock.now(), container, heapBytes });
 *
 * Contexts are numbered per container (the runtime's context id); containers by name.
 */

export type TraceEvent =
  /** The CPU starts running `container` (null: no container, the device is idle). */
  | { readonly kind: 'container-switch'; readonly t: number; readonly container: string | null }
  /** Inside `container`, `context` starts running. */
  | {
      readonly kind: 'context-switch';
      readonly t: number;
      readonly container: string;
      readonly context: number;
    }
  | {
      readonly kind: 'context-spawn';
      readonly t: number;
      readonly container: string;
      readonly context: number;
      readonly parent?: number;
    }
  | {
      readonly kind: 'context-end';
      readonly t: number;
      readonly container: string;
      readonly context: number;
    }
  /** A sync over `alternatives` base events; `chosen` is the index taken, null if it blocked. */
  | {
      readonly kind: 'sync';
      readonly t: number;
      readonly container: string;
      readonly context: number;
      readonly alternatives: number;
      readonly chosen: number | null;
    }
  /** A message passed on a channel (or a link between containers). */
  | {
      readonly kind: 'message';
      readonly t: number;
      readonly container: string;
      readonly context: number;
      readonly channel: number;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly kind: 'driver-io';
      readonly t: number;
      readonly container: string | null;
      readonly device: string;
      readonly dir: 'in' | 'out' | 'drop';
      readonly value: number;
    }
  | {
      readonly kind: 'gc-start';
      readonly t: number;
      readonly container: string;
      readonly heapBytes: number;
    }
  | {
      readonly kind: 'gc-end';
      readonly t: number;
      readonly container: string;
      readonly heapBytes: number;
      readonly freedBytes: number;
    }
  | {
      readonly kind: 'fault';
      readonly t: number;
      readonly container: string;
      readonly context?: number;
      readonly cause: string;
      readonly pc?: number;
    }
  | {
      readonly kind: 'deadline-miss';
      readonly t: number;
      readonly container: string;
      readonly context: number;
      readonly lateMicros: number;
    }
  | {
      readonly kind: 'restart';
      readonly t: number;
      readonly container: string;
      readonly attempt: number;
    }
  /** The device sleeps (until a time, if known). */
  | { readonly kind: 'sleep'; readonly t: number; readonly until?: number }
  | { readonly kind: 'wake'; readonly t: number; readonly reason: string }
  /** A sampled quantity: heap bytes in use, queue lengths, … */
  | {
      readonly kind: 'counter';
      readonly t: number;
      readonly container: string;
      readonly name: string;
      readonly value: number;
    }
  | {
      readonly kind: 'note';
      readonly t: number;
      readonly container?: string;
      readonly text: string;
    };

export type TraceEventKind = TraceEvent['kind'];

export class Trace {
  private readonly log: TraceEvent[] = [];
  /** Events not kept because the limit was reached (reported in exports). */
  overflow = 0;

  constructor(
    readonly enabled: boolean,
    private readonly maxEvents = 5_000_000,
  ) {}

  emit(event: TraceEvent): void {
    if (!this.enabled) return;
    if (this.log.length < this.maxEvents) this.log.push(event);
    else this.overflow++;
  }

  get events(): readonly TraceEvent[] {
    return this.log;
  }
}

/** The trace of runs without `--trace`: every emit is a no-op. */
export const DISABLED_TRACE = new Trace(false, 0);
