import { describe, expect, it } from 'vitest';
import { SleepManager } from '../src/system/sleep.js';
import { Supervisor } from '../src/system/supervisor.js';
import { Watchdog } from '../src/system/watchdog.js';
import type { RestartPolicy } from '../src/system/manifest.js';
import type { PowerFigures } from '../src/system/boards.js';

const POWER: PowerFigures = {
  activeMilliwatts: 30,
  sleepMilliwatts: 6,
  deepSleepMilliwatts: 0.03,
  deepSleepAfterUs: 5000,
};

describe('sleep manager', () => {
  it('sleeps until the earliest alarm, restart, heartbeat, interrupt or end of run', () => {
    const sleep = new SleepManager(POWER, 1_000_000);
    expect(sleep.plan(0, { alarmAt: 500_000, interruptAt: 700_000 })).toEqual({
      untilUs: 500_000,
      reason: 'alarm',
    });
    expect(sleep.plan(0, { alarmAt: 2_000_000, restartAt: 1_500_000 })).toEqual({
      untilUs: 1_000_000,
      reason: 'heartbeat',
    });
    expect(sleep.plan(0, { interruptAt: 300, endOfRunAt: 900 })).toEqual({
      untilUs: 300,
      reason: 'interrupt',
    });
    expect(sleep.plan(10, { restartAt: 5 })).toEqual({ untilUs: 10, reason: 'restart' });
    const noHeartbeat = new SleepManager(POWER, undefined);
    expect(noHeartbeat.plan(0, {})).toEqual({ untilUs: undefined, reason: 'forever' });
  });

  it('records time per power state and estimates energy from the board figures', () => {
    const sleep = new SleepManager(POWER, undefined);
    expect(sleep.recordSleep(1000, 3000)).toBe('sleep');
    expect(sleep.recordSleep(4000, 1_004_000)).toBe('deep-sleep');
    const r = sleep.report(1_010_000);
    expect(r.sleepUs).toBe(2000);
    expect(r.deepSleepUs).toBe(1_000_000);
    expect(r.activeUs).toBe(8000);
    expect(r.sleepSharePercent).toBeCloseTo((100 * 1_002_000) / 1_010_000, 9);
    // 8000 µs × 30 mW + 2000 × 6 + 1e6 × 0.03 = 282 000 nJ = 0.282 mJ
    expect(r.energyMillijoules).toBeCloseTo(0.282, 9);
    expect(r.sleeps).toBe(2);
  });

  it('emits heartbeats at the configured period and counts the ones a busy stretch skipped', () => {
    const sleep = new SleepManager(POWER, 100);
    const status = [{ name: 'a', state: 'sleeping' as const, untilUs: 1000, restarts: 0 }];
    expect(sleep.takeHeartbeat(99, status)).toBeUndefined();
    expect(sleep.takeHeartbeat(100, status)?.dueAtUs).toBe(100);
    expect(sleep.nextHeartbeatAt()).toBe(200);
    const late = sleep.takeHeartbeat(420, status);
    expect(late).toMatchObject({ sequence: 2, dueAtUs: 200, atUs: 420 });
    expect(sleep.nextHeartbeatAt()).toBe(500);
    expect(sleep.report(500).missedHeartbeats).toBe(2);
    expect(sleep.heartbeats[0]?.containers).toEqual(status);
  });
});

function policy(over: Partial<RestartPolicy>): RestartPolicy {
  return {
    policy: 'on-failure',
    maxRestarts: 3,
    withinUs: 10_000,
    backoffUs: 100,
    then: 'stop',
    ...over,
  };
}

describe('supervisor', () => {
  it('restarts after a backoff, up to maxRestarts within the window, then applies `then`', () => {
    const sup = new Supervisor([
      { name: 'a', restart: policy({}) },
      { name: 'b', restart: policy({ then: 'reset-system', maxRestarts: 1 }) },
    ]);
    expect(sup.decide('a', 1000, 'fault')).toEqual({ action: 'restart', atUs: 1100, restart: 1 });
    expect(sup.decide('a', 2000, 'fault')).toMatchObject({ action: 'restart', restart: 2 });
    expect(sup.decide('a', 3000, 'fault')).toMatchObject({ action: 'restart', restart: 3 });
    expect(sup.decide('a', 4000, 'fault')).toMatchObject({ action: 'stop' });
    expect(sup.restarts('a')).toBe(3);
    expect(sup.decide('b', 0, 'fault').action).toBe('restart');
    expect(sup.decide('b', 50, 'fault').action).toBe('reset-system');
  });

  it('forgets restarts that fall out of the sliding window', () => {
    const sup = new Supervisor([{ name: 'a', restart: policy({ maxRestarts: 2 }) }]);
    expect(sup.decide('a', 0, 'fault').action).toBe('restart');
    expect(sup.decide('a', 5000, 'fault').action).toBe('restart');
    expect(sup.decide('a', 9999, 'fault').action).toBe('stop');
    expect(sup.decide('a', 15_001, 'fault').action).toBe('restart');
  });

  it('follows the policy for faults and normal ends', () => {
    const sup = new Supervisor([
      { name: 'never', restart: policy({ policy: 'never' }) },
      { name: 'failure', restart: policy({ policy: 'on-failure' }) },
      { name: 'always', restart: policy({ policy: 'always' }) },
    ]);
    expect(sup.decide('never', 0, 'fault', 'heap-exhausted')).toEqual({
      action: 'stop',
      reason: 'restart policy "never" (fault: heap-exhausted)',
    });
    expect(sup.decide('failure', 0, 'finished').action).toBe('stop');
    expect(sup.decide('always', 0, 'finished').action).toBe('restart');
  });
});

describe('watchdog', () => {
  it('expires after the timeout of CPU time without progress', () => {
    const dog = new Watchdog(1000);
    expect(dog.afterSlice(600, false, false)).toBe(false);
    expect(dog.afterSlice(400, false, false)).toBe(false);
    expect(dog.afterSlice(1, false, false)).toBe(true);
  });
  it('is fed by a completed sync or by going idle', () => {
    const dog = new Watchdog(1000);
    dog.afterSlice(900, false, false);
    expect(dog.afterSlice(900, true, false)).toBe(false);
    expect(dog.sinceProgressUs()).toBe(0);
    dog.afterSlice(900, false, false);
    expect(dog.afterSlice(50, false, true)).toBe(false);
    expect(dog.afterSlice(900, false, false)).toBe(false);
  });
});
