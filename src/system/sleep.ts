/**
 * The sleep manager: when no container can run, the device sleeps until the earliest of
 *   - an alarm of any container (a syncT or timer wake-up),
 *   - a pending restart of a supervised container (its back-off ends),
 *   - the next heartbeat,
 *   - the next interrupt or stimulus the platform knows of,
 *   - the end of the run (`--for`),
 * and records the time spent in each power state. Short sleeps use light sleep; sleeps of at
 * least the board's `deepSleepAfterUs` use deep sleep (worth its wake-up latency). The energy
 * estimate multiplies each state's time by the board's power figure.
 *
 * The heartbeat fires every `heartbeatUs` of device time, even when every container would
 * sleep forever, and records each container's state: a monitoring system sees the device is
 * alive. A heartbeat due while the CPU is busy is taken at the next quantum boundary.
 *
 * This module only plans and accounts; the device performs the sleep through the platform.
 */
import type { PowerFigures } from './boards.js';

export type WakeReason = 'alarm' | 'restart' | 'heartbeat' | 'interrupt' | 'end-of-run';

export interface WakeCandidates {
  readonly alarmAt?: number | undefined;
  readonly restartAt?: number | undefined;
  readonly interruptAt?: number | undefined;
  readonly endOfRunAt?: number | undefined;
}

export interface SleepPlan {
  /** Wake-up time; undefined means nothing will ever wake the device. */
  readonly untilUs: number | undefined;
  readonly reason: WakeReason | 'forever';
}

export type PowerStateName = 'active' | 'sleep' | 'deep-sleep';

export type ContainerStateName =
  'running' | 'runnable' | 'blocked' | 'sleeping' | 'restarting' | 'stopped' | 'finished';

export interface ContainerStatus {
  readonly name: string;
  readonly state: ContainerStateName;
  /** For 'sleeping' (earliest timer) and 'restarting' (end of back-off). */
  readonly untilUs?: number;
  readonly restarts: number;
}

export interface HeartbeatRecord {
  readonly sequence: number;
  readonly dueAtUs: number;
  readonly atUs: number;
  readonly containers: readonly ContainerStatus[];
}

export interface PowerReport {
  readonly elapsedUs: number;
  readonly activeUs: number;
  readonly sleepUs: number;
  readonly deepSleepUs: number;
  /** (sleep + deep sleep) / elapsed, in %. */
  readonly sleepSharePercent: number;
  readonly energyMillijoules: number;
  readonly averageMilliwatts: number;
  readonly sleeps: number;
  readonly heartbeats: number;
  readonly missedHeartbeats: number;
}

export class SleepManager {
  private sleepUs = 0;
  private deepSleepUs = 0;
  private sleeps = 0;
  private nextHeartbeatDue: number | undefined;
  private heartbeatSequence = 0;
  private missedHeartbeats = 0;
  readonly heartbeats: HeartbeatRecord[] = [];

  constructor(
    private readonly power: PowerFigures,
    private readonly heartbeatUs: number | undefined,
    private readonly startUs = 0,
  ) {
    this.nextHeartbeatDue = heartbeatUs ? startUs + heartbeatUs : undefined;
  }

  nextHeartbeatAt(): number | undefined {
    return this.nextHeartbeatDue;
  }

  /** Chooses when to wake up. Ties go to the first reason in the order of WakeReason. */
  plan(now: number, candidates: WakeCandidates): SleepPlan {
    const options: [WakeReason, number | undefined][] = [
      ['alarm', candidates.alarmAt],
      ['restart', candidates.restartAt],
      ['heartbeat', this.nextHeartbeatDue],
      ['interrupt', candidates.interruptAt],
      ['end-of-run', candidates.endOfRunAt],
    ];
    let best: SleepPlan = { untilUs: undefined, reason: 'forever' };
    for (const [reason, at] of options) {
      if (at === undefined) continue;
      const wake = Math.max(at, now);
      if (best.untilUs === undefined || wake < best.untilUs) best = { untilUs: wake, reason };
    }
    return best;
  }

  /** Accounts a sleep from `fromUs` to `toUs` (the platform may wake early on an interrupt). */
  recordSleep(fromUs: number, toUs: number): PowerStateName {
    const slept = Math.max(0, toUs - fromUs);
    if (slept === 0) return 'active';
    this.sleeps++;
    if (slept >= this.power.deepSleepAfterUs) {
      this.deepSleepUs += slept;
      return 'deep-sleep';
    }
    this.sleepUs += slept;
    return 'sleep';
  }

  heartbeatDue(now: number): boolean {
    return this.nextHeartbeatDue !== undefined && now >= this.nextHeartbeatDue;
  }

  /** Records a heartbeat if one is due; heartbeats skipped by a long busy stretch are counted. */
  takeHeartbeat(now: number, containers: readonly ContainerStatus[]): HeartbeatRecord | undefined {
    const due = this.nextHeartbeatDue;
    if (due === undefined || now < due || !this.heartbeatUs) return undefined;
    const record: HeartbeatRecord = {
      sequence: ++this.heartbeatSequence,
      dueAtUs: due,
      atUs: now,
      containers,
    };
    this.heartbeats.push(record);
    let next = due + this.heartbeatUs;
    while (next <= now) {
      this.missedHeartbeats++;
      next += this.heartbeatUs;
    }
    this.nextHeartbeatDue = next;
    return record;
  }

  report(nowUs: number): PowerReport {
    const elapsedUs = Math.max(0, nowUs - this.startUs);
    const asleep = this.sleepUs + this.deepSleepUs;
    const activeUs = Math.max(0, elapsedUs - asleep);
    const p = this.power;
    // mW × µs = nJ; / 1e6 → mJ.
    const energyMillijoules =
      (activeUs * p.activeMilliwatts +
        this.sleepUs * p.sleepMilliwatts +
        this.deepSleepUs * p.deepSleepMilliwatts) /
      1e6;
    return {
      elapsedUs,
      activeUs,
      sleepUs: this.sleepUs,
      deepSleepUs: this.deepSleepUs,
      sleepSharePercent: elapsedUs > 0 ? (100 * asleep) / elapsedUs : 0,
      energyMillijoules,
      averageMilliwatts: elapsedUs > 0 ? (energyMillijoules * 1e6) / elapsedUs : 0,
      sleeps: this.sleeps,
      heartbeats: this.heartbeats.length,
      missedHeartbeats: this.missedHeartbeats,
    };
  }
}
