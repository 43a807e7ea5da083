/**
 * The examples (examples/README.md's commands) on both tiers: `sensevm run --tier compiled` and
 * `--tier interpreter` must print the same output and summary and write byte-identical device
 * event logs (--events) and Chrome traces (--trace) — device time follows the board's cost model
 * on both (the compiled tier charges each block's cycles, see src/vm/jit/emit.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const ex = (path: string): string => join(EXAMPLES, path);

/** [name, arguments after `run`] — the README's runs, some shortened. */
const RUNS: [string, string[]][] = [
  ['blinky', [ex('blinky/blinky.cam'), '--for', '3s']],
  [
    'button-blinky',
    [
      ex('button-blinky/button-blinky.cam'),
      '--for',
      '2s',
      '--stimulus',
      ex('button-blinky/presses.json'),
    ],
  ],
  ['twinkle', [ex('twinkle/twinkle.cam'), '--for', '2s']],
  [
    'tripple-press',
    [
      ex('tripple-press/tripple-press.cam'),
      '--for',
      '2s',
      '--stimulus',
      ex('tripple-press/presses.json'),
    ],
  ],
  [
    'four-buttons',
    [
      ex('four-buttons/four-buttons.cam'),
      '--board',
      'nrf52840-dk',
      '--for',
      '1s',
      '--stimulus',
      ex('four-buttons/presses.json'),
    ],
  ],
  [
    'thermostat',
    [
      ex('thermostat/thermostat.cam'),
      '--for',
      '20s',
      '--stimulus',
      ex('thermostat/temperature.json'),
    ],
  ],
  [
    'uart-echo',
    [ex('uart-echo/uart-echo.cam'), '--for', '1s', '--stimulus', ex('uart-echo/text.json')],
  ],
  ['system', [ex('system/system.json'), '--for', '3s', '--stimulus', ex('system/presses.json')]],
];

async function runOn(tier: string, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), `sensevm-tiers-${tier}-`));
  const events = join(dir, 'events.jsonl');
  const trace = join(dir, 'trace.json');
  const io = new BufferIO();
  const code = await main(
    ['run', ...args, '--tier', tier, '--events', events, '--trace', trace],
    io,
  );
  return {
    code,
    stdout: io.stdout,
    stderr: io.stderr,
    events: readFileSync(events, 'utf8'),
    trace: readFileSync(trace, 'utf8'),
  };
}

describe('examples: compiled tier = interpreter, byte for byte', () => {
  for (const [name, args] of RUNS) {
    it(name, async () => {
      const compiled = await runOn('compiled', args);
      const interpreted = await runOn('interpreter', args);
      // Something happened on the device (the comparison is not between two empty logs).
      expect(compiled.events.length + compiled.stdout.length).toBeGreaterThan(0);
      expect(compiled.code).toBe(0);
      expect(compiled).toEqual(interpreted);
    });
  }

  it('a manifest run rejects an unknown tier with exit 64', async () => {
    const io = new BufferIO();
    expect(await main(['run', ex('system/system.json'), '--tier', 'turbo'], io)).toBe(64);
    expect(io.stderr).toMatch(/--tier expects compiled or interpreter, got 'turbo'/);
  });
});
