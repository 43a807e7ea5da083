import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BufferIO } from '../../src/cli/main.js';
import {
  loadBoardOption,
  loadStimulusOption,
  parseDurationOption,
  parsePeripheralsOption,
  parsePlatformOption,
} from '../../src/cli/hal-options.js';
import { CliError } from '../../src/cli/io.js';
import { defaultBoard } from '../../src/hal/boards/index.js';
import { chromeTraceJson, toChromeTrace } from '../../src/trace/chrome.js';
import { Trace } from '../../src/trace/trace.js';
import { runCli, scratchDir } from '../helpers/cli.js';

const { dir, file } = scratchDir('sensevm-hal-');

const run = runCli;

function exitOf(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e.exitCode;
    throw e;
  }
  return undefined;
}

describe('sensevm boards', () => {
  it('lists the built-in boards with driver numbers in board order', async () => {
    const r = await run('boards');
    expect(r.code).toBe(0);
    expect(r.out).toContain('stm32f4-discovery (default)');
    expect(r.out).toMatch(/^ +1 {2}led0 +led/m);
    expect(r.out).toContain('nrf52840-dk');
  });

  it('--json prints board files that validate again', async () => {
    const r = await run('boards', '--json');
    const boards = JSON.parse(r.out) as { name: string }[];
    expect(boards.map((b) => b.name)).toEqual(['stm32f4-discovery', 'nrf52840-dk']);
    const saved = file('nrf.json', JSON.stringify(boards[1]));
    const again = await run('boards', '--board', saved, '--json');
    expect(JSON.parse(again.out)).toEqual(boards[1]);
  });

  it('a bad board file exits 65 with path-by-path errors; a missing one exits 74', async () => {
    const bad = file('bad.json', JSON.stringify({ name: 'x', cpu: { clockHz: 'fast' } }));
    const r = await run('boards', '--board', bad);
    expect(r.code).toBe(65);
    expect(r.err).toContain('error[E0641]: cpu.clockHz:');
    expect(r.err).toContain('error[E0641]: memory: missing');
    expect((await run('boards', '--board', join(dir, 'none.json'))).code).toBe(74);
    expect((await run('boards', '--board', 'arduino-uno')).err).toContain('E0642');
  });
});

describe('sensevm trace', () => {
  const t = new Trace(true);
  t.emit({ kind: 'container-switch', t: 0, container: 'main' });
  t.emit({ kind: 'context-switch', t: 0, container: 'main', context: 0 });
  t.emit({
    kind: 'driver-io',
    t: 500_000,
    container: 'main',
    device: 'led0',
    dir: 'out',
    value: 1,
  });
  t.emit({ kind: 'sleep', t: 500_010, until: 1_000_000 });
  const saved = file('trace.json', chromeTraceJson(toChromeTrace(t, { endMicros: 1_000_000 })));

  it('prints the timeline of a saved trace on stdout', async () => {
    const r = await run('trace', saved);
    expect(r.code).toBe(0);
    expect(r.out).toContain('0.500000s  main/runtime');
    expect(r.out).toContain('led0 out  value=1');
    expect(r.out.trim().split('\n')).toHaveLength(4);
    expect((await run('trace', saved, '--limit', '1')).out.trim().split('\n')).toHaveLength(2);
  });

  it('rejects files that are not traces (65) and bad options (64)', async () => {
    const r = await run('trace', file('not.json', '{"hello": 1}'));
    expect(r.code).toBe(65);
    expect(r.err).toContain('error[E0790]');
    expect((await run('trace', saved, '--limit', 'many')).code).toBe(64);
    expect((await run('trace', join(dir, 'missing.json'))).code).toBe(74);
  });
});

describe('platform options', () => {
  const io = new BufferIO();

  it('--board: default, built-in name, file', () => {
    expect(loadBoardOption(io, undefined).name).toBe('stm32f4-discovery');
    expect(loadBoardOption(io, 'nrf52840-dk').cpu.clockHz).toBe(64_000_000);
    expect(exitOf(() => loadBoardOption(io, 'nope'))).toBe(64);
  });

  it('--stimulus reads CSV files relative to the script', () => {
    file('lux.csv', 't,lux\n0,10\n1,20\n');
    const script = file(
      'stim.json',
      JSON.stringify([
        { at: '1ms', device: 'button0', value: 1 },
        { device: 'light0', csv: 'lux.csv', column: 'lux' },
      ]),
    );
    const s = loadStimulusOption(io, script, defaultBoard());
    expect(s.inputs).toEqual([{ at: 1000, device: 'button0', value: 1 }]);
    expect(s.drives[0]?.signal(1_000_000)).toBe(20);
    const bad = file('bad-stim.json', JSON.stringify([{ at: '1ms', device: 'led7', value: 1 }]));
    expect(exitOf(() => loadStimulusOption(io, bad, defaultBoard()))).toBe(65);
  });

  it('--for, --peripherals, --platform', () => {
    expect(parseDurationOption('2s', '--for')).toBe(2_000_000);
    expect(exitOf(() => parseDurationOption('2', '--for'))).toBe(64);
    expect(parsePeripheralsOption('dac0, led0,')).toEqual(['dac0', 'led0']);
    expect([parsePlatformOption(undefined), parsePlatformOption('node')]).toEqual(['sim', 'node']);
    expect(exitOf(() => parsePlatformOption('esp32'))).toBe(64);
  });
});

describe('help of every command', () => {
  it('has a usage line, an example and a description wrapped by commander', async () => {
    for (const cmd of ['run', 'compile', 'check', 'asm', 'disasm', 'verify', 'trace', 'boards']) {
      const r = await run(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.out).toContain(`Usage: sensevm ${cmd}`);
      expect(r.out).toContain(`$ sensevm ${cmd}`);
      // Hand-broken lines wrap at 80 columns into ragged fragments: only the last line of the
      // description paragraph may be short.
      const description = r.out.split('\n\n')[1]!.split('\n');
      for (const line of description.slice(0, -1)) expect(line.length, line).toBeGreaterThan(60);
    }
  });
});
