/**
 * Every example in examples/ run through `sensevm run` on the simulated board, with its device
 * output checked in device time. Tolerances are the program's own instruction time (tens of
 * µs at 168 MHz), never wall-clock time.
 */
import { describe, expect, it } from 'vitest';
import { inputs, outputs, runExample, stimulusInputs } from './run-example.js';

/** Instructions between an input (or a release) and the write it causes take well under this. */
const RESPONSE_US = 100;

describe('examples on the simulated board', () => {
  it('blinky: led0 toggles every 500 ms', async () => {
    const r = await runExample('blinky/blinky.cam', ['--for', '3s', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const led = outputs(r, 'led0');
    expect(led.map(([, v]) => v)).toEqual([1, 0, 1, 0, 1, 0]);
    led.forEach(([t], i) => {
      expect(t).toBeGreaterThanOrEqual((i + 1) * 500_000);
      expect(t).toBeLessThan((i + 1) * 500_000 + RESPONSE_US);
    });
  });

  it('button-blinky: led0 follows every press and release of button0', async () => {
    const r = await runExample('button-blinky/button-blinky.cam', [
      '--for',
      '2s',
      '--stimulus',
      'examples/button-blinky/presses.json',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const presses = stimulusInputs('button-blinky/presses.json');
    expect(presses.filter((p) => p.value === 1)).toHaveLength(3);
    expect(inputs(r, 'button0')).toEqual(presses.map((p) => [p.at, p.value]));
    const led = outputs(r, 'led0');
    expect(led.map(([, v]) => v)).toEqual(presses.map((p) => p.value));
    led.forEach(([t], i) => {
      expect(t).toBeGreaterThanOrEqual(presses[i]!.at);
      expect(t).toBeLessThan(presses[i]!.at + RESPONSE_US);
    });
  });

  it('tripple-press: led0 toggles on every third press', async () => {
    const r = await runExample('tripple-press/tripple-press.cam', [
      '--for',
      '2s',
      '--stimulus',
      'examples/tripple-press/presses.json',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const pressTimes = stimulusInputs('tripple-press/presses.json')
      .filter((p) => p.value === 1)
      .map((p) => p.at);
    expect(pressTimes).toHaveLength(7);
    const led = outputs(r, 'led0');
    // Presses 3 and 6 toggle the LED: on, then off; press 7 starts a new count.
    expect(led.map(([, v]) => v)).toEqual([1, 0]);
    [pressTimes[2]!, pressTimes[5]!].forEach((at, i) => {
      expect(led[i]![0]).toBeGreaterThanOrEqual(at);
      expect(led[i]![0]).toBeLessThan(at + RESPONSE_US);
    });
  });

  it('four buttons → four LEDs through one choose (nrf52840-dk)', async () => {
    const r = await runExample('four-buttons/four-buttons.cam', [
      '--board',
      'nrf52840-dk',
      '--for',
      '1s',
      '--stimulus',
      'examples/four-buttons/presses.json',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const presses = stimulusInputs('four-buttons/presses.json');
    for (let i = 0; i < 4; i++) {
      const mine = presses.filter((p) => p.device === `button${i}`);
      const led = outputs(r, `led${i}`);
      expect(mine.length).toBeGreaterThan(0);
      expect(led.map(([, v]) => v)).toEqual(mine.map((p) => p.value));
      led.forEach(([t], k) => {
        expect(t).toBeGreaterThanOrEqual(mine[k]!.at);
        expect(t).toBeLessThan(mine[k]!.at + RESPONSE_US);
      });
    }
  });

  it('--peripherals renumbers the drivers: blinky drives led2 as driver 1', async () => {
    const r = await runExample('blinky/blinky.cam', [
      '--peripherals',
      'button0,led2',
      '--for',
      '1s',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(outputs(r, 'led0')).toEqual([]);
    expect(outputs(r, 'led2').map(([, v]) => v)).toEqual([1, 0]);
  });

  it('twinkle: the DAC plays the melody as a square wave, one note per 250 ms', async () => {
    const r = await runExample('twinkle/twinkle.cam', ['--for', '4s', '--quiet'], {
      trace: true,
    });
    expect(r.code).toBe(0);
    const dac = outputs(r, 'dac0');
    // A square wave: full scale and zero, alternating between notes.
    expect(new Set(dac.map(([, v]) => v))).toEqual(new Set([0, 4095]));
    // Half periods (µs) of C C G G A A G F F E E D D C.
    const tune = [1908, 1908, 1276, 1276, 1136, 1136, 1276, 1433, 1433, 1515, 1515, 1701, 1701];
    const halfPeriodOf = (note: number) => tune[note % 14] ?? 1908;
    for (let note = 0; note < 16; note++) {
      // Inside each note's 250 ms (away from the hand-over) the writes are one half period apart.
      const from = note * 250_000 + 5_000;
      const to = (note + 1) * 250_000 - 5_000;
      const times = dac.map(([t]) => t).filter((t) => t >= from && t <= to);
      const gaps = new Set(times.slice(1).map((t, i) => t - times[i]!));
      expect([note, [...gaps]]).toEqual([note, [halfPeriodOf(note)]]);
    }
    // Two contexts: the trace has the player (context 0) and the sequencer (context 1).
    const trace = JSON.parse(r.traceText) as { traceEvents: { name: string; args?: unknown }[] };
    const threads = trace.traceEvents
      .filter((e) => e.name === 'thread_name')
      .map((e) => (e.args as { name: string }).name);
    expect(threads).toEqual(expect.arrayContaining(['context 0', 'context 1']));
    expect(trace.traceEvents.some((e) => e.name === 'message')).toBe(true);
  });

  it('thermostat: the fan follows the temperature with hysteresis (on > 25 °C, off < 23 °C)', async () => {
    const r = await runExample('thermostat/thermostat.cam', [
      '--for',
      '60s',
      '--stimulus',
      'examples/thermostat/temperature.json',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const readings = inputs(r, 'temp0');
    expect(readings.length).toBeGreaterThanOrEqual(119);
    // The expected fan writes, derived from the readings the program got.
    const expected: [number, number][] = [];
    let on = false;
    for (const [t, value] of readings) {
      if (!on && value > 2500) expected.push([t, 10000]);
      if (on && value < 2300) expected.push([t, 0]);
      if ((!on && value > 2500) || (on && value < 2300)) on = !on;
    }
    const fan = outputs(r, 'pwm0');
    expect(fan.map(([, v]) => v)).toEqual(expected.map(([, v]) => v));
    expect(fan.length).toBeGreaterThanOrEqual(4);
    fan.forEach(([t], i) => {
      expect(t).toBeGreaterThanOrEqual(expected[i]![0]);
      expect(t).toBeLessThan(expected[i]![0] + RESPONSE_US);
    });
    // Hysteresis: between two writes the temperature crossed the whole 23–25 °C band.
    expect(readings.some(([, v]) => v > 2300 && v < 2500)).toBe(true);
  });

  it('UART echo: every byte received comes back on uart0 and on stdout', async () => {
    const r = await runExample('uart-echo/uart-echo.cam', [
      '--for',
      '1s',
      '--stimulus',
      'examples/uart-echo/text.json',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const text = stimulusInputs('uart-echo/text.json')
      .map((e) => String(e.value))
      .join('');
    expect(r.stdout).toBe(text);
    const received = inputs(r, 'uart0');
    const sent = outputs(r, 'uart0');
    expect(String.fromCharCode(...received.map(([, v]) => v))).toBe(text);
    expect(sent.map(([, v]) => v)).toEqual(received.map(([, v]) => v));
    sent.forEach(([t], i) => {
      expect(t).toBeGreaterThanOrEqual(received[i]![0]);
      expect(t).toBeLessThan(received[i]![0] + RESPONSE_US);
    });
  });
});
