/**
 * `sensevm run prog.cam|prog.svm` as a device run: one container (the program's main context
 * and every context it spawns, under the container runtime) on a board, on the simulated
 * platform (virtual time, the default) or the real-time one (`--platform node`: wall clock, the
 * terminal as the board).
 *
 * The wiring: board → platform (stimulus, UART to stdout) → drivers in board order or
 * `--peripherals` order → runtime with the shared trace → the run loop of rts/run-container
 * (sleeping through the platform, writing sleep and wake-up into the trace) → the event log
 * (`--events`), the Chrome trace (`--trace`) and the summary on stderr.
 *
 * Ending (docs in README, `sensevm run`):
 * - `--for 2s` runs everything due up to and including 2 s of device time, then exits 0;
 * - a context waiting for a device input (button, UART) is not deadlocked while `--for` runs:
 *   the device idles until the end (exit 0); without `--for` a simulated run whose stimulus has
 *   nothing more to deliver ends there, as a deadlock of main if main still waits (exit 70);
 * - main waiting on a channel nobody can ever use is a deadlock (exit 70, with a report);
 * - a fault of any context exits 70.
 */
import type { Board } from '../hal/boards/index.js';
import { cycleTable, cyclesToMicros, defaultBoard, milliwatts } from '../hal/boards/index.js';
import type { Clock, Power, WakeReason } from '../hal/clock.js';
import { formatDuration } from '../hal/duration.js';
import type { Driver } from '../hal/driver.js';
import { formatHalErrors } from '../hal/errors.js';
import { type Platform, type PlatformKind, selectDrivers } from '../hal/platform.js';
import { SimPlatform } from '../hal/sim/platform.js';
import type { Stimulus } from '../hal/sim/stimulus.js';
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../rts/config.js';
import { ContainerRuntime } from '../rts/container-runtime.js';
import { formatContextReport } from '../rts/report.js';
import {
  type RunContainerOptions,
  type RunEnd,
  runContainer,
  runContainerSync,
} from '../rts/run-container.js';
import { chromeTraceJson, toChromeTrace } from '../trace/chrome.js';
import { traceDeviceEvents } from '../trace/device-events.js';
import { type RunCounters, summaryLines } from '../trace/summary.js';
import { Trace } from '../trace/trace.js';
import { type FaultRecord, formatFault, type Machine } from '../vm/index.js';
import { writeRequestedOutput } from './commands/image-files.js';
import { ExitCode } from './exit-codes.js';
import { CliError, type CliIO } from './io.js';

/** Instructions per step of the run loop between checks of the time limit and the progress. */
const STEP_INSTRUCTIONS = 50_000;

export interface DeviceRunOptions {
  readonly board?: Board;
  /** `--platform` (default sim). */
  readonly platform?: PlatformKind;
  readonly stimulus?: Stimulus;
  /** `--for`: device time to run (µs), inclusive. */
  readonly forMicros?: number;
  /** `--peripherals`: the container's drivers by name, in driver-number order. */
  readonly peripherals?: readonly string[];
  /** `--events`: where to write the device event log (JSON lines). */
  readonly eventsFile?: string;
  /** `--trace`: where to write the Chrome trace JSON. */
  readonly traceFile?: string;
  /** Print the end-of-run summary on stderr. */
  readonly summary?: boolean;
  /**
   * Show device time reached on stderr while a run goes on (the CLI: on a TTY, simulated runs).
   * `true`: after 500 ms of wall time, at most every 250 ms; or explicit intervals (tests).
   */
  readonly progress?: boolean | { readonly delayMs: number; readonly everyMs: number };
  readonly runtime?: Partial<RuntimeConfig>;
  readonly maxInstructions?: number;
  /** A line of advice printed under a fault report (e.g. which option to raise), if any. */
  readonly faultHint?: (fault: FaultRecord) => string | undefined;
}

export interface DeviceRunResult {
  readonly exitCode: number;
  readonly end: RunEnd;
  readonly runtime: ContainerRuntime;
  readonly platform: Platform;
  readonly trace: Trace;
  /** The summary's figures (also when it was not printed). */
  readonly counters: RunCounters;
}

/** Exit code of a real-time run stopped with Ctrl-C (128 + SIGINT, as shells report it). */
export const INTERRUPTED_EXIT = 130;

/** Runs on the simulated platform, synchronously (tests, `runProgram`). */
export function runDeviceSync(
  machine: Machine,
  options: DeviceRunOptions,
  io: CliIO,
): DeviceRunResult {
  if ((options.platform ?? 'sim') !== 'sim')
    throw new Error('internal error: runDeviceSync runs the simulated platform only');
  const board = options.board ?? defaultBoard();
  const platform = new SimPlatform(board, {
    uartOut: (_device, byte) => io.out(String.fromCharCode(byte)),
    ...(options.stimulus ? { stimulus: options.stimulus } : {}),
  });
  const session = new DeviceSession(machine, options, io, platform);
  const end = runContainerSync(
    session.runtime,
    platform.clock,
    (t) => session.sleptSync(t, () => platform.sleepNow(t)),
    session.loopOptions(() => platform.inputsPending > 0),
  );
  return session.finish(end);
}

/** Runs on either platform; the real-time one waits in real time. */
export async function runDevice(
  machine: Machine,
  options: DeviceRunOptions,
  io: CliIO,
): Promise<DeviceRunResult> {
  if ((options.platform ?? 'sim') === 'sim') return runDeviceSync(machine, options, io);
  const board = options.board ?? defaultBoard();
  const { NodePlatform } = await import('../hal/node/platform.js');
  let quit = false;
  const platform = new NodePlatform(board, {
    uartOut: (_device, byte) => io.out(String.fromCharCode(byte)),
    ...(options.stimulus ? { stimulus: options.stimulus } : {}),
    onQuit: () => (quit = true),
  });
  try {
    const session = new DeviceSession(machine, options, io, platform);
    const power: Power = {
      sleep: (t) => session.sleptAsync(t, () => platform.sleep(t)),
      timeInState: () => platform.timeInState(),
    };
    const end = await runContainer(
      session.runtime,
      platform.clock,
      power,
      session.loopOptions(
        () => false,
        () => quit,
        // A busy program must not starve the terminal: keys and Ctrl-C arrive between steps.
        () => new Promise<void>((resolve) => setImmediate(resolve)),
      ),
    );
    platform.close();
    if (!quit) return session.finish(end);
    // Ctrl-C: the loop saw the platform close; that is the user stopping the device, not a
    // deadlock. Files and the summary are still written.
    const result = session.finish({ ...end, reason: 'time-limit' }, 'stopped with Ctrl-C');
    return { ...result, exitCode: INTERRUPTED_EXIT };
  } finally {
    platform.close();
  }
}

/** Everything a device run shares between the synchronous and the asynchronous loop. */
class DeviceSession {
  readonly runtime: ContainerRuntime;
  readonly trace: Trace;
  private readonly board: Board;
  private readonly name: string;
  private readonly clock: Clock;
  private readonly drivers: readonly Driver[];
  private deepSleepMicros = 0;
  private shallowSleepMicros = 0;
  private maxCollectionWork = 0;
  private lastProgress = -Infinity;
  private progressShown = false;
  private readonly startedAt = performance.now();

  constructor(
    readonly machine: Machine,
    private readonly options: DeviceRunOptions,
    private readonly io: CliIO,
    readonly platform: Platform,
  ) {
    this.board = platform.board;
    this.clock = platform.clock;
    this.name = machine.containerName;
    this.trace = new Trace(options.traceFile !== undefined);
    traceDeviceEvents(platform.events, this.trace, { faults: false });
    const selected = selectDrivers(platform, options.peripherals);
    if (!selected.ok)
      throw new CliError(ExitCode.usage, formatHalErrors(selected.errors, '--peripherals'));
    this.drivers = selected.value;
    for (const d of selected.value) d.claim(this.name);
    const memory = machine.memory;
    const previous = memory.onCollection;
    memory.onCollection = (stats) => {
      previous?.(stats);
      this.maxCollectionWork = Math.max(this.maxCollectionWork, stats.pauseWork);
    };
    this.runtime = new ContainerRuntime(
      machine,
      {
        clock: platform.clock,
        drivers: selected.value,
        cycleTable: cycleTable(this.board),
        trace: this.trace,
        observer: {
          mainReturned: (text) => io.out(text + '\n'),
          contextFaulted: (fault) => {
            io.err(formatFault(fault) + '\n');
            const hint = options.faultHint?.(fault);
            if (hint !== undefined) io.err(`  hint: ${hint}\n`);
            platform.fault(this.name, fault.code);
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
    this.trace.emit({ kind: 'container-switch', t: this.clock.now(), container: this.name });
  }

  /**
   * Options of the rts run loop. `--for` is inclusive: what is due at exactly the end still
   * happens, so `--for 2s` sees a 500 ms blinker's fourth toggle.
   */
  loopOptions(
    inputsPending: () => boolean,
    quit?: () => boolean,
    yieldToHost?: () => Promise<void>,
  ): RunContainerOptions {
    const until = this.options.forMicros === undefined ? Infinity : this.options.forMicros + 1;
    const idleUntilEnd = this.options.forMicros !== undefined || this.platform.kind === 'node';
    // In virtual time a busy program must not run past --for: near the end, a step is only as
    // many instructions as surely fit in the time left (at the dearest instruction's cost).
    const clock = this.clock;
    const cyclesPerMicro = this.board.cpu.clockHz / 1_000_000;
    const dearest = Math.max(1, ...cycleTable(this.board));
    const boundSteps = this.platform.kind === 'sim' && Number.isFinite(until);
    return {
      get untilMicros() {
        return quit?.() ? 0 : until;
      },
      // A getter in the literal itself: a spread would copy one value.
      get stepInstructions() {
        if (!boundSteps) return STEP_INSTRUCTIONS;
        const left = Math.max(0, until - clock.now());
        return Math.min(STEP_INSTRUCTIONS, Math.floor((left * cyclesPerMicro) / dearest));
      },
      ...(this.options.maxInstructions !== undefined
        ? { maxInstructions: this.options.maxInstructions }
        : {}),
      canWakeExternally: () =>
        inputsPending() || (idleUntilEnd && waitsForDeviceInput(this.runtime, this.drivers)),
      ...(this.options.progress ? { onStep: () => this.showProgress() } : {}),
      ...(yieldToHost ? { yieldToHost } : {}),
    };
  }

  sleptSync(until: number | undefined, sleep: () => WakeReason): WakeReason {
    const from = this.beforeSleep(until);
    return this.afterSleep(from, sleep());
  }

  async sleptAsync(
    until: number | undefined,
    sleep: () => Promise<WakeReason>,
  ): Promise<WakeReason> {
    const from = this.beforeSleep(until);
    return this.afterSleep(from, await sleep());
  }

  private beforeSleep(until: number | undefined): number {
    const t = this.clock.now();
    this.trace.emit({ kind: 'sleep', t, ...(until === undefined ? {} : { until }) });
    if (this.options.progress) this.showProgress();
    return t;
  }

  private afterSleep(from: number, reason: WakeReason): WakeReason {
    const t = this.clock.now();
    const slept = t - from;
    const power = this.board.power;
    if (power.deepSleep && power.deepSleepAfterUs !== undefined && slept >= power.deepSleepAfterUs)
      this.deepSleepMicros += slept;
    else this.shallowSleepMicros += slept;
    this.trace.emit({ kind: 'wake', t, reason });
    this.trace.emit({ kind: 'container-switch', t, container: this.name });
    return reason;
  }

  /** `device time 12.500s` on stderr, rewritten in place (the caller checked for a TTY). */
  private showProgress(): void {
    const wall = performance.now();
    const { delayMs, everyMs } =
      typeof this.options.progress === 'object'
        ? this.options.progress
        : { delayMs: 500, everyMs: 250 };
    if (wall - this.lastProgress < everyMs || wall - this.startedAt < delayMs) return;
    this.lastProgress = wall;
    this.progressShown = true;
    this.io.err(`\r\x1b[Ksensevm run: device time ${formatSeconds(this.clock.now())}`);
  }

  finish(end: RunEnd, endedBecause?: string): DeviceRunResult {
    if (this.progressShown) this.io.err('\r\x1b[K');
    const runtime = this.runtime;
    let exitCode = this.report(end);
    const counters = this.counters(end, endedBecause);
    writeRequestedOutput(this.io, this.options.eventsFile, () => this.platform.events.toJsonl());
    writeRequestedOutput(this.io, this.options.traceFile, () =>
      chromeTraceJson(
        toChromeTrace(this.trace, { endMicros: this.clock.now(), board: this.board.name }),
      ),
    );
    if (this.options.summary) this.io.err(summaryLines(counters).join('\n') + '\n');
    if (runtime.faults.length > 0) exitCode = ExitCode.fault;
    return { exitCode, end, runtime, platform: this.platform, trace: this.trace, counters };
  }

  /** Reports how the run ended (stderr) and returns the exit code. */
  private report(end: RunEnd): number {
    const runtime = this.runtime;
    const io = this.io;
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
        // Without --for the simulation cannot tell "waits for a button" from "stuck": say so.
        if (waitsForDeviceInput(runtime, this.drivers))
          io.err(
            `  (a context waits for device input and the stimulus has no more; ` +
              `with --for the device idles until the end and exits 0)\n`,
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
        return ExitCode.ok;
    }
  }

  private counters(end: RunEnd, endedBecause?: string): RunCounters {
    const runtime = this.runtime;
    const board = this.board;
    const elapsed = this.clock.now();
    const asleep = this.deepSleepMicros + this.shallowSleepMicros;
    const power = board.power;
    const activeMw = milliwatts(power.active);
    const sleepMw = milliwatts(power.sleep);
    const deepMw = power.deepSleep ? milliwatts(power.deepSleep) : sleepMw;
    const awake = Math.max(0, elapsed - asleep);
    const heap = this.machine.memory.heapStats();
    return {
      board: board.name,
      elapsedMicros: elapsed,
      asleepMicros: asleep,
      containers: [
        {
          name: this.name,
          cpuMicros: awake,
          instructions: runtime.instructions,
          gcCount: heap.collections,
          // Collections do not advance device time; this is their work (cells and roots
          // visited) at the board's cycles per move, what the pause would take on the device.
          gcWorstPauseMicros: cyclesToMicros(board, this.maxCollectionWork * board.cpu.cycles.move),
          messages: runtime.messages,
          deadlineMisses: runtime.timing.summary().deadlineMisses,
          faults: runtime.faults.length,
          droppedInputs: runtime.interrupts.drops,
        },
      ],
      activeMilliwatts: activeMw,
      sleepMilliwatts: sleepMw,
      ended: endedBecause ?? endedText(end, this.options.forMicros),
      energyMillijoules:
        (activeMw * awake + sleepMw * this.shallowSleepMicros + deepMw * this.deepSleepMicros) /
        1_000_000,
    };
  }
}

/** Whether a context waits to receive from an interrupt-driven device (button, UART). */
function waitsForDeviceInput(runtime: ContainerRuntime, drivers: readonly Driver[]): boolean {
  return runtime.report().some((c) =>
    c.waitsOn.some((w) => {
      const driver = drivers[runtime.channels.driverOf(w.channel)];
      return w.direction === 'recv' && driver?.input === 'interrupt';
    }),
  );
}

function endedText(end: RunEnd, forMicros: number | undefined): string {
  switch (end.reason) {
    case 'time-limit':
      return forMicros === undefined ? 'stopped' : `--for ${formatDuration(forMicros)} elapsed`;
    case 'finished':
      return 'all contexts ended';
    case 'deadlock':
      return 'nothing left to do';
    case 'fault':
      return 'main faulted';
    case 'instruction-limit':
      return '--max-instructions reached';
  }
}

function formatSeconds(micros: number): string {
  return `${(micros / 1_000_000).toFixed(3)}s`;
}
