/**
 * The readable timeline of a Chrome trace (`sensevm trace out.json`): one line per event in time
 * order, with the container (process) and context (thread) names from the metadata.
 *
 *      0.500000s  main/runtime    led0 out  value=1
 *      0.500000s  main/context 0  running  13us
 */
import { halError, type HalError, type HalResult } from '../hal/errors.js';

interface RawEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Accepts both forms of the format: `{ traceEvents: [...] }` and a bare array. */
export function readChromeTrace(text: string, file: string): HalResult<RawEvent[]> {
  const error = (detail: string): { ok: false; errors: HalError[] } => ({
    ok: false,
    errors: [{ ...halError('E0790', { file, detail }) }],
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return error(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(data) ? data : isRecord(data) ? data.traceEvents : undefined;
  if (!Array.isArray(list)) return error('not a Chrome trace (no `traceEvents` array)');
  const events: RawEvent[] = [];
  for (const [i, e] of list.entries()) {
    if (
      !isRecord(e) ||
      typeof e.name !== 'string' ||
      typeof e.ph !== 'string' ||
      typeof e.ts !== 'number'
    )
      return error(`traceEvents[${i}] is not a trace event (needs name, ph and ts)`);
    events.push({
      name: e.name,
      ph: e.ph,
      pid: typeof e.pid === 'number' ? e.pid : 0,
      tid: typeof e.tid === 'number' ? e.tid : 0,
      ts: e.ts,
      ...(typeof e.dur === 'number' ? { dur: e.dur } : {}),
      ...(isRecord(e.args) ? { args: e.args } : {}),
    });
  }
  return { ok: true, value: events };
}

/** `12.000500s`: seconds with µs precision, right-aligned. */
export function formatTimestamp(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.round(micros));
  const text = `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}s`;
  return text.padStart(12);
}

function formatSpan(micros: number): string {
  if (micros < 1000) return `${Math.round(micros * 1000) / 1000}us`;
  if (micros < 1_000_000) return `${Math.round(micros) / 1000}ms`;
  return `${Math.round(micros / 1000) / 1000}s`;
}

function formatArgs(args: Record<string, unknown> | undefined): string {
  if (!args) return '';
  return Object.entries(args)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

export interface TimelineOptions {
  /** Only events of this process (container) name. */
  readonly container?: string;
  /** At most this many lines (the rest is counted in a last line). */
  readonly limit?: number;
}

/** The timeline lines (without newlines). */
export function timelineLines(
  events: readonly RawEvent[],
  options: TimelineOptions = {},
): string[] {
  const processes = new Map<number, string>();
  const threads = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    const name = typeof e.args?.name === 'string' ? e.args.name : undefined;
    if (name === undefined) continue;
    if (e.name === 'process_name') processes.set(e.pid, name);
    if (e.name === 'thread_name') threads.set(`${e.pid}/${e.tid}`, name);
  }
  const shown = events
    .map((e, order) => ({ e, order }))
    .filter(({ e }) => e.ph !== 'M')
    .filter(({ e }) => !options.container || processes.get(e.pid) === options.container)
    .sort((a, b) => a.e.ts - b.e.ts || a.order - b.order);
  const where = (e: RawEvent): string => {
    const process = processes.get(e.pid) ?? `pid ${e.pid}`;
    const thread = threads.get(`${e.pid}/${e.tid}`);
    return thread ? `${process}/${thread}` : process;
  };
  const width = Math.min(28, Math.max(0, ...shown.map(({ e }) => where(e).length)));
  const lines: string[] = [];
  const limit = options.limit ?? Infinity;
  for (const { e } of shown) {
    if (lines.length >= limit) {
      lines.push(`… ${shown.length - limit} more events`);
      break;
    }
    let what: string;
    if (e.ph === 'C') what = `${e.name} = ${formatArgs(e.args).replace(/^[^=]*=/, '')}`;
    else if (e.ph === 'X') what = `${e.name} ${formatSpan(e.dur ?? 0)}  ${formatArgs(e.args)}`;
    else what = `${e.name}  ${formatArgs(e.args)}`;
    lines.push(`${formatTimestamp(e.ts)}  ${where(e).padEnd(width)}  ${what.trimEnd()}`);
  }
  return lines;
}
