/**
 * `sensevm run prog.cam|prog.svm` on one container: the program's main context and every
 * context it spawns run under the container runtime (rts/) on the simulated board, with the
 * board's peripherals as drivers in board order (`spawnExternal c 1` is led0 on the default
 * stm32f4-discovery board).
 *
 * Output: main's value on stdout when main returns (UART output is also stdout); faults,
 * deadline misses, dropped interrupts and the deadlock report on stderr. Exit codes: 0 when the
 * run ends normally (everything ended or can never run again, or `--for` elapsed); 70 for a
 * fault of main, a fault of any other context, a deadlock of main, or `--max-instructions`.
 */
import type { Board } from '../hal/boards/index.js';
import { cycleTable, defaultBoard } from '../hal/boards/index.js';
import { formatDuration } from '../hal/duration.js';
import { selectDrivers } from '../hal/platform.js';
import { SimPlatform } from '../hal/sim/platform.js';
import type { Stimulus } from '../hal/sim/stimulus.js';
import { formatHalErrors } from '../hal/errors.js';
import { ContainerRuntime } from '../rts/container-runtime.js';
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../rts/config.js';
import { formatContextReport } from '../rts/report.js';
import { runContainerSync, type RunEnd } from '../rts/run-container.js';
import { formatFault, type Machine } from '../vm/index.js';
import { ExitCode } from './exit-codes.js';
import { CliError, type CliIO } from './io.js';

export interface BoardRunOptions {
  readonly board?: Board;
  readonly stimulus?: Stimulus;
  /** `--for`: device time to run at most (µs). */
  readonly forMicros?: number;
  /** `--peripherals`: the container's drivers by name, in driver-number order. */
  readonly peripherals?: readonly string[];
  /** `--events`: where to write the device event log (JSON lines). */
  readonly eventsFile?: string;
  readonly runtime?: Partial<RuntimeConfig>;
  readonly maxInstructions?: number;
}

/** What the run produced besides its exit code (for `--stats` and tests). */
export interface BoardRunResult {
  readonly exitCode: number;
  readonly end: RunEnd;
  readonly runtime: ContainerRuntime;
  readonly platform: SimPlatform;
}

/**
 * Runs `machine` (created with `profile: true`, so device time follows the board's cost model)
 * as one container on the simulated board. Reports on `io`; returns the exit code and details.
 */
export function runOnSimulatedBoard(
  machine: Machine,
  options: BoardRunOptions,
  io: CliIO,
): BoardRunResult {
  const board = options.board ?? defaultBoard();
  const platform = new SimPlatform(board, {
    uartOut: (_device, byte) => io.out(String.fromCharCode(byte)),
    ...(options.stimulus ? { stimulus: options.stimulus } : {}),
  });
  const selected = selectDrivers(platform, options.peripherals);
  if (!selected.ok)
    throw new CliError(ExitCode.usage, formatHalErrors(selected.errors, '--peripherals'));
  const name = machine.containerName;
  for (const d of selected.value) d.claim(name);
  const runtime = new ContainerRuntime(
    machine,
    {
      clock: platform.clock,
      drivers: selected.value,
      cycleTable: cycleTable(board),
      observer: {
        mainReturned: (text) => io.out(text + '\n'),
        contextFaulted: (fault) => {
          io.err(formatFault(fault) + '\n');
          platform.fault(name, fault.code);
        },
        deadlineMissed: (miss) =>
          io.err(
            `sensevm run: deadline missed by context ${miss.context}: released at ` +
              `${formatDuration(miss.releaseAt)}, due by ${formatDuration(miss.deadlineAt)}, ` +
              `committed at ${formatDuration(miss.committedAt)}\n`,
          ),
      },
    },
    { ...DEFAULT_RUNTIME_CONFIG, ...options.runtime },
  );
  const end = runContainerSync(runtime, platform.clock, (t) => platform.sleepNow(t), {
    ...(options.forMicros !== undefined ? { untilMicros: options.forMicros } : {}),
    ...(options.maxInstructions !== undefined ? { maxInstructions: options.maxInstructions } : {}),
    canWakeExternally: () => platform.inputsPending > 0,
  });
  const exitCode = report(runtime, end, io);
  if (options.eventsFile !== undefined) {
    try {
      io.writeFile(options.eventsFile, platform.events.toJsonl());
    } catch (e) {
      throw new CliError(ExitCode.io, `sensevm: cannot write ${options.eventsFile}: ${String(e)}`);
    }
  }
  return { exitCode, end, runtime, platform };
}

function report(runtime: ContainerRuntime, end: RunEnd, io: CliIO): number {
  const timing = runtime.timing.summary();
  if (timing.deadlineMisses > 0)
    io.err(
      `sensevm run: ${timing.deadlineMisses} deadline miss(es) in ${timing.timedSyncs} timed ` +
        `syncs (largest lateness ${formatDuration(timing.maxLatenessUs)})\n`,
    );
  if (runtime.interrupts.drops > 0)
    io.err(`sensevm run: ${runtime.interrupts.drops} interrupt(s) dropped (queue full)\n`);
  switch (end.reason) {
    case 'deadlock':
      io.err(
        `sensevm run: deadlock at ${formatDuration(end.atMicros)}: main can never be woken\n` +
          end.contexts.map((c) => `  ${formatContextReport(c)}\n`).join(''),
      );
      return ExitCode.fault;
    case 'fault':
      return ExitCode.fault;
    case 'instruction-limit':
      io.err(
        `sensevm run: stopped after ${runtime.instructions} instructions (--max-instructions)\n`,
      );
      return ExitCode.fault;
    case 'time-limit':
    case 'finished':
      return runtime.faults.length > 0 ? ExitCode.fault : ExitCode.ok;
  }
}
