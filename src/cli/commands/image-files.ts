/**
 * File handling shared by the CLI (every read and write failure is an I/O error, exit 74, in the
 * words of `fileProblem`) and error printing for the image commands (asm, disasm, verify).
 */
import { hex, type IsaError } from '../../isa/errors.js';
import { ExitCode } from '../exit-codes.js';
import { CliError, type CliIO, fileProblem } from '../io.js';

export function readInput(io: CliIO, path: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (e) {
    throw new CliError(ExitCode.io, `sensevm: cannot read ${path}: ${fileProblem(e)}`);
  }
}

export function writeOutput(io: CliIO, path: string, data: Uint8Array | string): void {
  try {
    io.writeFile(path, data);
  } catch (e) {
    throw new CliError(ExitCode.io, `sensevm: cannot write ${path}: ${fileProblem(e, true)}`);
  }
}

/** Writes an output the user asked for (`--events`, `--trace`); the text is made only then. */
export function writeRequestedOutput(
  io: CliIO,
  path: string | undefined,
  text: () => string,
): void {
  if (path !== undefined) writeOutput(io, path, text());
}

/** `file: offset 0x0017: error[E0121]: unknown opcode 255`, or `file:3:9: …` for assembly text. */
export function formatIsaError(file: string, e: IsaError): string {
  const where =
    e.line !== undefined
      ? `${file}:${e.line}:${e.column ?? 1}`
      : `${file}: offset ${hex(e.offset)}`;
  return `${where}: error[${e.code}]: ${e.message}`;
}

/** Prints the errors to stderr and ends the command with exit 65 (input rejected). */
export function reject(io: CliIO, file: string, errors: readonly IsaError[]): never {
  for (const e of errors) io.err(formatIsaError(file, e) + '\n');
  throw new CliError(ExitCode.rejected, '');
}
