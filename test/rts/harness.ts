/**
 * Runs a CamIoT program through the whole pipeline the way `sensevm run` does (compiler →
 * Machine → ContainerRuntime → simulated board) and returns what tests check: main's printed
 * value, how the run ended, faults, the device event log and the runtime itself.
 */
import { compile } from '../../src/lang/compile.js';
import { builtinBoard, cycleTable, defaultBoard } from '../../src/hal/boards/index.js';
import { SimPlatform } from '../../src/hal/sim/platform.js';
import type { DeviceEvent } from '../../src/hal/events.js';
import { Machine } from '../../src/vm/machine.js';
import { tierFactory } from '../../src/vm/jit/index.js';
import { DEFAULT_CONTAINER_CONFIG, type ContainerConfig } from '../../src/vm/config.js';
import { ContainerRuntime } from '../../src/rts/container-runtime.js';
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../../src/rts/config.js';
import { runContainerSync, type RunEnd } from '../../src/rts/run-container.js';
import { formatContextReport } from '../../src/rts/report.js';

export interface CamRun {
  readonly main: string | undefined;
  readonly end: RunEnd;
  readonly events: DeviceEvent[];
  readonly runtime: ContainerRuntime;
  readonly faults: string[];
  /** Device outputs as [time µs, device, value]. */
  readonly outputs: [number, string, number][];
  readonly report: string[];
}

export interface CamRunOptions {
  readonly forMicros?: number;
  /** Inputs: [time µs, device, value]. */
  readonly inputs?: readonly [number, string, number][];
  readonly runtime?: Partial<RuntimeConfig>;
  readonly container?: Partial<ContainerConfig>;
  readonly maxInstructions?: number;
  /** A built-in board name (default: the default board). */
  readonly board?: string;
}

/**
 * Runs on the compiled tier (what `sensevm run` and the Device use) and, as a differential check,
 * on the interpreter with per-opcode counting (the cost model's oracle): main's value, faults,
 * the device event log (timestamps are device time), instruction and message counts and the
 * deadlock report must be identical, or this throws.
 */
export function runCam(source: string, options: CamRunOptions = {}): CamRun {
  const run = runCamOn('compiled', source, options);
  const oracle = runCamOn('interpreter', source, options);
  const observable = (r: CamRun) =>
    JSON.stringify({
      main: r.main,
      events: r.events,
      faults: r.faults,
      report: r.report,
      reason: r.end.reason,
      atMicros: r.end.atMicros,
      instructions: r.runtime.instructions,
      messages: r.runtime.messages,
    });
  if (observable(run) !== observable(oracle))
    throw new Error(
      `compiled tier differs from the interpreter:\n${observable(run)}\n${observable(oracle)}`,
    );
  return run;
}

function runCamOn(
  tier: 'compiled' | 'interpreter',
  source: string,
  options: CamRunOptions,
): CamRun {
  const compiled = compile(source, 'test.cam');
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (!compiled.program || errors.length > 0)
    throw new Error(`compile failed: ${JSON.stringify(compiled.diagnostics, null, 1)}`);
  const board = options.board ? builtinBoardOrThrow(options.board) : defaultBoard();
  const inputs = (options.inputs ?? []).map(([at, device, value]) => ({ at, device, value }));
  inputs.sort((a, b) => a.at - b.at);
  const platform = new SimPlatform(board, { stimulus: { inputs, drives: [] } });
  for (const d of platform.devices) d.claim('main');
  const machine = new Machine(
    compiled.program,
    { ...DEFAULT_CONTAINER_CONFIG, ...options.container },
    tier === 'compiled'
      ? { tier: tierFactory('compiled'), cycleTable: cycleTable(board) }
      : { profile: true },
  );
  const runtime = new ContainerRuntime(
    machine,
    { clock: platform.clock, drivers: platform.devices, cycleTable: cycleTable(board) },
    { ...DEFAULT_RUNTIME_CONFIG, ...options.runtime },
  );
  const end = runContainerSync(runtime, platform.clock, (t) => platform.sleepNow(t), {
    ...(options.forMicros !== undefined ? { untilMicros: options.forMicros } : {}),
    maxInstructions: options.maxInstructions ?? 50_000_000,
    canWakeExternally: () => platform.inputsPending > 0,
  });
  const events = platform.events
    .toJsonl()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as DeviceEvent);
  return {
    main: runtime.mainResult,
    end,
    events,
    runtime,
    faults: runtime.faults.map((f) => `${f.cause}${f.detail ? `: ${f.detail}` : ''}`),
    outputs: events
      .filter((e) => e.dir === 'out' && e.reason === undefined)
      .map((e) => [e.t, e.device ?? '', e.value ?? 0]),
    report: end.contexts.map(formatContextReport),
  };
}

function builtinBoardOrThrow(name: string) {
  const result = builtinBoard(name);
  if (!result.ok) throw new Error(`no board ${name}`);
  return result.value;
}
