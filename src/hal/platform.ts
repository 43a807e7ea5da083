/**
 * A platform: the board's peripherals plus a clock and power management, as the runtime and the
 * system layer use them. Two implementations: `sim/` (virtual time, deterministic, the default)
 * and `node/` (wall clock, the terminal as the board).
 *
 * How the layers above plug in (docs/hal.md tells the whole story):
 * 1. The system assigns peripherals to containers: `platform.device('led0').claim('main')`.
 *    A container's driver numbers are indices into its list of drivers — by default the
 *    board's peripherals in board order (`selectDrivers(platform)`), or the order of
 *    `--peripherals dac0,led0` (`selectDrivers(platform, ['dac0', 'led0'])`).
 * 2. `spawnExternal ch n` binds channel ch to driver n. For an interrupt driver the runtime
 *    calls `driver.connect(queue, n)`; the device then posts `{driver: n, value, timestamp}`
 *    into that bounded queue. Synchronous drivers are simply read or written during `sync`.
 * 3. The runtime charges executed instructions with `clock.advanceCycles`; when nothing is
 *    ready the sleep manager calls `power.sleep(earliestWakeUp)`.
 * 4. When a container dies, the system calls `release()` on its drivers (safe state).
 */
import type { Board } from './boards/schema.js';
import type { Clock, Power } from './clock.js';
import type { Driver } from './driver.js';
import { createDevice, type Device, type DeviceHost } from './devices.js';
import { fail, halError, ok, type HalError, type HalResult } from './errors.js';
import { EventLog, type DeviceEvent } from './events.js';

export type PlatformKind = 'sim' | 'node';

export interface Platform {
  readonly kind: PlatformKind;
  readonly board: Board;
  readonly clock: Clock;
  readonly power: Power;
  readonly events: EventLog;
  /** Every peripheral of the board, in board order. */
  readonly devices: readonly Device[];
  device(name: string): Device | undefined;
  /** Logs a fault of `container` at the current time (the runtime reports it here). */
  fault(container: string, cause: string, device?: string): void;
  /** Stops timers and restores the terminal. Idempotent. */
  close(): void;
}

export interface PlatformOptions {
  /** Where UART output goes (the CLI: stdout). Default: nowhere (it is still in the log). */
  readonly uartOut?: (device: string, byte: number) => void;
  /** Maximum lines kept in the event log. */
  readonly maxEventLines?: number;
}

/** What both platforms share: the devices, the event log and the device host. */
export abstract class PlatformBase implements DeviceHost {
  readonly events: EventLog;
  readonly devices: readonly Device[];
  private readonly byName: ReadonlyMap<string, Device>;
  /** Set when an interrupt is posted; cleared when a sleep reports it. */
  protected interruptPending = false;

  constructor(
    readonly board: Board,
    protected readonly options: PlatformOptions = {},
  ) {
    this.events = new EventLog(options.maxEventLines);
    this.devices = board.peripherals.map((p) => createDevice(p, this));
    this.byName = new Map(this.devices.map((d) => [d.name, d]));
  }

  abstract now(): number;

  device(name: string): Device | undefined {
    return this.byName.get(name);
  }

  record(event: DeviceEvent): void {
    this.events.record(event);
  }

  interrupted(): void {
    this.interruptPending = true;
    this.onInterrupt();
  }

  /** Hook for platforms that must wake a pending sleep. */
  protected onInterrupt(): void {}

  uartOut(device: string, byte: number): void {
    this.options.uartOut?.(device, byte);
  }

  fault(container: string, cause: string, device?: string): void {
    this.record({
      t: this.now(),
      container,
      ...(device === undefined ? {} : { device }),
      dir: 'fault',
      reason: cause,
    });
  }
}

/**
 * The drivers of a container in driver-number order: all peripherals in board order, or the
 * named ones in the given order (`--peripherals dac0,led0`). Errors: unknown or repeated names.
 */
export function selectDrivers(
  platform: Pick<Platform, 'devices' | 'device' | 'board'>,
  names?: readonly string[],
): HalResult<readonly Driver[]> {
  if (!names) return ok(platform.devices);
  const errors: HalError[] = [];
  const drivers: Driver[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    const device = platform.device(name);
    if (!device) {
      errors.push(
        halError('E0644', {
          path: `[${i}]`,
          name,
          board: platform.board.name,
          known: platform.devices.map((d) => d.name).join(', '),
        }),
      );
    } else if (seen.has(name)) {
      errors.push(halError('E0645', { path: `[${i}]`, name }));
    } else {
      drivers.push(device);
    }
    seen.add(name);
  });
  return errors.length > 0 ? fail(...errors) : ok(drivers);
}
