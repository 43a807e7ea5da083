import { describe, expect, it } from 'vitest';
import { chromeTraceJson, toChromeTrace, type ChromeEvent } from '../../src/trace/chrome.js';
import { Trace, DISABLED_TRACE, type TraceEvent } from '../../src/trace/trace.js';
import { readChromeTrace, timelineLines, formatTimestamp } from '../../src/trace/timeline.js';
import { energyMillijoules, summaryLines, type RunCounters } from '../../src/trace/summary.js';
import { traceDeviceEvents } from '../../src/trace/device-events.js';
import { SimPlatform } from '../../src/hal/sim/platform.js';
import { defaultBoard } from '../../src/hal/boards/index.js';

/** Two containers, two contexts in `ctl`, a GC, a sleep, a fault and counters. */
function sampleTrace(): Trace {
  const t = new Trace(true);
  const events: TraceEvent[] = [
    { kind: 'container-switch', t: 0, container: 'ctl' },
    { kind: 'context-spawn', t: 0, container: 'ctl', context: 0 },
    { kind: 'context-switch', t: 0, container: 'ctl', context: 0 },
    { kind: 'context-spawn', t: 5, container: 'ctl', context: 1, parent: 0 },
    { kind: 'sync', t: 10, container: 'ctl', context: 0, alternatives: 2, chosen: null },
    { kind: 'context-switch', t: 10, container: 'ctl', context: 1 },
    { kind: 'message', t: 20, container: 'ctl', context: 1, channel: 3, from: 1, to: 0 },
    { kind: 'gc-start', t: 30, container: 'ctl', heapBytes: 4000 },
    { kind: 'gc-end', t: 42, container: 'ctl', heapBytes: 1000, freedBytes: 3000 },
    { kind: 'counter', t: 42, container: 'ctl', name: 'heap', value: 1000 },
    { kind: 'container-switch', t: 50, container: 'log' },
    { kind: 'context-switch', t: 50, container: 'log', context: 0 },
    { kind: 'driver-io', t: 55, container: 'log', device: 'led0', dir: 'out', value: 1 },
    { kind: 'fault', t: 60, container: 'log', context: 0, cause: 'heap-exhausted', pc: 17 },
    { kind: 'restart', t: 61, container: 'log', attempt: 1 },
    { kind: 'sleep', t: 70, until: 500 },
    { kind: 'wake', t: 500, reason: 'alarm' },
    { kind: 'container-switch', t: 500, container: 'ctl' },
    { kind: 'deadline-miss', t: 510, container: 'ctl', context: 1, lateMicros: 10 },
  ];
  for (const e of events) t.emit(e);
  return t;
}

const byName = (events: readonly ChromeEvent[], name: string, ph?: string) =>
  events.filter((e) => e.name === name && (ph === undefined || e.ph === ph));

describe('Trace', () => {
  it('keeps nothing when disabled', () => {
    DISABLED_TRACE.emit({ kind: 'note', t: 1, text: 'x' });
    const off = new Trace(false);
    off.emit({ kind: 'note', t: 1, text: 'x' });
    expect([DISABLED_TRACE.events.length, off.events.length]).toEqual([0, 0]);
  });

  it('counts events beyond its limit', () => {
    const t = new Trace(true, 2);
    for (let i = 0; i < 5; i++) t.emit({ kind: 'note', t: i, text: String(i) });
    expect([t.events.length, t.overflow]).toEqual([2, 3]);
  });
});

describe('Chrome trace export', () => {
  const chrome = toChromeTrace(sampleTrace(), { endMicros: 600, board: 'stm32f4-discovery' });
  const parsed = JSON.parse(chromeTraceJson(chrome)) as { traceEvents: ChromeEvent[] };

  it('parses as JSON with one process per container, plus the device', () => {
    const processes = byName(parsed.traceEvents, 'process_name', 'M').map((e) => [
      e.pid,
      e.args?.name,
    ]);
    expect(processes).toEqual([
      [0, 'device'],
      [1, 'ctl'],
      [2, 'log'],
    ]);
  });

  it('one thread per context', () => {
    const threads = byName(parsed.traceEvents, 'thread_name', 'M')
      .map((e) => `${e.pid}/${e.tid}=${String(e.args?.name)}`)
      .sort();
    expect(threads).toEqual(
      ['1/0=runtime', '1/1=context 0', '1/2=context 1', '2/0=runtime', '2/1=context 0'].sort(),
    );
  });

  it('running spans of containers and contexts, sleep and GC as complete events', () => {
    const spans = parsed.traceEvents
      .filter((e) => e.ph === 'X')
      .map((e) => `${e.name} ${e.pid}/${e.tid} ${e.ts}+${e.dur}`);
    expect(spans).toEqual([
      'running 1/1 0+10',
      'gc 1/0 30+12',
      'running 1/2 10+40',
      'running 1/0 0+50',
      'running 2/1 50+20',
      'running 2/0 50+20',
      'sleep 0/0 70+430',
      'running 1/2 500+100',
      'running 1/0 500+100',
    ]);
  });

  it('counters as "C" events and the rest as instants in µs', () => {
    expect(byName(parsed.traceEvents, 'heap')).toEqual([
      { name: 'heap', ph: 'C', pid: 1, tid: 0, ts: 42, args: { heap: 1000 } },
    ]);
    const fault = byName(parsed.traceEvents, 'fault')[0];
    expect(fault).toMatchObject({
      ph: 'i',
      pid: 2,
      tid: 1,
      ts: 60,
      args: { cause: 'heap-exhausted', pc: 17 },
    });
    expect(byName(parsed.traceEvents, 'led0 out')[0]).toMatchObject({
      pid: 2,
      ts: 55,
      args: { value: 1 },
    });
  });

  it('is deterministic', () => {
    expect(chromeTraceJson(toChromeTrace(sampleTrace(), { endMicros: 600 }))).toBe(
      chromeTraceJson(toChromeTrace(sampleTrace(), { endMicros: 600 })),
    );
  });

  it('device events reach the trace as driver I/O', () => {
    const trace = new Trace(true);
    const p = new SimPlatform(defaultBoard());
    traceDeviceEvents(p.events, trace);
    p.device('led0')?.claim('main');
    p.device('led0')?.write(1);
    p.fault('main', 'division-by-zero');
    expect(trace.events).toEqual([
      { kind: 'driver-io', t: 0, container: 'main', device: 'led0', dir: 'out', value: 1 },
      { kind: 'fault', t: 0, container: 'main', cause: 'division-by-zero' },
    ]);
  });
});

describe('timeline', () => {
  it('prints events in time order with container/context names', () => {
    const text = chromeTraceJson(toChromeTrace(sampleTrace(), { endMicros: 600 }));
    const r = readChromeTrace(text, 'x.json');
    if (!r.ok) throw new Error('unreadable');
    const lines = timelineLines(r.value);
    expect(lines[0]).toMatch(/^ {3}0\.000000s {2}ctl\/context 0 +context-spawn$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {3}0\.000000s {2}ctl\/runtime +running 50us$/),
    );
    expect(lines.find((l) => l.includes('gc 12us'))).toContain(
      'heapBefore=4000 heapAfter=1000 freed=3000',
    );
    expect(lines.find((l) => l.includes('heap ='))).toMatch(
      /0\.000042s {2}ctl\/runtime +heap = 1000$/,
    );
    expect(lines.find((l) => l.includes('sleep'))).toMatch(
      /0\.000070s {2}device +sleep 430us {2}until=500 reason=alarm/,
    );
    const times = lines.map((l) => Number(l.trim().split('s ')[0]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(timelineLines(r.value, { container: 'log' }).every((l) => l.includes('log/'))).toBe(
      true,
    );
    expect(timelineLines(r.value, { limit: 2 })).toHaveLength(3);
  });

  it('reads bare-array traces and rejects files that are not traces', () => {
    expect(readChromeTrace('[{"name":"x","ph":"i","ts":1}]', 'a.json').ok).toBe(true);
    for (const text of ['nope', '{"a":1}', '[{"name":"x"}]']) {
      const r = readChromeTrace(text, 'b.json');
      expect(r.ok ? '' : r.errors[0]?.code).toBe('E0790');
    }
  });

  it('formats timestamps as seconds with µs', () => {
    expect(formatTimestamp(1_500_000).trim()).toBe('1.500000s');
    expect(formatTimestamp(7).trim()).toBe('0.000007s');
  });
});

describe('run summary', () => {
  const counters: RunCounters = {
    board: 'stm32f4-discovery',
    elapsedMicros: 2_000_000,
    asleepMicros: 1_900_000,
    activeMilliwatts: 120,
    sleepMilliwatts: 0.9,
    ended: '--for elapsed',
    containers: [
      {
        name: 'main',
        cpuMicros: 80_000,
        instructions: 123456,
        gcCount: 3,
        gcWorstPauseMicros: 250,
        messages: 12,
        deadlineMisses: 0,
        faults: 0,
      },
      {
        name: 'logger',
        cpuMicros: 20_000,
        instructions: 999,
        gcCount: 0,
        gcWorstPauseMicros: 0,
        messages: 0,
        deadlineMisses: 2,
        faults: 1,
      },
    ],
  };

  it('estimates energy from the power figures', () => {
    // 0.1 s at 120 mW + 1.9 s at 0.9 mW = 12 + 1.71 mJ
    expect(energyMillijoules(counters)).toBeCloseTo(13.71, 10);
  });

  it('prints one row per container with CPU share', () => {
    const lines = summaryLines(counters);
    expect(lines[0]).toBe(
      'run: 2.000s of device time on stm32f4-discovery (--for elapsed); asleep 1.900s (95.0%)',
    );
    expect(lines[1]?.split(/\s+/)).toEqual([
      'container',
      'cpu',
      'share',
      'instructions',
      'gc',
      'worst',
      'gc',
      'messages',
      'misses',
      'faults',
    ]);
    expect(lines[2]?.split(/\s+/)).toEqual([
      'main',
      '80.000ms',
      '4.0%',
      '123456',
      '3',
      '250us',
      '12',
      '0',
      '0',
    ]);
    expect(lines[3]?.split(/\s+/)).toEqual([
      'logger',
      '20.000ms',
      '1.0%',
      '999',
      '0',
      '-',
      '0',
      '2',
      '1',
    ]);
    expect(lines[4]).toBe('energy: 13.71mJ estimated (average 6.855mW; active 120mW, sleep 0.9mW)');
  });
});
