/** `sensevm trace out.json`: the readable timeline of a saved Chrome trace (`run --trace`). */
import type { Command } from 'commander';
import { formatHalErrors } from '../../hal/errors.js';
import { readChromeTrace, timelineLines } from '../../trace/timeline.js';
import { ExitCode } from '../exit-codes.js';
import { CliError, type CliIO } from '../io.js';
import { readInput } from './image-files.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('trace')
    .summary('print the timeline of a saved trace')
    .description(
      'Print a Chrome trace written by `sensevm run --trace` as a readable timeline: one line ' +
        'per event in device-time order — time, container/context, event, details. The same file ' +
        'opens in Perfetto (https://ui.perfetto.dev) as a graphical timeline.',
    )
    .argument('<trace.json>', 'the trace file')
    .option('--container <name>', 'only the events of this container')
    .option('--limit <n>', 'print at most n events')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ sensevm run examples/blinky/blinky.cam --for 2s --trace out.json\n' +
        '  $ sensevm trace out.json --limit 20\n',
    )
    .action((file: string, options: { container?: string; limit?: string }) => {
      let limit: number | undefined;
      if (options.limit !== undefined) {
        limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 0)
          throw new CliError(ExitCode.usage, `sensevm trace: --limit must be a whole number`);
      }
      const text = new TextDecoder().decode(readInput(io, file));
      const r = readChromeTrace(text, file);
      if (!r.ok) throw new CliError(ExitCode.rejected, formatHalErrors(r.errors));
      const lines = timelineLines(r.value, {
        ...(options.container !== undefined ? { container: options.container } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      io.out(lines.map((l) => l + '\n').join(''));
    });
}
