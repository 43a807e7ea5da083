/**
 * The criticality scheduler: one simulated CPU shared by every container of the device.
 *
 * Rules (ARCHITECTURE.md, time and scheduling model; invariant 7):
 * - Strict priority by criticality, pre-emption at quantum boundaries: a container runs at most
 *   `quantumInstructions` instructions, then the scheduler chooses again. A wake-up of a
 *   higher-criticality container (interrupt, timer, message) therefore waits at most one
 *   quantum of the running container plus one container switch.
 * - Round-robin among equal criticality: of the runnable containers of the highest level, the
 *   one that ran least recently goes next.
 * - Guaranteed budgets (optional, ARINC-style time partitions): a container with
 *   `budget: { percent, periodUs }` is promised `percent` % of every period, aligned on
 *   multiples of the period from device time 0. While it is runnable and has budget left in
 *   the current period it runs in the *guaranteed band*, above every container outside the
 *   band, whatever their criticality: a busy higher-criticality container cannot take the
 *   budget away. Inside the band, criticality then round-robin decide. Once the budget of the
 *   period is used up it competes at its own criticality again. CPU time a container gets at
 *   its own criticality counts toward its budget too (the promise is "at least").
 *   The load-time check keeps the budgets at ≤ 100 % in total.
 *
 * The scheduler knows containers only through `SchedulableContainer`, so it is tested with
 * fake containers and drives real ones (system/device.ts) the same way. It never reads a
 * wall clock: elapsed time is what the containers' work moved the device clock by.
 */

/** What ended a slice. */
export type SliceOutcome =
  /** The quantum was used up; the container still has work. */
  | 'quantum'
  /** Every context is blocked or sleeping: nothing to do until an event. */
  | 'idle'
  /** The program ended (all contexts stopped). */
  | 'halted'
  /** A runtime fault stopped the container. */
  | 'fault';

export interface SliceResult<F = unknown> {
  /** Instructions executed, at most the quantum. */
  readonly instructions: number;
  /** A context completed a `sync` during the slice (progress, for the watchdog). */
  readonly progressed: boolean;
  readonly outcome: SliceOutcome;
  /** The fault record when `outcome` is 'fault'. */
  readonly fault?: F;
}

export interface SchedulableContainer<F = unknown> {
  readonly name: string;
  readonly criticality: number;
  /** Has a ready context, or an event to deliver that makes one ready. */
  isRunnable(): boolean;
  /** The earliest device time at which a timer makes it runnable, if any. */
  nextWakeUpAt(): number | undefined;
  /** Runs at most `maxInstructions` instructions; the work advances the device clock. */
  runSlice(maxInstructions: number): SliceResult<F>;
}

export interface Budget {
  readonly percent: number;
  readonly periodUs: number;
}

export interface SchedulerClock {
  now(): number;
  /** Accounts µs of work done outside the containers (a container switch). */
  advance(micros: number): void;
}

export interface SchedulerOptions {
  readonly quantumInstructions: number;
  /** Cost of switching the CPU from one container to another, µs. */
  readonly containerSwitchUs: number;
  /** Guaranteed budgets by container name. */
  readonly budgets?: ReadonlyMap<string, Budget>;
}

export interface ContainerAccount {
  readonly name: string;
  readonly criticality: number;
  /** Device time spent running this container's instructions, µs. */
  cpuUs: number;
  instructions: number;
  slices: number;
  /** Times the CPU switched to this container from another one. */
  switchesIn: number;
  /** Slices run in the guaranteed band (ahead of higher criticality). */
  guaranteedSlices: number;
  /** The longest slice, µs: how long a higher criticality may have had to wait for it. */
  maxSliceUs: number;
  readonly budget?: Budget;
  /** Budget used in the current period, µs. */
  budgetUsedUs: number;
  /** Start of the current budget period. */
  periodStartUs: number;
  /** Periods that ended with budget left while the container still wanted to run. */
  budgetPeriodsShort: number;
}

export type StepResult<C extends SchedulableContainer<F>, F = unknown> =
  | {
      readonly kind: 'ran';
      readonly container: C;
      readonly result: SliceResult<F>;
      readonly startedAtUs: number;
      readonly endedAtUs: number;
      /** The CPU switched from another container (and paid the switch cost). */
      readonly switched: boolean;
      /** Chosen for its guaranteed budget rather than its criticality. */
      readonly guaranteed: boolean;
    }
  | { readonly kind: 'idle' };

export class CriticalityScheduler<C extends SchedulableContainer<F>, F = unknown> {
  private readonly containers: C[] = [];
  private readonly accounts = new Map<string, ContainerAccount>();
  /** Sequence number of each container's last slice, for round-robin. */
  private readonly lastRun = new Map<string, number>();
  private sliceSequence = 0;
  private current: C | undefined;
  /** Device time spent in container switches, µs. */
  switchOverheadUs = 0;
  containerSwitches = 0;

  constructor(
    private readonly clock: SchedulerClock,
    private readonly options: SchedulerOptions,
  ) {}

  add(container: C): void {
    const budget = this.options.budgets?.get(container.name);
    this.containers.push(container);
    // Never run yet: before every container that has run, in the order they were added.
    this.lastRun.set(container.name, Number.MIN_SAFE_INTEGER + this.containers.length);
    this.accounts.set(container.name, {
      name: container.name,
      criticality: container.criticality,
      cpuUs: 0,
      instructions: 0,
      slices: 0,
      switchesIn: 0,
      guaranteedSlices: 0,
      maxSliceUs: 0,
      ...(budget ? { budget } : {}),
      budgetUsedUs: 0,
      periodStartUs: budget ? Math.floor(this.clock.now() / budget.periodUs) * budget.periodUs : 0,
      budgetPeriodsShort: 0,
    });
  }

  /** Replaces a container object (a restart builds a fresh one); its accounting continues. */
  replace(name: string, container: C): void {
    const i = this.containers.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`internal error: no container ${name} to replace`);
    const old = this.containers[i];
    this.containers[i] = container;
    if (this.current === old) this.current = undefined;
  }

  account(name: string): ContainerAccount | undefined {
    return this.accounts.get(name);
  }

  allAccounts(): readonly ContainerAccount[] {
    return this.containers.map((c) => this.accounts.get(c.name)).filter((a) => a !== undefined);
  }

  /** The container that ran last (the one whose registers the CPU holds). */
  currentContainer(): C | undefined {
    return this.current;
  }

  /** The earliest timer wake-up among all containers. */
  nextWakeUpAt(): number | undefined {
    let earliest: number | undefined;
    for (const c of this.containers) {
      const t = c.nextWakeUpAt();
      if (t !== undefined && (earliest === undefined || t < earliest)) earliest = t;
    }
    return earliest;
  }

  /** Rolls budget periods forward to `now`, counting periods that ended short. */
  private rollBudgetPeriods(now: number, container: C, account: ContainerAccount): void {
    const budget = account.budget;
    if (!budget) return;
    if (now < account.periodStartUs + budget.periodUs) return;
    const guaranteedUs = (budget.percent / 100) * budget.periodUs;
    if (account.budgetUsedUs < guaranteedUs && container.isRunnable()) {
      account.budgetPeriodsShort++;
    }
    account.periodStartUs = Math.floor(now / budget.periodUs) * budget.periodUs;
    account.budgetUsedUs = 0;
  }

  private inGuaranteedBand(account: ContainerAccount): boolean {
    const budget = account.budget;
    if (!budget) return false;
    return account.budgetUsedUs < (budget.percent / 100) * budget.periodUs;
  }

  /** The container to run next, or undefined when none is runnable. */
  choose(): { container: C; guaranteed: boolean } | undefined {
    const now = this.clock.now();
    let best: C | undefined;
    let bestGuaranteed = false;
    for (const c of this.containers) {
      const account = this.accounts.get(c.name);
      if (!account) continue;
      this.rollBudgetPeriods(now, c, account);
      if (!c.isRunnable()) continue;
      const guaranteed = this.inGuaranteedBand(account);
      if (best === undefined || this.before(c, guaranteed, best, bestGuaranteed)) {
        best = c;
        bestGuaranteed = guaranteed;
      }
    }
    return best ? { container: best, guaranteed: bestGuaranteed } : undefined;
  }

  private before(a: C, aGuaranteed: boolean, b: C, bGuaranteed: boolean): boolean {
    if (aGuaranteed !== bGuaranteed) return aGuaranteed;
    if (a.criticality !== b.criticality) return a.criticality > b.criticality;
    return (this.lastRun.get(a.name) ?? 0) < (this.lastRun.get(b.name) ?? 0);
  }

  /** Chooses a container and runs one quantum of it; 'idle' when nothing can run. */
  step(): StepResult<C, F> {
    const choice = this.choose();
    if (!choice) return { kind: 'idle' };
    const { container, guaranteed } = choice;
    const account = this.accounts.get(container.name);
    if (!account) throw new Error(`internal error: container ${container.name} has no account`);
    const switched = this.current !== undefined && this.current !== container;
    if (switched) {
      this.clock.advance(this.options.containerSwitchUs);
      this.switchOverheadUs += this.options.containerSwitchUs;
      this.containerSwitches++;
      account.switchesIn++;
    }
    this.current = container;
    const startedAtUs = this.clock.now();
    const result = container.runSlice(this.options.quantumInstructions);
    const endedAtUs = this.clock.now();
    const elapsed = endedAtUs - startedAtUs;
    account.cpuUs += elapsed;
    account.instructions += result.instructions;
    account.slices++;
    if (elapsed > account.maxSliceUs) account.maxSliceUs = elapsed;
    if (guaranteed) account.guaranteedSlices++;
    if (account.budget) account.budgetUsedUs += elapsed;
    this.lastRun.set(container.name, this.sliceSequence++);
    return { kind: 'ran', container, result, startedAtUs, endedAtUs, switched, guaranteed };
  }
}

export interface ShareReport {
  readonly name: string;
  readonly criticality: number;
  readonly cpuUs: number;
  readonly instructions: number;
  readonly maxSliceUs: number;
  /** Share of elapsed device time, in %. */
  readonly sharePercent: number;
  readonly budgetPercent?: number;
  readonly budgetPeriodsShort: number;
}

/** Each container's CPU share over `elapsedUs`, against its budget. */
export function shareReport(
  accounts: readonly ContainerAccount[],
  elapsedUs: number,
): ShareReport[] {
  return accounts.map((a) => ({
    name: a.name,
    criticality: a.criticality,
    cpuUs: a.cpuUs,
    instructions: a.instructions,
    maxSliceUs: a.maxSliceUs,
    sharePercent: elapsedUs > 0 ? (100 * a.cpuUs) / elapsedUs : 0,
    ...(a.budget ? { budgetPercent: a.budget.percent } : {}),
    budgetPeriodsShort: a.budgetPeriodsShort,
  }));
}
