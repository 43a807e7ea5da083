/**
 * Everything observable about a run of a machine inside the container runtime — the value,
 * faults, step outcomes, instruction and allocation counts, collections, cycles and device time —
 * for tests that require two ways of running a program (compiled/interpreted, fused/plain) to
 * be indistinguishable.
 */
import { cycleTable, defaultBoard } from '../../src/hal/boards/index.js';
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
