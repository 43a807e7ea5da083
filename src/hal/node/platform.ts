/**
 * The real-time platform (`--platform node`): wall-clock time, real sleeping, and the terminal
 * as the board — LEDs and other outputs on a status line on stderr, keys pressing buttons, UART
 * on stdin/stdout (key map in terminal.ts). The terminal is restored on close, on exit and on
 * Ctrl-C.
 */
import pc from 'picocolors';
import type { Board } from '../boards/schema.js';
import type { Clock, Power, PowerState, WakeReason } from '../clock.js';
import { Button, Sensor, Uart } from '../devices.js';
import { PlatformBase, type Platform, type PlatformOptions } from '../platform.js';
import type { Stimulus } from '../sim/stimulus.js';
import { keyAction, renderStatusLine, type Colors } from './terminal.js';

/** A button pressed by a key is released after this long (wall time). */
const CLICK_MS = 200;
/** Redraw the status line at most this often. */
const REDRAW_MS = 40;

export interface TerminalPorts {
  readonly stdin: NodeJS.ReadStream;
  readonly writeErr: (text: string) => void;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}

export interface NodePlatformOptions extends PlatformOptions {
  readonly stimulus?: Stimulus;
  readonly ports?: TerminalPorts;
  /** Called after the terminal is restored when the user quits (Ctrl-C); default: exit 130. */
  readonly onQuit?: () => void;
  /** Draw the status line (default: when stderr is a terminal). */
  readonly statusLine?: boolean;
}

class WallClock implements Clock {
  private readonly start = performance.now();
  private alarm: { at: number; timer: { cancel(): void } } | undefined;

  constructor(private readonly onFire: () => void) {}

  now(): number {
    return Math.floor((performance.now() - this.start) * 1000);
  }
  advanceCycles(): void {}
  advance(): void {}
  setAlarm(atMicros: number, onAlarm: (at: number) => void): void {
    this.cancelAlarm();
    const alarm = {
      at: atMicros,
      timer: afterMicros(this, atMicros, () => {
        if (this.alarm !== alarm) return;
        this.alarm = undefined;
        onAlarm(atMicros);
        this.onFire();
      }),
    };
    this.alarm = alarm;
  }
  cancelAlarm(): void {
    this.alarm?.timer.cancel();
    this.alarm = undefined;
  }
  alarmAt(): number | undefined {
    return this.alarm?.at;
  }
}

/**
 * Runs `action` once `clock.now() >= atMicros`. Node timers have millisecond granularity and may
 * fire a little early against `performance.now()`; re-arming for the rest keeps wake-ups from
 * ever being early (a blinker must not drift ahead).
 */
function afterMicros(clock: Clock, atMicros: number, action: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const remaining = atMicros - clock.now();
    if (remaining <= 0) return action();
    timer = setTimeout(arm, remaining / 1000);
  };
  const remaining = atMicros - clock.now();
  timer = setTimeout(arm, Math.max(0, remaining / 1000));
  return { cancel: () => clearTimeout(timer) };
}

export class NodePlatform extends PlatformBase implements Platform, Power {
  readonly kind = 'node';
  readonly clock: WallClock;
  private asleepMicros = 0;
  private wake: ((reason: WakeReason) => void) | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ports: TerminalPorts;
  private readonly colors: Colors = pc.createColors(true);
  private readonly drawStatus: boolean;
  private uartMode = false;
  private rawMode = false;
  private closed = false;
  private lastDraw = 0;
  private redrawTimer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: Buffer | string): void => this.input(chunk);
  private readonly onExit = (): void => this.restoreTerminal();
  private readonly onSignal = (): void => this.quit();
  private readonly onQuit: (() => void) | undefined;

  constructor(board: Board, options: NodePlatformOptions = {}) {
    super(board, options);
    this.clock = new WallClock(() => this.resolveWake('alarm'));
    this.ports = options.ports ?? {
      stdin: process.stdin,
      writeErr: (t) => void process.stderr.write(t),
      stdinIsTTY: process.stdin.isTTY === true,
      stderrIsTTY: process.stderr.isTTY === true,
    };
    this.drawStatus = options.statusLine ?? this.ports.stderrIsTTY;
    this.onQuit = options.onQuit;
    this.applyStimulus(options.stimulus);
    this.attachTerminal();
    if (this.drawStatus) {
      this.events.subscribe(() => this.requestRedraw());
      const tick = setInterval(() => this.requestRedraw(), 100);
      tick.unref();
      this.timers.add(tick);
      this.ports.writeErr('\x1b[?25l'); // hide the cursor while the status line runs
      this.redraw();
    }
  }

  get power(): Power {
    return this;
  }

  now(): number {
    return this.clock.now();
  }

  sleep(untilMicros?: number): Promise<WakeReason> {
    if (this.interruptPending) {
      this.interruptPending = false;
      return Promise.resolve('interrupt');
    }
    const start = this.now();
    return new Promise<WakeReason>((resolve) => {
      let timer: { cancel(): void } | undefined;
      this.wake = (reason) => {
        timer?.cancel();
        this.wake = undefined;
        this.asleepMicros += this.now() - start;
        if (reason === 'interrupt') this.interruptPending = false;
        resolve(reason);
      };
      if (untilMicros !== undefined) {
        timer = afterMicros(this.clock, untilMicros, () => this.resolveWake('time'));
      }
    });
  }

  timeInState(): Readonly<Record<PowerState, number>> {
    return { active: this.now() - this.asleepMicros, sleep: this.asleepMicros };
  }

  protected override onInterrupt(): void {
    this.resolveWake('interrupt');
  }

  private resolveWake(reason: WakeReason): void {
    this.wake?.(reason);
  }

  override uartOut(device: string, byte: number): void {
    // Keep the status line off the program's output when both share the terminal.
    if (this.drawStatus) this.ports.writeErr('\r\x1b[K');
    super.uartOut(device, byte);
    if (this.drawStatus) this.requestRedraw();
  }

  private applyStimulus(stimulus: Stimulus | undefined): void {
    if (!stimulus) return;
    for (const drive of stimulus.drives) {
      const d = this.device(drive.device);
      if (d instanceof Sensor) d.drive(drive.signal);
    }
    for (const input of stimulus.inputs) {
      this.later(input.at / 1000, () => this.deliver(input.device, input.value));
    }
  }

  private deliver(device: string, value: number): void {
    const d = this.device(device);
    if (d instanceof Button) d.press(value);
    else if (d instanceof Uart) d.receive(value);
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private attachTerminal(): void {
    const stdin = this.ports.stdin;
    if (this.ports.stdinIsTTY && typeof stdin.setRawMode === 'function') {
      stdin.setRawMode(true);
      this.rawMode = true;
    }
    stdin.on('data', this.onData);
    stdin.resume();
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** Ctrl-C: restore the terminal, then let the owner stop the run (default: exit 130). */
  private quit(): void {
    this.close();
    if (this.onQuit) this.onQuit();
    else process.exit(130);
  }

  private input(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    if (!this.rawMode) {
      // Piped stdin: its bytes are UART input.
      const uart = this.board.peripherals.find((p) => p.kind === 'uart');
      if (uart) for (const ch of text) this.deliver(uart.name, ch.charCodeAt(0) & 0xff);
      return;
    }
    for (const key of text) {
      const action = keyAction(key, this.board, this.uartMode);
      switch (action.kind) {
        case 'quit':
          this.quit();
          return;
        case 'toggle-uart-mode':
          this.uartMode = !this.uartMode;
          this.requestRedraw();
          break;
        case 'uart':
          this.deliver(action.device, action.byte);
          break;
        case 'press': {
          this.deliver(action.device, 1);
          this.later(CLICK_MS, () => this.deliver(action.device, 0));
          break;
        }
        case 'none':
          break;
      }
    }
  }

  private requestRedraw(): void {
    if (!this.drawStatus || this.closed || this.redrawTimer) return;
    const wait = Math.max(0, this.lastDraw + REDRAW_MS - performance.now());
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.redraw();
    }, wait);
  }

  private redraw(): void {
    if (this.closed) return;
    this.lastDraw = performance.now();
    const line = renderStatusLine({
      board: this.board,
      states: this.devices.map((d) => d.state()),
      timeMicros: this.now(),
      uartMode: this.uartMode,
      colors: this.colors,
    });
    this.ports.writeErr(`\r${line}\x1b[K`);
  }

  private restoreTerminal(): void {
    if (this.drawStatus && !this.closed) this.ports.writeErr('\x1b[?25h');
    if (this.rawMode) {
      try {
        this.ports.stdin.setRawMode(false);
      } catch {
        // stdin already closed: nothing to restore
      }
      this.rawMode = false;
    }
  }

  close(): void {
    if (this.closed) return;
    if (this.drawStatus) this.redraw();
    this.closed = true;
    this.clock.cancelAlarm();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.ports.stdin.off('data', this.onData);
    this.ports.stdin.pause();
    this.restoreTerminal();
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    if (this.drawStatus) this.ports.writeErr('\n\x1b[?25h'); // keep the last status, show cursor
    this.resolveWake('nothing-to-wait-for');
  }
}
