/**
 * Runs a benchmark in-process: compile the CamIoT program, load it into one container (a Machine
 * on the chosen execution tier, with the container runtime for CALLRTS) and run main to the end,
 * collecting the deterministic counters (instructions, allocations, collections) and the time.
 * Shared by `npm run bench` and the regression guard (test/perf/counters.test.ts).
 */
import { compile } from '../src/lang/compile.js';
import type { Program } from '../src/isa/program.js';
import { VirtualClock } from '../src/hal/sim/clock.js';
import { ContainerRuntime } from '../src/rts/container-runtime.js';
import { DEFAULT_CONTAINER_CONFIG, type ContainerConfig, Machine } from '../src/vm/index.js';
import { CompiledTier } from '../src/vm/jit/compiled-tier.js';
import { type Benchmark, type Size, camSource } from './benchmarks.js';

export type TierName = 'interpreter' | 'compiled';
export const TIERS: readonly TierName[] = ['interpreter', 'compiled'];

export interface RunCounters {
  /** main's value as `sensevm run` prints it. */
  readonly value: string;
  readonly instructions: number;
  /** Heap cells allocated. */
  readonly allocations: number;
  readonly collections: number;
  readonly maxPauseMicros: number;
  /** Wall-clock time of the run, ms (compile and container creation excluded). */
  readonly ms: number;
}

/** Compiles a benchmark at a size; throws with the diagnostics when it does not compile. */
export function compileBenchmark(benchmark: Benchmark, size: Size): Program {
  const result = compile(camSource(benchmark, size), `${benchmark.name}.cam`);
  if (!result.program) {
    const messages = result.diagnostics.map((d) => JSON.stringify(d)).join('\n');
    throw new Error(`${benchmark.name}.cam does not compile:\n${messages}`);
  }
  return result.program;
}

/** Container configuration of a benchmark: its heap size, the default stacks and contexts. */
export function benchmarkConfig(benchmark: Benchmark): ContainerConfig {
  return { ...DEFAULT_CONTAINER_CONFIG, heapBytes: benchmark.heapBytes };
}

/** Instructions per runtime step: large, the benchmark runs alone. */
const STEP = 1_000_000;

/** A machine for a benchmark on a tier (reusable: `runOn` resets it before each run). */
export function benchmarkMachine(
  program: Program,
  config: ContainerConfig,
  tier: TierName,
  options: { stressGc?: boolean } = {},
): Machine {
  return new Machine(program, config, {
    containerName: 'bench',
    stressGc: options.stressGc ?? false,
    ...(tier === 'compiled' ? { tier: (p, d, m, n, h) => new CompiledTier(p, d, m, n, h) } : {}),
  });
}

/**
 * Runs main to the end on `machine`, reset first: a run on a machine that ran before is a run on
 * a fresh container whose compiled code V8 has already optimised ("after warm-up").
 */
export function runOn(machine: Machine): RunCounters {
  machine.reset();
  const runtime = new ContainerRuntime(machine, { clock: new VirtualClock(168_000_000) });
  const started = performance.now();
  for (;;) {
    const outcome = runtime.step(STEP);
    if (outcome === 'finished') break;
    if (outcome === 'idle') throw new Error('benchmark deadlocked: every context waits');
  }
  const ms = performance.now() - started;
  const fault = runtime.faults[0];
  if (fault) throw new Error(`benchmark faulted: ${fault.cause} at pc ${fault.pc}`);
  const heap = machine.memory.heapStats();
  return {
    value: runtime.mainResult ?? '(no value)',
    instructions: runtime.instructions,
    allocations: heap.cellsAllocated,
    collections: heap.collections,
    maxPauseMicros: heap.maxPauseMicros,
    ms,
  };
}

/** One run on a new machine. */
export function runBenchmark(
  program: Program,
  config: ContainerConfig,
  tier: TierName,
  options: { stressGc?: boolean } = {},
): RunCounters {
  return runOn(benchmarkMachine(program, config, tier, options));
}
