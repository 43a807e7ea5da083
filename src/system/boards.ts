/**
 * What the system layer needs to know about a board: its RAM, its peripherals by name, and its
 * power figures for the energy estimate. The HAL owns board descriptions; until its board
 * module exists this small table stands in, and `Device`/`checkManifest` take a lookup function
 * so the HAL's boards plug in without touching the checks.
 */

export interface PowerFigures {
  /** Supply voltage, volts. */
  readonly volts: number;
  /** Current draw per power state, milliamperes. */
  readonly activeMilliamps: number;
  readonly sleepMilliamps: number;
  readonly deepSleepMilliamps: number;
  /** Sleeps at least this long use deep sleep (its wake-up latency is worth paying). */
  readonly deepSleepAfterUs: number;
}

export interface BoardInfo {
  readonly name: string;
  readonly ramBytes: number;
  readonly peripherals: readonly string[];
  /** CPU cost of a container switch (saving and restoring one VM's registers), µs. */
  readonly containerSwitchUs: number;
  readonly power: PowerFigures;
}

export type BoardLookup = (name: string) => BoardInfo | undefined;

const gpio = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

const LOCAL_BOARDS: readonly BoardInfo[] = [
  {
    // STM32F407VG: 128 KiB SRAM + 64 KiB CCM, 168 MHz.
    name: 'stm32f4-discovery',
    ramBytes: 192 * 1024,
    peripherals: [...gpio('button', 1), ...gpio('led', 4), 'uart0', 'uart1', 'dac0', 'pwm0'],
    containerSwitchUs: 2,
    power: {
      volts: 3.3,
      activeMilliamps: 40,
      sleepMilliamps: 12,
      deepSleepMilliamps: 0.3,
      deepSleepAfterUs: 5000,
    },
  },
  {
    // nRF52840: 256 KiB RAM, 64 MHz.
    name: 'nrf52840-dk',
    ramBytes: 256 * 1024,
    peripherals: [...gpio('button', 4), ...gpio('led', 4), 'uart0', 'pwm0', 'temp0'],
    containerSwitchUs: 4,
    power: {
      volts: 3.0,
      activeMilliamps: 6.3,
      sleepMilliamps: 1.5,
      deepSleepMilliamps: 0.003,
      deepSleepAfterUs: 2000,
    },
  },
  {
    // The generic simulated board: the seed's ~128 KiB target.
    name: 'sim',
    ramBytes: 128 * 1024,
    peripherals: [
      ...gpio('button', 4),
      ...gpio('led', 4),
      'uart0',
      'uart1',
      'dac0',
      'pwm0',
      'temp0',
    ],
    containerSwitchUs: 2,
    power: {
      volts: 3.3,
      activeMilliamps: 20,
      sleepMilliamps: 5,
      deepSleepMilliamps: 0.01,
      deepSleepAfterUs: 5000,
    },
  },
];

export const localBoards: BoardLookup = (name) => LOCAL_BOARDS.find((b) => b.name === name);

export const localBoardNames = (): readonly string[] => LOCAL_BOARDS.map((b) => b.name);
