/**
 * `sensevm run prog.svm`: load, verify, run `main` on the default container configuration and
 * print its final value as the last line of stdout. A fault exits 70 with a report on stderr.
 *
 * Extension points: the compiler adds `.cam` input by producing a Program and calling
 * `runProgram`; the container runtime (rts/, through cli/device-run.ts) runs main and the
 * contexts it spawns on a board (`--board`, `--platform`, `--stimulus`, `--for`, `--events`,
 * `--trace`, `--peripherals`; a summary on stderr unless `--quiet`).
 */
import { parseSizeBytes } from '../../system/units.js';
import type { Command } from 'commander';
import { loadVerifiedImage } from '../../isa/image.js';
import type { Program } from '../../isa/program.js';
import {
  type ContainerConfig,
  DEFAULT_CONTAINER_CONFIG,
  configProblem,
  Machine,
} from '../../vm/index.js';
import { cycleTable, defaultBoard } from '../../hal/boards/index.js';
import { MAX_AREA_BYTES } from '../../vm/config.js';
import {
  DEFAULT_TIER,
  TIER_NAMES,
  type TierName,
  isTierName,
  tierFactory,
} from '../../vm/jit/index.js';
import { rowByMnemonic } from '../../isa/opcodes.js';
import { ExitCode } from '../exit-codes.js';
import { CliError, type CliIO } from '../io.js';
import { readInput, reject } from './image-files.js';
import { compileSourceFile } from './compile.js';
import { type DeviceRunOptions, runDevice, runDeviceSync } from '../device-run.js';
import {
  loadBoardOption,
  loadStimulusOption,
  parseDurationOption,
  parsePeripheralsOption,
  parsePlatformOption,
} from '../hal-options.js';

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
  /** Board, platform, stimulus, `--for`, peripherals, `--events`, `--trace`, summary (rts/). */
  readonly device?: DeviceRunOptions;
}

/** Runs a verified program's `main` and reports like `sensevm run`; returns the exit code. */
export function runProgram(program: Program, options: RunOptions, io: CliIO): number {
  const machine = createMachine(program, options, io);
  // The container runtime (rts/) runs main and every context it spawns on the simulated
  // board, and prints main's value when main returns.
  const run = runDeviceSync(machine, deviceOptions(options), io);
  if (options.stats) reportStats(machine, run.runtime.instructions, io);
  return run.exitCode;
}

/** `runProgram` on either platform (`--platform node` waits in real time). */
export async function runProgramOnPlatform(
  program: Program,
  options: RunOptions,
  io: CliIO,
): Promise<number> {
  const machine = createMachine(program, options, io);
  const run = await runDevice(machine, deviceOptions(options), io);
  if (options.stats) reportStats(machine, run.runtime.instructions, io);
  return run.exitCode;
}

function deviceOptions(options: RunOptions): DeviceRunOptions {
  const stackBytes = options.config?.stackBytes ?? DEFAULT_CONTAINER_CONFIG.stackBytes;
  return {
    faultHint: (fault) =>
      fault.cause === 'stack overflow'
        ? `non-tail recursion deeper than the stack allows: raise --stack ` +
          `(now ${stackBytes} bytes per context) or make the call a tail call`
        : undefined,
    ...options.device,
    ...(options.maxInstructions !== undefined ? { maxInstructions: options.maxInstructions } : {}),
  };
}

function createMachine(program: Program, options: RunOptions, io: CliIO): Machine {
  const config: ContainerConfig = { ...DEFAULT_CONTAINER_CONFIG, ...options.config };
  const problem = configProblem(config);
  if (problem) throw new CliError(ExitCode.usage, `sensevm run: ${problem}`);
  return new Machine(program, config, {
    containerName: 'main',
    stressGc: options.stressGc ?? process.env.SENSEVM_STRESS_GC === '1',
    tier: tierFactory(options.tier ?? DEFAULT_TIER),
    // Device time follows the board's cost model: both tiers charge its cycles per instruction.
    cycleTable: cycleTable(options.device?.board ?? defaultBoard()),
    ...(options.trace ? { trace: instructionTracer(program, io) } : {}),
  });
}

/**
 * The `--trace-instructions` sink. The interpreter names instructions by code offset (pc) and
 * shows operands as stored; a SynchronVM image's label operands are file offsets and its
 * listing numbers instructions by file offset too. So for such images every address is shown
 * both ways, as fault reports do: `pc 3 (@18) CALL pc 60 (@75)`.
 */
export function instructionTracer(program: Program, io: CliIO): (line: string) => void {
  const base = program.labelBase;
  if (base === 0) return (line) => io.err(line + '\n');
  io.err(`trace: SynchronVM image: pc is the code offset, (@N) the address in the listing\n`);
  const both = (pc: number): string => `pc ${pc} (@${pc + base})`;
  return (line) => {
    const m = /^ctx (\d+) pc (\d+) (\S+)(?: (-?\d+))?( \| .*)$/.exec(line);
    if (!m) return io.err(line + '\n');
    const [, ctx, pc, mnemonic = '', operand, rest = ''] = m;
    const isLabel = rowByMnemonic(mnemonic)?.operands[0] === 'label';
    const shownOperand =
      operand === undefined ? '' : isLabel ? ` ${both(Number(operand) - base)}` : ` ${operand}`;
    // Return addresses on the stack are code offsets (`@11`): show them as pcs too.
    const shownRest = rest.replace(
      / top @(\d+)$/,
      (_, ret: string) => ` top return ${both(Number(ret))}`,
    );
    io.err(`ctx ${ctx} ${both(Number(pc))} ${mnemonic}${shownOperand}${shownRest}\n`);
  };
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

/** `8192`, `8K`, `8KiB`, `1M`, `1MiB`, `1G`, `1GiB` → bytes (binary); `8KB` → 8000 (decimal). */
export function parseBytes(text: string): number | undefined {
  // One size grammar for the command line and manifests (system/units.ts): 8192, 8K, 8KiB = 8192
  // bytes; 8KB = 8000.
  return parseSizeBytes(text);
}

/** `1048576` → `1MiB`, `8192` → `8KiB`, `100` → `100 bytes`: how limits are shown. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2}MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}KiB`;
  return `${n} bytes`;
}

/**
 * Smallest `--stack` accepted: room for about a dozen values, below which even a program's first
 * call overflows — a stack of 0 is a mistake in the command, not a fault of the program.
 */
export const MIN_STACK_BYTES = 64;

/** Most contexts a container may have (the limit vm/config.ts's configProblem enforces). */
const MAX_CONTEXTS = 65536;

/** A size option with units; out-of-range values are usage errors that name the limit. */
function byteOption(name: string, min: number) {
  return (text: string): number => {
    const n = parseBytes(text);
    if (n === undefined)
      throw new CliError(
        ExitCode.usage,
        `sensevm run: ${name} expects a size in bytes (e.g. 8192, 8KiB, 1MiB), got '${text}'`,
      );
    if (n > MAX_AREA_BYTES)
      throw new CliError(
        ExitCode.usage,
        `sensevm run: ${name} ${text} is too large: the maximum is ${formatBytes(MAX_AREA_BYTES)}`,
      );
    if (n < min)
      throw new CliError(
        ExitCode.usage,
        `sensevm run: ${name} ${text} is too small: the minimum is ${formatBytes(min)}`,
      );
    return n;
  };
}

function countOption(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n))
      throw new CliError(
        ExitCode.usage,
        `sensevm run: ${name} expects a whole number, got '${text}'`,
      );
    if (n < min || n > max)
      throw new CliError(
        ExitCode.usage,
        `sensevm run: ${name} must be between ${min} and ${max}, got ${n}`,
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

/** Columns the help is laid out for: the terminal's when stdout is one (capped), else 80. */
function helpWidth(io: CliIO): number {
  const columns = io.stdoutIsTTY ? (process.stdout.columns ?? 80) : 80;
  return Math.max(40, Math.min(columns, 100));
}

/** Words of `text` filled into lines of at most `width` columns. */
export function wrapParagraph(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/**
 * The examples and notes after the options. The notes are paragraphs filled to the help width
 * (hand-broken lines would wrap into ragged fragments on a narrower terminal); every example
 * line fits in 80 columns.
 */
function runHelpAfter(width: number): string {
  const paragraphs = [
    'A device run (any of --for, --board, --platform, --stimulus, --events, --trace) ends with ' +
      'a summary on stderr: CPU time and share, instructions, collections, messages, deadline ' +
      'misses, faults, time asleep and estimated energy (--quiet leaves it out).',
    'Sizes take binary units: --heap 64KiB, --stack 1MiB (at least ' +
      `${MIN_STACK_BYTES} bytes, at most ${formatBytes(MAX_AREA_BYTES)}). Exit codes: 0 done or ` +
      '--for reached, 64 bad option, 65 input rejected, 70 runtime fault or deadlock, 74 I/O error.',
  ];
  return (
    '\nExamples:\n' +
    '  $ sensevm run examples/bytecode/five-plus-five.svm\n  10\n' +
    '  $ sensevm run examples/blinky/blinky.cam --for 3s\n' +
    '  $ sensevm run examples/button-blinky/button-blinky.cam --for 2s \\\n' +
    '      --stimulus examples/button-blinky/presses.json \\\n' +
    '      --events events.jsonl --trace trace.json\n' +
    '  $ sensevm run examples/blinky/blinky.cam --platform node --for 10s\n' +
    '  $ sensevm run examples/system/system.json --for 5s\n' +
    paragraphs.map((p) => '\n' + wrapParagraph(p, width) + '\n').join('')
  );
}

interface RunFlags {
  heap?: number;
  stack?: number;
  contexts?: number;
  maxInstructions?: number;
  stressGc?: boolean;
  traceInstructions?: boolean;
  stats?: boolean;
  tier?: string;
}

interface DeviceFlags {
  for?: string;
  board?: string;
  stimulus?: string;
  peripherals?: string;
  events?: string;
  platform?: string;
  trace?: string;
  quiet?: boolean;
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('run')
    .summary('run a bytecode image and print the value of main')
    .description(
      'Load and verify a bytecode image (Sense-VM, SynchronVM version 1, or hex text of either) ' +
        'or compile a CamIoT program, run main in one container and print its final value as the ' +
        'last line of stdout. A runtime fault exits 70 with a report (cause, pc, instruction, ' +
        'source location) on stderr.',
    )
    .argument(
      '<image>',
      'the image file (.svm), a CamIoT program (.cam), or a system manifest (.json)',
    )
    .option(
      '--heap <bytes>',
      `heap size, e.g. 64KiB (default ${formatBytes(DEFAULT_CONTAINER_CONFIG.heapBytes)})`,
      byteOption('--heap', 0),
    )
    .option(
      '--stack <bytes>',
      `stack size per context (default ${formatBytes(DEFAULT_CONTAINER_CONFIG.stackBytes)})`,
      byteOption('--stack', MIN_STACK_BYTES),
    )
    .option(
      '--contexts <n>',
      `contexts per container (default ${DEFAULT_CONTAINER_CONFIG.maxContexts})`,
      countOption('--contexts', 1, MAX_CONTEXTS),
    )
    .option(
      '--max-instructions <n>',
      'stop after n instructions',
      countOption('--max-instructions'),
    )
    .option('--stress-gc', 'collect on every allocation (also SENSEVM_STRESS_GC=1)')
    .option('--trace-instructions', 'trace every instruction to stderr')
    .option('--stats', 'print memory and collection statistics to stderr')
    .option('--tier <tier>', `execution tier: ${TIER_NAMES.join(' or ')} (default ${DEFAULT_TIER})`)
    .option(
      '--for <duration>',
      'device time to run, inclusive (2s, 500ms, 10us; system manifests: default 10s)',
    )
    .option(
      '--board <name|file>',
      'board: a built-in name or a board file (default stm32f4-discovery)',
    )
    .option(
      '--platform <sim|node>',
      'sim: virtual time (default); node: wall clock, terminal board',
    )
    .option(
      '--stimulus <file>',
      'inputs of the run: button presses, UART text, sensor signals (JSON)',
    )
    .option(
      '--peripherals <names>',
      "the program's drivers in order, e.g. dac0,led0 (default: the board's)",
    )
    .option('--events <file>', 'write the device event log (JSON lines)')
    .option('--trace <file>', 'write a Chrome trace JSON (opens in Perfetto)')
    .option('--quiet', 'no run summary on stderr')
    .addHelpText('after', () => runHelpAfter(helpWidth(io)))
    .action(async (file: string, flags: RunFlags & DeviceFlags) => {
      if (file.endsWith('.json')) {
        // Loaded only for manifests: the system layer and its zod schemas would otherwise cost
        // every run start-up time (docs/performance.md, "Start-up").
        const { runSystemFile } = await import('../system-command.js');
        return setExit(runSystemFile(io, file, flags));
      }
      const platform = parsePlatformOption(flags.platform);
      // CamIoT source: compile first (diagnostics on stderr, exit 65 on a compile error).
      const loaded = /\.cam$/i.test(file)
        ? { ok: true as const, program: compileSourceFile(io, file, 'sensevm') }
        : loadVerifiedImage(readInput(io, file));
      if (!loaded.ok) reject(io, file, loaded.errors);
      const board = loadBoardOption(io, flags.board);
      const deviceRun = [
        flags.for,
        flags.board,
        flags.platform,
        flags.stimulus,
        flags.events,
        flags.trace,
      ].some((f) => f !== undefined);
      const device: DeviceRunOptions = {
        board,
        platform,
        ...(flags.stimulus !== undefined
          ? { stimulus: loadStimulusOption(io, flags.stimulus, board) }
          : {}),
        ...(flags.for !== undefined ? { forMicros: parseDurationOption(flags.for, '--for') } : {}),
        ...(flags.peripherals !== undefined
          ? { peripherals: parsePeripheralsOption(flags.peripherals) }
          : {}),
        ...(flags.events !== undefined ? { eventsFile: flags.events } : {}),
        ...(flags.trace !== undefined ? { traceFile: flags.trace } : {}),
        summary: deviceRun && !flags.quiet,
        progress: io.stderrIsTTY && !flags.quiet && platform === 'sim',
      };
      const config: Partial<ContainerConfig> = {
        ...(flags.heap !== undefined ? { heapBytes: flags.heap } : {}),
        ...(flags.stack !== undefined ? { stackBytes: flags.stack } : {}),
        ...(flags.contexts !== undefined ? { maxContexts: flags.contexts } : {}),
      };
      const options: RunOptions = {
        config,
        ...(flags.maxInstructions !== undefined ? { maxInstructions: flags.maxInstructions } : {}),
        ...(flags.stressGc ? { stressGc: true } : {}),
        ...(flags.traceInstructions ? { trace: true } : {}),
        ...(flags.stats ? { stats: true } : {}),
        ...(flags.tier !== undefined ? { tier: tierOption(flags.tier) } : {}),
        device,
      };
      setExit(
        platform === 'sim'
          ? runProgram(loaded.program, options, io)
          : await runProgramOnPlatform(loaded.program, options, io),
      );
    });
}
