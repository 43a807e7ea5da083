/**
 * The simulated peripherals, shared by every platform: the sim platform feeds them from a
 * stimulus script in virtual time, the node platform from the keyboard in wall time. Each
 * device reports its outputs and delivered inputs to the platform (`DeviceHost`), which writes
 * the event log and the trace.
 *
 * Data conventions (reference §4.7, values are CamIoT Ints):
 * - LED:    write v → level (v & 0xFF) ≠ 0; read → level.              safe state: off
 * - button: interrupt with the new level (1 = pressed) on the edges its mode selects;
 *           read → level.                                            safe state: disconnected
 * - DAC:    write v → code clamped to 0 … 2^bits − 1 (4095 for 12 bits; SynchronVM masks the
 *           low 16 bits, we clamp so −1 does not become full scale); read → code.
 *                                                                    safe state: mid (2^(bits−1))
 *                                                                    or 0, per board (`safe`)
 * - PWM:    write v → duty in 1/100 % clamped to 0 … 10000; read → duty. safe state: 0
 * - UART:   write v → transmits byte v & 0xFF; each received byte is an interrupt with the
 *           byte as value.                                           safe state: disconnected
 * - temperature / light: read → round(signal(now) × scale), e.g. centi-°C, lux.
 */
import type { DeviceEvent } from './events.js';
import type { DeviceKind, Driver, InputMode, InterruptSink } from './driver.js';
import type { Peripheral, PeripheralOf } from './boards/schema.js';

/** What a device needs from its platform. */
export interface DeviceHost {
  now(): number;
  record(event: DeviceEvent): void;
  /** An interrupt message was accepted by a sink: a sleeping platform wakes up. */
  interrupted(): void;
  /** A byte a UART transmitted (the CLI prints it on stdout). */
  uartOut(device: string, byte: number): void;
}

/** A device's visible state, for the terminal board and tests. */
export interface DeviceState {
  readonly name: string;
  readonly kind: DeviceKind;
  readonly value: number;
}

export abstract class Device implements Driver {
  abstract readonly kind: DeviceKind;
  abstract readonly input: InputMode;
  abstract readonly output: boolean;
  owner: string | undefined;
  private sink: InterruptSink | undefined;
  private driverNumber = -1;

  constructor(
    readonly name: string,
    protected readonly host: DeviceHost,
  ) {}

  get synchronous(): boolean {
    return this.input !== 'interrupt';
  }
  readable(): boolean {
    return this.input === 'poll';
  }
  writable(): boolean {
    return this.output;
  }
  read(): number {
    return 0;
  }
  write(_value: number): boolean {
    return false;
  }
  control(_request: string, _argument?: number): number | undefined {
    return undefined;
  }
  abstract safeState(): void;
  abstract state(): DeviceState;

  connect(sink: InterruptSink, driverNumber: number): void {
    this.sink = sink;
    this.driverNumber = driverNumber;
  }
  disconnect(): void {
    this.sink = undefined;
    this.driverNumber = -1;
  }
  claim(container: string): void {
    this.owner = container;
  }
  release(): void {
    this.safeState();
    this.disconnect();
    this.owner = undefined;
  }

  protected emit(dir: DeviceEvent['dir'], value: number, reason?: string): void {
    const event: DeviceEvent = {
      t: this.host.now(),
      container: this.owner ?? null,
      device: this.name,
      dir,
      value,
      ...(reason === undefined ? {} : { reason }),
    };
    this.host.record(event);
  }

  /** Posts an interrupt for an input that happened now; logs it as delivered or dropped. */
  protected interrupt(value: number): void {
    if (!this.sink) {
      this.emit('drop', value, 'unbound');
      return;
    }
    if (this.sink.post({ driver: this.driverNumber, value, timestamp: this.host.now() })) {
      this.emit('in', value);
      this.host.interrupted();
    } else {
      this.emit('drop', value, 'queue-full');
    }
  }
}

export class Led extends Device {
  readonly kind = 'led';
  readonly input = 'poll';
  readonly output = true;
  private level = 0;
  constructor(
    readonly config: PeripheralOf<'led'>,
    host: DeviceHost,
  ) {
    super(config.name, host);
  }
  override read(): number {
    return this.level;
  }
  override write(value: number): boolean {
    this.level = (value & 0xff) !== 0 ? 1 : 0;
    this.emit('out', this.level);
    return true;
  }
  safeState(): void {
    this.level = 0;
    this.emit('out', 0, 'safe-state');
  }
  state(): DeviceState {
    return { name: this.name, kind: this.kind, value: this.level };
  }
}

export class Button extends Device {
  readonly kind = 'button';
  readonly input = 'interrupt';
  readonly output = false;
  private level = 0;
  constructor(
    readonly config: PeripheralOf<'button'>,
    host: DeviceHost,
  ) {
    super(config.name, host);
  }
  override readable(): boolean {
    return true;
  }
  override read(): number {
    return this.level;
  }
  /** The pin goes to `level` (non-zero = pressed). An edge the mode selects interrupts. */
  press(level: number): void {
    const next = level !== 0 ? 1 : 0;
    if (next === this.level) return;
    this.level = next;
    const mode = this.config.mode;
    if (mode === 'both' || (mode === 'to-active') === (next === 1)) this.interrupt(next);
  }
  override control(request: string): number | undefined {
    return request === 'level' ? this.level : undefined;
  }
  safeState(): void {
    this.disconnect();
  }
  state(): DeviceState {
    return { name: this.name, kind: this.kind, value: this.level };
  }
}

export class Dac extends Device {
  readonly kind = 'dac';
  readonly input = 'poll';
  readonly output = true;
  private code: number;
  readonly maxCode: number;
  constructor(
    readonly config: PeripheralOf<'dac'>,
    host: DeviceHost,
  ) {
    super(config.name, host);
    this.maxCode = 2 ** config.bits - 1;
    this.code = this.safeCode();
  }
  private safeCode(): number {
    return this.config.safe === 'mid' ? 2 ** (this.config.bits - 1) : 0;
  }
  override read(): number {
    return this.code;
  }
  override write(value: number): boolean {
    this.code = Math.min(this.maxCode, Math.max(0, Math.trunc(value)));
    this.emit('out', this.code);
    return true;
  }
  override control(request: string): number | undefined {
    return request === 'bits' ? this.config.bits : undefined;
  }
  safeState(): void {
    this.code = this.safeCode();
    this.emit('out', this.code, 'safe-state');
  }
  state(): DeviceState {
    return { name: this.name, kind: this.kind, value: this.code };
  }
}

/** Duty cycle unit: 1/100 % (10000 = always on), as SynchronVM's PWM driver. */
export const PWM_FULL_DUTY = 10_000;

export class Pwm extends Device {
  readonly kind = 'pwm';
  readonly input = 'poll';
  readonly output = true;
  private duty = 0;
  constructor(
    readonly config: PeripheralOf<'pwm'>,
    host: DeviceHost,
  ) {
    super(config.name, host);
  }
  override read(): number {
    return this.duty;
  }
  override write(value: number): boolean {
    this.duty = Math.min(PWM_FULL_DUTY, Math.max(0, Math.trunc(value)));
    this.emit('out', this.duty);
    return true;
  }
  override control(request: string): number | undefined {
    return request === 'frequency' ? this.config.frequencyHz : undefined;
  }
  safeState(): void {
    this.duty = 0;
    this.emit('out', 0, 'safe-state');
  }
  state(): DeviceState {
    return { name: this.name, kind: this.kind, value: this.duty };
  }
}

export class Uart extends Device {
  readonly kind = 'uart';
  readonly input = 'interrupt';
  readonly output = true;
  private lastByte = -1;
  /** Bytes transmitted so far. */
  transmitted = 0;
  constructor(
    readonly config: PeripheralOf<'uart'>,
    host: DeviceHost,
  ) {
    super(config.name, host);
  }
  /** µs one byte takes on the wire (8N1: 10 bits), rounded up to a whole µs. */
  byteMicros(): number {
    return Math.ceil(10_000_000 / this.config.baud);
  }
  override write(value: number): boolean {
    const byte = value & 0xff;
    this.lastByte = byte;
    this.transmitted++;
    this.emit('out', byte);
    this.host.uartOut(this.name, byte);
    return true;
  }
  /** A byte arrived on the receive line. */
  receive(byte: number): void {
    this.interrupt(byte & 0xff);
  }
  override control(request: string): number | undefined {
    return request === 'baud' ? this.config.baud : undefined;
  }
  safeState(): void {
    this.disconnect();
  }
  state(): DeviceState {
    return { name: this.name, kind: this.kind, value: this.lastByte };
  }
}

/** A value as a function of device time (µs), in the sensor's physical unit. */
export type Signal = (micros: number) => number;

export class Sensor extends Device {
  readonly input = 'poll';
  readonly output = false;
  private signal: Signal;
  private lastReading: number;
  constructor(
    readonly config: PeripheralOf<'temperature'> | PeripheralOf<'light'>,
    host: DeviceHost,
  ) {
    super(config.name, host);
    const initial = config.initial;
    this.signal = () => initial;
    this.lastReading = Math.round(initial * config.scale);
  }
  get kind(): DeviceKind {
    return this.config.kind;
  }
  drive(signal: Signal): void {
    this.signal = signal;
  }
  /** The physical value now, without logging a read. */
  sample(): number {
    return this.signal(this.host.now());
  }
  override read(): number {
    const raw = Math.round(this.sample() * this.config.scale);
    // Keep the value an Int32, whatever the signal does.
    this.lastReading = Number.isFinite(raw) ? Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, raw)) : 0;
    this.emit('in', this.lastReading);
    return this.lastReading;
  }
  override control(request: string): number | undefined {
    return request === 'scale' ? this.config.scale : undefined;
  }
  safeState(): void {
    this.disconnect();
  }
  state(): DeviceState {
    return { name: this.name, kind: this.kind, value: this.lastReading };
  }
}

export function createDevice(peripheral: Peripheral, host: DeviceHost): Device {
  switch (peripheral.kind) {
    case 'led':
      return new Led(peripheral, host);
    case 'button':
      return new Button(peripheral, host);
    case 'dac':
      return new Dac(peripheral, host);
    case 'pwm':
      return new Pwm(peripheral, host);
    case 'uart':
      return new Uart(peripheral, host);
    case 'temperature':
    case 'light':
      return new Sensor(peripheral, host);
  }
}
