/**
 * Sensor signals: a physical value as a pure function of device time, from a formula or from a
 * CSV column. The CSV text is passed in; reading the file is the caller's business.
 */
import type { Signal } from '../devices.js';

export type SignalSpec =
  | { readonly kind: 'constant'; readonly value: number }
  /** offset + amplitude × sin(2π (t + phase) / period) */
  | {
      readonly kind: 'sine';
      readonly offset: number;
      readonly amplitude: number;
      readonly periodMs: number;
      readonly phaseMs?: number | undefined;
    }
  /** `from` until startMs, linear to `to` over durationMs, then `to`. */
  | {
      readonly kind: 'ramp';
      readonly from: number;
      readonly to: number;
      readonly durationMs: number;
      readonly startMs?: number | undefined;
    }
  /** Holds each value from its time (µs, sorted) on; `initial` before the first. */
  | {
      readonly kind: 'steps';
      readonly initial: number;
      readonly steps: readonly { readonly at: number; readonly value: number }[];
    };

export function signalOf(spec: SignalSpec): Signal {
  switch (spec.kind) {
    case 'constant': {
      const value = spec.value;
      return () => value;
    }
    case 'sine': {
      const { offset, amplitude } = spec;
      const periodMicros = spec.periodMs * 1000;
      const phaseMicros = (spec.phaseMs ?? 0) * 1000;
      return (t) => offset + amplitude * Math.sin((2 * Math.PI * (t + phaseMicros)) / periodMicros);
    }
    case 'ramp': {
      const { from, to } = spec;
      const start = (spec.startMs ?? 0) * 1000;
      const length = spec.durationMs * 1000;
      return (t) => {
        if (t <= start) return from;
        if (t >= start + length) return to;
        return from + ((to - from) * (t - start)) / length;
      };
    }
    case 'steps':
      return stepSignal(
        spec.initial,
        spec.steps.map((s) => s.at),
        spec.steps.map((s) => s.value),
      );
  }
}

/** A step function: values[i] from times[i] (sorted) on, `initial` before times[0]. */
export function stepSignal(
  initial: number,
  times: readonly number[],
  values: readonly number[],
): Signal {
  return (t) => {
    // Last index with times[i] <= t.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[mid] ?? Infinity) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? initial : (values[lo - 1] ?? initial);
  };
}

export type CsvResult =
  | { readonly ok: true; readonly times: number[]; readonly values: number[] }
  | { readonly ok: false; readonly detail: string };

/**
 * Reads `column` of a CSV text (header row, comma separated, `#` comments). Row times come from
 * `timeColumn` in `timeUnitMicros` units when the header has it, else rows are `intervalMicros`
 * apart starting at 0. Times must not decrease.
 */
export function readCsvColumn(
  text: string,
  column: string,
  timeColumn: string,
  timeUnitMicros: number,
  intervalMicros: number,
): CsvResult {
  const rows = text
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, cells: line.split(',').map((c) => c.trim()) }))
    .filter((r) => !(r.cells.length === 1 && r.cells[0] === '') && !r.cells[0]?.startsWith('#'));
  const header = rows.shift();
  if (!header) return { ok: false, detail: 'the file is empty' };
  const valueIndex = header.cells.indexOf(column);
  if (valueIndex < 0)
    return {
      ok: false,
      detail: `no column \`${column}\` (columns: ${header.cells.join(', ')})`,
    };
  const timeIndex = header.cells.indexOf(timeColumn);
  const times: number[] = [];
  const values: number[] = [];
  for (const [n, row] of rows.entries()) {
    const value = Number(row.cells[valueIndex]);
    if (row.cells[valueIndex] === undefined || row.cells[valueIndex] === '' || !isFinite(value))
      return {
        ok: false,
        detail: `line ${row.line}: \`${row.cells[valueIndex] ?? ''}\` in column \`${column}\` is not a number`,
      };
    let time = n * intervalMicros;
    if (timeIndex >= 0) {
      const raw = Number(row.cells[timeIndex]);
      if (row.cells[timeIndex] === '' || !isFinite(raw))
        return {
          ok: false,
          detail: `line ${row.line}: \`${row.cells[timeIndex] ?? ''}\` in column \`${timeColumn}\` is not a time`,
        };
      time = Math.round(raw * timeUnitMicros);
      const previous = times[times.length - 1];
      if (previous !== undefined && time < previous)
        return { ok: false, detail: `line ${row.line}: time goes backwards` };
    }
    times.push(time);
    values.push(value);
  }
  if (values.length === 0) return { ok: false, detail: 'no data rows' };
  return { ok: true, times, values };
}
