/**
 * Issue 6 acceptance, end to end through `sensevm run`: blinky's timing in device time,
 * button-blinky under a stimulus, byte-identical repeated runs, the Chrome trace (one process
 * per container, events from every layer), the summary, and the option errors.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDeviceSync } from '../../src/cli/device-run.js';
import { BufferIO, main } from '../../src/cli/main.js';
import { compile } from '../../src/lang/compile.js';
import { DEFAULT_CONTAINER_CONFIG } from '../../src/vm/config.js';
import { Machine } from '../../src/vm/machine.js';
import { outputs, runExample, stimulusInputs } from './run-example.js';

interface ChromeEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: Record<string, unknown>;
}

function parseTrace(text: string): ChromeEvent[] {
  const parsed = JSON.parse(text) as { traceEvents: ChromeEvent[]; displayTimeUnit: string };
  expect(parsed.displayTimeUnit).toBe('ms');
  expect(Array.isArray(parsed.traceEvents)).toBe(true);
  return parsed.traceEvents;
}

const dir = mkdtempSync(join(tmpdir(), 'sensevm-acceptance-'));

describe('issue 6 acceptance', () => {
  it('blinky --for 2s: led0 outputs 1, 0, 1, 0 at 500, 1000, 1500, 2000 ms; exit 0', async () => {
    const r = await runExample('blinky/blinky.cam', ['--for', '2s']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const led = outputs(r, 'led0');
    expect(led.map(([, v]) => v)).toEqual([1, 0, 1, 0]);
    // Within the instruction-time cost of the program (a few µs at 168 MHz).
    led.forEach(([t], i) => {
      expect(t).toBeGreaterThanOrEqual((i + 1) * 500_000);
      expect(t).toBeLessThan((i + 1) * 500_000 + 100);
    });
    // The summary on stderr: time, the container's row, sleep share and energy.
    expect(r.stderr).toMatch(/^run: 2\.000s of device time on stm32f4-discovery \(--for 2s/);
    expect(r.stderr).toMatch(/asleep 2\.000s \(100\.0%\)/);
    expect(r.stderr).toMatch(/container\s+cpu\s+share\s+instructions\s+gc\s+worst gc\s+messages/);
    // (Collections happen only under SENSEVM_STRESS_GC=1: count and worst pause vary.)
    expect(r.stderr).toMatch(/\nmain\s+\d+us\s+0\.0%\s+\d+\s+\d+\s+\S+\s+0\s+0\s+0\n/);
    expect(r.stderr).toMatch(/energy: [\d.]+mJ estimated/);
  });

  it('button-blinky with 3 presses: led0 follows each press and release', async () => {
    const r = await runExample('button-blinky/button-blinky.cam', [
      '--for',
      '2s',
      '--stimulus',
      'examples/button-blinky/presses.json',
    ]);
    expect(r.code).toBe(0);
    const presses = stimulusInputs('button-blinky/presses.json');
    expect(presses.map((p) => p.value)).toEqual([1, 0, 1, 0, 1, 0]);
    const led = outputs(r, 'led0');
    expect(led.map(([, v]) => v)).toEqual([1, 0, 1, 0, 1, 0]);
    led.forEach(([t], i) => expect(t - presses[i]!.at).toBeLessThan(100));
  });

  it('the same run twice gives byte-identical event logs and traces', async () => {
    for (const [program, args] of [
      [
        'button-blinky/button-blinky.cam',
        ['--for', '2s', '--stimulus', 'examples/button-blinky/presses.json'],
      ],
      ['twinkle/twinkle.cam', ['--for', '600ms', '--heap', '4K', '--quiet']],
    ] as const) {
      const first = await runExample(program, args, { trace: true });
      const second = await runExample(program, args, { trace: true });
      expect(first.eventsText.length).toBeGreaterThan(0);
      expect(first.traceText.length).toBeGreaterThan(1000);
      expect(second.eventsText).toBe(first.eventsText);
      expect(second.traceText).toBe(first.traceText);
    }
  });

  it('--trace writes Chrome trace JSON: one process per container, events of every layer', async () => {
    // A small heap so that the collector runs; two contexts talk over a channel.
    const r = await runExample('twinkle/twinkle.cam', ['--for', '600ms', '--heap', '4K'], {
      trace: true,
    });
    expect(r.code).toBe(0);
    const events = parseTrace(r.traceText);
    const processes = events
      .filter((e) => e.ph === 'M' && e.name === 'process_name')
      .map((e) => [e.pid, e.args?.name]);
    expect(processes).toEqual([
      [0, 'device'],
      [1, 'main'],
    ]);
    for (const e of events) {
      expect([0, 1]).toContain(e.pid);
      expect(['X', 'i', 'C', 'M']).toContain(e.ph);
      expect(Number.isFinite(e.ts)).toBe(true);
    }
    const names = new Set(events.map((e) => `${e.ph}:${e.name}`));
    for (const expected of [
      'X:running', // context and container switches
      'i:context-spawn',
      'i:sync',
      'i:message',
      'i:dac0 out', // driver I/O
      'X:gc',
      'X:sleep',
      'C:heap bytes',
      'C:ready queue',
      'C:wake queue',
    ])
      expect([expected, names.has(expected)]).toEqual([expected, true]);
    const syncs = events.filter((e) => e.name === 'sync');
    // The player's choose has two alternatives (a note or the DAC write).
    expect(syncs.some((e) => e.args?.alternatives === 2)).toBe(true);
    // Threads: one per context of the container.
    const threads = events.filter((e) => e.name === 'thread_name' && e.pid === 1);
    expect(threads.map((e) => String(e.args?.name)).sort()).toEqual([
      'context 0',
      'context 1',
      'runtime',
    ]);
  });

  it('a fault is in the trace (on its context) and in the event log; exit 70', async () => {
    const program = join(dir, 'fault.cam');
    writeFileSync(
      program,
      `main : Int
main = let _ = spawn (\\_ -> let x = 1 / 0 in ()) in 0
`,
    );
    const io = new BufferIO();
    const traceFile = join(dir, 'fault-trace.json');
    const eventsFile = join(dir, 'fault-events.jsonl');
    const code = await main(
      ['run', program, '--for', '10ms', '--trace', traceFile, '--events', eventsFile],
      io,
    );
    expect(code).toBe(70);
    expect(io.stderr).toContain('division by zero');
    const faults = parseTrace(readFileSync(traceFile, 'utf8')).filter((e) => e.name === 'fault');
    expect(faults).toHaveLength(1);
    expect(faults[0]!.tid).toBe(2); // context 1
    expect(faults[0]!.args?.cause).toBe('division by zero');
    expect(readFileSync(eventsFile, 'utf8')).toMatch(/"dir":"fault"/);
    expect(io.stderr).toMatch(/main\s.*\s1\n/); // the summary counts the fault
  });

  it('stdout carries only the program output; --quiet drops the summary', async () => {
    const io = new BufferIO();
    const code = await main(['run', 'examples/bytecode/five-plus-five.svm', '--for', '1s'], io);
    expect(code).toBe(0);
    expect(io.stdout).toBe('10\n');
    expect(io.stderr).toMatch(/^run: .* \(all contexts ended\)/);
    const quiet = new BufferIO();
    await main(['run', 'examples/bytecode/five-plus-five.svm', '--for', '1s', '--quiet'], quiet);
    expect(quiet.stdout).toBe('10\n');
    expect(quiet.stderr).toBe('');
    // Without any device option a run prints no summary either (a computation, not a device).
    const plain = new BufferIO();
    await main(['run', 'examples/bytecode/five-plus-five.svm'], plain);
    expect(plain.stderr).toBe('');
  });

  it('bad options are usage errors (64); an unwritable trace is an I/O error (74)', async () => {
    const io = new BufferIO();
    expect(await main(['run', 'examples/blinky/blinky.cam', '--platform', 'fpga'], io)).toBe(64);
    expect(io.stderr).toContain('--platform must be sim or node');
    expect(await main(['run', 'examples/blinky/blinky.cam', '--for', 'soon'], io)).toBe(64);
    expect(
      await main(['run', 'examples/blinky/blinky.cam', '--peripherals', 'led9', '--for', '1s'], io),
    ).toBe(64);
    expect(
      await main(
        [
          'run',
          'examples/blinky/blinky.cam',
          '--for',
          '1s',
          '--trace',
          join(dir, 'no/such/t.json'),
        ],
        io,
      ),
    ).toBe(74);
  });

  it('--board takes a board file: a slower CPU makes the program slower in device time', async () => {
    const boards = new BufferIO();
    expect(await main(['boards', '--board', 'stm32f4-discovery', '--json'], boards)).toBe(0);
    const board = JSON.parse(boards.stdout) as { name: string; cpu: { clockHz: number } };
    board.name = 'slow-discovery';
    board.cpu.clockHz = 1_000_000;
    const boardFile = join(dir, 'slow-board.json');
    writeFileSync(boardFile, JSON.stringify(board));
    const presses = ['--stimulus', 'examples/button-blinky/presses.json', '--for', '2s'];
    const fast = await runExample('button-blinky/button-blinky.cam', presses);
    const slow = await runExample('button-blinky/button-blinky.cam', [
      ...presses,
      '--board',
      boardFile,
    ]);
    expect(slow.code).toBe(0);
    expect(slow.stderr).toContain('of device time on slow-discovery');
    const latency = (r: typeof fast) => {
      const led = outputs(r, 'led0');
      const button = r.events.filter((e) => e.device === 'button0' && e.dir === 'in');
      return led.map(([t], i) => t - button[i]!.t);
    };
    // The same instructions between the press and the write: under a µs at 168 MHz, about a
    // hundred µs at 1 MHz.
    for (const l of latency(fast)) expect(l).toBeLessThan(2);
    for (const l of latency(slow)) expect(l).toBeGreaterThan(50);
  });

  it("the README's quick start runs an example on the simulated board", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    // Two commands on a fresh machine: `npm ci && npx sensevm run …` and `npm test`.
    const lines = quickStart.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('npm test');
    const commands = lines[0]!
      .split('&&')
      .map((c) => c.trim())
      .filter((c) => c.startsWith('npx sensevm '));
    expect(commands[0]).toMatch(/^npx sensevm run examples\/.*\.cam/);
    // Run it in-process, with the --events file put in a temporary directory.
    const args = commands[0]!.split(/\s+/).slice(2);
    const events = args.indexOf('--events');
    if (events >= 0) args[events + 1] = join(dir, 'quick-start.jsonl');
    const io = new BufferIO();
    expect(await main(args, io)).toBe(0);
    expect(io.stderr).toMatch(/^run: 3\.000s of device time/);
    if (events >= 0)
      expect(readFileSync(join(dir, 'quick-start.jsonl'), 'utf8')).toContain('"device":"led0"');
  });

  it('--for ends a program that never waits on time: no output after the end', async () => {
    // A busy loop writing led0 on every turn: the run loop must not overshoot --for by a step
    // of tens of thousands of instructions (milliseconds of device time).
    const source = `loop : Channel Int -> Int -> ()
loop led n = let _ = sync (send led (n % 2)) in loop led (n + 1)
main = let led = channel () in
       let _ = spawnExternal led 1 in
       loop led 0`;
    const file = join(dir, 'busy-led.cam');
    writeFileSync(file, source);
    const events = join(dir, 'busy-led.jsonl');
    const io = new BufferIO();
    expect(await main(['run', file, '--for', '20ms', '--events', events], io)).toBe(0);
    const times = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { t: number }).t);
    expect(times.length).toBeGreaterThan(1000);
    // A send begun at exactly the end (inclusive) completes within its own cost: device time
    // ends at 20.001 ms (the summary below), so an output may carry t = 20001, never later.
    expect(Math.max(...times)).toBeLessThanOrEqual(20_001);
    expect(Math.max(...times)).toBeGreaterThan(19_900);
    expect(io.stderr).toMatch(/^run: 20\.00\dms of device time/);
  });

  it('progress: device time reached on stderr (TTY only), never on stdout', async () => {
    // Not a TTY (BufferIO): no progress line, however long the run.
    const plain = await runExample('blinky/blinky.cam', ['--for', '600s']);
    expect(plain.stderr).not.toContain('\r');
    expect(plain.stderr).toMatch(/^run: 600\.000s of device time/);
    // A TTY: the CLI asks for progress; with no delay every step and sleep shows device time.
    const source = readFileSync('examples/blinky/blinky.cam', 'utf8');
    const program = compile(source, 'blinky.cam').program!;
    const io = new BufferIO();
    Object.defineProperty(io, 'stderrIsTTY', { value: true });
    const machine = new Machine(program, DEFAULT_CONTAINER_CONFIG, { profile: true });
    const run = runDeviceSync(
      machine,
      { forMicros: 5_000_000, progress: { delayMs: 0, everyMs: 0 }, summary: true },
      io,
    );
    expect(run.exitCode).toBe(0);
    expect(io.stdout).toBe('');
    const clearLine = '\r\u001b[K';
    const shown = io.stderr
      .split(clearLine)
      .map((part) => /^sensevm run: device time ([\d.]+)s$/.exec(part)?.[1])
      .filter((t) => t !== undefined)
      .map(Number);
    expect(shown.length).toBeGreaterThanOrEqual(10);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(shown.at(-1)).toBeGreaterThanOrEqual(4.5);
    // The progress line is cleared before the summary.
    expect(io.stderr).toContain(`${clearLine}run: 5.000s of device time`);
  });
});
