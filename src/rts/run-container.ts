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
import type { Clock, Power } from '../hal/clock.js';
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
  /** Instructions per `step` before the loop checks the time limit. */
  readonly stepInstructions?: number;
}

export async function runContainer(
  runtime: ContainerRuntime,
  clock: Clock,
  power: Power,
  options: RunContainerOptions = {},
): Promise<RunEnd> {
  const until = options.untilMicros ?? Infinity;
  const maxInstructions = options.maxInstructions ?? Infinity;
  const canWake = options.canWakeExternally ?? (() => false);
  const stepInstructions = options.stepInstructions ?? 50_000;
  const end = (reason: RunEndReason): RunEnd => ({
    reason,
    atMicros: clock.now(),
    contexts: runtime.report(),
  });
  for (;;) {
    if (runtime.mainFaulted) return end('fault');
    if (clock.now() >= until) return end('time-limit');
    if (runtime.instructions >= maxInstructions) return end('instruction-limit');
    const budget = Math.min(stepInstructions, maxInstructions - runtime.instructions);
    const outcome = runtime.step(budget);
    if (outcome === 'busy') continue;
    if (outcome === 'finished') return end(runtime.mainFaulted ? 'fault' : 'finished');
    if (runtime.mainFaulted) return end('fault');
    const next = runtime.nextWakeAt();
    if (next === Infinity && !canWake()) return end(runtime.mainEnded ? 'finished' : 'deadlock');
    const target = Math.min(next, until);
    const woke = await power.sleep(Number.isFinite(target) ? target : undefined);
    if (woke === 'nothing-to-wait-for' && !runtime.hasRunnable())
      return end(runtime.mainEnded ? 'finished' : 'deadlock');
  }
}
