/**
 * The built-in boards. Peripheral order is the default driver numbering of a container, chosen
 * to match the reference's STM32F4 examples (button 0, LED 1, …, reference §4.6) so that
 * `spawnExternal c 1` is `led0` on the default board.
 *
 * Cycle counts are per interpreted bytecode instruction (dispatch included), estimates for a
 * Cortex-M4 running an interpreter from flash; power figures are typical datasheet values for
 * the MCU alone (run mode at full clock; sleep with clocks running; deep sleep = Stop mode /
 * System ON idle with RAM retention, used for sleeps of at least `deepSleepAfterUs`).
 *
 * They are complete `Board` values (every default written out) and used as they are, not parsed
 * through the board schema on every run: that cost start-up time (docs/performance.md,
 * "Start-up"). test/hal/boards.test.ts checks that the schema accepts each one unchanged.
 */
import type { Board } from './schema.js';

const CORTEX_M4_INTERPRETER_CYCLES = {
  move: 12,
  stack: 10,
  alu: 14,
  mul: 15,
  div: 26,
  float: 20,
  fdiv: 36,
  alloc: 40,
  branch: 16,
  switch: 30,
  rts: 60,
} as const;

export const STM32F4_DISCOVERY: Board = {
  name: 'stm32f4-discovery',
  description: 'STM32F407VG Discovery kit: Cortex-M4F at 168 MHz, 192 KiB RAM, 1 MiB flash',
  cpu: { clockHz: 168_000_000, cycles: CORTEX_M4_INTERPRETER_CYCLES, containerSwitchCycles: 336 },
  memory: { ramBytes: 192 * 1024, flashBytes: 1024 * 1024 },
  power: {
    active: { mA: 40, V: 3.0 },
    sleep: { mA: 12, V: 3.0 }, // Sleep mode: CPU clock stopped, peripherals running
    deepSleep: { mA: 0.3, V: 3.0 }, // Stop mode
    deepSleepAfterUs: 5000,
  },
  peripherals: [
    { name: 'button0', kind: 'button', mode: 'both', key: '1' }, // PA0, user button
    { name: 'led0', kind: 'led', color: 'yellow' }, // PD13, LD3 orange
    { name: 'led1', kind: 'led', color: 'green' }, // PD12, LD4
    { name: 'led2', kind: 'led', color: 'red' }, // PD14, LD5
    { name: 'led3', kind: 'led', color: 'blue' }, // PD15, LD6
    { name: 'dac0', kind: 'dac', bits: 12, safe: 'mid' }, // PA4, DAC channel 1
    { name: 'dac1', kind: 'dac', bits: 12, safe: 'mid' }, // PA5, DAC channel 2
    { name: 'pwm0', kind: 'pwm', frequencyHz: 1000 }, // PC7, TIM3 CH1
    { name: 'uart0', kind: 'uart', baud: 115200 },
    { name: 'temp0', kind: 'temperature', scale: 100, initial: 21 },
    { name: 'light0', kind: 'light', scale: 1, initial: 300 },
  ],
};

export const NRF52840_DK: Board = {
  name: 'nrf52840-dk',
  description: 'nRF52840 DK: Cortex-M4F at 64 MHz, 256 KiB RAM, 1 MiB flash',
  cpu: { clockHz: 64_000_000, cycles: CORTEX_M4_INTERPRETER_CYCLES, containerSwitchCycles: 256 },
  memory: { ramBytes: 256 * 1024, flashBytes: 1024 * 1024 },
  power: {
    active: { mA: 6.3, V: 3.0 },
    sleep: { mA: 1.5, V: 3.0 }, // System ON, HF clock running
    deepSleep: { mA: 0.003, V: 3.0 }, // System ON idle, RAM retained
    deepSleepAfterUs: 2000,
  },
  peripherals: [
    { name: 'button0', kind: 'button', mode: 'both', key: '1' },
    { name: 'button1', kind: 'button', mode: 'both', key: '2' },
    { name: 'button2', kind: 'button', mode: 'both', key: '3' },
    { name: 'button3', kind: 'button', mode: 'both', key: '4' },
    { name: 'led0', kind: 'led', color: 'green' },
    { name: 'led1', kind: 'led', color: 'green' },
    { name: 'led2', kind: 'led', color: 'green' },
    { name: 'led3', kind: 'led', color: 'green' },
    { name: 'uart0', kind: 'uart', baud: 115200 },
    { name: 'temp0', kind: 'temperature', scale: 100, initial: 21 },
  ],
};

/** The default board of `sensevm run`. */
export const DEFAULT_BOARD_NAME = 'stm32f4-discovery';

export const BUILTIN_BOARDS: readonly Board[] = [STM32F4_DISCOVERY, NRF52840_DK];
