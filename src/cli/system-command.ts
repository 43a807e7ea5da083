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
import { dirname, resolve } from 'node:path';
import { parseDuration } from '../hal/duration.js';
import { SimPlatform } from '../hal/sim/platform.js';
import { loadVerifiedImage } from '../isa/image.js';
import type { Program } from '../isa/program.js';
import { verify } from '../isa/verify.js';
import { compile } from '../lang/compile.js';
import { renderDiagnostics } from '../lang/render.js';
import { Device, type DeviceReport } from '../system/device.js';
import {
  checkManifestText,
  formatIssues,
  formatMemoryBudget,
  type LoadedSystem,
  type ProgramLoadResult,
} from '../system/manifest.js';
import { formatDurationUs } from '../system/units.js';
import { ExitCode } from './exit-codes.js';
import { CliError, type CliIO } from './io.js';
import { formatIsaError } from './commands/image-files.js';

export const DEFAULT_RUN_US = 10_000_000;

function loadProgramFile(io: CliIO, path: string, shown: string): ProgramLoadResult<Program> {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(path);
  } catch (e) {
    const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
    return { ok: false, kind: 'unreadable', detail: code === 'ENOENT' ? 'no such file' : code };
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
  let text: string;
  try {
    text = new TextDecoder().decode(io.readFile(file));
  } catch (e) {
    const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
    throw new CliError(
      ExitCode.io,
      `sensevm: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code}`,
    );
  }
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
}

export function runSystemFile(io: CliIO, file: string, flags: SystemRunFlags = {}): number {
  let untilUs = DEFAULT_RUN_US;
  if (flags.for !== undefined) {
    const parsed = parseDuration(flags.for, '--for');
    if (!parsed.ok)
      throw new CliError(ExitCode.usage, parsed.errors.map((e) => e.message).join('\n'));
    untilUs = parsed.value;
  }
  const system = loadSystemFile(io, file);
  const platform = new SimPlatform(system.board.board, {
    uartOut: (_device, byte) => io.out(String.fromCharCode(byte)),
  });
  const device = new Device(system, {
    platform,
    stressGc: flags.stressGc ?? globalThis.process?.env?.SENSEVM_STRESS_GC === '1',
    onMainResult: (container, text) => io.err(`${container}: main = ${text}\n`),
  });
  const report = device.run(untilUs);
  io.err(formatDeviceReport(report) + '\n');
  const stoppedByFault = report.containers.some((c) => c.state === 'stopped' && c.faults.length);
  return stoppedByFault ? ExitCode.fault : ExitCode.ok;
}

const pct = (x: number): string => `${x.toFixed(1)}%`;

/** The run summary of a device. */
export function formatDeviceReport(r: DeviceReport): string {
  const lines: string[] = [
    `device ${r.board}: ${formatDurationUs(r.endedAtUs)} of device time (${r.endReason})`,
  ];
  const rows = [
    ['container', 'crit', 'state', 'cpu', 'share', 'budget', 'max slice', 'restarts', 'faults'],
    ...r.containers.map((c) => [
      c.name,
      String(c.criticality),
      c.state,
      formatDurationUs(Math.round(c.cpuUs)),
      pct(c.sharePercent),
      c.budgetPercent !== undefined
        ? `${c.budgetPercent}%${c.budgetPeriodsShort ? ` (${c.budgetPeriodsShort} short)` : ''}`
        : '-',
      `${c.maxSliceUs.toFixed(1)}us`,
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
    `  asleep ${pct(p.sleepSharePercent)} (sleep ${formatDurationUs(p.sleepUs)}, deep sleep ` +
      `${formatDurationUs(p.deepSleepUs)}), energy ${p.energyMillijoules.toFixed(3)} mJ ` +
      `(average ${p.averageMilliwatts.toFixed(2)} mW)`,
    `  container switches ${r.containerSwitches} (${r.switchOverheadUs.toFixed(0)}us), ` +
      `heartbeats ${p.heartbeats}${p.missedHeartbeats ? ` (${p.missedHeartbeats} missed)` : ''}` +
      (r.systemResets ? `, system resets ${r.systemResets}` : ''),
  );
  for (const e of r.events.slice(0, 20)) {
    const at = formatDurationUs(e.atUs);
    if (e.kind === 'fault') lines.push(`  ${at}: ${e.container} fault: ${e.detail || e.cause}`);
    else if (e.kind === 'restart') lines.push(`  ${at}: ${e.container} restart ${e.restart}`);
    else if (e.kind === 'stop') lines.push(`  ${at}: ${e.container} stopped: ${e.reason}`);
    else lines.push(`  ${at}: system reset: ${e.reason}`);
  }
  if (r.events.length > 20) lines.push(`  … ${r.events.length - 20} more events`);
  return lines.join('\n');
}
