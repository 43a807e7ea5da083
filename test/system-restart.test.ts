/** A restart costs device time: the container's memory is cleared and its tables rebuilt. */
import { describe, expect, it, vi } from 'vitest';
import { SimPlatform } from '../src/hal/sim/platform.js';
import { Device, restartCyclesFor } from '../src/system/device.js';
import { containerFootprintBytes } from '../src/system/manifest.js';
import { Machine } from '../src/vm/index.js';
import { loadSystem } from './system/harness.js';

const CRASHER = `dac : Channel Int
dac = channel ()
main =
  let _ = spawnExternal dac 0 in
  let _ = sync (send dac 1) in
  let _ = sleep 1000 in
  1 / 0`;

describe('restart cost', () => {
  it('charges clearing the container memory between the fault and the first instruction after it', () => {
    const system = loadSystem(
      {
        quantumInstructions: 200,
        containers: [
          {
            name: 'crasher',
            program: 'crasher.cam',
            criticality: 1,
            memory: { heapBytes: '16KiB', stackBytes: 512, maxContexts: 2 },
            peripherals: ['dac0'],
            restart: { policy: 'always', maxRestarts: 3, withinMs: 100, backoffMs: 0 },
          },
        ],
      },
      { 'crasher.cam': CRASHER },
    );
    const platform = new SimPlatform(system.board.board, { stimulus: { inputs: [], drives: [] } });
    const writes: number[] = [];
    platform.events.subscribe((e) => {
      const safe = (e as { reason?: string }).reason === 'safe-state';
      if (e.device === 'dac0' && e.dir === 'out' && !safe) writes.push(e.t);
    });
    const report = new Device(system, { platform }).run(20_000);
    const faults = report.events.filter((e) => e.kind === 'fault').map((e) => e.atUs);
    expect(faults.length).toBe(4);
    expect(writes.length).toBe(4);
    const spec = system.manifest.containers[0]!;
    const cycles = restartCyclesFor(containerFootprintBytes(spec));
    // 16 KiB of heap alone is 4096 words: the restart is tens of µs at 168 MHz.
    expect(cycles).toBeGreaterThan(4096);
    const restartUs = (cycles * 1e6) / system.board.clockHz;
    for (let i = 1; i < writes.length; i++) {
      const gap = writes[i]! - faults[i - 1]!;
      expect(gap).toBeGreaterThanOrEqual(restartUs);
      // …plus only the few instructions before the first write.
      expect(gap).toBeLessThan(restartUs + 10);
    }
  });

  it('restarts on the same machine, reset (its compiled code kept), with the same device time', () => {
    const run = (): { faults: number[]; resets: number } => {
      const system = loadSystem(
        {
          quantumInstructions: 200,
          containers: [
            {
              name: 'crasher',
              program: 'crasher.cam',
              criticality: 1,
              memory: { heapBytes: '16KiB', stackBytes: 512, maxContexts: 2 },
              peripherals: ['dac0'],
              restart: { policy: 'always', maxRestarts: 3, withinMs: 100, backoffMs: 0 },
            },
          ],
        },
        { 'crasher.cam': CRASHER },
      );
      const platform = new SimPlatform(system.board.board, {
        stimulus: { inputs: [], drives: [] },
      });
      const reset = vi.spyOn(Machine.prototype, 'reset');
      try {
        const report = new Device(system, { platform }).run(20_000);
        const faults = report.events.filter((e) => e.kind === 'fault').map((e) => e.atUs);
        return { faults, resets: reset.mock.calls.length };
      } finally {
        reset.mockRestore();
      }
    };
    const first = run();
    expect(first.faults.length).toBe(4);
    // Three restarts, each a reset of the machine that ran before.
    expect(first.resets).toBe(3);
    // Deterministic: a second device does exactly the same.
    expect(run()).toEqual(first);
  });
});
