import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration } from '../../src/hal/duration.js';

describe('parseDuration', () => {
  it.each([
    ['100us', 100],
    ['100µs', 100],
    ['1.5ms', 1500],
    ['500ms', 500_000],
    ['2s', 2_000_000],
    ['0.1s', 100_000],
    ['1.1ms', 1100],
    ['10min', 600_000_000],
    [' 3 ms ', 3000],
  ])('%s is %d µs', (text, micros) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: micros });
  });

  it('requires a unit and says how to add one', () => {
    const r = parseDuration('500');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]?.code).toBe('E0660');
      expect(r.errors[0]?.message).toContain('500ms');
    }
  });

  it.each(['', 'ms', '2 hours', '-1s', '1e3ms', '0.5us'])('rejects %j', (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.code)).toEqual(['E0660']);
  });

  it('formatDuration round-trips through parseDuration', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 12 }), (micros) => {
        expect(parseDuration(formatDuration(micros))).toEqual({ ok: true, value: micros });
      }),
    );
  });
});
