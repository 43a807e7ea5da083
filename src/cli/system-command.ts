/**
 * `sensevm check system.json` and `sensevm run system.json`: the commands' entry points for a
 * system manifest (the `run` and `check` commands dispatch here on the `.json` extension).
 *
 * - check: validates the manifest, compiles/verifies every program, prints the memory budget;
 *   exit 65 with every problem listed (path by path) when anything is wrong.
 * - run: the same, then runs the device on the simulated board for `--for` (default 10 s) of
 *   device time; UART output goes to stdout, the summary (per-container CPU share against its
 *   budget, restarts, faults, links, sleep share, energy, heartbeats) to stderr. Exit 70 when a
 *   container was stopped for good by a fault, 0 otherwise.
 */
import { isTierName, TIER_NAMES, type TierName } from '../vm/jit/index.js';
import { dirname, resolve } from 'node:path';
import { SimPlatform } from '../hal/sim/platform.js';
import { loadVerifiedImage } from '../isa/image.js';
import type { Program } from '../isa/program.js';
import { verify } from '../isa/verify.js';
import { compile } from '../lang/compile.js';
import { renderDiagnostics } from '../lang/render.js';
import { Device, type DeviceReport } from '../system/device.js';
import type { ContainerStatus } from '../system/sleep.js';
import {
  checkManifestText,
  formatIssues,
  formatMemoryBudget,
  type LoadedSystem,
  type ProgramLoadResult,
} from '../system/manifest.js';
import { formatDuration } from '../hal/duration.js';
import { ExitCode } from './exit-codes.js';
import { CliError, type CliIO, fileProblem } from './io.js';
import { formatIsaError, readInput, writeRequestedOutput } from './commands/image-files.js';
import { loadStimulusOption, parseDurationOption } from './hal-options.js';
import { Trace } from '../trace/trace.js';
import { traceDeviceEvents } from '../trace/device-events.js';
import { chromeTraceJson, toChromeTrace } from '../trace/chrome.js';

export const DEFAULT_RUN_US = 10_000_000;

function loadProgramFile(io: CliIO, path: string, shown: string): ProgramLoadResult<Program> {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(path);
  } catch (e) {
    return { ok: false, kind: 'unreadable', detail: fileProblem(e) };
  }
  if (path.endsWith('.cam')) {
    const source = new TextDecoder().decode(bytes);
    const compiled = compile(source, shown);
    if (!compiled.program) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
      return {
        ok: false,
        kind: 'rejected',
        detail: '\n' + renderDiagnostics(errors, source, { color: false }).trimEnd(),
      };
    }
    const checked = verify(compiled.program);
    if (!checked.ok)
      return {
        ok: false,
        kind: 'rejected',
        detail: checked.errors.map((e) => formatIsaError(shown, e)).join('; '),
      };
    return { ok: true, program: compiled.program };
  }
  const loaded = loadVerifiedImage(bytes);
  if (!loaded.ok)
    return {
      ok: false,
      kind: 'rejected',
      detail: loaded.errors.map((e) => formatIsaError(shown, e)).join('; '),
    };
  return { ok: true, program: loaded.program };
}

/** Reads and checks a manifest; a CliError (65 or 74) with every problem when it is wrong. */
export function loadSystemFile(io: CliIO, file: string): LoadedSystem<Program> {
  const text = new TextDecoder().decode(readInput(io, file));
  const base = dirname(file);
  const result = checkManifestText<Program>(text, {
    loadProgram: (program) => loadProgramFile(io, resolve(base, program), program),
  });
  if (!result.ok) {
    const errors = result.issues.filter((i) => i.severity === 'error').length;
    const budget = result.budget ? '\n' + formatMemoryBudget(result.budget) : '';
    throw new CliError(
      ExitCode.rejected,
      `${formatIssues(file, result.issues)}${budget}\n${file}: ${errors} error(s)\n`,
    );
  }
  return result.system;
}

export function checkSystemFile(io: CliIO, file: string): number {
  const system = loadSystemFile(io, file);
  if (system.warnings.length > 0) io.err(formatIssues(file, system.warnings) + '\n');
  io.err(formatMemoryBudget(system.budget) + '\n');
  io.err(
    `${file}: ok — ${system.manifest.containers.length} container(s), ` +
      `${system.manifest.links.length} link(s) on ${system.board.name}\n`,
  );
  return ExitCode.ok;
}

export interface SystemRunFlags {
  readonly for?: string;
  readonly stressGc?: boolean;
  /** `--stimulus file.json`: button presses, UART text, sensor signals on the manifest's board. */
  readonly stimulus?: string;
  /** `--events file.jsonl`: the device event log. */
  readonly events?: string;
  /** `--trace file.json`: the Chrome trace (containers, contexts, sleep, faults, restarts). */
  readonly trace?: string;
  /** No summary on stderr. */
  readonly quiet?: boolean;
  /** `--tier compiled|interpreter` for every container (identical device time either way). */
  readonly tier?: string;
  /** Options of single-program runs; rejected for a manifest (it says them itself). */
  readonly platform?: string;
  readonly peripherals?: string;
  readonly board?: string;
}

/** Options that a manifest decides itself (board, peripherals) or that systems lack. */
function rejectProgramOnlyFlags(flags: SystemRunFlags): void {
  const wrong: string[] = [];
  if (flags.platform !== undefined && flags.platform !== 'sim') wrong.push('--platform node');
  if (flags.peripherals !== undefined) wrong.push('--peripherals (each container lists its own)');
  if (flags.board !== undefined) wrong.push('--board (the manifest names its board)');
  if (wrong.length > 0)
    throw new CliError(
      ExitCode.usage,
      `sensevm run: not for a system manifest: ${wrong.join(', ')}`,
    );
}

export function runSystemFile(io: CliIO, file: string, flags: SystemRunFlags = {}): number {
  rejectProgramOnlyFlags(flags);
  const untilUs =
    flags.for !== undefined ? parseDurationOption(flags.for, '--for') : DEFAULT_RUN_US;
  const system = loadSystemFile(io, file);
  const board = system.board.board;
  const stimulus =
    flags.stimulus !== undefined ? loadStimulusOption(io, flags.stimulus, board) : undefined;
  const platform = new SimPlatform(board, {
    uartOut: (_device, byte) => io.out(String.fromCharCode(byte)),
    ...(stimulus ? { stimulus } : {}),
  });
  const trace = new Trace(flags.trace !== undefined);
  // Device I/O from the platform; faults come from the device with their container.
  traceDeviceEvents(platform.events, trace, { faults: false });
  const device = new Device(system, {
    platform,
    trace,
    stressGc: flags.stressGc ?? globalThis.process?.env?.SENSEVM_STRESS_GC === '1',
    ...(flags.tier !== undefined ? { tier: systemTier(flags.tier) } : {}),
    onMainResult: (container, text) => io.err(`${container}: main = ${text}\n`),
  });
  const report = device.run(untilUs);
  writeRequestedOutput(io, flags.events, () => platform.events.toJsonl());
  writeRequestedOutput(io, flags.trace, () =>
    chromeTraceJson(toChromeTrace(trace, { endMicros: report.endedAtUs, board: report.board })),
  );
  if (!flags.quiet) io.err(formatDeviceReport(report) + '\n');
  const stoppedByFault = report.containers.some((c) => c.state === 'stopped' && c.faults.length);
  return stoppedByFault ? ExitCode.fault : ExitCode.ok;
}

function systemTier(text: string): TierName {
  if (isTierName(text)) return text;
  throw new CliError(
    ExitCode.usage,
    `sensevm run: --tier expects ${TIER_NAMES.join(' or ')}, got '${text}'`,
  );
}

/** Shares below 1 % keep two more digits: a 0.01 % container is not idle. */
const pct = (x: number): string => `${x > 0 && x < 1 ? x.toFixed(3) : x.toFixed(1)}%`;

/**
 * The summary's state column: what a container is doing when the run ends. A container whose
 * lifecycle is still "running" is rarely executing then — say whether it can run (`alive`),
 * waits on channels or devices (`blocked`), or sleeps until a time.
 */
export function stateColumn(s: ContainerStatus): string {
  switch (s.state) {
    case 'running':
    case 'runnable':
      return 'alive';
    case 'sleeping':
      return s.untilUs !== undefined ? `sleeping until ${formatDuration(s.untilUs)}` : 'sleeping';
    case 'restarting':
      return s.untilUs !== undefined ? `restarting at ${formatDuration(s.untilUs)}` : 'restarting';
    default:
      return s.state;
  }
}

/** The run summary of a device. */
export function formatDeviceReport(r: DeviceReport): string {
  const lines: string[] = [
    `device ${r.board}: ${formatDuration(r.endedAtUs)} of device time (${r.endReason})`,
  ];
  const rows = [
    [
      'container',
      'crit',
      'state',
      'cpu',
      'share',
      'budget',
      'max slice',
      'instructions',
      'gc',
      'worst gc',
      'messages',
      'misses',
      'restarts',
      'faults',
    ],
    ...r.containers.map((c) => [
      c.name,
      String(c.criticality),
      stateColumn(c.status),
      formatDuration(Math.round(c.cpuUs)),
      pct(c.sharePercent),
      c.budgetPercent !== undefined
        ? `${c.budgetPercent}%${c.budgetPeriodsShort ? ` (${c.budgetPeriodsShort} short)` : ''}`
        : '-',
      `${c.maxSliceUs.toFixed(1)}us`,
      String(c.instructions),
      String(c.collections),
      c.collections > 0 ? `${c.worstCollectionUs.toFixed(1)}us` : '-',
      String(c.messages),
      String(c.deadlineMisses),
      String(c.restarts),
      String(c.faults.length) + (c.watchdogFires ? ` (${c.watchdogFires} watchdog)` : ''),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows)
    lines.push(
      '  ' +
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
    );
  for (const l of r.links) {
    const c = l.counters;
    lines.push(
      `  link ${l.name} ${l.from} -> ${l.to} (${l.onFull}): sent ${c.sent}, delivered ${c.delivered}, ` +
        `dropped ${c.droppedOldest + c.droppedNewest}, blocked ${c.blockedSends}, ` +
        `rejected ${c.rejectedTooLarge + c.rejectedNotData}, max depth ${c.maxDepth}` +
        (l.closed.sender || l.closed.receiver ? ', closed' : ''),
    );
  }
  const p = r.power;
  lines.push(
    `  asleep ${p.sleepSharePercent.toFixed(2)}% (sleep ${formatDuration(p.sleepUs)}, deep sleep ` +
      `${formatDuration(p.deepSleepUs)}), energy ${p.energyMillijoules.toFixed(3)} mJ ` +
      `(average ${p.averageMilliwatts.toFixed(2)} mW)`,
    `  container switches ${r.containerSwitches} (${r.switchOverheadUs.toFixed(0)}us), ` +
      `heartbeats ${p.heartbeats}${p.missedHeartbeats ? ` (${p.missedHeartbeats} missed)` : ''}` +
      (r.systemResets ? `, system resets ${r.systemResets}` : ''),
  );
  for (const e of r.events.slice(0, 20)) {
    const at = formatDuration(e.atUs);
    if (e.kind === 'fault') lines.push(`  ${at}: ${e.container} fault: ${e.detail || e.cause}`);
    else if (e.kind === 'restart') lines.push(`  ${at}: ${e.container} restart ${e.restart}`);
    else if (e.kind === 'stop') lines.push(`  ${at}: ${e.container} stopped: ${e.reason}`);
    else lines.push(`  ${at}: system reset: ${e.reason}`);
  }
  if (r.events.length > 20) lines.push(`  … ${r.events.length - 20} more events`);
  lines.push(...heartbeatLines(r));
  return lines.join('\n');
}

/** Heartbeat records: the first few and the last, one line each. */
function heartbeatLines(r: DeviceReport): string[] {
  const beats = r.heartbeats;
  if (beats.length === 0) return [];
  const shown =
    beats.length <= HEARTBEATS_SHOWN
      ? beats
      : [...beats.slice(0, HEARTBEATS_SHOWN - 1), beats[beats.length - 1]!];
  const lines = shown.map((b) => {
    const states = b.containers.map((c) => {
      const until = c.untilUs !== undefined ? ` until ${formatDuration(c.untilUs)}` : '';
      const restarts = c.restarts > 0 ? ` (${c.restarts} restart${c.restarts > 1 ? 's' : ''})` : '';
      return `${c.name} ${c.state}${until}${restarts}`;
    });
    return `  heartbeat ${b.sequence} at ${formatDuration(b.atUs)}: ${states.join(', ')}`;
  });
  if (beats.length > HEARTBEATS_SHOWN)
    lines.splice(HEARTBEATS_SHOWN - 1, 0, `  … ${beats.length - HEARTBEATS_SHOWN} more heartbeats`);
  return lines;
}

const HEARTBEATS_SHOWN = 5;
