/** `sensevm boards`: the built-in boards and their peripherals (driver numbers in order). */
import type { Command } from 'commander';
import {
  builtinBoards,
  DEFAULT_BOARD_NAME,
  milliwatts,
  type Board,
  type Peripheral,
} from '../../hal/boards/index.js';
import { loadBoardOption } from '../hal-options.js';
import type { CliIO } from '../io.js';

function parameters(p: Peripheral): string {
  const { name: _name, kind: _kind, ...rest } = p;
  return Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

function describeBoard(b: Board): string {
  const mhz = b.cpu.clockHz / 1_000_000;
  const lines = [
    `${b.name}${b.name === DEFAULT_BOARD_NAME ? ' (default)' : ''}`,
    ...(b.description ? [`  ${b.description}`] : []),
    `  cpu ${mhz} MHz, RAM ${b.memory.ramBytes / 1024} KiB, flash ${b.memory.flashBytes / 1024} KiB, ` +
      `power active ${milliwatts(b.power.active)} mW, sleep ${milliwatts(b.power.sleep)} mW` +
      (b.power.deepSleep ? `, deep sleep ${milliwatts(b.power.deepSleep)} mW` : ''),
    '  driver  peripheral  kind         parameters',
    ...b.peripherals.map((p, i) =>
      `  ${String(i).padStart(6)}  ${p.name.padEnd(10)}  ${p.kind.padEnd(11)}  ${parameters(p)}`.trimEnd(),
    ),
  ];
  return lines.join('\n') + '\n';
}

export function register(program: Command, io: CliIO): void {
  program
    .command('boards')
    .summary('list the built-in boards and their peripherals')
    .description(
      'List the built-in boards: CPU clock, memory, power figures and peripherals. A ' +
        "peripheral's position is its default driver number (`spawnExternal ch 1` is the second " +
        'one). With --board, describe one board (a built-in name or a board file).',
    )
    .option('--json', 'print the board descriptions as JSON (the board file format)')
    .option('--board <name|file>', 'describe only this board')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sensevm boards\n  $ sensevm boards --board nrf52840-dk --json > my-board.json\n',
    )
    .action((options: { json?: boolean; board?: string }) => {
      const boards =
        options.board === undefined ? builtinBoards() : [loadBoardOption(io, options.board)];
      if (options.json) {
        io.out(JSON.stringify(options.board === undefined ? boards : boards[0], null, 2) + '\n');
        return;
      }
      io.out(boards.map(describeBoard).join('\n'));
    });
}
