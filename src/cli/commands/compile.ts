/**
 * `sensevm compile prog.cam [-o prog.svm] [--format sensevm|synchronvm]`: compile CamIoT to a
 * bytecode image. Sense-VM's format (default) carries debug info and the metadata `run` uses to
 * print values; `--format synchronvm` writes a version-1 image as hex text (the form SynchronVM's
 * own compiler writes), for programs that need no Sense-VM instruction.
 *
 * Diagnostics go to stderr; any error exits 65 and writes nothing.
 */
import type { Command } from 'commander';
import { writeImage } from '../../isa/image.js';
import { toHexText } from '../../isa/hex-text.js';
import type { ImageFormat, Program } from '../../isa/program.js';
import { compile } from '../../lang/compile.js';
import { renderDiagnostics } from '../../lang/render.js';
import { ExitCode } from '../exit-codes.js';
import { CliError, type CliIO } from '../io.js';
import { readInput, writeOutput } from './image-files.js';

/**
 * Reads and compiles a source file, printing its diagnostics to stderr. Ends the command with
 * exit 65 when there is an error (I/O problems: 74).
 */
export function compileSourceFile(io: CliIO, file: string, format: ImageFormat): Program {
  const bytes = readInput(io, file);
  const source = new TextDecoder().decode(bytes);
  const result = compile(source, file, { format });
  if (result.diagnostics.length > 0)
    io.err(renderDiagnostics(result.diagnostics, source, { color: io.stderrIsTTY }));
  if (!result.program || result.diagnostics.some((d) => d.severity === 'error'))
    throw new CliError(ExitCode.rejected, '');
  return result.program;
}

/** `dir/prog.cam` → `dir/prog.svm`. */
export function defaultOutputName(file: string): string {
  return /\.cam$/i.test(file) ? file.replace(/\.cam$/i, '.svm') : `${file}.svm`;
}

interface CompileFlags {
  output?: string;
  format: string;
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('compile')
    .summary('compile a CamIoT program to a bytecode image')
    .description(
      'Compile a CamIoT source file. The default Sense-VM format keeps debug info and the types ' +
        '`run` needs to print values; --format synchronvm writes a SynchronVM version-1 image ' +
        '(hex text) for programs that use only SynchronVM instructions.',
    )
    .argument('<source>', 'the CamIoT source file (.cam)')
    .option('-o, --output <file>', 'where to write the image (default: next to the source, .svm)')
    .option('--format <format>', 'sensevm or synchronvm', 'sensevm')
    .addHelpText('after', '\nExample:\n  $ sensevm compile blinky.cam -o blinky.svm\n')
    .action((file: string, flags: CompileFlags) => {
      if (flags.format !== 'sensevm' && flags.format !== 'synchronvm')
        throw new CliError(
          ExitCode.usage,
          `sensevm compile: --format must be sensevm or synchronvm, not '${flags.format}'`,
        );
      const format: ImageFormat = flags.format;
      const compiled = compileSourceFile(io, file, format);
      const written = writeImage(compiled, format, 'binary');
      if (!written.ok)
        throw new Error(
          `internal error: cannot write the image: ${written.errors.map((e) => e.message).join('; ')}`,
        );
      const output = flags.output ?? defaultOutputName(file);
      writeOutput(io, output, format === 'synchronvm' ? toHexText(written.bytes) : written.bytes);
      setExit(ExitCode.ok);
    });
}
