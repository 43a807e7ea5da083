import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { defaultBoard } from '../../src/hal/boards/index.js';
import { InterruptQueue } from '../../src/hal/driver.js';
import { NodePlatform } from '../../src/hal/node/platform.js';

function platform(written: string[] = []) {
  const stdin = new PassThrough();
  const p = new NodePlatform(defaultBoard(), {
    ports: {
      stdin: stdin as unknown as NodeJS.ReadStream,
      writeErr: (t) => void written.push(t),
      stdinIsTTY: false,
      stderrIsTTY: false,
    },
    onQuit: () => {},
  });
  return { p, stdin };
}

describe('node platform', () => {
  it('piped stdin is UART input; an interrupt wakes a sleep', async () => {
    const { p, stdin } = platform();
    const q = new InterruptQueue(8);
    p.device('uart0')?.connect(q, 8);
    const woke = p.power.sleep();
    stdin.write('ok');
    expect(await woke).toBe('interrupt');
    expect([q.take()?.value, q.take()?.value]).toEqual([111, 107]);
    p.close();
  });

  it('sleeps until a wall-clock time and the alarm, in real time', async () => {
    const { p } = platform();
    const start = p.clock.now();
    expect(await p.power.sleep(start + 5000)).toBe('time');
    expect(p.clock.now()).toBeGreaterThanOrEqual(start + 5000);
    let fired = -1;
    p.clock.setAlarm(p.clock.now() + 2000, (at) => (fired = at));
    expect(await p.power.sleep()).toBe('alarm');
    expect(fired).toBeGreaterThan(start);
    expect(p.timeInState().sleep).toBeGreaterThan(0);
    p.close();
  });

  it('close() ends a pending sleep and is idempotent', async () => {
    const written: string[] = [];
    const { p } = platform(written);
    const pending = p.power.sleep();
    p.close();
    p.close();
    expect(await pending).toBe('nothing-to-wait-for');
    expect(written).toEqual([]); // no status line without a terminal
  });
});
