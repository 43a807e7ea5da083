/**
 * The runtime's message fast path must not be observable. Two of its shortcuts are switched off
 * by a machine whose every instruction goes to a trace hook (the runtime then never runs an
 * instruction itself, so `CALLRTS sync` right after `send`/`recv` goes back through the tier):
 * running the same program both ways must give the same value, device events, runtime trace,
 * device time, instruction, message and per-opcode counts and cycle meter — on both tiers —
 * while the fast way needs fewer trips into the tier.
 */
import { describe, expect, it } from 'vitest';
import { cycleTable, defaultBoard } from '../../src/hal/boards/index.js';
import { SimPlatform } from '../../src/hal/sim/platform.js';
import { compile } from '../../src/lang/compile.js';
import { DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../../src/rts/config.js';
import { ContainerRuntime } from '../../src/rts/container-runtime.js';
import { runContainerSync } from '../../src/rts/run-container.js';
import { Trace } from '../../src/trace/trace.js';
import { DEFAULT_CONTAINER_CONFIG } from '../../src/vm/config.js';
import { tierFactory } from '../../src/vm/jit/index.js';
import { Machine } from '../../src/vm/machine.js';
import { runCam } from './harness.js';

const PINGPONG = `
pong : Channel Int -> Channel Int -> Int -> ()
pong a b k = if k == 0 then () else let x = sync (recv a) in let u = sync (send b (x + 1)) in pong a b (k - 1)

ping : Channel Int -> Channel Int -> Int -> Int -> Int
ping a b k acc = if k == 0 then acc else let u = sync (send a k) in ping a b (k - 1) (acc + sync (recv b))

main : Int
main = let a = channel () in let b = channel () in
  let t = spawn (\\u -> pong a b 60) in ping a b 60 0
`;

/** choose, wrap, a sleeping context (the wake-up queue is never empty) and syncT. */
const MIXED = `
c : Channel Int
c = channel ()
d : Channel Int
d = channel ()

sleeper : Int -> ()
sleeper k = if k == 0 then () else let _ = sleep 3 in sleeper (k - 1)

producer : Int -> ()
producer k = if k == 0 then () else
  let _ = sync (send c k) in let _ = syncT 5 0 (send d (k * 2)) in producer (k - 1)

consume : Int -> Int -> Int
consume k acc = if k == 0 then acc else
  let v = sync (choose (wrap (recv c) (\\x -> x + 1000)) (recv d)) in consume (k - 1) (acc + v)

main : Int
main = let _ = spawn (\\u -> sleeper 200) in
  let _ = spawn (\\u -> producer 40) in consume 80 0
`;

const BUTTON_LED = `
loop : Channel Int -> Channel Int -> ()
loop butchan ledchan = let v = sync (recv butchan) in let _ = sync (send ledchan v) in loop butchan ledchan

main : ()
main = let butchan = channel () in
       let ledchan = channel () in
       let _ = spawnExternal butchan 0 in
       let _ = spawnExternal ledchan 1 in
       loop butchan ledchan
`;

interface Observed {
  readonly observable: string;
  /** Calls of machine.run. */
  readonly runs: number;
}

function observe(
  source: string,
  tier: 'compiled' | 'interpreter',
  traceInstructions: boolean,
  runtimeConfig: Partial<RuntimeConfig> = {},
): Observed {
  const program = compile(source, 'm.cam').program!;
  const board = defaultBoard();
  const inputs = [10_000, 20_000, 20_500, 40_000].map((at, i) => ({
    at,
    device: 'button0',
    value: i % 2,
  }));
  const platform = new SimPlatform(board, { stimulus: { inputs, drives: [] } });
  for (const d of platform.devices) d.claim('main');
  let traced = 0;
  const machine = new Machine(program, DEFAULT_CONTAINER_CONFIG, {
    ...(tier === 'compiled'
      ? { tier: tierFactory('compiled'), cycleTable: cycleTable(board) }
      : { profile: true }),
    ...(traceInstructions ? { trace: () => traced++ } : {}),
  });
  let runs = 0;
  const run = machine.run.bind(machine);
  machine.run = (ctx, budget) => {
    runs++;
    return run(ctx, budget);
  };
  const trace = new Trace(true);
  const runtime = new ContainerRuntime(
    machine,
    { clock: platform.clock, drivers: platform.devices, cycleTable: cycleTable(board), trace },
    { ...DEFAULT_RUNTIME_CONFIG, ...runtimeConfig },
  );
  const end = runContainerSync(runtime, platform.clock, (t) => platform.sleepNow(t), {
    untilMicros: 100_000,
    maxInstructions: 5_000_000,
    canWakeExternally: () => platform.inputsPending > 0,
  });
  if (traceInstructions) expect(traced).toBe(runtime.instructions);
  const observable = JSON.stringify({
    main: runtime.mainResult,
    faults: runtime.faults,
    reason: end.reason,
    at: end.atMicros,
    now: platform.clock.now(),
    instructions: runtime.instructions,
    messages: runtime.messages,
    opcodes: machine.opcodeCounts ? Array.from(machine.opcodeCounts) : null,
    cycles: machine.cycleMeter?.total ?? null,
    heap: machine.memory.heapStats().cellsAllocated,
    trace: trace.events,
    events: platform.events.toJsonl(),
  });
  return { observable, runs };
}

describe('the message fast path is not observable', () => {
  const cases: [string, string, Partial<RuntimeConfig>][] = [
    ['pingpong', PINGPONG, {}],
    ['choose, wrap, sleep and syncT', MIXED, {}],
    ['choose with rotating fairness', MIXED, { chooseFairness: 'rotating' }],
    ['a button driving an LED', BUTTON_LED, {}],
  ];
  for (const [name, source, config] of cases) {
    for (const tier of ['compiled', 'interpreter'] as const) {
      it(`${name} (${tier})`, () => {
        const fast = observe(source, tier, false, config);
        const slow = observe(source, tier, true, config);
        expect(fast.observable).toBe(slow.observable);
        // The shortcut was taken: fewer runs of the machine for the same instructions.
        expect(fast.runs).toBeLessThan(slow.runs);
      });
    }
  }

  it('keeps to small step budgets exactly', () => {
    const steps = (traceInstructions: boolean, budget: number) => {
      const program = compile(PINGPONG, 'm.cam').program!;
      const platform = new SimPlatform(defaultBoard());
      const machine = new Machine(program, DEFAULT_CONTAINER_CONFIG, {
        tier: tierFactory('compiled'),
        ...(traceInstructions ? { trace: () => {} } : {}),
      });
      const runtime = new ContainerRuntime(machine, { clock: platform.clock });
      const seen: string[] = [];
      for (let i = 0; i < 100_000; i++) {
        const outcome = runtime.step(budget);
        seen.push(`${outcome} ${runtime.instructions} ${platform.clock.now()}`);
        if (outcome !== 'busy') break;
      }
      return seen;
    };
    for (const budget of [1, 2, 3, 5, 8]) {
      const fast = steps(false, budget);
      expect(fast.at(-1)).toMatch(/^finished /);
      expect(fast).toEqual(steps(true, budget));
    }
  });

  it('a rotating choose finds a waiting sender before its starting alternative', () => {
    // The sender waits on alternative 0 whenever the receiver syncs; rotation starts the search
    // at 0, 1, 2, … so the search must wrap round from the last alternative to the first.
    const source = `
a : Channel Int
a = channel ()
b : Channel Int
b = channel ()
c : Channel Int
c = channel ()

producer : Int -> ()
producer k = if k == 0 then () else let _ = sync (send a k) in producer (k - 1)

consumer : Int -> Int -> Int
consumer k acc = if k == 0 then acc else
  let _ = yield () in consumer (k - 1) (acc + sync (choose (recv a) (choose (recv b) (recv c))))

main : Int
main = let _ = spawn (\\u -> producer 30) in consumer 30 0
`;
    for (const chooseFairness of ['rotating', 'left-biased'] as const) {
      const run = runCam(source, { runtime: { chooseFairness } });
      expect(run.end.reason).toBe('finished');
      expect(run.main).toBe('465');
      expect(run.runtime.messages).toBe(30);
    }
  });

  it('pingpong gives its value', () => {
    expect(JSON.parse(observe(PINGPONG, 'compiled', false).observable).main).toBe(
      String(Array.from({ length: 60 }, (_, i) => i + 2).reduce((a, b) => a + b, 0)),
    );
  });
});
