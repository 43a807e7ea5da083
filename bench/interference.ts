/**
 * Interference benchmark (ARCHITECTURE.md invariant 7): the controller of examples/system
 * answers button edges (button0 → led0 with a syncT deadline) while a low-criticality
 * container runs a busy loop, an allocation storm, a link flood or a crash loop
 * (examples/system/noise). Prints the worst and mean button-to-LED latency in device time over
 * the edges, against the controller running alone. Device time is deterministic, so the
 * figures are the same on every machine; test/system-device.test.ts asserts the bound.
 *
 *   npx tsx bench/interference.ts [--edges 2000] [--quantum 200]
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { SimPlatform } from '../src/hal/sim/platform.js';
import type { Program } from '../src/isa/program.js';
import { compile } from '../src/lang/compile.js';
import { Device } from '../src/system/device.js';
import { checkManifest, formatIssues, type LoadedSystem } from '../src/system/manifest.js';

const read = (file: string): string =>
  readFileSync(new URL(`../examples/system/${file}`, import.meta.url), 'utf8');

const SMALL = { heapBytes: 4096, stackBytes: 512, maxContexts: 2 };

const SCENARIOS: readonly [string, Record<string, unknown> | undefined, unknown[]][] = [
  ['alone', undefined, []],
  ['busy loop', { program: 'noise/spin.cam' }, []],
  ['allocation storm', { program: 'noise/storm.cam' }, []],
  [
    'link flood',
    { program: 'noise/flood.cam', peripherals: ['link:flood'] },
    [{ name: 'flood', from: 'noise', to: 'control', capacity: 4, onFull: 'drop-oldest' }],
  ],
  [
    'crash loop',
    {
      program: 'noise/crash.cam',
      restart: { policy: 'always', maxRestarts: 1_000_000, withinMs: 1, backoffMs: '200us' },
    },
    [],
  ],
];

function load(manifest: unknown): LoadedSystem<Program> {
  const r = checkManifest<Program>(manifest, {
    loadProgram: (file) => {
      const c = compile(read(file), file);
      return c.program
        ? { ok: true, program: c.program }
        : { ok: false, kind: 'rejected', detail: c.diagnostics.map((d) => d.message).join('; ') };
    },
  });
  if (!r.ok) throw new Error(formatIssues('bench', r.issues));
  return r.system;
}

const cli = new Command('interference')
  .option('--edges <n>', 'button edges', (v) => Number(v), 2000)
  .option('--quantum <n>', 'quantumInstructions', (v) => Number(v), 200)
  .parse();
const { edges, quantum } = cli.opts<{ edges: number; quantum: number }>();

const spacing = 500;
const inputs = Array.from({ length: edges }, (_, i) => ({
  at: spacing * (i + 1) + ((i * 37) % 97),
  device: 'button0',
  value: i % 2 === 0 ? 1 : 0,
}));

console.log(`quantumInstructions ${quantum}, ${edges} button edges every ~${spacing}us`);
console.log('scenario          worst   mean    noise quantum  switch  noise share  wall');
for (const [label, noise, links] of SCENARIOS) {
  const system = load({
    board: 'stm32f4-discovery',
    quantumInstructions: quantum,
    containers: [
      {
        name: 'control',
        program: 'control.cam',
        criticality: 3,
        memory: SMALL,
        peripherals: ['button0', 'led0', ...(links.length > 0 ? ['link:flood'] : [])],
      },
      ...(noise ? [{ name: 'noise', criticality: 1, memory: SMALL, ...noise }] : []),
    ],
    links,
  });
  const platform = new SimPlatform(system.board.board, { stimulus: { inputs, drives: [] } });
  const latencies: number[] = [];
  let pressedAt: number | undefined;
  platform.events.subscribe((e) => {
    if (e.device === 'button0' && e.dir === 'in') pressedAt = e.t;
    else if (e.device === 'led0' && e.dir === 'out' && pressedAt !== undefined) {
      latencies.push(e.t - pressedAt);
      pressedAt = undefined;
    }
  });
  const started = performance.now();
  const report = new Device(system, { platform }).run(spacing * (edges + 2));
  const wall = performance.now() - started;
  const noisy = report.containers.find((c) => c.name === 'noise');
  const switchUs = (system.board.containerSwitchCycles * 1e6) / system.board.clockHz;
  const worst = Math.max(...latencies);
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  console.log(
    `${label.padEnd(16)}  ${`${worst}us`.padStart(5)}  ${`${mean.toFixed(1)}us`.padStart(6)}  ` +
      `${`${(noisy?.maxSliceUs ?? 0).toFixed(1)}us`.padStart(13)}  ${`${switchUs.toFixed(1)}us`.padStart(6)}  ` +
      `${`${(noisy?.sharePercent ?? 0).toFixed(1)}%`.padStart(11)}  ${wall.toFixed(0)}ms` +
      (latencies.length !== edges ? `  (only ${latencies.length} answers!)` : ''),
  );
}
