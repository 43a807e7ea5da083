/**
 * Durations as people write them (`500ms`, `1.5ms`, `2s`, `100us`, `10min`), parsed to whole
 * microseconds — the unit of every clock in Sense-VM. Shared by the CLI (`--for 2s`) and the
 * stimulus scripts (`"at": "1.5ms"`).
 */
import { halError, type HalResult } from './errors.js';

const UNIT_MICROSECONDS = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  min: 60_000_000,
} as const;

const DURATION = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s|min)\s*$/;

/** Parses a duration to whole microseconds. A bare number is rejected: the unit is required. */
export function parseDuration(text: string, path = ''): HalResult<number> {
  const m = DURATION.exec(text);
  if (!m) {
    const detail = /^\s*\d+(\.\d+)?\s*$/.test(text)
      ? `\`${text}\` needs a unit: write e.g. \`${text.trim()}ms\` (units: us, ms, s, min)`
      : `\`${text}\` is not a duration (examples: 100us, 1.5ms, 2s, 10min)`;
    return { ok: false, errors: [halError('E0660', { path, detail })] };
  }
  const amount = Number(m[1]);
  const unit = m[2] as keyof typeof UNIT_MICROSECONDS;
  // Scale by splitting off the fraction so `1.5ms` is exactly 1500 and not 1499.9999.
  const micros = Math.round(amount * UNIT_MICROSECONDS[unit] * 1000) / 1000;
  if (!Number.isInteger(micros)) {
    return {
      ok: false,
      errors: [halError('E0660', { path, detail: `\`${text}\` is not a whole number of µs` })],
    };
  }
  if (!Number.isSafeInteger(micros)) {
    return { ok: false, errors: [halError('E0660', { path, detail: `\`${text}\` is too long` })] };
  }
  return { ok: true, value: micros };
}

/** A readable duration: `0us`, `750us`, `1.5ms`, `2s`, `2.000125s`. Exact, never rounded. */
export function formatDuration(micros: number): string {
  if (micros < 1000) return `${micros}us`;
  if (micros < 1_000_000) return `${micros / 1000}ms`;
  return `${micros / 1_000_000}s`;
}
