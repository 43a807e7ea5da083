import { describe, expect, it } from 'vitest';
import { CriticalityScheduler, shareReport, type Budget } from '../src/system/scheduler.js';
import { FakeClock, FakeContainer, runUntil, type Job } from './system/fakes.js';

const QUANTUM = 200;
const SWITCH_US = 2;

function scheduler(clock: FakeClock, budgets?: Map<string, Budget>) {
  return new CriticalityScheduler<FakeContainer, string>(clock, {
    quantumInstructions: QUANTUM,
    containerSwitchUs: SWITCH_US,
    ...(budgets ? { budgets } : {}),
  });
}

/** Presses every 1000 µs with a little jitter, each needing `work` instructions. */
function presses(count: number, work: number): Job[] {
  return Array.from({ length: count }, (_, i) => ({
    arrivesAt: 1000 * (i + 1) + ((i * 37) % 151),
    instructions: work,
  }));
}

function worstLatency(c: FakeContainer): number {
  return Math.max(...c.completions.map((x) => x.doneAt - x.arrivesAt));
}

describe('criticality scheduler', () => {
  it('gives the CPU to the highest criticality while it is runnable', () => {
    const clock = new FakeClock();
    const s = scheduler(clock);
    const high = new FakeContainer('high', 3, clock, { busy: true });
    const low = new FakeContainer('low', 1, clock, { busy: true });
    s.add(low);
    s.add(high);
    runUntil(s, clock, 10_000);
    expect(s.account('high')?.cpuUs).toBe(10_000);
    expect(s.account('low')?.cpuUs).toBe(0);
  });

  it('returns the CPU to a woken higher criticality at the next quantum boundary', () => {
    const clock = new FakeClock();
    const s = scheduler(clock);
    const high = new FakeContainer('high', 3, clock, {
      jobs: [{ arrivesAt: 1050, instructions: 10 }],
    });
    const low = new FakeContainer('low', 1, clock, { busy: true });
    s.add(high);
    s.add(low);
    runUntil(s, clock, 3000);
    // Low's quantum boundaries fall at multiples of 200 µs; the wake-up at 1050 waits for the
    // boundary at 1200, then the switch, then 10 µs of work.
    expect(high.completions).toEqual([{ arrivesAt: 1050, doneAt: 1200 + SWITCH_US + 10 }]);
    expect(s.account('low')?.cpuUs).toBe(clock.now() - 10 - 2 * SWITCH_US);
    expect(s.switchOverheadUs).toBe(2 * SWITCH_US);
  });

  it('bounds the interference of busy lower-criticality containers by one quantum and a switch', () => {
    const work = 50;
    const run = (withNoise: boolean): FakeContainer => {
      const clock = new FakeClock();
      const s = scheduler(clock);
      const high = new FakeContainer('high', 3, clock, { jobs: presses(1000, work) });
      s.add(high);
      if (withNoise) {
        s.add(new FakeContainer('noise', 1, clock, { busy: true }));
        s.add(new FakeContainer('noise2', 2, clock, { busy: true }));
      }
      runUntil(s, clock, 1_002_000);
      return high;
    };
    const alone = run(false);
    const loaded = run(true);
    expect(alone.completions).toHaveLength(1000);
    expect(loaded.completions).toHaveLength(1000);
    expect(worstLatency(alone)).toBe(work);
    expect(worstLatency(loaded)).toBeGreaterThan(worstLatency(alone));
    expect(worstLatency(loaded)).toBeLessThanOrEqual(worstLatency(alone) + QUANTUM + SWITCH_US);
  });

  it('round-robins equal criticality quantum by quantum', () => {
    const clock = new FakeClock();
    const s = scheduler(clock);
    for (const name of ['a', 'b', 'c']) s.add(new FakeContainer(name, 2, clock, { busy: true }));
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = s.step();
      if (r.kind === 'ran') order.push(r.container.name);
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(s.containerSwitches).toBe(5);
    expect(s.account('a')?.cpuUs).toBe(2 * QUANTUM);
  });

  it('keeps a guaranteed budget against a busy higher-criticality container', () => {
    const budgets = new Map<string, Budget>([['logger', { percent: 10, periodUs: 100_000 }]]);
    const clock = new FakeClock();
    const s = scheduler(clock, budgets);
    s.add(new FakeContainer('control', 3, clock, { busy: true }));
    s.add(new FakeContainer('logger', 1, clock, { busy: true }));
    runUntil(s, clock, 1_000_000);
    const [control, logger] = shareReport(s.allAccounts(), clock.now());
    // 10 % of each of the 10 periods, rounded up to whole quanta of 200 µs.
    expect(logger?.cpuUs).toBeGreaterThanOrEqual(10 * 10_000);
    expect(logger?.sharePercent).toBeGreaterThan(9.99);
    expect(logger?.sharePercent).toBeLessThan(10 + (100 * QUANTUM) / 100_000 + 0.01);
    expect(logger?.budgetPercent).toBe(10);
    expect(logger?.budgetPeriodsShort).toBe(0);
    expect(control?.sharePercent).toBeGreaterThan(89);
    // Without the budget, strict priority starves the logger.
    const clock2 = new FakeClock();
    const s2 = scheduler(clock2);
    s2.add(new FakeContainer('control', 3, clock2, { busy: true }));
    s2.add(new FakeContainer('logger', 1, clock2, { busy: true }));
    runUntil(s2, clock2, 1_000_000);
    expect(s2.account('logger')?.cpuUs).toBe(0);
  });

  it('counts time a budgeted container gets anyway toward its budget', () => {
    const budgets = new Map<string, Budget>([['logger', { percent: 20, periodUs: 10_000 }]]);
    const clock = new FakeClock();
    const s = scheduler(clock, budgets);
    // Control needs half of the CPU; the logger gets the rest, mostly outside the band.
    s.add(
      new FakeContainer('control', 3, clock, {
        jobs: Array.from({ length: 100 }, (_, i) => ({ arrivesAt: i * 1000, instructions: 500 })),
      }),
    );
    s.add(new FakeContainer('logger', 1, clock, { busy: true }));
    runUntil(s, clock, 100_000);
    const logger = s.account('logger');
    expect((logger?.cpuUs ?? 0) / 100_000).toBeGreaterThan(0.45);
    expect(logger?.guaranteedSlices).toBeGreaterThan(0);
    expect(logger?.guaranteedSlices).toBeLessThan(logger?.slices ?? 0);
  });

  it('reports idle and the earliest wake-up when nothing can run', () => {
    const clock = new FakeClock();
    const s = scheduler(clock);
    s.add(new FakeContainer('a', 1, clock, { jobs: [{ arrivesAt: 700, instructions: 1 }] }));
    s.add(new FakeContainer('b', 2, clock, { jobs: [{ arrivesAt: 300, instructions: 1 }] }));
    expect(s.step()).toEqual({ kind: 'idle' });
    expect(s.nextWakeUpAt()).toBe(300);
    clock.t = 300;
    const r = s.step();
    expect(r.kind === 'ran' && r.container.name).toBe('b');
  });
});
