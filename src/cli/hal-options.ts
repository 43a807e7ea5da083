/**
 * The platform options shared by the commands that run programs or show boards (`run`, `run
 * system.json`, `boards`): `--board`, `--stimulus`, `--for`, `--peripherals`, `--platform`. Each
 * helper turns an option value into what the HAL wants, or ends the command with the right exit
 * code (64 usage, 65 rejected input, 74 I/O) and path-by-path messages on stderr.
 */
import { dirname, resolve } from 'node:path';
import {
  builtinBoard,
  defaultBoard,
  isBoardPath,
  parseBoard,
  type Board,
} from '../hal/boards/index.js';
import { parseDuration } from '../hal/duration.js';
import { formatHalErrors, type HalError } from '../hal/errors.js';
import type { PlatformKind } from '../hal/platform.js';
import { parseStimulus, type Stimulus } from '../hal/sim/stimulus.js';
import { ExitCode } from './exit-codes.js';
import { CliError, type CliIO, fileProblem } from './io.js';

function rejected(errors: readonly HalError[], file?: string): never {
  throw new CliError(ExitCode.rejected, formatHalErrors(errors, file));
}

function readText(io: CliIO, path: string, what: string): string {
  try {
    return new TextDecoder().decode(io.readFile(path));
  } catch (e) {
    throw new CliError(ExitCode.io, `sensevm: cannot read ${what} ${path}: ${fileProblem(e)}`);
  }
}

/** `--board <name|file.json>`; the default board when absent. */
export function loadBoardOption(io: CliIO, value: string | undefined): Board {
  if (value === undefined) return defaultBoard();
  if (!isBoardPath(value)) {
    // A name that is not a board is a mistake in the command (64), like any bad option value;
    // only a board FILE with invalid contents is rejected input (65).
    const r = builtinBoard(value);
    if (r.ok) return r.value;
    throw new CliError(ExitCode.usage, formatHalErrors(r.errors, '--board'));
  }
  const r = parseBoard(readText(io, value, 'board file'));
  return r.ok ? r.value : rejected(r.errors, value);
}

/** `--stimulus file.json`; CSV files it names are read relative to it. */
export function loadStimulusOption(io: CliIO, path: string, board: Board): Stimulus {
  const text = readText(io, path, 'stimulus script');
  const base = dirname(path);
  const r = parseStimulus(text, board, (file) => {
    try {
      return { text: new TextDecoder().decode(io.readFile(resolve(base, file))) };
    } catch (e) {
      return { error: fileProblem(e) };
    }
  });
  return r.ok ? r.value : rejected(r.errors, path);
}

/** A duration option (`--for 2s`) in µs; a bad value is a usage error (64). */
export function parseDurationOption(value: string, flag: string): number {
  const r = parseDuration(value);
  if (r.ok) return r.value;
  throw new CliError(ExitCode.usage, formatHalErrors(r.errors, flag));
}

/** `--peripherals dac0,led0` → ['dac0', 'led0'] (checked later by `selectDrivers`). */
export function parsePeripheralsOption(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // An empty list would leave the program without drivers and fault at its first
  // spawnExternal; that is a slip in the command line, not in the program.
  if (names.length === 0)
    throw new CliError(
      ExitCode.usage,
      "sensevm: --peripherals needs peripheral names, e.g. 'led0,button0' " +
        "(leave the option out to use the board's peripherals in order)",
    );
  return names;
}

export function parsePlatformOption(value: string | undefined): PlatformKind {
  if (value === undefined || value === 'sim') return 'sim';
  if (value === 'node') return 'node';
  throw new CliError(ExitCode.usage, `sensevm: --platform must be sim or node, not \`${value}\``);
}
