/**
 * Runs one container to its end on a platform: the loop behind `sensevm run prog.cam` when no
 * system manifest is involved (the system layer drives several runtimes with its own loop).
 *
 * Ending rules (docs/runtime.md):
 * - main's value is reported when main returns; the other contexts keep running until each has
 *   ended or can never run again — blocked, with no wake-up pending in the container and no
 *   device able to deliver input (`canWakeExternally`) — then the run ends normally;
 * - if main itself is still waiting at that point, the run ends with a `deadlock` and a report
 *   of every live context and what it waits on;
 * - `untilMicros` (`--for`) ends the run normally once device time reaches it;
 * - a fault of main ends the run at once (faults of other contexts are recorded, the rest go on).
 */
import type { Clock, Power, WakeReason } from '../hal/clock.js';
import type { ContainerRuntime } from './container-runtime.js';
import type { ContextReport } from './report.js';

export type RunEndReason =
  /** every context ended (or main ended and the rest can never run again) */
  | 'finished'
  /** device time reached `untilMicros` */
  | 'time-limit'
  /** main can never be woken */
  | 'deadlock'
  /** main faulted */
  | 'fault'
  | 'instruction-limit';

export interface RunEnd {
  readonly reason: RunEndReason;
  /** Device time at the end (µs). */
  readonly atMicros: number;
  /** Live contexts at the end (what each waits on); empty when all ended. */
  readonly contexts: readonly ContextReport[];
}

export interface RunContainerOptions {
  readonly untilMicros?: number;
  readonly maxInstructions?: number;
  /** Whether a device may still deliver input (sim: stimulus inputs pending). Default: no. */
  readonly canWakeExternally?: () => boolean;
  /**
   * Instructions per `step` before the loop checks the time limit; read before every step, so
   * a getter can shrink it as the limit nears (the simulator ends a busy run on time).
   */
  readonly stepInstructions?: number;
  /** Called after every step and before every sleep (the CLI's progress display). */
  readonly onStep?: () => void;
  /**
   * Asynchronous loop only: called between busy steps so the host's event loop can deliver
   * input (a key press, Ctrl-C) to a program that computes without ever waiting.
   */
  readonly yieldToHost?: () => Promise<void>;
}

/** What the loop needs from the platform to wait: sleep until a time, the alarm or an input. */
export type SyncSleep = (untilMicros?: number) => WakeReason;
export type AsyncSleep = (untilMicros?: number) => Promise<WakeReason>;

/**
 * One decision of the loop: run a step, or return how to wait (`sleep`), or end. Shared by the
 * synchronous loop (simulator) and the asynchronous one (real time).
 */
function advance(
  runtime: ContainerRuntime,
  clock: Clock,
  options: RunContainerOptions,
): { end: RunEndReason } | { sleep: number | undefined } | { yield: true } {
  const until = options.untilMicros ?? Infinity;
  const maxInstructions = options.maxInstructions ?? Infinity;
  for (;;) {
    if (runtime.mainFaulted) return { end: 'fault' };
    if (clock.now() >= until) return { end: 'time-limit' };
    if (runtime.instructions >= maxInstructions) return { end: 'instruction-limit' };
    const stepInstructions = Math.max(1, options.stepInstructions ?? 50_000);
    const budget = Math.min(stepInstructions, maxInstructions - runtime.instructions);
    const outcome = runtime.step(budget);
    options.onStep?.();
    if (outcome === 'busy') {
      if (options.yieldToHost) return { yield: true };
      continue;
    }
    if (outcome === 'finished') return { end: runtime.mainFaulted ? 'fault' : 'finished' };
    if (runtime.mainFaulted) return { end: 'fault' };
    const next = runtime.nextWakeAt();
    const canWake = options.canWakeExternally ?? (() => false);
    if (next === Infinity && !canWake())
      return { end: runtime.mainEnded ? 'finished' : 'deadlock' };
    const target = Math.min(next, until);
    return { sleep: Number.isFinite(target) ? target : undefined };
  }
}

function endOf(runtime: ContainerRuntime, clock: Clock, reason: RunEndReason): RunEnd {
  return { reason, atMicros: clock.now(), contexts: runtime.report() };
}

/** Runs the container to its end with a synchronous sleep (the simulated platform). */
export function runContainerSync(
  runtime: ContainerRuntime,
  clock: Clock,
  sleep: SyncSleep,
  options: RunContainerOptions = {},
): RunEnd {
  for (;;) {
    const next = advance(runtime, clock, options);
    if ('end' in next) return endOf(runtime, clock, next.end);
    if ('yield' in next) continue;
    if (sleep(next.sleep) === 'nothing-to-wait-for' && !runtime.hasRunnable())
      return endOf(runtime, clock, runtime.mainEnded ? 'finished' : 'deadlock');
  }
}

/** Runs the container to its end with an asynchronous sleep (real time). */
export async function runContainer(
  runtime: ContainerRuntime,
  clock: Clock,
  power: Power,
  options: RunContainerOptions = {},
): Promise<RunEnd> {
  for (;;) {
    const next = advance(runtime, clock, options);
    if ('end' in next) return endOf(runtime, clock, next.end);
    if ('yield' in next) {
      await options.yieldToHost?.();
      continue;
    }
    if ((await power.sleep(next.sleep)) === 'nothing-to-wait-for' && !runtime.hasRunnable())
      return endOf(runtime, clock, runtime.mainEnded ? 'finished' : 'deadlock');
  }
}
