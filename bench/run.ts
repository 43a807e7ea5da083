/**
 * `npm run bench`: the five benchmarks of performance.md §3 on Sense-VM, side by side with
 * Lua 5.4 and OCaml's bytecode interpreter when they are installed (otherwise against the
 * figures recorded in performance.md, saying so), and SynchronVM's recorded figures.
 *
 *   npm run bench                          scaled sizes, both tiers, whole-process timings, peers
 *   npm run bench -- --json out.json       also write every figure as JSON
 *   npm run bench -- --size small --runs 3 --only fib,tak --tier compiled --no-process
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeImage } from '../src/isa/image.js';
import {
  BENCHMARKS,
  LUA_STARTUP_MS,
  OCAMLRUN_STARTUP_MS,
  SYNCHRONVM_STARTUP_MS,
  type Benchmark,
  type Size,
  programPath,
  wrapped,
} from './benchmarks.js';
import {
  type RunCounters,
  type TierName,
  TIERS,
  benchmarkConfig,
  compileBenchmark,
  benchmarkMachine,
  runOn,
} from './harness.js';
import { type ProcessTiming, buildOcaml, installed, median, timeProcess } from './peers.js';
import {
  ANCHORS,
  type Footprint,
  type SystemCost,
  measureFootprint,
  measureSystemCosts,
} from './system-costs.js';

interface Options {
  json?: string;
  runs: string;
  warmup: string;
  size: 'scaled' | 'small';
  only?: string;
  tier?: TierName;
  process: boolean;
  peers: boolean;
  system: boolean;
}

interface TierFigures {
  readonly tier: TierName;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly counters: RunCounters;
  readonly nsPerInstruction: number;
}

interface BenchmarkFigures {
  readonly name: string;
  readonly label: string;
  readonly heapBytes: number;
  readonly stackBytes: number;
  readonly expected: string;
  readonly tiers: TierFigures[];
  process?: ProcessTiming;
  lua?: ProcessTiming;
  ocamlrun?: ProcessTiming;
  /** Ratios: how many times faster Sense-VM (compiled tier, or the only tier run) is. */
  ratios: Record<string, number>;
}

const ROOT = new URL('../', import.meta.url).pathname;
const CLI = join(ROOT, 'bin', 'sensevm.js');

function inProcess(
  benchmark: Benchmark,
  size: Size,
  tier: TierName,
  runs: number,
  warmup: number,
): TierFigures {
  const program = compileBenchmark(benchmark, size);
  const config = benchmarkConfig(benchmark);
  // One machine, reset before every run: the timed runs execute code V8 optimised during the
  // warm-up, like a long-running device program (a new machine would compile its code anew).
  const machine = benchmarkMachine(program, config, tier);
  let counters: RunCounters | undefined;
  for (let i = 0; i < warmup; i++) counters = runOn(machine);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    counters = runOn(machine);
    times.push(counters.ms);
  }
  const c = counters!;
  if (c.value !== wrapped(size.result))
    throw new Error(
      `${benchmark.name} on ${tier}: got ${c.value}, expected ${wrapped(size.result)}`,
    );
  const med = median(times);
  return {
    tier,
    medianMs: med,
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    counters: c,
    nsPerInstruction: (med * 1e6) / c.instructions,
  };
}

/** Writes the benchmark's image to a temporary file for `sensevm run`. */
function imageFile(benchmark: Benchmark, size: Size, dir: string): string {
  const written = writeImage(compileBenchmark(benchmark, size));
  if (!written.ok) throw new Error(`cannot write the ${benchmark.name} image`);
  const path = join(dir, `${benchmark.name}.svm`);
  writeFileSync(path, written.bytes);
  return path;
}

/** Least net time (ms) of a peer's run that a ratio is printed for. */
const MIN_NET_MS = 0.5;

const fmt = (ms: number | undefined): string => (ms === undefined ? '—' : ms.toFixed(1));
const ratio = (x: number | undefined): string => (x === undefined ? '—' : `${x.toFixed(2)}×`);

function main(): void {
  const cli = new Command('bench')
    .option('--json <file>', 'write the results as JSON')
    .option('--runs <n>', 'timed runs per benchmark', '5')
    .option('--warmup <n>', 'warm-up runs per benchmark (V8 needs 2–3 to settle)', '3')
    .option(
      '--size <size>',
      'scaled (performance.md §3b) or small (the regression guard)',
      'scaled',
    )
    .option('--only <names>', 'comma-separated benchmark names')
    .option('--tier <tier>', 'interpreter or compiled (default: both)')
    .option('--no-process', 'skip whole-process timings of sensevm run')
    .option('--no-peers', 'skip lua5.4 and ocamlrun')
    .option('--no-system', 'skip the concurrency/system costs and the footprint')
    .parse(process.argv);
  const opts = cli.opts<Options>();
  const runs = Math.max(1, Number(opts.runs));
  const warmup = Math.max(0, Number(opts.warmup));
  const only = opts.only ? new Set(opts.only.split(',')) : undefined;
  const tiers = opts.tier ? [opts.tier] : TIERS;
  const dir = mkdtempSync(join(tmpdir(), 'sensevm-bench-'));
  const haveLua = opts.peers && installed('lua5.4');
  const haveOcaml = opts.peers && installed('ocamlrun') && installed('ocamlc');

  const say = (s: string): void => void process.stderr.write(s + '\n');
  say(`node ${process.version}, ${tiers.join(' + ')}, ${runs} runs after ${warmup} warm-up`);

  // Start-up floors, subtracted to compare work net of process start.
  const empty = opts.process ? emptyStartup(dir, runs) : undefined;
  const nodeBare = opts.process ? timeProcess(['node', '-e', '0'], runs) : undefined;
  const luaStart = haveLua ? timeProcess(['lua5.4', '-e', ''], runs) : undefined;

  const results: BenchmarkFigures[] = [];
  for (const b of BENCHMARKS) {
    if (only && !only.has(b.name)) continue;
    const size = opts.size === 'small' ? b.small : b.scaled;
    say(`${b.label(size)} …`);
    const figures: BenchmarkFigures = {
      name: b.name,
      label: b.label(size),
      heapBytes: benchmarkConfig(b).heapBytes,
      stackBytes: benchmarkConfig(b).stackBytes,
      expected: wrapped(size.result),
      tiers: tiers.map((t) => inProcess(b, size, t, runs, warmup)),
      ratios: {},
    };
    const best = figures.tiers[figures.tiers.length - 1]!;
    if (opts.process) {
      const image = imageFile(b, size, dir);
      const args = [CLI, 'run', image, '--heap', String(figures.heapBytes)];
      if (opts.tier) args.push('--tier', opts.tier);
      figures.process = timeProcess(['node', ...args], runs);
    }
    const args = size.args.map(String);
    if (haveLua) figures.lua = timeProcess(['lua5.4', programPath(b.name, 'lua'), ...args], runs);
    // OCaml's ping-pong runs on system threads (7–22 µs a message): only at the small size.
    if (haveOcaml && (b.name !== 'pingpong' || opts.size === 'small')) {
      const byte = buildOcaml(programPath(b.name, 'ml'), b.name);
      if (byte) figures.ocamlrun = timeProcess(['ocamlrun', byte, ...args], runs);
    }
    for (const peer of [figures.lua, figures.ocamlrun]) {
      if (peer && BigInt.asIntN(32, BigInt(peer.output)).toString() !== figures.expected)
        throw new Error(`${b.name}: a peer printed ${peer.output}, expected ${size.result}`);
    }
    // Ratios (> 1: Sense-VM is faster).
    if (opts.size === 'scaled') {
      const svmNet = b.recorded.synchronvm - SYNCHRONVM_STARTUP_MS;
      if (figures.process && empty)
        figures.ratios['synchronvm, net of start-up (recorded)'] =
          svmNet / Math.max(0.1, figures.process.medianMs - empty.medianMs);
      figures.ratios['synchronvm vs in-process (recorded)'] = svmNet / best.medianMs;
    }
    const luaNet = figures.lua
      ? figures.lua.medianMs - (luaStart?.medianMs ?? LUA_STARTUP_MS)
      : opts.size === 'scaled'
        ? b.recorded.lua - LUA_STARTUP_MS
        : undefined;
    // A peer's time net of its start-up, as a ratio, only where there is time left to compare
    // (at the small sizes a peer's run is mostly its start: the net time can be ≤ 0).
    if (luaNet !== undefined && luaNet >= MIN_NET_MS)
      figures.ratios[`lua 5.4 in-process${figures.lua ? '' : ' (recorded)'}`] =
        luaNet / best.medianMs;
    const ocamlNet = figures.ocamlrun
      ? figures.ocamlrun.medianMs - OCAMLRUN_STARTUP_MS
      : opts.size === 'scaled' && b.recorded.ocamlrun !== undefined
        ? b.recorded.ocamlrun - OCAMLRUN_STARTUP_MS
        : undefined;
    if (ocamlNet !== undefined && ocamlNet >= MIN_NET_MS)
      figures.ratios[`ocamlrun in-process${figures.ocamlrun ? '' : ' (recorded)'}`] =
        ocamlNet / best.medianMs;
    results.push(figures);
  }

  printTable(results, { empty, nodeBare, luaStart, haveLua, haveOcaml });
  const system = opts.system ? measureSystemCosts() : undefined;
  const footprint = opts.system ? measureFootprint() : undefined;
  if (system && footprint) printSystemCosts(system, footprint);
  if (opts.json) {
    const machine = {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpuModel(),
      emptyProcessMs: empty?.medianMs,
      nodeBareMs: nodeBare?.medianMs,
      luaStartMs: luaStart?.medianMs,
      size: opts.size,
      runs,
      warmup,
    };
    writeFileSync(
      opts.json,
      JSON.stringify({ machine, results, system, footprint }, null, 2) + '\n',
    );
    say(`wrote ${opts.json}`);
  }
}

/** Whole-process time of `sensevm run` on a one-line program: the start-up floor. */
function emptyStartup(dir: string, runs: number): ProcessTiming | undefined {
  const path = join(dir, 'empty.svm');
  const written = writeImage({
    format: 'sensevm',
    version: 1,
    ints: new Int32Array(0),
    floats: new Float32Array(0),
    strings: [],
    natives: new Uint32Array(0),
    code: Uint8Array.of(8, 13), // CLEAR; STOP: main = ()
    labelBase: 0,
    debug: [],
  });
  if (!written.ok) return undefined;
  writeFileSync(path, written.bytes);
  return timeProcess(['node', CLI, 'run', path], runs);
}

function cpuModel(): string {
  const r = spawnSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], {
    encoding: 'utf8',
  });
  return (r.stdout ?? '').trim() || 'unknown';
}

function printTable(
  results: readonly BenchmarkFigures[],
  floors: {
    empty?: ProcessTiming | undefined;
    nodeBare?: ProcessTiming | undefined;
    luaStart?: ProcessTiming | undefined;
    haveLua: boolean;
    haveOcaml: boolean;
  },
): void {
  const rows: string[][] = [
    [
      'benchmark',
      'tier',
      'in-process ms (min–max)',
      'process ms',
      'M instr',
      'ns/instr',
      'allocs',
      'GCs',
      'max pause µs',
      'heap',
    ],
  ];
  for (const r of results) {
    r.tiers.forEach((t, i) => {
      rows.push([
        i === 0 ? r.label : '',
        t.tier,
        `${fmt(t.medianMs)} (${fmt(t.minMs)}–${fmt(t.maxMs)})`,
        i === r.tiers.length - 1 ? fmt(r.process?.medianMs) : '',
        (t.counters.instructions / 1e6).toFixed(1),
        t.nsPerInstruction.toFixed(2),
        String(t.counters.allocations),
        String(t.counters.collections),
        t.counters.maxPauseMicros.toFixed(0),
        `${r.heapBytes >> 20} MiB`,
      ]);
    });
  }
  const out: string[] = [table(rows), ''];
  const peerRows: string[][] = [
    ['benchmark', 'lua 5.4 ms', 'ocamlrun ms', 'ratios (>1: Sense-VM faster)'],
  ];
  for (const r of results) {
    const ratios = Object.entries(r.ratios)
      .map(([k, v]) => `${k} ${ratio(v)}`)
      .join('; ');
    peerRows.push([r.label, fmt(r.lua?.medianMs), fmt(r.ocamlrun?.medianMs), ratios]);
  }
  out.push(table(peerRows), '');
  out.push(
    `start-up: sensevm run of a one-line program ${fmt(floors.empty?.medianMs)} ms, ` +
      `node -e 0 ${fmt(floors.nodeBare?.medianMs)} ms, lua5.4 ${fmt(floors.luaStart?.medianMs)} ms`,
  );
  out.push(
    `peers: lua5.4 ${floors.haveLua ? 'measured in this run' : 'not installed — ratios use performance.md §3b'}, ` +
      `ocamlrun ${floors.haveOcaml ? 'measured in this run' : 'not installed — ratios use performance.md §3b'}; ` +
      'SynchronVM always from performance.md §3b (4 MiB heap, listmap 128 MiB), net of its 2.4 ms start-up',
  );
  process.stdout.write(out.join('\n') + '\n');
}

function printSystemCosts(costs: readonly SystemCost[], footprint: Footprint): void {
  const rows = [['operation', 'device µs', 'host ns', 'note']];
  for (const c of costs)
    rows.push([
      c.name,
      c.deviceUs === undefined ? '—' : c.deviceUs.toFixed(2),
      c.hostNs.toFixed(0),
      c.note,
    ]);
  console.log(
    '\nconcurrency and system costs (device: stm32f4-discovery cost model; host: this run)',
  );
  console.log(table(rows));
  console.log(`anchors: ${ANCHORS}`);
  const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `VM state: ${kib(footprint.perContainerBytes)} per container (without heap and contexts), ` +
      `${kib(footprint.perContextBytes)} per context (${footprint.stackBytesPerContext} B of stack), ` +
      `${footprint.perHeapCellBytes} B per heap cell; resident memory of this process ${kib(footprint.residentBytes)}`,
  );
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

main();
