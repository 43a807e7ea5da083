/**
 * The terminal as the board, as pure functions (tested without a terminal): the status line
 * that shows the devices, and the key map that turns key presses into button presses and UART
 * input.
 *
 * Key map (stdin is a terminal):
 * - a button's key (board `key`, else 1–9 for the buttons in board order): press the button;
 *   it is released 200 ms later (a click). The key pressed again while held keeps it pressed.
 * - Tab: switch between button mode and UART mode. In UART mode every key is a byte received
 *   by the first UART (Enter sends `\n`); Tab switches back.
 * - Ctrl-C or Ctrl-D: quit (the terminal is restored).
 * When stdin is not a terminal, its bytes go to the first UART.
 */
import type { Board } from '../boards/schema.js';
import type { DeviceState } from '../devices.js';

/** The subset of picocolors the status line uses (createColors(false) for plain text). */
export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  white(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  inverse(s: string): string;
}

export type KeyAction =
  | { readonly kind: 'press'; readonly device: string }
  | { readonly kind: 'uart'; readonly device: string; readonly byte: number }
  | { readonly kind: 'toggle-uart-mode' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'none' };

/** Keys that press each button: board `key`s, else 1…9 in board order. */
export function buttonKeys(board: Board): Map<string, string> {
  const keys = new Map<string, string>();
  let n = 0;
  for (const p of board.peripherals) {
    if (p.kind !== 'button') continue;
    n++;
    const key = p.key ?? (n <= 9 ? String(n) : undefined);
    if (key !== undefined && !keys.has(key)) keys.set(key, p.name);
  }
  return keys;
}

export function firstUart(board: Board): string | undefined {
  return board.peripherals.find((p) => p.kind === 'uart')?.name;
}

/** What one key (a character from raw-mode stdin) does. */
export function keyAction(key: string, board: Board, uartMode: boolean): KeyAction {
  if (key === '\u0003' || key === '\u0004') return { kind: 'quit' };
  const uart = firstUart(board);
  if (key === '\t') return uart ? { kind: 'toggle-uart-mode' } : { kind: 'none' };
  if (uartMode && uart) {
    const byte = key === '\r' ? 10 : key.charCodeAt(0);
    return byte < 256 ? { kind: 'uart', device: uart, byte } : { kind: 'none' };
  }
  const button = buttonKeys(board).get(key);
  return button ? { kind: 'press', device: button } : { kind: 'none' };
}

export interface StatusLineInput {
  readonly board: Board;
  readonly states: readonly DeviceState[];
  readonly timeMicros: number;
  readonly uartMode: boolean;
  readonly colors: Colors;
}

const LED_COLOR = {
  red: 'red',
  green: 'green',
  yellow: 'yellow',
  blue: 'blue',
  white: 'white',
} as const;

/** One line (no newline): time, every device, and the key help. */
export function renderStatusLine(input: StatusLineInput): string {
  const { board, states, colors: c } = input;
  const byName = new Map(states.map((s) => [s.name, s]));
  const keys = buttonKeys(board);
  const keyOf = new Map([...keys].map(([k, name]) => [name, k]));
  const parts: string[] = [c.bold(`${(input.timeMicros / 1_000_000).toFixed(3)}s`)];
  for (const p of board.peripherals) {
    const s = byName.get(p.name);
    if (!s) continue;
    switch (p.kind) {
      case 'led': {
        const glyph = s.value ? c[LED_COLOR[p.color]]('●') : c.dim('○');
        parts.push(`${p.name} ${glyph}`);
        break;
      }
      case 'button': {
        const key = keyOf.get(p.name);
        const label = key === undefined ? p.name : `${p.name}[${key}]`;
        parts.push(s.value ? c.inverse(label) : label);
        break;
      }
      case 'dac':
        parts.push(`${p.name} ${String(s.value).padStart(4)}`);
        break;
      case 'pwm':
        parts.push(`${p.name} ${(s.value / 100).toFixed(2).padStart(6)}%`);
        break;
      case 'temperature':
        parts.push(`${p.name} ${(s.value / p.scale).toFixed(2)}°C`);
        break;
      case 'light':
        parts.push(`${p.name} ${(s.value / p.scale).toFixed(0)}lx`);
        break;
      case 'uart':
        if (input.uartMode) parts.push(c.inverse(`${p.name} typing`));
        break;
    }
  }
  const help = firstUart(board)
    ? input.uartMode
      ? 'Tab: buttons  Ctrl-C: quit'
      : 'Tab: type to UART  Ctrl-C: quit'
    : 'Ctrl-C: quit';
  parts.push(c.dim(help));
  return parts.join('  ');
}
