/**
 * What the container runtime writes into the shared trace: spawns, context switches, a sync
 * that blocks (chosen null) and later commits (chosen = the alternative taken), the message
 * between the two contexts, context ends, collections and counters; nothing when disabled.
 */
import { describe, expect, it } from 'vitest';
import { cycleTable, defaultBoard } from '../../src/hal/boards/index.js';
import { SimPlatform } from '../../src/hal/sim/platform.js';
import { compile } from '../../src/lang/compile.js';
import { ContainerRuntime } from '../../src/rts/container-runtime.js';
import { runContainerSync } from '../../src/rts/run-container.js';
import { Trace, type TraceEvent } from '../../src/trace/trace.js';
import { DEFAULT_CONTAINER_CONFIG } from '../../src/vm/config.js';
import { Machine } from '../../src/vm/machine.js';

const PROGRAM = `
a : Channel Int
a = channel ()
b : Channel Int
b = channel ()
main : Int
main = let _ = spawn (\\_ -> sync (send b 5)) in sync (choose (recv a) (recv b))
`;

function traced(source: string, enabled: boolean, heapBytes?: number): TraceEvent[] {
  const program = compile(source, 't.cam').program!;
  const board = defaultBoard();
  const platform = new SimPlatform(board);
  const machine = new Machine(
    program,
    { ...DEFAULT_CONTAINER_CONFIG, ...(heapBytes ? { heapBytes } : {}) },
    { profile: true },
  );
  const trace = new Trace(enabled);
  const runtime = new ContainerRuntime(machine, {
    clock: platform.clock,
    cycleTable: cycleTable(board),
    trace,
  });
  const end = runContainerSync(runtime, platform.clock, (t) => platform.sleepNow(t));
  expect(end.reason).toBe('finished');
  return [...trace.events];
}

describe('runtime events in the trace', () => {
  it('a choose that blocks, the message that completes it, spawns and ends', () => {
    const events = traced(PROGRAM, true);
    const interesting = events
      .filter((e) => e.kind !== 'counter' && e.kind !== 'gc-start' && e.kind !== 'gc-end')
      .map((e) => {
        switch (e.kind) {
          case 'sync':
            return `sync ${e.context} ${e.alternatives} ${e.chosen}`;
          case 'message':
            return `message ${e.from}->${e.to}`;
          case 'context-switch':
          case 'context-end':
            return `${e.kind} ${e.context}`;
          case 'context-spawn':
            return `spawn ${e.context} by ${e.parent}`;
          default:
            return e.kind;
        }
      });
    expect(interesting).toEqual([
      'context-switch 0',
      'spawn 1 by 0',
      'sync 0 2 null', // main blocks on both channels
      'context-switch 1',
      'message 1->0',
      'sync 0 2 1', // main's choose completes with its second alternative (recv b)
      'sync 1 1 0',
      'context-switch 0', // the receiver runs first (SynchronVM's rule)
      'context-end 0',
      'context-switch 1',
      'context-end 1',
    ]);
    expect(events.every((e) => !('container' in e) || e.container === 'main')).toBe(true);
    const counters = new Set(events.flatMap((e) => (e.kind === 'counter' ? [e.name] : [])));
    expect(counters).toEqual(new Set(['heap bytes', 'ready queue', 'wake queue']));
  });

  it('collections appear as gc-start/gc-end with the heap before and after', () => {
    const loop = `
build : Int -> Int -> Int
build n acc = if n == 0 then acc else let f = \\x -> x + n in build (n - 1) (f acc)
main : Int
main = build 2000 0
`;
    const events = traced(loop, true, 2048);
    const starts = events.filter((e) => e.kind === 'gc-start');
    const ends = events.filter((e) => e.kind === 'gc-end');
    expect(starts.length).toBeGreaterThan(0);
    expect(ends).toHaveLength(starts.length);
    // Each collection: the heap before = the heap after + what it freed; some free something.
    starts.forEach((start, i) => {
      const end = ends[i]!;
      if (start.kind !== 'gc-start' || end.kind !== 'gc-end') throw new Error('unreachable');
      expect(end.heapBytes + end.freedBytes).toBe(start.heapBytes);
      expect(end.t).toBe(start.t);
    });
    expect(ends.some((e) => e.kind === 'gc-end' && e.freedBytes > 0)).toBe(true);
  });

  it('a disabled trace records nothing', () => {
    expect(traced(PROGRAM, false)).toEqual([]);
  });
});
