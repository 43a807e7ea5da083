/**
 * The container runtime's public vocabulary: context states, wake-up reasons, step outcomes and
 * what a host hands the runtime (clock, drivers, cost model, observer, trace). Split from
 * container-runtime.ts, which re-exports all of it.
 */
import type { Clock } from '../hal/clock.js';
import type { Driver, InterruptMessage } from '../hal/driver.js';
import type { Trace } from '../trace/trace.js';
import type { FaultRecord } from '../vm/faults.js';
import type { DeadlineMiss } from './time.js';

export const FREE = 0;
export const READY = 1;
export const RUNNING = 2;
export const BLOCKED = 3;
export const WAITING = 4;
export const ENDED = 5;
export const FAULTED = 6;

/** What a WAITING/BLOCKED context's wake-up queue entry means. */
export const WAKE_NONE = 0;
export const WAKE_SLEEP = 1;
export const WAKE_RELEASE = 2;
export const WAKE_TIMEOUT = 3;

/** Result of `step`: more to do now, nothing runnable until time passes or input comes, done. */
export type StepOutcome = 'busy' | 'idle' | 'finished';

export interface RuntimeObserver {
  /** An interrupt could not be delivered: the queue was full, or no channel is bound. */
  interruptDropped?(message: InterruptMessage, reason: 'queue-full' | 'unbound'): void;
  deadlineMissed?(miss: DeadlineMiss): void;
  contextFaulted?(fault: FaultRecord): void;
  mainReturned?(text: string): void;
}

export interface RuntimeHost {
  readonly clock: Clock;
  /** The container's drivers, in driver-number order. */
  readonly drivers?: readonly Driver[];
  /**
   * Cycles per opcode (hal `cycleTable(board)`): used with a machine created with the same
   * `cycleTable` (its `cycleMeter`, both tiers) or with `profile` (per-opcode counts).
   */
  readonly cycleTable?: Uint32Array;
  /** Cycles charged per instruction when no cycle table/profile is available. */
  readonly flatCyclesPerInstruction?: number;
  readonly observer?: RuntimeObserver;
  /** The shared trace (`--trace`); the runtime writes its events there when it is enabled. */
  readonly trace?: Trace;
}
