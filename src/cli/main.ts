import { Command, CommanderError } from 'commander';
import { ExitCode } from './exit-codes.js';
import { CliError, processIO, type CliIO } from './io.js';
import { COMMANDS } from './commands/index.js';

export { ExitCode } from './exit-codes.js';
export { BufferIO, processIO, type CliIO } from './io.js';

/**
 * Runs the `sensevm` command line and resolves to the exit code. Never throws for user errors;
 * an unexpected exception is an internal error and is reported as such (exit 70).
 */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('sensevm')
    .description('Sense-VM: a safe bytecode VM for IoT and embedded systems')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  for (const register of COMMANDS) register(program, io, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.exitCode === 0
      )
        return ExitCode.ok;
      return ExitCode.usage;
    }
    if (e instanceof CliError) {
      if (e.message) io.err(e.message.endsWith('\n') ? e.message : e.message + '\n');
      return e.exitCode;
    }
    io.err(`sensevm: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.fault;
  }
  return exitCode;
}
