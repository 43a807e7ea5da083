/**
 * Stimulus scripts (`--stimulus file.json`): the inputs of a simulated run. A JSON array whose
 * entries are, in any order:
 *
 *   { "at": "1.5ms", "device": "button0", "value": 1 }          an input at a device time
 *   { "at": "2s", "device": "uart0", "value": "hi\n" }           UART bytes, one per byte time
 *   { "device": "temp0", "signal": { "kind": "sine", "offset": 21, "amplitude": 3,
 *                                   "periodMs": 60000 } }        a sensor driven by a formula
 *   { "device": "light0", "csv": "light.csv", "column": "lux" } a sensor driven by a CSV column
 *
 * Inputs are delivered as interrupts at exactly their time; inputs at the same time keep file
 * order. Validation reports every problem with its path (`[3].at`).
 */
import { z } from 'zod';
import type { Board, Peripheral } from '../boards/schema.js';
import type { Signal } from '../devices.js';
import { parseDuration } from '../duration.js';
import { fail, halError, ok, zodIssuesToErrors, type HalError, type HalResult } from '../errors.js';
import { readCsvColumn, signalOf, stepSignal, type SignalSpec } from './signals.js';

/** One input at a device time. UART text is already split into bytes. */
export interface StimulusInput {
  readonly at: number;
  readonly device: string;
  readonly value: number;
}

export interface SensorDrive {
  readonly device: string;
  readonly signal: Signal;
}

export interface Stimulus {
  /** Sorted by time; file order among equal times. */
  readonly inputs: readonly StimulusInput[];
  readonly drives: readonly SensorDrive[];
}

/** Gives the text of a CSV file named in the script, or why it cannot. */
export type CsvReader = (file: string) => { text: string } | { error: string };

/**
 * The entry schemas, built on first use rather than at module load: building them (and
 * evaluating zod) would cost every run start-up time, with or without `--stimulus`
 * (docs/performance.md, "Start-up").
 */
function buildEntrySchemas() {
  const Duration = z.string().describe('a duration: 100us, 1.5ms, 2s');

  const InputEntry = z.strictObject({
    at: Duration,
    device: z.string(),
    value: z.union([z.number(), z.boolean(), z.string()]),
  });

  const SignalEntry = z.strictObject({
    device: z.string(),
    signal: z.discriminatedUnion(
      'kind',
      [
        z.strictObject({ kind: z.literal('constant'), value: z.number() }),
        z.strictObject({
          kind: z.literal('sine'),
          offset: z.number(),
          amplitude: z.number(),
          periodMs: z.number().positive(),
          phaseMs: z.number().optional(),
        }),
        z.strictObject({
          kind: z.literal('ramp'),
          from: z.number(),
          to: z.number(),
          durationMs: z.number().positive(),
          startMs: z.number().nonnegative().optional(),
        }),
        z.strictObject({
          kind: z.literal('steps'),
          initial: z.number(),
          steps: z.array(z.strictObject({ at: Duration, value: z.number() })),
        }),
      ],
      { error: 'signal kind must be one of constant, sine, ramp, steps' },
    ),
  });

  const CsvEntry = z.strictObject({
    device: z.string(),
    csv: z.string().min(1),
    column: z.string().min(1),
    /** Column holding each row's time; without it rows are `intervalMs` apart. */
    timeColumn: z.string().default('t'),
    timeUnit: z.enum(['us', 'ms', 's']).default('s'),
    intervalMs: z.number().positive().default(1000),
  });

  return { InputEntry, SignalEntry, CsvEntry };
}

let entrySchemas: ReturnType<typeof buildEntrySchemas> | undefined;
const schemas = (): ReturnType<typeof buildEntrySchemas> => (entrySchemas ??= buildEntrySchemas());

const TIME_UNIT_MICROS = { us: 1, ms: 1000, s: 1_000_000 } as const;

/** One entry of a stimulus script (for a JSON Schema export, e.g. `z.toJSONSchema`). */
export function stimulusEntrySchema() {
  const { InputEntry, SignalEntry, CsvEntry } = schemas();
  return z.union([InputEntry, SignalEntry, CsvEntry]);
}

function isSensor(p: Peripheral): boolean {
  return p.kind === 'temperature' || p.kind === 'light';
}

/** Parses and validates a stimulus script against `board`. */
export function parseStimulus(text: string, board: Board, readCsv: CsvReader): HalResult<Stimulus> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(halError('E0650', { detail: e instanceof Error ? e.message : String(e) }));
  }
  if (!Array.isArray(data))
    return fail(halError('E0651', { detail: 'a stimulus script is a JSON array of entries' }));

  const errors: HalError[] = [];
  const inputs: (StimulusInput & { order: number })[] = [];
  const drives: SensorDrive[] = [];
  const driven = new Set<string>();
  const peripherals = new Map(board.peripherals.map((p) => [p.name, p]));

  const duration = (value: string, path: string): number | undefined => {
    const parsed = parseDuration(value, path);
    if (parsed.ok) return parsed.value;
    errors.push(...parsed.errors.map((e) => ({ ...e, message: `${path}: ${e.message}` })));
    return undefined;
  };
  const deviceOf = (name: string, path: string): Peripheral | undefined => {
    const p = peripherals.get(name);
    if (!p) errors.push(halError('E0652', { path, device: name }));
    return p;
  };

  data.forEach((entry: unknown, i) => {
    const at = `[${i}]`;
    const isObject = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
    // A bare number or string is a common slip; show the shape of an entry rather than zod's
    // terse "expected object".
    if (!isObject)
      return errors.push(
        halError('E0651', {
          path: at,
          detail: `expected an object like {"at": "1ms", "device": "button0", "value": 1}, got ${JSON.stringify(entry)}`,
        }),
      );
    if (isObject && 'signal' in entry) {
      const parsed = schemas().SignalEntry.safeParse(entry);
      if (!parsed.success) return errors.push(...zodIssuesToErrors('E0651', prefix(parsed, i)));
      const p = deviceOf(parsed.data.device, `${at}.device`);
      if (!p) return;
      if (!isSensor(p)) return errors.push(notASensor(p, `${at}.device`));
      if (driven.has(p.name)) return errors.push(drivenTwice(p, `${at}.device`));
      driven.add(p.name);
      const s = parsed.data.signal;
      let spec: SignalSpec;
      if (s.kind === 'steps') {
        const steps: { at: number; value: number }[] = [];
        s.steps.forEach((step, j) => {
          const t = duration(step.at, `${at}.signal.steps[${j}].at`);
          if (t !== undefined) steps.push({ at: t, value: step.value });
        });
        steps.sort((a, b) => a.at - b.at);
        spec = { kind: 'steps', initial: s.initial, steps };
      } else {
        spec = s;
      }
      drives.push({ device: p.name, signal: signalOf(spec) });
    } else if (isObject && 'csv' in entry) {
      const parsed = schemas().CsvEntry.safeParse(entry);
      if (!parsed.success) return errors.push(...zodIssuesToErrors('E0651', prefix(parsed, i)));
      const c = parsed.data;
      const p = deviceOf(c.device, `${at}.device`);
      if (!p) return;
      if (!isSensor(p)) return errors.push(notASensor(p, `${at}.device`));
      if (driven.has(p.name)) return errors.push(drivenTwice(p, `${at}.device`));
      driven.add(p.name);
      const file = readCsv(c.csv);
      if ('error' in file)
        return errors.push(
          halError('E0654', { path: `${at}.csv`, file: c.csv, detail: file.error }),
        );
      const column = readCsvColumn(
        file.text,
        c.column,
        c.timeColumn,
        TIME_UNIT_MICROS[c.timeUnit],
        c.intervalMs * 1000,
      );
      if (!column.ok)
        return errors.push(
          halError('E0654', { path: `${at}.csv`, file: c.csv, detail: column.detail }),
        );
      drives.push({
        device: p.name,
        signal: stepSignal(column.values[0] ?? 0, column.times, column.values),
      });
    } else {
      const parsed = schemas().InputEntry.safeParse(entry);
      if (!parsed.success) return errors.push(...zodIssuesToErrors('E0651', prefix(parsed, i)));
      const e = parsed.data;
      const t = duration(e.at, `${at}.at`);
      const p = deviceOf(e.device, `${at}.device`);
      if (t === undefined || !p) return;
      const valuePath = `${at}.value`;
      if (p.kind === 'button') {
        const level = typeof e.value === 'boolean' ? Number(e.value) : e.value;
        if (level !== 0 && level !== 1)
          return errors.push(
            kindError(p, valuePath, 'takes the values 0 (released) and 1 (pressed)'),
          );
        inputs.push({ at: t, device: p.name, value: level, order: inputs.length });
      } else if (p.kind === 'uart') {
        const bytes =
          typeof e.value === 'string'
            ? [...new TextEncoder().encode(e.value)]
            : typeof e.value === 'number' &&
                Number.isInteger(e.value) &&
                e.value >= 0 &&
                e.value < 256
              ? [e.value]
              : undefined;
        if (!bytes) return errors.push(kindError(p, valuePath, 'takes a string or a byte (0–255)'));
        // Bytes follow each other at the line rate (8N1: 10 bits per byte).
        const byteMicros = Math.ceil(10_000_000 / p.baud);
        bytes.forEach((byte, k) =>
          inputs.push({
            at: t + k * byteMicros,
            device: p.name,
            value: byte,
            order: inputs.length,
          }),
        );
      } else if (isSensor(p)) {
        return errors.push(
          kindError(p, `${at}.device`, 'is driven by a "signal" or a "csv" entry, not by events'),
        );
      } else {
        return errors.push(kindError(p, `${at}.device`, 'is an output and takes no input'));
      }
    }
  });

  if (errors.length > 0) return { ok: false, errors };
  inputs.sort((a, b) => a.at - b.at || a.order - b.order);
  return ok({ inputs: inputs.map(({ at, device, value }) => ({ at, device, value })), drives });
}

function prefix(
  failed: { error: { issues: readonly z.core.$ZodIssue[] } },
  index: number,
): z.core.$ZodIssue[] {
  return failed.error.issues.map((issue) => ({ ...issue, path: [index, ...issue.path] }));
}

function kindError(p: Peripheral, path: string, detail: string): HalError {
  return halError('E0653', { path, device: p.name, kind: p.kind, detail });
}
function notASensor(p: Peripheral, path: string): HalError {
  return kindError(p, path, 'is not a sensor: only temperature and light sensors take signals');
}
function drivenTwice(p: Peripheral, path: string): HalError {
  return kindError(p, path, 'already has a signal');
}
