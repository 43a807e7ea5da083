import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sleepUntil, timeArgument, timedRelease, TimingRecorder } from '../../src/rts/time.js';

describe('syncT time arithmetic', () => {
  it('releases at logical time + baseline, deadline window after the release', () => {
    expect(timedRelease(1_000, 500, 0)).toEqual({ releaseAt: 1_500, deadlineAt: Infinity });
    expect(timedRelease(1_000, 500, 200)).toEqual({ releaseAt: 1_500, deadlineAt: 1_700 });
  });

  it('honours small baselines exactly (SynchronVM ignored anything under ~357 µs)', () => {
    expect(timedRelease(0, 1, 0).releaseAt).toBe(1);
    expect(timedRelease(0, 100, 0).releaseAt).toBe(100);
    expect(timedRelease(0, 300, 0).releaseAt).toBe(300);
  });

  it('never overflows: 84 s is 84 000 000 µs, not a 32-bit wrapped product', () => {
    expect(timedRelease(0, 84_000_000, 10).releaseAt).toBe(84_000_000);
    // A device up for 200 years still adds exactly.
    const twoHundredYears = 200 * 365 * 24 * 3600 * 1e6;
    expect(timedRelease(twoHundredYears, 0xffffffff, 1).deadlineAt).toBe(
      twoHundredYears + 0xffffffff + 1,
    );
  });

  it('reads 32-bit Int arguments as unsigned microseconds', () => {
    expect(timeArgument(-1)).toBe(0xffffffff);
    expect(timeArgument(123)).toBe(123);
    expect(sleepUntil(10, -1)).toBe(10 + 0xffffffff);
  });

  it('a periodic loop released at its logical time does not drift', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(1000), (period, n) => {
        let logical = 0;
        for (let i = 0; i < n; i++) logical = timedRelease(logical, period, 0).releaseAt;
        expect(logical).toBe(period * n);
      }),
    );
  });
});

describe('TimingRecorder', () => {
  it('records lateness and counts deadline misses', () => {
    const r = new TimingRecorder(1);
    expect(r.record(1, timedRelease(0, 100, 50), 120)).toBe(false);
    expect(r.record(1, timedRelease(0, 100, 50), 151)).toBe(true);
    expect(r.record(2, timedRelease(0, 100, 0), 10_000)).toBe(false);
    expect(r.record(3, timedRelease(0, 10, 1), 20)).toBe(true);
    const s = r.summary();
    expect(s.timedSyncs).toBe(4);
    expect(s.deadlineMisses).toBe(2);
    expect(s.maxLatenessUs).toBe(9_900);
    expect(s.totalLatenessUs).toBe(20 + 51 + 9_900 + 10);
    expect(s.misses).toEqual([{ context: 1, releaseAt: 100, deadlineAt: 150, committedAt: 151 }]);
  });
});
