/**
 * Fake containers and a fake clock for the system layer's unit tests: deterministic work
 * models whose instructions cost a fixed time on the device clock.
 */
import type { SchedulableContainer, SliceResult } from '../../src/system/scheduler.js';

export class FakeClock {
  t = 0;
  now(): number {
    return this.t;
  }
  advance(micros: number): void {
    this.t += micros;
  }
}

export interface Job {
  /** When the job becomes runnable (a wake-up: interrupt, timer or message). */
  readonly arrivesAt: number;
  readonly instructions: number;
}

/**
 * A container that executes jobs in arrival order; `busy` makes it always have work (a busy
 * loop that never syncs). Each instruction costs `usPerInstruction` of device time.
 */
export class FakeContainer implements SchedulableContainer<string> {
  private readonly jobs: Job[];
  private remaining = 0;
  private active: Job | undefined;
  /** (arrival, completion) per finished job. */
  readonly completions: { arrivesAt: number; doneAt: number }[] = [];
  faultAfterInstructions: number | undefined;
  executed = 0;
  busy: boolean;
  readonly usPerInstruction: number;

  constructor(
    readonly name: string,
    readonly criticality: number,
    private readonly clock: FakeClock,
    options: { jobs?: readonly Job[]; busy?: boolean; usPerInstruction?: number } = {},
  ) {
    this.jobs = [...(options.jobs ?? [])].sort((a, b) => a.arrivesAt - b.arrivesAt);
    this.busy = options.busy ?? false;
    this.usPerInstruction = options.usPerInstruction ?? 1;
  }

  private pull(): void {
    if (this.active) return;
    const next = this.jobs[0];
    if (next && next.arrivesAt <= this.clock.now()) {
      this.jobs.shift();
      this.active = next;
      this.remaining = next.instructions;
    }
  }

  isRunnable(): boolean {
    this.pull();
    return this.busy || this.active !== undefined;
  }

  nextWakeUpAt(): number | undefined {
    return this.active ? undefined : this.jobs[0]?.arrivesAt;
  }

  runSlice(maxInstructions: number): SliceResult<string> {
    this.pull();
    let used = 0;
    let progressed = false;
    while (used < maxInstructions) {
      if (
        this.faultAfterInstructions !== undefined &&
        this.executed >= this.faultAfterInstructions
      ) {
        return { instructions: used, progressed, outcome: 'fault', fault: 'crash' };
      }
      if (this.active) {
        this.remaining--;
        used++;
        this.executed++;
        this.clock.advance(this.usPerInstruction);
        if (this.remaining === 0) {
          this.completions.push({ arrivesAt: this.active.arrivesAt, doneAt: this.clock.now() });
          this.active = undefined;
          progressed = true;
          this.pull();
        }
      } else if (this.busy) {
        used++;
        this.executed++;
        this.clock.advance(this.usPerInstruction);
      } else {
        return { instructions: used, progressed, outcome: 'idle' };
      }
    }
    return { instructions: used, progressed, outcome: 'quantum' };
  }
}

/** Runs the scheduler until `untilUs`; when idle, jumps the clock to the next wake-up. */
export function runUntil(
  scheduler: {
    step(): { kind: string };
    nextWakeUpAt(): number | undefined;
  },
  clock: FakeClock,
  untilUs: number,
): void {
  while (clock.now() < untilUs) {
    const r = scheduler.step();
    if (r.kind === 'idle') {
      const wake = scheduler.nextWakeUpAt();
      clock.t = wake === undefined ? untilUs : Math.min(Math.max(wake, clock.t), untilUs);
    }
  }
}
