import { describe, expect, it } from 'vitest';
import { defaultBoard, validateBoard, type Board } from '../../src/hal/boards/index.js';
import { Button, Dac, Led, Pwm, Sensor, Uart } from '../../src/hal/devices.js';
import { InterruptQueue, type InterruptMessage } from '../../src/hal/driver.js';
import { SimPlatform } from '../../src/hal/sim/platform.js';
import { selectDrivers } from '../../src/hal/platform.js';

function device<T>(p: SimPlatform, name: string, type: abstract new (...a: never[]) => T): T {
  const d = p.device(name);
  if (!(d instanceof type)) throw new Error(`${name} is not a ${type.name}`);
  return d;
}

function boardWithButtons(): Board {
  const b = JSON.parse(JSON.stringify(defaultBoard()));
  b.peripherals = [
    { name: 'both', kind: 'button', mode: 'both' },
    { name: 'down', kind: 'button', mode: 'to-active' },
    { name: 'up', kind: 'button', mode: 'to-inactive' },
    { name: 'dac8', kind: 'dac', bits: 8, safe: 'zero' },
  ];
  const r = validateBoard(b);
  if (!r.ok) throw new Error('bad test board');
  return r.value;
}

describe('InterruptQueue', () => {
  it('is FIFO, bounded, and counts drops', () => {
    const dropped: InterruptMessage[] = [];
    const q = new InterruptQueue(2, (m) => dropped.push(m));
    expect(q.post({ driver: 0, value: 1, timestamp: 10 })).toBe(true);
    expect(q.post({ driver: 1, value: 2, timestamp: 20 })).toBe(true);
    expect(q.post({ driver: 2, value: 3, timestamp: 30 })).toBe(false);
    expect(q.dropped).toBe(1);
    expect(dropped).toEqual([{ driver: 2, value: 3, timestamp: 30 }]);
    expect(q.take()).toEqual({ driver: 0, value: 1, timestamp: 10 });
    expect(q.post({ driver: 3, value: 4, timestamp: 40 })).toBe(true);
    expect([q.take(), q.take(), q.take()]).toEqual([
      { driver: 1, value: 2, timestamp: 20 },
      { driver: 3, value: 4, timestamp: 40 },
      undefined,
    ]);
  });
});

describe('devices', () => {
  it('LED: level is byte 0 ≠ 0; safe state is off', () => {
    const p = new SimPlatform(defaultBoard());
    const led = device(p, 'led0', Led);
    led.claim('main');
    led.write(1);
    expect(led.read()).toBe(1);
    led.write(0x100); // byte 0 is 0
    expect(led.read()).toBe(0);
    led.write(7);
    led.release();
    expect(led.read()).toBe(0);
    expect(led.owner).toBeUndefined();
    expect(p.events.toJsonl()).toBe(
      [
        '{"t":0,"container":"main","device":"led0","dir":"out","value":1}',
        '{"t":0,"container":"main","device":"led0","dir":"out","value":0}',
        '{"t":0,"container":"main","device":"led0","dir":"out","value":1}',
        '{"t":0,"container":"main","device":"led0","dir":"out","value":0,"reason":"safe-state"}',
        '',
      ].join('\n'),
    );
  });

  it('DAC: clamps to 12 bits; safe state mid-scale (or 0 when the board says so)', () => {
    const p = new SimPlatform(defaultBoard());
    const dac = device(p, 'dac0', Dac);
    expect(dac.read()).toBe(2048);
    const written = [4095, 4096, 70000, -1, 1234].map((v) => (dac.write(v), dac.read()));
    expect(written).toEqual([4095, 4095, 4095, 0, 1234]);
    dac.safeState();
    expect(dac.read()).toBe(2048);
    const small = device(new SimPlatform(boardWithButtons()), 'dac8', Dac);
    small.write(300);
    expect(small.read()).toBe(255);
    small.safeState();
    expect(small.read()).toBe(0);
  });

  it('PWM: duty in 1/100 %, clamped to 0…10000, safe state 0', () => {
    const p = new SimPlatform(defaultBoard());
    const pwm = device(p, 'pwm0', Pwm);
    expect([7500, 10001, -5].map((v) => (pwm.write(v), pwm.read()))).toEqual([7500, 10000, 0]);
    pwm.write(5000);
    pwm.release();
    expect(pwm.read()).toBe(0);
    expect(pwm.control('frequency')).toBe(1000);
    expect(pwm.synchronous).toBe(true);
  });

  it('button edge modes: both, to-active, to-inactive', () => {
    const p = new SimPlatform(boardWithButtons());
    const q = new InterruptQueue(16);
    const names = ['both', 'down', 'up'];
    names.forEach((n, i) => device(p, n, Button).connect(q, i));
    for (const level of [1, 1, 0, 1, 0]) for (const n of names) device(p, n, Button).press(level);
    const got: string[] = [];
    for (let m = q.take(); m; m = q.take()) got.push(`${names[m.driver]}:${m.value}`);
    expect(got).toEqual([
      'both:1',
      'down:1',
      'both:0',
      'up:0',
      'both:1',
      'down:1',
      'both:0',
      'up:0',
    ]);
    expect(device(p, 'both', Button).synchronous).toBe(false);
  });

  it('an input with no bound channel or a full queue is logged as a drop', () => {
    const p = new SimPlatform(defaultBoard());
    const b = device(p, 'button0', Button);
    b.press(1);
    b.connect(new InterruptQueue(1), 0);
    b.press(0);
    b.press(1);
    expect(p.events.toJsonl().trim().split('\n')).toEqual([
      '{"t":0,"container":null,"device":"button0","dir":"drop","value":1,"reason":"unbound"}',
      '{"t":0,"container":null,"device":"button0","dir":"in","value":0}',
      '{"t":0,"container":null,"device":"button0","dir":"drop","value":1,"reason":"queue-full"}',
    ]);
  });

  it('UART: writes transmit bytes, received bytes are interrupts', () => {
    const out: number[] = [];
    const p = new SimPlatform(defaultBoard(), { uartOut: (_d, b) => out.push(b) });
    const uart = device(p, 'uart0', Uart);
    for (const v of [72, 0x169]) uart.write(v);
    expect(out).toEqual([72, 0x69]);
    const q = new InterruptQueue(4);
    uart.connect(q, 8);
    uart.receive(0x41);
    uart.receive(0x142);
    expect([q.take()?.value, q.take()?.value]).toEqual([0x41, 0x42]);
    expect(uart.byteMicros()).toBe(87);
  });

  it('sensors read signal × scale at the current time', () => {
    const p = new SimPlatform(defaultBoard());
    const temp = device(p, 'temp0', Sensor);
    expect(temp.read()).toBe(2100); // initial 21 °C in centi-°C
    temp.drive((t) => 20 + t / 1_000_000);
    p.clock.advance(1_500_000);
    expect(temp.read()).toBe(2150);
    expect(device(p, 'light0', Sensor).read()).toBe(300);
  });
});

describe('selectDrivers', () => {
  const p = new SimPlatform(defaultBoard());
  it('defaults to the board order', () => {
    const r = selectDrivers(p);
    expect(r.ok && r.value.map((d) => d.name).slice(0, 3)).toEqual(['button0', 'led0', 'led1']);
  });
  it('follows --peripherals order', () => {
    const r = selectDrivers(p, ['dac0', 'led0']);
    expect(r.ok && r.value.map((d) => d.name)).toEqual(['dac0', 'led0']);
  });
  it('rejects unknown and repeated names', () => {
    const r = selectDrivers(p, ['led0', 'led9', 'led0']);
    expect(r.ok ? [] : r.errors.map((e) => `${e.code} ${e.path}`)).toEqual([
      'E0644 [1]',
      'E0645 [2]',
    ]);
  });
});
