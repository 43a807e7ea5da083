/**
 * Device time of executed instructions: the board's CPU cost model as the container runtime
 * charges it to the clock. Three sources, best first: the machine's cycle meter (created with
 * the board's `cycleTable`; both tiers charge it, the compiled tier per block), per-opcode counts
 * (a machine created with `profile`) times the cycle table, or a flat cost per instruction.
 */
import { Op } from '../isa/opcodes.js';
import type { Machine } from '../vm/machine.js';

export class CpuCost {
  /** Cycles of a CALLRTS (charged after the runtime call acts). */
  readonly callCycles: number;
  private readonly lastOpcodeCounts: Float64Array | undefined;
  /** No cycle table, or neither a meter nor counts to apply it to: the flat cost. */
  private readonly flat: boolean;
  /** The machine's cycle meter total at the last `cyclesOf`. */
  private lastCycles = 0;

  constructor(
    private readonly machine: Machine,
    private readonly cycleTable: Uint32Array | undefined,
    private readonly flatCycles: number,
  ) {
    this.callCycles = cycleTable ? cycleTable[Op.CALLRTS]! : flatCycles;
    this.lastOpcodeCounts = machine.opcodeCounts
      ? new Float64Array(machine.opcodeCounts)
      : undefined;
    this.flat = !cycleTable || (!machine.cycleMeter && !machine.opcodeCounts);
  }

  /** CPU cycles of the instructions executed since the last call (`executed` of them). */
  cyclesOf(executed: number): number {
    if (this.flat) return executed * this.flatCycles;
    const meter = this.machine.cycleMeter;
    if (this.cycleTable && meter) {
      const cycles = meter.total - this.lastCycles;
      this.lastCycles = meter.total;
      return cycles;
    }
    const counts = this.machine.opcodeCounts;
    const last = this.lastOpcodeCounts;
    if (!this.cycleTable || !counts || !last) return executed * this.flatCycles;
    let cycles = 0;
    for (let op = 0; op < counts.length; op++) {
      const delta = counts[op]! - last[op]!;
      if (delta !== 0) {
        cycles += delta * this.cycleTable[op]!;
        last[op] = counts[op]!;
      }
    }
    return cycles;
  }
}
