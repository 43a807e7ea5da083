/**
 * The state column of a system run's summary says what each container is doing when the run
 * ends (alive, blocked, sleeping until T, stopped), not its lifecycle ("running" for all).
 */
import { describe, expect, it } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';
import { stateColumn } from '../../src/cli/system-command.js';

const status = (state: Parameters<typeof stateColumn>[0]['state'], untilUs?: number) => ({
  name: 'c',
  state,
  restarts: 0,
  ...(untilUs !== undefined ? { untilUs } : {}),
});

describe('summary state column', () => {
  it('names what a container is doing', () => {
    expect(stateColumn(status('running'))).toBe('alive');
    expect(stateColumn(status('runnable'))).toBe('alive');
    expect(stateColumn(status('blocked'))).toBe('blocked');
    expect(stateColumn(status('sleeping', 1_500_000))).toBe('sleeping until 1.5s');
    expect(stateColumn(status('restarting', 2_000))).toBe('restarting at 2ms');
    expect(stateColumn(status('stopped'))).toBe('stopped');
    expect(stateColumn(status('finished'))).toBe('finished');
  });

  it('blocked containers of the example system are shown as blocked', async () => {
    const io = new BufferIO();
    const code = await main(['run', 'examples/system/system.json', '--for', '2s'], io);
    expect(code).toBe(0);
    const row = (name: string) =>
      io.stderr.split('\n').find((l) => l.trimStart().startsWith(`${name} `)) ?? '';
    // control waits for button presses that never come; logger waits for readings.
    expect(row('control')).toMatch(/^\s*control\s+\d+\s+blocked\s/);
    expect(row('logger')).toMatch(/^\s*logger\s+\d+\s+blocked\s/);
    expect(io.stderr).not.toMatch(/^\s*\w+\s+\d+\s+running\s/m);
  });
});
