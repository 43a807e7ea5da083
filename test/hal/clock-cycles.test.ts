/**
 * VirtualClock.advanceCycles skips its division when less than a µs of work has accumulated;
 * device time must be exactly what the plain formula gives, for any clock rate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/hal/sim/clock.js';

/** The formula without the shortcut: whole µs elapsed and the remainder after each charge. */
function reference(clockHz: number, charges: readonly number[]): number[] {
  const perMicro = clockHz / 1_000_000;
  let remainder = 0;
  let now = 0;
  const times: number[] = [];
  for (const cycles of charges) {
    const total = remainder + cycles;
    const micros = Math.floor(total / perMicro);
    remainder = total - micros * perMicro;
    if (micros > 0) now += micros;
    times.push(now);
  }
  return times;
}

describe('VirtualClock.advanceCycles', () => {
  it('gives the same device time as the plain formula', () => {
    const clockHz = fc.oneof(
      fc.integer({ min: 1, max: 400 }).map((mhz) => mhz * 1_000_000),
      fc.integer({ min: 1_000, max: 500_000_000 }),
      fc.double({ min: 1e3, max: 5e8, noNaN: true }),
    );
    const cycles = fc.oneof(
      fc.integer({ min: 0, max: 400 }),
      fc.double({ min: 0, max: 1e4, noNaN: true }),
    );
    fc.assert(
      fc.property(
        clockHz,
        fc.array(cycles, { minLength: 1, maxLength: 300, size: 'medium' }),
        (hz, charges) => {
          const clock = new VirtualClock(hz);
          const times = charges.map((c) => {
            clock.advanceCycles(c);
            return clock.now();
          });
          expect(times).toEqual(reference(hz, charges));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same device time at the µs boundaries, for integral and fractional rates', () => {
    for (const hz of [1_000_000, 3_000_000, 168_000_000, 64_500_000, 72_000_001, 1_234_567]) {
      const perMicro = hz / 1_000_000;
      const charges: number[] = [];
      for (let k = 0; k <= 40; k++) charges.push((k * perMicro) / 4, k % 3, perMicro - (k % 2));
      const clock = new VirtualClock(hz);
      const times = charges.map((c) => {
        clock.advanceCycles(c);
        return clock.now();
      });
      expect(times).toEqual(reference(hz, charges));
    }
  });

  it('carries fractions of a µs over to later charges', () => {
    const clock = new VirtualClock(168_000_000);
    for (let i = 0; i < 10; i++) clock.advanceCycles(16);
    expect(clock.now()).toBe(0);
    clock.advanceCycles(8);
    expect(clock.now()).toBe(1);
    clock.advanceCycles(167);
    expect(clock.now()).toBe(1);
    clock.advanceCycles(1);
    expect(clock.now()).toBe(2);
  });
});
