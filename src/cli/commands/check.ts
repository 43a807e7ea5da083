/**
 * `sensevm check prog.cam`: parse and type-check a CamIoT program and print its diagnostics to
 * stderr. Exit 65 when there is any error, 0 otherwise (warnings allowed), 74 when the file
 * cannot be read.
 */
import type { Command } from 'commander';
import type { Module } from '../../lang/ast.js';
import { analyze, type ProgramInfo } from '../../lang/analyze.js';
import { backEndDiagnostics } from '../../lang/compile.js';
import type { Diagnostic } from '../../lang/diagnostic.js';
import { renderDiagnostics } from '../../lang/render.js';
import { compareDiagnostics } from '../../lang/report.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { readInput } from './image-files.js';

/**
 * Further passes whose diagnostics `check` reports on a program the front end accepted
 * (the back end adds its pattern-match warnings — non-exhaustive, redundant — here).
 */
export const CHECK_PASSES: ((module: Module, info: ProgramInfo) => readonly Diagnostic[])[] = [
  backEndDiagnostics,
];

/** The source text; an unreadable file is an I/O error worded like every other command's. */
function readSource(io: CliIO, file: string): string {
  return new TextDecoder().decode(readInput(io, file));
}

interface CheckFlags {
  color?: boolean;
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('check')
    .description(
      'Parse and type-check a CamIoT program and print every diagnostic (exit 65 on an error), ' +
        'or validate a system manifest: shape, peripherals, memory budget, links and programs.',
    )
    .argument('<file>', 'CamIoT source file (.cam), or a system manifest (.json)')
    .option('--color', 'colour the diagnostics (default: when stderr is a terminal)')
    .option('--no-color', 'never colour the diagnostics')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sensevm check test/lang/synchronvm/blinky.cam\n' +
        '  $ sensevm check examples/system/system.json\n',
    )
    .action(async (file: string, flags: CheckFlags) => {
      if (file.endsWith('.json')) {
        // Loaded only for manifests, as in `run`: it keeps zod out of every start-up.
        const { checkSystemFile } = await import('../system-command.js');
        return setExit(checkSystemFile(io, file));
      }
      const source = readSource(io, file);
      const result = analyze(source, file);
      const diagnostics = [...result.diagnostics];
      if (result.module && result.info) {
        for (const pass of CHECK_PASSES) diagnostics.push(...pass(result.module, result.info));
        diagnostics.sort(compareDiagnostics);
      }
      const color = flags.color ?? (io.stderrIsTTY && !('NO_COLOR' in globalThis.process.env));
      io.err(renderDiagnostics(diagnostics, source, { color }));
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = diagnostics.length - errors;
      if (errors > 0) {
        io.err(`${file}: ${errors} error(s)${warnings ? `, ${warnings} warning(s)` : ''}\n`);
        setExit(ExitCode.rejected);
      } else {
        setExit(ExitCode.ok);
      }
    });
}
