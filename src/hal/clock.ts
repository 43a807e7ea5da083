/**
 * Time and power, as the runtime and the sleep manager see them. Time is microseconds since the
 * platform started, as a JavaScript number (integral; exact to 2^53 µs ≈ 285 years). It comes
 * only from here (ARCHITECTURE.md invariant 6).
 */

export interface Clock {
  /** Device time in whole µs. */
  now(): number;
  /**
   * Accounts for `cycles` CPU cycles of work. The simulated clock advances by
   * cycles / (clock rate); a real clock ignores it (the work took real time already).
   */
  advanceCycles(cycles: number): void;
  /** Accounts for `micros` µs of work (runtime calls with a fixed cost). Real clocks ignore it. */
  advance(micros: number): void;
  /**
   * Arms the one alarm at absolute time `atMicros`, replacing a pending one. When device time
   * reaches it, `onAlarm(at)` runs once with `now() === at` on the simulator. An alarm in the
   * past fires at the next time step. The callback must only record the fact (enqueue a
   * message); it runs inside `advance`/`sleep` and must not re-enter the runtime.
   */
  setAlarm(atMicros: number, onAlarm: (at: number) => void): void;
  cancelAlarm(): void;
  /** The pending alarm time, if any. */
  alarmAt(): number | undefined;
}

export type PowerState = 'active' | 'sleep';

export type WakeReason =
  /** the requested wake-up time was reached */
  | 'time'
  /** the clock's alarm fired */
  | 'alarm'
  /** a driver posted an interrupt message (or one was posted before the call) */
  | 'interrupt'
  /** (simulator) no wake-up time, no alarm and no future input: sleeping would last forever */
  | 'nothing-to-wait-for';

export interface Power {
  /**
   * Sleeps until `untilMicros` (if given), the alarm, or an interrupt, whichever comes first;
   * returns at once with 'interrupt' if one was posted since the previous sleep returned. The
   * simulator resolves immediately after moving virtual time; the node platform really waits.
   * When several things happen at the same instant the reason is the first of 'interrupt',
   * 'alarm', 'time'; the alarm callback runs in any case, so consumers should act on what
   * their callbacks and queues recorded rather than on the reason alone.
   */
  sleep(untilMicros?: number): Promise<WakeReason>;
  /** µs spent in each power state so far (active = elapsed − asleep). */
  timeInState(): Readonly<Record<PowerState, number>>;
}
