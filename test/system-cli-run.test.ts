/**
 * `sensevm run system.json` device options: --stimulus drives the manifest's board, --events
 * and --trace write their files, --quiet drops the summary, options that a manifest decides
 * itself are usage errors; the summary shows CPU share against budget, sleep share, energy
 * and the heartbeat records.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../src/cli/main.js';

const EXAMPLE = new URL('../examples/system/system.json', import.meta.url).pathname;
const PRESSES = new URL('../examples/system/presses.json', import.meta.url).pathname;

async function sensevm(...argv: string[]): Promise<{ code: number; io: BufferIO }> {
  const io = new BufferIO();
  const code = await main(argv, io);
  return { code, io };
}

describe('sensevm run system.json: device options', () => {
  it('--stimulus presses the button of the controller; --events and --trace write their files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensevm-system-run-'));
    const events = join(dir, 'events.jsonl');
    const trace = join(dir, 'trace.json');
    const { code, io } = await sensevm(
      'run',
      EXAMPLE,
      '--for',
      '3s',
      '--stimulus',
      PRESSES,
      '--events',
      events,
      '--trace',
      trace,
    );
    expect(code).toBe(0);
    expect(io.stdout).toBe('1'.repeat(29));
    const lines = readFileSync(events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; device: string; dir: string; value: number });
    const presses = JSON.parse(readFileSync(PRESSES, 'utf8')) as { value: number }[];
    const led = lines.filter((e) => e.device === 'led0' && e.dir === 'out');
    // Every edge reaches the LED with its level, within the controller's 1 ms deadline.
    expect(led.map((e) => e.value)).toEqual(presses.map((p) => p.value));
    const buttons = lines.filter((e) => e.device === 'button0' && e.dir === 'in');
    expect(buttons).toHaveLength(presses.length);
    led.forEach((e, i) => expect(e.t - buttons[i]!.t).toBeLessThan(1000));
    const chrome = JSON.parse(readFileSync(trace, 'utf8')) as {
      traceEvents: { name: string; args?: { name?: string } }[];
    };
    const processes = chrome.traceEvents
      .filter((e) => e.name === 'process_name')
      .map((e) => e.args?.name);
    expect(processes).toEqual(expect.arrayContaining(['control', 'sensor', 'logger']));
    expect(chrome.traceEvents.some((e) => /restart/.test(JSON.stringify(e)))).toBe(true);
  });

  it('the summary shows share against budget, sleep share, energy and every heartbeat', async () => {
    const { io } = await sensevm('run', EXAMPLE, '--for', '3s');
    expect(io.stderr).toMatch(
      /container +crit +state +cpu +share +budget +max slice +instructions +gc +worst gc +messages +misses +restarts +faults\n/,
    );
    // The logger ran 1 000+ instructions over its 5 restarts, missed no deadline.
    expect(io.stderr).toMatch(
      /logger +1 +blocked +\d+us +[\d.]+% +5% +[\d.]+us +\d{4,} +\d+ +\S+ +\d+ +0 +5 +5\n/,
    );
    expect(io.stderr).toMatch(/asleep 99\.\d\d% .* energy [\d.]+ mJ/);
    for (const n of [1, 2, 3])
      expect(io.stderr).toMatch(
        new RegExp(
          `heartbeat ${n} at ${n}s: control blocked, sensor sleeping until ${n}s, logger \\w+ \\(\\d+ restarts?\\)`,
        ),
      );
  });

  it('--quiet leaves the summary out', async () => {
    const { code, io } = await sensevm('run', EXAMPLE, '--for', '1s', '--quiet');
    expect(code).toBe(0);
    expect(io.stdout).toBe('1'.repeat(9));
    expect(io.stderr).toBe('');
  });

  it('options a manifest decides itself are usage errors (64)', async () => {
    const { code, io } = await sensevm('run', EXAMPLE, '--peripherals', 'led0', '--board', 'x');
    expect(code).toBe(64);
    expect(io.stderr).toContain('--peripherals');
    expect(io.stderr).toContain('--board');
  });

  it('a stimulus naming a device the board lacks is rejected (65)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensevm-system-run-'));
    const bad = join(dir, 'bad.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, JSON.stringify([{ at: '1ms', device: 'button9', value: 1 }]));
    const { code, io } = await sensevm('run', EXAMPLE, '--stimulus', bad);
    expect(code).toBe(65);
    expect(io.stderr).toContain('button9');
  });
});
