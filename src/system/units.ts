/**
 * Durations and byte sizes as users write them in a system manifest.
 *
 * Durations: a number means milliseconds (the field names end in `Ms`), a string carries its
 * unit: `"250us"`, `"500ms"`, `"2s"`, `"1.5s"`, `"1min"`. Internally every time is in microseconds, the
 * unit of the device clock (ARCHITECTURE.md, time model).
 *
 * Sizes: a number means bytes; a string may use `B`, `KiB`, `MiB`, `GiB` or their short forms
 * `K`, `M`, `G` (binary) or `KB`, `MB`, `GB` (decimal): `"8KiB"` and `"8K"` are 8192 bytes, `"8KB"`
 * is 8000. Sizes must come out as whole bytes. The CLI's `--heap`/`--stack` read sizes the same way.
 */

export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?)\\s*(us|µs|ms|s|min)\\s*$';
export const SIZE_PATTERN = '^\\s*(\\d+(\\.\\d+)?)\\s*(B|K|KiB|KB|kB|M|MiB|MB|G|GiB|GB)?\\s*$';

const DURATION_RE = new RegExp(DURATION_PATTERN);
const SIZE_RE = new RegExp(SIZE_PATTERN);

const MICROS_PER: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1000,
  s: 1_000_000,
  min: 60_000_000,
};
const BYTES_PER: Readonly<Record<string, number>> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 * 1024,
  K: 1024,
  M: 1024 * 1024,
  G: 1024 ** 3,
  GiB: 1024 ** 3,
  KB: 1000,
  kB: 1000,
  GB: 1_000_000_000,
  MB: 1_000_000,
};

/** Microseconds of a manifest duration, or undefined when it is malformed or not whole µs. */
export function parseDurationUs(value: number | string): number | undefined {
  let micros: number;
  if (typeof value === 'number') {
    micros = value * 1000;
  } else {
    const m = DURATION_RE.exec(value);
    if (!m) return undefined;
    micros = Number(m[1]) * (MICROS_PER[m[3] ?? 'ms'] ?? 1000);
  }
  const rounded = Math.round(micros);
  if (!Number.isFinite(micros) || micros < 0 || Math.abs(rounded - micros) > 1e-6) return undefined;
  return rounded;
}

/** Bytes of a manifest size, or undefined when it is malformed or not a whole number of bytes. */
export function parseSizeBytes(value: number | string): number | undefined {
  let bytes: number;
  if (typeof value === 'number') {
    bytes = value;
  } else {
    const m = SIZE_RE.exec(value);
    if (!m) return undefined;
    bytes = Number(m[1]) * (BYTES_PER[m[3] ?? 'B'] ?? 1);
  }
  if (!Number.isSafeInteger(bytes) || bytes < 0) return undefined;
  return bytes;
}

/** `8192` → `8 KiB`, `1000` → `1000 B`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}
