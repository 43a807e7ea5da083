/**
 * `sensevm run prog.svm`: load, verify, run `main` on the default container configuration and
 * print its final value as the last line of stdout. A fault exits 70 with a report on stderr.
 *
 * Extension points: the compiler adds `.cam` input by producing a Program and calling
 * `runProgram`; the runtime layer replaces `handleRuntimeCall` (today every CALLRTS faults with
 * 'runtime call not available').
 */
import type { Command } from 'commander';
import { loadVerifiedImage } from '../../isa/image.js';
import type { Program } from '../../isa/program.js';
import { rtsCallName } from '../../isa/rts-calls.js';
import {
  type ContainerConfig,
  DEFAULT_CONTAINER_CONFIG,
  configProblem,
  formatFault,
  Machine,
  printValue,
  type RunResult,
} from '../../vm/index.js';
import {
  DEFAULT_TIER,
  TIER_NAMES,
  type TierName,
  isTierName,
  tierFactory,
} from '../../vm/jit/index.js';
import { ExitCode } from '../exit-codes.js';
import { CliError, type CliIO } from '../io.js';
import { readInput, reject } from './image-files.js';
import { compileSourceFile } from './compile.js';
import { runSystemFile } from '../system-command.js';

export interface RunOptions {
  readonly config?: Partial<ContainerConfig>;
  /** Stop (exit 70) after this many instructions; default unlimited. */
  readonly maxInstructions?: number;
  readonly stressGc?: boolean;
  /** Trace every instruction to stderr. */
  readonly trace?: boolean;
  /** Print heap and collection statistics to stderr at the end. */
  readonly stats?: boolean;
  /** Execution tier (default: compiled; tracing always interprets). */
  readonly tier?: TierName;
}

/** Instructions per slice: the interpreter runs in budgeted slices even with no scheduler. */
const SLICE = 100_000;

/** Runs a verified program's `main` and reports like `sensevm run`; returns the exit code. */
export function runProgram(program: Program, options: RunOptions, io: CliIO): number {
  const config: ContainerConfig = { ...DEFAULT_CONTAINER_CONFIG, ...options.config };
  const problem = configProblem(config);
  if (problem) throw new CliError(ExitCode.usage, `sensevm run: ${problem}`);
  const machine = new Machine(program, config, {
    containerName: 'main',
    stressGc: options.stressGc ?? process.env.SENSEVM_STRESS_GC === '1',
    tier: tierFactory(options.tier ?? DEFAULT_TIER),
    ...(options.trace ? { trace: (line: string) => io.err(line + '\n') } : {}),
  });
  const context = machine.startContext(0);
  const limit = options.maxInstructions ?? Number.POSITIVE_INFINITY;
  let executed = 0;
  let result: RunResult;
  for (;;) {
    result = machine.run(context, Math.min(SLICE, limit - executed));
    executed += result.executed;
    if (result.reason === 'rts') {
      const fault = handleRuntimeCall(machine, context, result.rtsCall);
      if (fault) break;
      continue;
    }
    if (result.reason !== 'budget' || executed >= limit) break;
  }
  if (options.stats) reportStats(machine, executed, io);
  const fault = machine.faultOf(context);
  if (fault) {
    io.err(formatFault(fault) + '\n');
    return ExitCode.fault;
  }
  if (result.reason === 'budget') {
    io.err(`sensevm run: stopped after ${executed} instructions (--max-instructions)\n`);
    return ExitCode.fault;
  }
  const m = machine.memory;
  const text = printValue(m, m.envWord(context), m.envKind(context), program.metadata?.mainType, {
    metadata: program.metadata,
    strings: program.strings,
  });
  io.out(text + '\n');
  return ExitCode.ok;
}

/**
 * Completes `CALLRTS n` for the context, or faults it. Until the runtime layer exists every
 * call faults; returns true when the context faulted.
 */
function handleRuntimeCall(machine: Machine, context: number, n: number): boolean {
  const name = rtsCallName(n) ?? `number ${n}`;
  machine.raiseFault(
    context,
    'runtime call not available',
    `CALLRTS ${n} (${name}) needs the runtime layer`,
    machine.pcOf(context) - 2,
  );
  return true;
}

function reportStats(machine: Machine, executed: number, io: CliIO): void {
  const s = machine.memory.heapStats();
  const l = machine.memory.layout;
  io.err(
    `instructions: ${executed}\n` +
      `memory: ${l.totalBytes} bytes (heap ${l.heapBytes} = ${l.cells} cells of ${s.cellBytes} bytes, ` +
      `stacks ${l.stackBytes}, contexts ${l.contextBytes}, roots ${l.rootBytes}, mark stack ${l.markStackBytes})\n` +
      `heap in use: ${s.cellsInUse} cells (${s.bytesInUse} bytes), ${s.cellsAllocated} allocated in total\n` +
      `collections: ${s.collections}, pauses ${s.totalPauseWork} instruction-equivalents, ` +
      `${s.totalPauseMicros.toFixed(0)} µs total, ${s.maxPauseMicros.toFixed(0)} µs max\n`,
  );
}

/** `8192`, `8K`, `8KiB`, `1M`, `1MiB` → bytes. */
export function parseBytes(text: string): number | undefined {
  const m = /^(\d+)\s*(k|kib|kb|m|mib|mb)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  const n = Number(m[1]) * factor;
  return Number.isSafeInteger(n) ? n : undefined;
}

function byteOption(name: string) {
  return (text: string): number => {
    const n = parseBytes(text);
    if (n === undefined)
      throw new CliError(
        ExitCode.usage,
        `sensevm run: ${name} expects a size in bytes (e.g. 8192, 8K, 1M), got '${text}'`,
      );
    return n;
  };
}

function countOption(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new CliError(
        ExitCode.usage,
        `sensevm run: ${name} expects a whole number, got '${text}'`,
      );
    return n;
  };
}

function tierOption(text: string): TierName {
  if (!isTierName(text))
    throw new CliError(
      ExitCode.usage,
      `sensevm run: --tier expects ${TIER_NAMES.join(' or ')}, got '${text}'`,
    );
  return text;
}

interface RunFlags {
  heap?: number;
  stack?: number;
  contexts?: number;
  maxInstructions?: number;
  stressGc?: boolean;
  trace?: boolean;
  stats?: boolean;
  tier?: string;
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('run')
    .summary('run a bytecode image and print the value of main')
    .description(
      'Load and verify a bytecode image (Sense-VM, SynchronVM version 1, or hex text of either),\n' +
        'run main in one container and print its final value as the last line of stdout.\n' +
        'A runtime fault exits 70 with a report (cause, pc, instruction, source location) on stderr.',
    )
    .argument(
      '<image>',
      'the image file (.svm), a CamIoT program (.cam), or a system manifest (.json)',
    )
    .option(
      '--heap <bytes>',
      `heap size (default ${DEFAULT_CONTAINER_CONFIG.heapBytes})`,
      byteOption('--heap'),
    )
    .option(
      '--stack <bytes>',
      `stack size per context (default ${DEFAULT_CONTAINER_CONFIG.stackBytes})`,
      byteOption('--stack'),
    )
    .option(
      '--contexts <n>',
      `contexts per container (default ${DEFAULT_CONTAINER_CONFIG.maxContexts})`,
      countOption('--contexts'),
    )
    .option(
      '--max-instructions <n>',
      'stop after n instructions',
      countOption('--max-instructions'),
    )
    .option('--stress-gc', 'collect on every allocation (also SENSEVM_STRESS_GC=1)')
    .option('--trace', 'trace every instruction to stderr')
    .option('--stats', 'print memory and collection statistics to stderr')
    .option('--tier <tier>', `execution tier: ${TIER_NAMES.join(' or ')} (default ${DEFAULT_TIER})`)
    .addHelpText(
      'after',
      '\nExample:\n  $ sensevm run examples/bytecode/five-plus-five.svm\n  10\n',
    )
    .option('--for <duration>', 'system manifests (.json): device time to run (default 10s)')
    .action((file: string, flags: RunFlags & { for?: string }) => {
      if (file.endsWith('.json')) return setExit(runSystemFile(io, file, flags));
      // CamIoT source: compile first (diagnostics on stderr, exit 65 on a compile error).
      const loaded = /\.cam$/i.test(file)
        ? { ok: true as const, program: compileSourceFile(io, file, 'sensevm') }
        : loadVerifiedImage(readInput(io, file));
      if (!loaded.ok) reject(io, file, loaded.errors);
      const config: Partial<ContainerConfig> = {
        ...(flags.heap !== undefined ? { heapBytes: flags.heap } : {}),
        ...(flags.stack !== undefined ? { stackBytes: flags.stack } : {}),
        ...(flags.contexts !== undefined ? { maxContexts: flags.contexts } : {}),
      };
      setExit(
        runProgram(
          loaded.program,
          {
            config,
            ...(flags.maxInstructions !== undefined
              ? { maxInstructions: flags.maxInstructions }
              : {}),
            ...(flags.stressGc ? { stressGc: true } : {}),
            ...(flags.trace ? { trace: true } : {}),
            ...(flags.stats ? { stats: true } : {}),
            ...(flags.tier !== undefined ? { tier: tierOption(flags.tier) } : {}),
          },
          io,
        ),
      );
    });
}
