import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cycleTable } from '../src/hal/boards/index.js';
import type { StimulusInput } from '../src/hal/sim/stimulus.js';
import {
  buttonEdges,
  buttonToLedLatencies,
  loadSystem,
  runSystem,
  type RunOutcome,
} from './system/harness.js';

const example = (file: string): string =>
  readFileSync(new URL(`../examples/system/${file}`, import.meta.url), 'utf8');

const CONTROL = example('control.cam');
const SMALL = { heapBytes: 4096, stackBytes: 512, maxContexts: 2 };
const QUANTUM = 200;

const SPIN = example('noise/spin.cam');
const STORM = example('noise/storm.cam');
const FLOOD = example('noise/flood.cam');
const CRASH = example('noise/crash.cam');

const BLINKER = `
led : Channel Int
led = channel ()

blink : Int -> ()
blink v =
  let _ = syncT 500000 0 (send led v) in
  blink (1 - v)

main =
  let _ = spawnExternal led 0 in
  blink 1
`;

function controlSystem(noise?: Record<string, unknown>, links: unknown[] = []) {
  return {
    board: 'stm32f4-discovery',
    quantumInstructions: QUANTUM,
    containers: [
      {
        name: 'control',
        program: 'control.cam',
        criticality: 3,
        memory: SMALL,
        peripherals: ['button0', 'led0', ...(links.length > 0 ? ['link:flood'] : [])],
      },
      ...(noise ? [{ memory: SMALL, criticality: 1, name: 'noise', ...noise }] : []),
    ],
    links,
  };
}

const SOURCES = {
  'control.cam': CONTROL,
  'spin.cam': SPIN,
  'storm.cam': STORM,
  'flood.cam': FLOOD,
  'crash.cam': CRASH,
};

// 2 000 edges: 1 000 presses and their releases (the acceptance asks for at least 1 000 presses).
const PRESSES: readonly StimulusInput[] = buttonEdges(2000, 500);
const RUN_US = 1_050_000;

function worst(outcome: RunOutcome): number {
  const latencies = buttonToLedLatencies(outcome.deviceEvents);
  expect(latencies).toHaveLength(PRESSES.length);
  return Math.max(...latencies);
}

describe('device: interference (ARCHITECTURE.md invariant 7)', () => {
  const system = loadSystem(controlSystem(), SOURCES);
  const board = system.board;
  const maxCycles = Math.max(...cycleTable(board.board));
  // One quantum of the worst instruction mix, and one container switch, in device µs.
  const quantumUs = (QUANTUM * maxCycles * 1e6) / board.clockHz;
  const switchUs = (board.containerSwitchCycles * 1e6) / board.clockHz;
  const alone = runSystem(system, RUN_US, PRESSES);
  const aloneWorst = worst(alone);

  const scenarios: [string, Record<string, unknown>, unknown[]][] = [
    ['busy loop', { program: 'spin.cam' }, []],
    ['allocation storm', { program: 'storm.cam' }, []],
    [
      'link flood',
      { program: 'flood.cam', peripherals: ['link:flood'] },
      [{ name: 'flood', from: 'noise', to: 'control', capacity: 4, onFull: 'drop-oldest' }],
    ],
    [
      'crash loop',
      {
        program: 'crash.cam',
        restart: { policy: 'always', maxRestarts: 1_000_000, withinMs: 1, backoffMs: '200us' },
      },
      [],
    ],
  ];

  for (const [label, noise, links] of scenarios) {
    it(`a low-criticality ${label} delays the controller by at most one quantum and a switch`, () => {
      const loaded = runSystem(loadSystem(controlSystem(noise, links), SOURCES), RUN_US, PRESSES);
      const loadedWorst = worst(loaded);
      const control = loaded.report.containers.find((c) => c.name === 'control');
      const noisy = loaded.report.containers.find((c) => c.name === 'noise');
      // The noise really ran (or really crashed), and the controller never missed a deadline.
      expect((noisy?.instructions ?? 0) + (noisy?.restarts ?? 0)).toBeGreaterThan(1000);
      expect(control?.deadlineMisses).toBe(0);
      expect(control?.faults).toEqual([]);
      // One quantum of the noise as it really ran, one switch; and that quantum is within the
      // worst-case cost of quantumInstructions instructions.
      const noiseQuantumUs = noisy?.maxSliceUs ?? 0;
      expect(noiseQuantumUs).toBeLessThanOrEqual(quantumUs);
      expect(loadedWorst).toBeLessThanOrEqual(aloneWorst + Math.ceil(noiseQuantumUs + switchUs));
      if (label === 'link flood') {
        const link = loaded.report.links[0];
        expect(link?.counters.droppedOldest).toBeGreaterThan(1000);
        expect(link?.depth).toBe(4);
      }
      if (label === 'crash loop') expect(noisy?.restarts).toBeGreaterThan(1000);
      console.log(
        `${label}: worst ${loadedWorst} us, alone ${aloneWorst} us, ` +
          `bound ${aloneWorst} + quantum ${noiseQuantumUs.toFixed(1)} + switch ${switchUs.toFixed(1)} us`,
      );
    });
  }

  it('reports collections, the worst pause and instructions per container', () => {
    const loaded = runSystem(
      loadSystem(controlSystem({ program: 'storm.cam' }), SOURCES),
      50_000,
      PRESSES,
    );
    const noisy = loaded.report.containers.find((c) => c.name === 'noise');
    const control = loaded.report.containers.find((c) => c.name === 'control');
    expect(noisy?.collections).toBeGreaterThan(10);
    // A 4 KiB heap: a pause of some µs at 12 cycles per move on a 168 MHz CPU, never a second.
    expect(noisy?.worstCollectionUs).toBeGreaterThan(0.5);
    expect(noisy?.worstCollectionUs).toBeLessThan(1000);
    expect(noisy?.instructions).toBeGreaterThan(10_000);
    expect(control?.deadlineMisses).toBe(0);
  });

  it('the controller alone answers every edge within a few µs', () => {
    expect(aloneWorst).toBeLessThan(quantumUs);
  });
});

describe('device: watchdog', () => {
  it('stops and restarts a container stuck without syncing; the controller keeps its timing', () => {
    const outcome = runSystem(
      loadSystem(
        controlSystem({
          program: 'spin.cam',
          watchdogMs: 20,
          restart: { policy: 'on-failure', maxRestarts: 1000, withinMs: 1000, backoffMs: 5 },
        }),
        SOURCES,
      ),
      RUN_US,
      PRESSES,
    );
    const noise = outcome.report.containers.find((c) => c.name === 'noise');
    expect(noise?.watchdogFires).toBeGreaterThanOrEqual(15);
    expect(noise?.faults[0]?.cause).toBe('watchdog');
    expect(noise?.restarts).toBe(noise?.watchdogFires);
    const kinds = outcome.report.events.slice(0, 2).map((e) => e.kind);
    expect(kinds).toEqual(['fault', 'restart']);
    // First expiry: 20 ms of CPU without progress, caught at the next quantum boundary.
    const first = outcome.report.events[0];
    expect(first?.atUs).toBeGreaterThanOrEqual(20_000);
    expect(first?.atUs).toBeLessThan(21_000);
    const latencies = buttonToLedLatencies(outcome.deviceEvents);
    expect(latencies).toHaveLength(PRESSES.length);
    expect(Math.max(...latencies)).toBeLessThan(50);
  });
});

describe('device: sleep manager and heartbeat', () => {
  it('a 1 Hz blinker sleeps more than 90 % and heartbeats at the configured period', () => {
    const outcome = runSystem(
      loadSystem(
        {
          board: 'stm32f4-discovery',
          heartbeatMs: 1000,
          containers: [
            {
              name: 'blinker',
              program: 'blinker.cam',
              criticality: 1,
              memory: SMALL,
              peripherals: ['led0'],
            },
          ],
        },
        { 'blinker.cam': BLINKER },
      ),
      10_000_000,
    );
    const { power, heartbeats } = outcome.report;
    expect(power.sleepSharePercent).toBeGreaterThan(90);
    expect(power.energyMillijoules).toBeGreaterThan(0);
    expect(heartbeats.map((h) => h.atUs)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i + 1) * 1_000_000),
    );
    // The heartbeat at 1 s coincides with a toggle: it reports the device it woke, where the
    // blinker was sleeping until that very instant (not "runnable", which every heartbeat of a
    // periodic system would otherwise show).
    expect(heartbeats[0]?.containers[0]).toEqual({
      name: 'blinker',
      state: 'sleeping',
      untilUs: 1_000_000,
      restarts: 0,
    });
    const toggles = outcome.deviceEvents.filter((e) => e.device === 'led0' && e.dir === 'out');
    expect(toggles.length).toBeGreaterThanOrEqual(19);
    expect(toggles.length).toBeLessThanOrEqual(21);
    const gaps = toggles.slice(1).map((e, i) => e.t - (toggles[i]?.t ?? 0));
    expect(new Set(gaps)).toEqual(new Set([500_000]));
  });

  it('heartbeats keep coming when every container would sleep forever', () => {
    const outcome = runSystem(
      loadSystem(
        {
          board: 'nrf52840-dk',
          heartbeatMs: '250ms',
          containers: [
            {
              name: 'waiter',
              program: 'control.cam',
              criticality: 1,
              memory: SMALL,
              peripherals: ['button0', 'led0'],
            },
          ],
        },
        SOURCES,
      ),
      1_000_000,
    );
    expect(outcome.report.heartbeats.map((h) => h.atUs)).toEqual([
      250_000, 500_000, 750_000, 1_000_000,
    ]);
    expect(outcome.report.heartbeats[3]?.containers[0]?.state).toBe('blocked');
    expect(outcome.report.power.sleepSharePercent).toBeGreaterThan(99);
  });
});

describe('device: the example system', () => {
  it('runs the controller, the sampler and the crashing logger with its restarts', () => {
    const manifest = JSON.parse(example('system.json')) as unknown;
    const sources = {
      'control.cam': CONTROL,
      'sensor.cam': example('sensor.cam'),
      'logger.cam': example('logger.cam'),
    };
    const edges = buttonEdges(20, 100_000);
    const outcome = runSystem(loadSystem(manifest, sources), 3_000_000, edges);
    const byName = new Map(outcome.report.containers.map((c) => [c.name, c]));
    const link = outcome.report.links[0];
    // 100 ms sampling for 3 s; the logger crashes on every 5th message and comes back.
    expect(link?.counters.sent).toBe(29);
    expect(link?.counters.delivered).toBe(29);
    expect(byName.get('logger')?.restarts).toBe(5);
    expect(byName.get('logger')?.faults.every((f) => f.cause === 'division by zero')).toBe(true);
    expect(byName.get('control')?.faults).toEqual([]);
    expect(byName.get('sensor')?.faults).toEqual([]);
    // Every delivered message reaches the UART before the crash (21.00 °C → '1').
    expect(outcome.uart).toBe('1'.repeat(29));
    expect(buttonToLedLatencies(outcome.deviceEvents)).toHaveLength(20);
    expect(outcome.report.heartbeats).toHaveLength(3);
  });
});

describe('device: guaranteed budgets', () => {
  it('a budgeted low-criticality container keeps its share against a busy higher one', () => {
    const manifest = (budget: boolean) => ({
      board: 'stm32f4-discovery',
      containers: [
        { name: 'high', program: 'spin.cam', criticality: 3, memory: SMALL },
        {
          name: 'low',
          program: 'spin.cam',
          criticality: 1,
          memory: SMALL,
          ...(budget ? { budget: { percent: 10, periodMs: 20 } } : {}),
        },
      ],
    });
    const shares = (budget: boolean) =>
      new Map(
        runSystem(loadSystem(manifest(budget), SOURCES), 200_000).report.containers.map((c) => [
          c.name,
          c,
        ]),
      );
    const withBudget = shares(true);
    const low = withBudget.get('low');
    expect(low?.budgetPercent).toBe(10);
    expect(low?.budgetPeriodsShort).toBe(0);
    expect(low?.sharePercent).toBeGreaterThanOrEqual(9.9);
    expect(low?.sharePercent).toBeLessThan(10.5);
    expect(withBudget.get('high')?.sharePercent).toBeGreaterThan(89);
    expect(shares(false).get('low')?.cpuUs).toBe(0);
  });
});
