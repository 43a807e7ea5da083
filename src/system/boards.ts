/**
 * What the system layer needs to know about a board — its RAM, its peripherals by name, the
 * cost of a container switch and its power figures — taken from the HAL's board descriptions
 * (hal/boards). `checkManifest` takes a lookup function, so a board loaded from a file plugs
 * in the same way as a built-in one.
 */
import { builtinBoard, builtinBoards, milliwatts, type Board } from '../hal/boards/index.js';

export interface PowerFigures {
  readonly activeMilliwatts: number;
  readonly sleepMilliwatts: number;
  readonly deepSleepMilliwatts: number;
  /** Sleeps at least this long use deep sleep (its wake-up latency is worth paying). */
  readonly deepSleepAfterUs: number;
}

export interface BoardInfo {
  readonly name: string;
  readonly ramBytes: number;
  readonly peripherals: readonly string[];
  /** CPU cycles of a container switch (saving one VM's registers, restoring another's). */
  readonly containerSwitchCycles: number;
  readonly clockHz: number;
  readonly power: PowerFigures;
  /** The HAL description, for creating the platform. */
  readonly board: Board;
}

export type BoardLookup = (name: string) => BoardInfo | undefined;

export function boardInfo(board: Board): BoardInfo {
  const sleep = milliwatts(board.power.sleep);
  return {
    name: board.name,
    ramBytes: board.memory.ramBytes,
    peripherals: board.peripherals.map((p) => p.name),
    containerSwitchCycles: board.cpu.containerSwitchCycles,
    clockHz: board.cpu.clockHz,
    power: {
      activeMilliwatts: milliwatts(board.power.active),
      sleepMilliwatts: sleep,
      deepSleepMilliwatts: board.power.deepSleep ? milliwatts(board.power.deepSleep) : sleep,
      // Without a deep-sleep state every sleep is a light sleep.
      deepSleepAfterUs: board.power.deepSleep
        ? (board.power.deepSleepAfterUs ?? 5000)
        : Number.POSITIVE_INFINITY,
    },
    board,
  };
}

/** Container switch time in µs (fractional: the clock counts cycles). */
export function containerSwitchUs(
  info: Pick<BoardInfo, 'containerSwitchCycles' | 'clockHz'>,
): number {
  return (info.containerSwitchCycles * 1e6) / info.clockHz;
}

export const builtinBoardLookup: BoardLookup = (name) => {
  const found = builtinBoard(name);
  return found.ok ? boardInfo(found.value) : undefined;
};

export const builtinBoardNames = (): readonly string[] => builtinBoards().map((b) => b.name);
