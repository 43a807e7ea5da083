/** Builds and runs systems from inline CamIoT sources for the device tests. */
import { SimPlatform } from '../../src/hal/sim/platform.js';
import type { StimulusInput } from '../../src/hal/sim/stimulus.js';
import type { Program } from '../../src/isa/program.js';
import { compile } from '../../src/lang/compile.js';
import { Device, type DeviceReport } from '../../src/system/device.js';
import { checkManifest, formatIssues, type LoadedSystem } from '../../src/system/manifest.js';

export function loadSystem(
  manifest: unknown,
  sources: Readonly<Record<string, string>>,
): LoadedSystem<Program> {
  const result = checkManifest<Program>(manifest, {
    loadProgram: (file) => {
      const source = sources[file];
      if (source === undefined) return { ok: false, kind: 'unreadable', detail: 'no such file' };
      const compiled = compile(source, file);
      if (!compiled.program)
        return {
          ok: false,
          kind: 'rejected',
          detail: compiled.diagnostics.map((d) => d.message).join('; '),
        };
      return { ok: true, program: compiled.program };
    },
  });
  if (!result.ok) throw new Error(formatIssues('system.json', result.issues));
  return result.system;
}

export interface RunOutcome {
  readonly report: DeviceReport;
  /** Device events (button in, LED out, …) as recorded by the platform. */
  readonly deviceEvents: readonly { t: number; device?: string; dir: string; value?: number }[];
  readonly uart: string;
}

export function runSystem(
  system: LoadedSystem<Program>,
  untilUs: number,
  inputs: readonly StimulusInput[] = [],
): RunOutcome {
  let uart = '';
  const platform = new SimPlatform(system.board.board, {
    stimulus: { inputs, drives: [] },
    uartOut: (_device, byte) => (uart += String.fromCharCode(byte)),
  });
  const deviceEvents: RunOutcome['deviceEvents'][number][] = [];
  platform.events.subscribe((e) => deviceEvents.push({ ...e }));
  const device = new Device(system, { platform });
  const report = device.run(untilUs);
  return { report, deviceEvents, uart };
}

/** Button edges every `spacingUs` with a deterministic jitter; values alternate 1, 0. */
export function buttonEdges(count: number, spacingUs: number, device = 'button0'): StimulusInput[] {
  return Array.from({ length: count }, (_, i) => ({
    at: spacingUs * (i + 1) + ((i * 37) % 97),
    device,
    value: i % 2 === 0 ? 1 : 0,
  }));
}

/** Latency from each button input to the next LED output, in device µs. */
export function buttonToLedLatencies(
  events: RunOutcome['deviceEvents'],
  button = 'button0',
  led = 'led0',
): number[] {
  const latencies: number[] = [];
  let pressedAt: number | undefined;
  for (const e of events) {
    if (e.device === button && e.dir === 'in') pressedAt = e.t;
    else if (e.device === led && e.dir === 'out' && pressedAt !== undefined) {
      latencies.push(e.t - pressedAt);
      pressedAt = undefined;
    }
  }
  return latencies;
}
