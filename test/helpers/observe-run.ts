/**
 * Everything observable about a run of a machine inside the container runtime — the value,
 * faults, step outcomes, instruction and allocation counts, collections, cycles and device time —
 * for tests that require two ways of running a program (compiled/interpreted, fused/plain) to
 * be indistinguishable; and the programs they compare.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BENCHMARKS, camSource } from '../../bench/benchmarks.js';
import { cycleTable, defaultBoard } from '../../src/hal/boards/index.js';
import type { Program } from '../../src/isa/program.js';
import { compile } from '../../src/lang/compile.js';
import { VirtualClock } from '../../src/hal/sim/clock.js';
import { DEFAULT_RUNTIME_CONFIG } from '../../src/rts/config.js';
import { ContainerRuntime } from '../../src/rts/container-runtime.js';
import type { Machine } from '../../src/vm/index.js';

/** The default board's cycles per opcode: device time follows the CPU cost model. */
export const CYCLES = cycleTable(defaultBoard());

/** Runs `machine` for at most about `maxInstructions` in runtime slices of `slice`. */
export function observeRun(machine: Machine, slice: number, maxInstructions: number) {
  const clock = new VirtualClock(64_000_000);
  const runtime = new ContainerRuntime(
    machine,
    { clock, cycleTable: CYCLES },
    { ...DEFAULT_RUNTIME_CONFIG, sliceInstructions: slice },
  );
  const outcomes: string[] = [];
  const step = Math.min(25_000, maxInstructions);
  for (let steps = 0; steps * step < maxInstructions; steps++) {
    const outcome = runtime.step(step);
    outcomes.push(`${outcome}@${runtime.instructions}`);
    if (outcome !== 'busy') break;
  }
  const heap = machine.memory.heapStats();
  return {
    value: runtime.mainResult,
    faults: runtime.faults.map((f) => ({ ...f })),
    outcomes,
    instructions: runtime.instructions,
    allocations: heap.cellsAllocated,
    collections: heap.collections,
    cycles: machine.cycleMeter?.total,
    deviceTime: clock.now(),
  };
}

function camFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...camFiles(path));
    else if (name.endsWith('.cam')) out.push(path);
  }
  return out;
}

const CORPUS = new URL('../corpus/', import.meta.url).pathname;

/**
 * Every program of the compiler corpus (test/corpus/**) that compiles, named by its path there,
 * and every benchmark at its small size (`bench/<name>`).
 */
export function corpusAndBenchmarks(): [string, Program][] {
  const programs: [string, Program][] = [];
  for (const path of camFiles(CORPUS)) {
    const compiled = compile(readFileSync(path, 'utf8'), path);
    if (compiled.program) programs.push([relative(CORPUS, path), compiled.program]);
  }
  for (const b of BENCHMARKS) {
    const compiled = compile(camSource(b, b.small), `${b.name}.cam`);
    if (compiled.program) programs.push([`bench/${b.name}`, compiled.program]);
  }
  return programs;
}
