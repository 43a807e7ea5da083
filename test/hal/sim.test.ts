import { describe, expect, it } from 'vitest';
import { defaultBoard } from '../../src/hal/boards/index.js';
import { InterruptQueue } from '../../src/hal/driver.js';
import { Button, Led, Sensor } from '../../src/hal/devices.js';
import { VirtualClock } from '../../src/hal/sim/clock.js';
import { SimPlatform } from '../../src/hal/sim/platform.js';
import { parseStimulus, type CsvReader, type Stimulus } from '../../src/hal/sim/stimulus.js';

const noCsv: CsvReader = () => ({ error: 'no files in this test' });

function stimulus(entries: unknown, readCsv: CsvReader = noCsv): Stimulus {
  const r = parseStimulus(JSON.stringify(entries), defaultBoard(), readCsv);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

describe('VirtualClock', () => {
  it('advances by cycles at the clock rate, keeping fractions of a µs', () => {
    const c = new VirtualClock(168_000_000);
    c.advanceCycles(100);
    expect(c.now()).toBe(0);
    c.advanceCycles(68);
    expect(c.now()).toBe(1);
    for (let i = 0; i < 168; i++) c.advanceCycles(1000);
    expect(c.now()).toBe(1001);
  });

  it('fires agenda items and the alarm at exactly their time, items first on ties', () => {
    const c = new VirtualClock(1_000_000);
    const fired: string[] = [];
    c.schedule(300, () => fired.push(`b@${c.now()}`));
    c.schedule(100, () => fired.push(`a@${c.now()}`));
    c.schedule(300, () => fired.push(`c@${c.now()}`));
    c.setAlarm(300, (t) => fired.push(`alarm@${t}`));
    c.advance(250);
    expect(fired).toEqual(['a@100']);
    c.advanceCycles(1000);
    expect(fired).toEqual(['a@100', 'b@300', 'c@300', 'alarm@300']);
    expect(c.now()).toBe(1250);
    expect(c.alarmAt()).toBeUndefined();
  });

  it('an alarm set in the past fires at the next step', () => {
    const c = new VirtualClock(1_000_000);
    c.advance(1000);
    let at = -1;
    c.setAlarm(10, (t) => (at = t));
    c.poll();
    expect(at).toBe(1000);
  });
});

describe('stimulus scripts', () => {
  it('sorts inputs by time, keeping file order on ties, and splits UART text', () => {
    const s = stimulus([
      { at: '2ms', device: 'button0', value: 0 },
      { at: '1.5ms', device: 'button0', value: 1 },
      { at: '2ms', device: 'uart0', value: 'hi' },
      { at: '1s', device: 'button0', value: true },
    ]);
    expect(s.inputs).toEqual([
      { at: 1500, device: 'button0', value: 1 },
      { at: 2000, device: 'button0', value: 0 },
      { at: 2000, device: 'uart0', value: 104 },
      { at: 2087, device: 'uart0', value: 105 },
      { at: 1_000_000, device: 'button0', value: 1 },
    ]);
  });

  it('reports every problem with its path', () => {
    const r = parseStimulus(
      JSON.stringify([
        { at: '1', device: 'button0', value: 1 },
        { at: '1ms', device: 'button9', value: 1 },
        { at: '1ms', device: 'led0', value: 1 },
        { at: '1ms', device: 'button0', value: 2 },
        { device: 'led0', signal: { kind: 'constant', value: 1 } },
        { device: 'temp0', signal: { kind: 'square' } },
        { at: '1ms', device: 'button0' },
        { device: 'light0', csv: 'x.csv', column: 'lux' },
      ]),
      defaultBoard(),
      noCsv,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.code} ${e.path}`)).toEqual([
      'E0660 [0].at',
      'E0652 [1].device',
      'E0653 [2].device',
      'E0653 [3].value',
      'E0653 [4].device',
      'E0651 [5].signal.kind',
      'E0651 [6].value',
      'E0654 [7].csv',
    ]);
    expect(r.errors[0]?.message).toContain('[0].at');
    expect(r.errors[3]?.message).toContain('0 (released) and 1 (pressed)');
  });

  it('rejects a script that is not a JSON array', () => {
    for (const [text, code] of [
      ['{', 'E0650'],
      ['{}', 'E0651'],
    ] as const) {
      const r = parseStimulus(text, defaultBoard(), noCsv);
      expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual([code]);
    }
  });

  it('drives sensors from formulas and CSV columns', () => {
    const csv = '# light log\nt,lux,other\n0,100,1\n1.5,250,2\n3,400,3\n';
    const s = stimulus(
      [
        { device: 'temp0', signal: { kind: 'sine', offset: 21, amplitude: 3, periodMs: 60000 } },
        { device: 'light0', csv: 'light.csv', column: 'lux' },
      ],
      (file) => (file === 'light.csv' ? { text: csv } : { error: 'missing' }),
    );
    const p = new SimPlatform(defaultBoard(), { stimulus: s });
    const temp = p.device('temp0') as Sensor;
    const light = p.device('light0') as Sensor;
    const readings: number[][] = [];
    for (const t of [0, 1_000_000, 1_500_000, 15_000_000]) {
      p.clock.advanceTo(t);
      readings.push([temp.read(), light.read()]);
    }
    expect(readings).toEqual([
      [2100, 100],
      [Math.round(100 * (21 + 3 * Math.sin((2 * Math.PI) / 60))), 100],
      [Math.round(100 * (21 + 3 * Math.sin((2 * Math.PI * 1.5) / 60))), 250],
      [2400, 400],
    ]);
  });

  it('ramp and steps signals', () => {
    const s = stimulus([
      {
        device: 'temp0',
        signal: { kind: 'ramp', from: 10, to: 20, durationMs: 1000, startMs: 1000 },
      },
      {
        device: 'light0',
        signal: {
          kind: 'steps',
          initial: 5,
          steps: [
            { at: '2s', value: 9 },
            { at: '1s', value: 7 },
          ],
        },
      },
    ]);
    const p = new SimPlatform(defaultBoard(), { stimulus: s });
    const got = [0, 1_500_000, 2_500_000].map((t) => {
      p.clock.advanceTo(t);
      return [(p.device('temp0') as Sensor).sample(), (p.device('light0') as Sensor).sample()];
    });
    expect(got).toEqual([
      [10, 5],
      [15, 7],
      [20, 9],
    ]);
  });

  it('rejects bad CSV data with the line', () => {
    const r = parseStimulus(
      JSON.stringify([{ device: 'light0', csv: 'l.csv', column: 'lux' }]),
      defaultBoard(),
      () => ({ text: 't,lux\n0,1\n1,bright\n' }),
    );
    expect(r.ok ? '' : r.errors[0]?.message).toContain('line 3');
  });
});

/**
 * A stand-in for the runtime: button-blinky with a blinker. The LED follows the button; while
 * no button event comes, led1 toggles every 500 ms. Returns the event log.
 */
function runButtonBlinky(entries: unknown, forMicros: number): { log: string; asleep: number } {
  const p = new SimPlatform(defaultBoard(), { stimulus: stimulus(entries) });
  const queue = new InterruptQueue(8);
  const button = p.device('button0') as Button;
  const led0 = p.device('led0') as Led;
  const led1 = p.device('led1') as Led;
  for (const d of [button, led0, led1]) d.claim('main');
  button.connect(queue, 0);
  let nextBlink = 500_000;
  let blink = 0;
  // The alarm callback only records the fact, as the Clock contract asks.
  let alarmFired = false;
  const onAlarm = (): void => void (alarmFired = true);
  p.clock.setAlarm(nextBlink, onAlarm);
  while (p.clock.now() < forMicros) {
    const reason = p.sleepNow(forMicros);
    for (let m = queue.take(); m; m = queue.take()) {
      p.clock.advanceCycles(2000); // the work of handling it
      led0.write(m.value);
    }
    if (alarmFired) {
      alarmFired = false;
      p.clock.advanceCycles(500);
      led1.write((blink ^= 1));
      nextBlink += 500_000;
      p.clock.setAlarm(nextBlink, onAlarm);
    }
    if (reason === 'nothing-to-wait-for') break;
  }
  for (const d of [button, led0, led1]) d.release();
  return { log: p.events.toJsonl(), asleep: p.timeInState().sleep };
}

describe('simulated platform', () => {
  const presses = [1, 2, 3].flatMap((i) => [
    { at: `${i * 300}ms`, device: 'button0', value: 1 },
    { at: `${i * 300 + 100}ms`, device: 'button0', value: 0 },
  ]);

  it('delivers inputs as interrupts at their exact time, and the LED follows', () => {
    const { log } = runButtonBlinky(presses, 2_000_000);
    const events = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const inputs = events.filter((e) => e.dir === 'in').map((e) => [e.t, e.value]);
    expect(inputs).toEqual([
      [300_000, 1],
      [400_000, 0],
      [600_000, 1],
      [700_000, 0],
      [900_000, 1],
      [1_000_000, 0],
    ]);
    const led0 = events.filter((e) => e.device === 'led0' && !e.reason).map((e) => [e.t, e.value]);
    // 2000 cycles at 168 MHz = 11.9 µs of handling: the LED follows within it.
    expect(led0).toEqual(inputs.map(([t, v]) => [(t as number) + 11, v]));
    const blinks = events.filter((e) => e.device === 'led1' && !e.reason).map((e) => e.t);
    // At 1 s the release and the alarm coincide: the button is handled first (11 µs), then the
    // blink (2 µs more).
    expect(blinks).toEqual([500_002, 1_000_014, 1_500_002, 2_000_002]);
  });

  it('is deterministic: the same inputs give the same event log bytes', () => {
    const a = runButtonBlinky(presses, 3_000_000);
    const b = runButtonBlinky(presses, 3_000_000);
    expect(a.log.length).toBeGreaterThan(200);
    expect(b.log).toBe(a.log);
    expect(runButtonBlinky(presses.slice(2), 3_000_000).log).not.toBe(a.log);
  });

  it('records time asleep, and says when there is nothing to wait for', async () => {
    const p = new SimPlatform(defaultBoard());
    expect(await p.power.sleep()).toBe('nothing-to-wait-for');
    expect(await p.power.sleep(1000)).toBe('time');
    p.clock.advanceCycles(168 * 500);
    expect(p.timeInState()).toEqual({ active: 500, sleep: 1000 });
  });
});
