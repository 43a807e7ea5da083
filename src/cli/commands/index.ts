import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { register as registerAsm } from './asm.js';
import { register as registerDisasm } from './disasm.js';
import { register as registerVerify } from './verify.js';
import { register as registerRun } from './run.js';
import { register as registerCheck } from './check.js';
import { register as registerCompile } from './compile.js';
import { register as registerTrace } from './trace.js';
import { register as registerBoards } from './boards.js';

/** A command module adds its subcommand to `program`; its action reports its exit code. */
export type RegisterCommand = (
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
) => void;

/** Every `sensevm` subcommand, in the order `--help` lists them. One line per command module. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerAsm,
  registerDisasm,
  registerVerify,
  registerRun,
  registerCheck,
  registerCompile,
  registerTrace,
  registerBoards,
];
