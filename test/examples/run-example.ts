/**
 * Runs `sensevm run` in-process on an example (examples/<name>/) and reads back what the device
 * did: the event log (`--events`) as objects, stdout, stderr and the exit code.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferIO, main } from '../../src/cli/main.js';

export interface DeviceEventLine {
  readonly t: number;
  readonly container: string | null;
  readonly device?: string;
  readonly dir: 'in' | 'out' | 'drop' | 'fault';
  readonly value?: number;
  readonly reason?: string;
}

export interface ExampleRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly events: DeviceEventLine[];
  /** The `--events` file exactly as written. */
  readonly eventsText: string;
  /** The `--trace` file exactly as written ('' without `trace: true`). */
  readonly traceText: string;
}

const dir = mkdtempSync(join(tmpdir(), 'sensevm-examples-'));
let runs = 0;

export function example(path: string): string {
  return join('examples', path);
}

/** `sensevm run <program> --events <tmp> [--trace <tmp>] ...args`. */
export async function runExample(
  program: string,
  args: readonly string[],
  options: { readonly trace?: boolean } = {},
): Promise<ExampleRun> {
  const n = runs++;
  const eventsFile = join(dir, `events-${n}.jsonl`);
  const traceFile = join(dir, `trace-${n}.json`);
  const io = new BufferIO();
  const code = await main(
    [
      'run',
      example(program),
      ...args,
      '--events',
      eventsFile,
      ...(options.trace ? ['--trace', traceFile] : []),
    ],
    io,
  );
  const eventsText = readFileSync(eventsFile, 'utf8');
  return {
    code,
    stdout: io.stdout,
    stderr: io.stderr,
    eventsText,
    traceText: options.trace ? readFileSync(traceFile, 'utf8') : '',
    events: eventsText
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as DeviceEventLine),
  };
}

/** Program outputs of one device as [t, value] (safe-state writes excluded). */
export function outputs(run: ExampleRun, device: string): [number, number][] {
  return run.events
    .filter((e) => e.device === device && e.dir === 'out' && e.reason === undefined)
    .map((e) => [e.t, e.value ?? 0]);
}

/** Inputs delivered to one device as [t, value]. */
export function inputs(run: ExampleRun, device: string): [number, number][] {
  return run.events
    .filter((e) => e.device === device && e.dir === 'in')
    .map((e) => [e.t, e.value ?? 0]);
}

/** The stimulus inputs of a script (`at` in ms or s, as the examples write them) in µs. */
export function stimulusInputs(path: string): { at: number; device: string; value: unknown }[] {
  const entries = JSON.parse(readFileSync(example(path), 'utf8')) as {
    at?: string;
    device: string;
    value?: unknown;
  }[];
  return entries
    .filter((e) => e.at !== undefined)
    .map((e) => ({ at: micros(e.at!), device: e.device, value: e.value }))
    .sort((a, b) => a.at - b.at);
}

function micros(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) throw new Error(`test helper: unsupported duration ${text}`);
  const scale = { us: 1, ms: 1000, s: 1_000_000 }[m[2] as 'us' | 'ms' | 's'];
  return Math.round(Number(m[1]) * scale);
}
