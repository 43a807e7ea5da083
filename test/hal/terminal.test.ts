import { describe, expect, it } from 'vitest';
import pc from 'picocolors';
import { builtinBoard, defaultBoard, type Board } from '../../src/hal/boards/index.js';
import { buttonKeys, keyAction, renderStatusLine } from '../../src/hal/node/terminal.js';
import type { DeviceState } from '../../src/hal/devices.js';

const plain = pc.createColors(false);
const ansi = pc.createColors(true);

function nrf(): Board {
  const r = builtinBoard('nrf52840-dk');
  if (!r.ok) throw new Error('missing board');
  return r.value;
}

function states(board: Board, values: Record<string, number>): DeviceState[] {
  return board.peripherals.map((p) => ({ name: p.name, kind: p.kind, value: values[p.name] ?? 0 }));
}

describe('terminal board', () => {
  it('renders LEDs as glyphs, buttons with their keys, and analog outputs', () => {
    const board = defaultBoard();
    const line = renderStatusLine({
      board,
      states: states(board, {
        led0: 1,
        button0: 1,
        dac0: 4095,
        pwm0: 7500,
        temp0: 2150,
        light0: 300,
      }),
      timeMicros: 1_500_000,
      uartMode: false,
      colors: plain,
    });
    expect(line).toBe(
      '1.500s  button0[1]  led0 ●  led1 ○  led2 ○  led3 ○  dac0 4095  dac1    0  pwm0  75.00%' +
        '  temp0 21.50°C  light0 300lx  Tab: type to UART  Ctrl-C: quit',
    );
  });

  it('colours a lit LED in its board colour and shows a pressed button inverted', () => {
    const board = defaultBoard();
    const line = renderStatusLine({
      board,
      states: states(board, { led0: 1, led3: 1, button0: 1 }),
      timeMicros: 0,
      uartMode: false,
      colors: ansi,
    });
    expect(line).toContain(`led0 ${ansi.yellow('●')}`);
    expect(line).toContain(`led3 ${ansi.blue('●')}`);
    expect(line).toContain(`led1 ${ansi.dim('○')}`);
    expect(line).toContain(ansi.inverse('button0[1]'));
  });

  it('maps keys 1–4 to the buttons of the nRF52840 DK', () => {
    const board = nrf();
    expect([...buttonKeys(board)]).toEqual([
      ['1', 'button0'],
      ['2', 'button1'],
      ['3', 'button2'],
      ['4', 'button3'],
    ]);
    expect(keyAction('3', board, false)).toEqual({ kind: 'press', device: 'button2' });
    expect(keyAction('x', board, false)).toEqual({ kind: 'none' });
    expect(keyAction('\u0003', board, false)).toEqual({ kind: 'quit' });
  });

  it('Tab switches keys to the UART; Enter sends a newline', () => {
    const board = nrf();
    expect(keyAction('\t', board, false)).toEqual({ kind: 'toggle-uart-mode' });
    expect(keyAction('1', board, true)).toEqual({ kind: 'uart', device: 'uart0', byte: 49 });
    expect(keyAction('\r', board, true)).toEqual({ kind: 'uart', device: 'uart0', byte: 10 });
    expect(keyAction('\u0004', board, true)).toEqual({ kind: 'quit' });
  });
});
