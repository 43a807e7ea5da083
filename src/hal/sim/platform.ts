/**
 * The simulated platform (the default): the board's peripherals in virtual time. Time moves only
 * when the runtime charges work (`clock.advanceCycles`) or sleeps (`power.sleep`); inputs from
 * the stimulus script arrive as interrupts at exactly their time. Same board + program +
 * stimulus → same event log, byte for byte.
 */
import type { Board } from '../boards/schema.js';
import type { Power, PowerState, WakeReason } from '../clock.js';
import { Button, Sensor, Uart } from '../devices.js';
import { PlatformBase, type Platform, type PlatformOptions } from '../platform.js';
import { VirtualClock } from './clock.js';
import type { Stimulus } from './stimulus.js';

export interface SimPlatformOptions extends PlatformOptions {
  readonly stimulus?: Stimulus;
}

export class SimPlatform extends PlatformBase implements Platform, Power {
  readonly kind = 'sim';
  readonly clock: VirtualClock;
  private asleepMicros = 0;
  /** Stimulus inputs not yet delivered. */
  private pendingInputs = 0;

  constructor(board: Board, options: SimPlatformOptions = {}) {
    super(board, options);
    this.clock = new VirtualClock(board.cpu.clockHz);
    const stimulus = options.stimulus;
    if (stimulus) {
      for (const drive of stimulus.drives) {
        const device = this.device(drive.device);
        if (device instanceof Sensor) device.drive(drive.signal);
      }
      for (const input of stimulus.inputs) {
        const device = this.device(input.device);
        const deliver =
          device instanceof Button
            ? () => device.press(input.value)
            : device instanceof Uart
              ? () => device.receive(input.value)
              : undefined;
        if (!deliver) continue; // parseStimulus only lets buttons and UARTs through
        this.pendingInputs++;
        this.clock.schedule(input.at, () => {
          this.pendingInputs--;
          deliver();
        });
      }
    }
  }

  get power(): Power {
    return this;
  }

  now(): number {
    return this.clock.now();
  }

  /** Stimulus inputs still to come. */
  get inputsPending(): number {
    return this.pendingInputs;
  }

  sleep(untilMicros?: number): Promise<WakeReason> {
    return Promise.resolve(this.sleepNow(untilMicros));
  }

  /** `sleep` without the promise, for synchronous drivers of the simulation and for tests. */
  sleepNow(untilMicros?: number): WakeReason {
    const start = this.clock.now();
    const reason = this.sleepLoop(untilMicros);
    this.asleepMicros += this.clock.now() - start;
    return reason;
  }

  private sleepLoop(untilMicros: number | undefined): WakeReason {
    this.clock.poll();
    for (;;) {
      if (this.interruptPending) {
        this.interruptPending = false;
        return 'interrupt';
      }
      const now = this.clock.now();
      if (untilMicros !== undefined && untilMicros <= now) return 'time';
      const next = this.clock.nextEventAt();
      if (next === undefined && untilMicros === undefined) return 'nothing-to-wait-for';
      const target = Math.min(next ?? Infinity, untilMicros ?? Infinity);
      const alarms = this.clock.alarmsFired;
      this.clock.advanceTo(target);
      if (this.interruptPending) {
        this.interruptPending = false;
        return 'interrupt';
      }
      if (this.clock.alarmsFired !== alarms) return 'alarm';
    }
  }

  timeInState(): Readonly<Record<PowerState, number>> {
    return { active: this.clock.now() - this.asleepMicros, sleep: this.asleepMicros };
  }

  close(): void {}
}
