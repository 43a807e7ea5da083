/**
 * Export to Chrome trace JSON (the Trace Event Format that Perfetto and chrome://tracing open).
 *
 * Mapping: one process per container (pid 1, 2, … in order of first appearance, named by
 * `process_name` metadata) and pid 0 "device" for sleep and wake-up; one thread per context
 * (tid = context + 1, `thread_name` "context n") and tid 0 "runtime" for container-level
 * events. Running spans of containers and contexts, sleeps and collections are complete ("X")
 * events; counters are "C" events; everything else is an instant ("i"). Timestamps are device
 * µs, as the format wants.
 */
import type { Trace, TraceEvent } from './trace.js';

export interface ChromeEvent {
  readonly name: string;
  readonly ph: 'X' | 'i' | 'C' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly s?: 't' | 'p' | 'g';
  readonly cat?: string;
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface ChromeTrace {
  readonly traceEvents: readonly ChromeEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Readonly<Record<string, string | number>>;
}

export const DEVICE_PID = 0;
export const RUNTIME_TID = 0;

/** Builds the Chrome trace; `endMicros` closes spans still open (default: the last event). */
export function toChromeTrace(
  trace: Pick<Trace, 'events' | 'overflow'>,
  options: { readonly endMicros?: number; readonly board?: string } = {},
): ChromeTrace {
  const events = trace.events;
  const end = options.endMicros ?? events.reduce((m, e) => Math.max(m, e.t), 0);
  const out: ChromeEvent[] = [];
  const meta: ChromeEvent[] = [
    { name: 'process_name', ph: 'M', pid: DEVICE_PID, tid: 0, ts: 0, args: { name: 'device' } },
  ];
  const pids = new Map<string, number>();
  const threads = new Set<string>();

  const pidOf = (container: string): number => {
    let pid = pids.get(container);
    if (pid === undefined) {
      pid = pids.size + 1;
      pids.set(container, pid);
      meta.push({ name: 'process_name', ph: 'M', pid, tid: 0, ts: 0, args: { name: container } });
      meta.push({
        name: 'process_sort_index',
        ph: 'M',
        pid,
        tid: 0,
        ts: 0,
        args: { sort_index: pid },
      });
      threadOf(pid, RUNTIME_TID, 'runtime');
    }
    return pid;
  };
  const threadOf = (pid: number, tid: number, name: string): number => {
    const key = `${pid}/${tid}`;
    if (!threads.has(key)) {
      threads.add(key);
      meta.push({ name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } });
    }
    return tid;
  };
  const contextTid = (pid: number, context: number): number =>
    threadOf(pid, context + 1, `context ${context}`);

  // Open spans: the running container, the running context of each container, sleep, GC.
  let running: { container: string; since: number } | undefined;
  const runningContext = new Map<string, { context: number; since: number } | undefined>();
  const lastContext = new Map<string, number>();
  let sleeping: { since: number; until?: number } | undefined;
  const gcStart = new Map<string, { t: number; heapBytes: number }>();

  const span = (
    name: string,
    pid: number,
    tid: number,
    from: number,
    to: number,
    args?: Record<string, unknown>,
  ): void => {
    out.push({
      name,
      ph: 'X',
      pid,
      tid,
      ts: from,
      dur: Math.max(0, to - from),
      ...(args ? { args } : {}),
    });
  };
  const closeContext = (container: string, t: number): void => {
    const open = runningContext.get(container);
    if (!open) return;
    const pid = pidOf(container);
    span('running', pid, contextTid(pid, open.context), open.since, t);
    runningContext.set(container, undefined);
  };
  const closeContainer = (t: number): void => {
    if (!running) return;
    closeContext(running.container, t);
    span('running', pidOf(running.container), RUNTIME_TID, running.since, t);
    running = undefined;
  };
  const closeSleep = (t: number, reason?: string): void => {
    if (!sleeping) return;
    span('sleep', DEVICE_PID, 0, sleeping.since, t, {
      ...(sleeping.until === undefined ? {} : { until: sleeping.until }),
      ...(reason === undefined ? {} : { reason }),
    });
    sleeping = undefined;
  };
  const instant = (
    e: TraceEvent,
    pid: number,
    tid: number,
    args: Record<string, unknown>,
  ): void => {
    out.push({ name: e.kind, ph: 'i', s: 't', pid, tid, ts: e.t, args });
  };

  for (const e of events) {
    switch (e.kind) {
      case 'container-switch':
        if (running?.container === e.container) break;
        closeContainer(e.t);
        closeSleep(e.t);
        if (e.container !== null) {
          running = { container: e.container, since: e.t };
          const ctx = lastContext.get(e.container);
          if (ctx !== undefined) runningContext.set(e.container, { context: ctx, since: e.t });
        }
        break;
      case 'context-switch':
        closeContext(e.container, e.t);
        pidOf(e.container);
        lastContext.set(e.container, e.context);
        runningContext.set(e.container, { context: e.context, since: e.t });
        break;
      case 'context-end': {
        if (runningContext.get(e.container)?.context === e.context) closeContext(e.container, e.t);
        if (lastContext.get(e.container) === e.context) lastContext.delete(e.container);
        const pid = pidOf(e.container);
        instant(e, pid, contextTid(pid, e.context), {});
        break;
      }
      case 'context-spawn': {
        const pid = pidOf(e.container);
        instant(
          e,
          pid,
          contextTid(pid, e.context),
          e.parent === undefined ? {} : { parent: e.parent },
        );
        break;
      }
      case 'sync': {
        const pid = pidOf(e.container);
        instant(e, pid, contextTid(pid, e.context), {
          alternatives: e.alternatives,
          chosen: e.chosen,
        });
        break;
      }
      case 'message': {
        const pid = pidOf(e.container);
        instant(e, pid, contextTid(pid, e.context), { channel: e.channel, from: e.from, to: e.to });
        break;
      }
      case 'driver-io': {
        const pid = e.container === null ? DEVICE_PID : pidOf(e.container);
        out.push({
          name: `${e.device} ${e.dir}`,
          ph: 'i',
          s: 't',
          pid,
          tid: RUNTIME_TID,
          ts: e.t,
          cat: 'driver',
          args: { value: e.value },
        });
        break;
      }
      case 'gc-start':
        pidOf(e.container);
        gcStart.set(e.container, { t: e.t, heapBytes: e.heapBytes });
        break;
      case 'gc-end': {
        const start = gcStart.get(e.container);
        gcStart.delete(e.container);
        span('gc', pidOf(e.container), RUNTIME_TID, start?.t ?? e.t, e.t, {
          heapBefore: start?.heapBytes ?? e.heapBytes + e.freedBytes,
          heapAfter: e.heapBytes,
          freed: e.freedBytes,
        });
        break;
      }
      case 'fault': {
        const pid = pidOf(e.container);
        const tid = e.context === undefined ? RUNTIME_TID : contextTid(pid, e.context);
        instant(e, pid, tid, { cause: e.cause, ...(e.pc === undefined ? {} : { pc: e.pc }) });
        break;
      }
      case 'deadline-miss': {
        const pid = pidOf(e.container);
        instant(e, pid, contextTid(pid, e.context), { lateMicros: e.lateMicros });
        break;
      }
      case 'restart':
        instant(e, pidOf(e.container), RUNTIME_TID, { attempt: e.attempt });
        break;
      case 'sleep':
        closeContainer(e.t);
        closeSleep(e.t);
        sleeping = { since: e.t, ...(e.until === undefined ? {} : { until: e.until }) };
        break;
      case 'wake':
        closeSleep(e.t, e.reason);
        break;
      case 'counter':
        out.push({
          name: e.name,
          ph: 'C',
          pid: pidOf(e.container),
          tid: RUNTIME_TID,
          ts: e.t,
          args: { [e.name]: e.value },
        });
        break;
      case 'note':
        instant(e, e.container === undefined ? DEVICE_PID : pidOf(e.container), RUNTIME_TID, {
          text: e.text,
        });
        break;
    }
  }
  closeContainer(end);
  closeSleep(end);

  return {
    traceEvents: [...meta, ...out],
    displayTimeUnit: 'ms',
    otherData: {
      generator: 'sensevm',
      clock: 'device time (µs)',
      ...(options.board ? { board: options.board } : {}),
      ...(trace.overflow > 0 ? { droppedEvents: trace.overflow } : {}),
    },
  };
}

/** The Chrome trace as the text of a `--trace` file: one event per line, deterministic. */
export function chromeTraceJson(trace: ChromeTrace): string {
  const lines = trace.traceEvents.map((e) => JSON.stringify(e));
  return (
    `{"displayTimeUnit":"ms","otherData":${JSON.stringify(trace.otherData)},"traceEvents":[\n` +
    lines.join(',\n') +
    '\n]}\n'
  );
}
