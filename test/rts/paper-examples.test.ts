/**
 * The examples of the Synchron papers (MPLR'21, ECOOP'22), written for our compiler, with
 * their device output checked in simulated time. Driver numbers follow the board's peripheral
 * order: on stm32f4-discovery button0 = 0, led0 = 1, …, dac0 = 5; on nrf52840-dk
 * button0–3 = 0–3 and led0–3 = 4–7 (as in SynchronVM's examples).
 */
import { describe, expect, it } from 'vitest';
import { runCam } from './harness.js';

const outputs = (r: ReturnType<typeof runCam>, device: string) =>
  r.outputs.filter(([, d]) => d === device).map(([t, , v]) => [t, v] as [number, number]);

const BUTTON_LED = `
loop : Channel Int -> Channel Int -> ()
loop butchan ledchan = let _ = sync (wrap (recv butchan) (\\v -> sync (send ledchan v))) in loop butchan ledchan

main : ()
main = let butchan = channel () in
       let ledchan = channel () in
       let _ = spawnExternal butchan 0 in
       let _ = spawnExternal ledchan 1 in
       loop butchan ledchan
`;

describe('Synchron paper examples', () => {
  it('blinky: the LED toggles every second', () => {
    const r = runCam(
      `
after : Int -> Event a -> a
after t ev = syncT t 0 ev

blinky : Channel Int -> Int -> ()
blinky ledchan v = let _ = after 1000000 (send ledchan v) in blinky ledchan (1 - v)

main : ()
main = let ledchan = channel () in
       let _ = spawnExternal ledchan 1 in
       blinky ledchan 1
`,
      { forMicros: 4_500_000 },
    );
    expect(outputs(r, 'led0')).toEqual([
      [1_000_000, 1],
      [2_000_000, 0],
      [3_000_000, 1],
      [4_000_000, 0],
    ]);
  });

  it('button → LED with wrap (recv button): the LED follows the button', () => {
    const presses: [number, string, number][] = [
      [10_000, 'button0', 1],
      [250_000, 'button0', 0],
      [400_000, 'button0', 1],
      [900_000, 'button0', 0],
    ];
    const r = runCam(BUTTON_LED, { inputs: presses, forMicros: 1_000_000 });
    const led = outputs(r, 'led0');
    expect(led.map(([, v]) => v)).toEqual([1, 0, 1, 0]);
    led.forEach(([t], i) => {
      // The response time is the handful of instructions between the interrupt and the write.
      expect(t).toBeGreaterThanOrEqual(presses[i]![0]);
      expect(t).toBeLessThan(presses[i]![0] + 50);
    });
  });

  it('four buttons each drive their own LED through one choose', () => {
    const program = `
loop : Channel Int -> Channel Int -> Channel Int -> Channel Int -> Channel Int -> Channel Int -> Channel Int -> Channel Int -> ()
loop b0 b1 b2 b3 l0 l1 l2 l3 =
  let _ = sync (choose (wrap (recv b0) (\\v -> sync (send l0 v)))
               (choose (wrap (recv b1) (\\v -> sync (send l1 v)))
               (choose (wrap (recv b2) (\\v -> sync (send l2 v)))
                       (wrap (recv b3) (\\v -> sync (send l3 v)))))) in
  loop b0 b1 b2 b3 l0 l1 l2 l3

main : ()
main = let b0 = channel () in let b1 = channel () in let b2 = channel () in let b3 = channel () in
       let l0 = channel () in let l1 = channel () in let l2 = channel () in let l3 = channel () in
       let _ = spawnExternal b0 0 in let _ = spawnExternal b1 1 in
       let _ = spawnExternal b2 2 in let _ = spawnExternal b3 3 in
       let _ = spawnExternal l0 4 in let _ = spawnExternal l1 5 in
       let _ = spawnExternal l2 6 in let _ = spawnExternal l3 7 in
       loop b0 b1 b2 b3 l0 l1 l2 l3
`;
    const inputs: [number, string, number][] = [
      [1_000, 'button2', 1],
      [2_000, 'button0', 1],
      [3_000, 'button3', 1],
      [3_000, 'button1', 1],
      [5_000, 'button2', 0],
      [9_000, 'button0', 0],
    ];
    const r = runCam(program, { board: 'nrf52840-dk', inputs, forMicros: 10_000 });
    expect(r.faults).toEqual([]);
    const seen = r.outputs.map(([, d, v]) => `${d}=${v}`);
    // Same-time presses are delivered in stimulus order.
    expect(seen).toEqual(['led2=1', 'led0=1', 'led3=1', 'led1=1', 'led2=0', 'led0=0']);
    r.outputs.forEach(([t], i) => {
      expect(t).toBeGreaterThanOrEqual(inputs[i]![0]);
      expect(t).toBeLessThan(inputs[i]![0] + 100);
    });
  });

  it('a counter lights the LED on every third press', () => {
    const program = `
count : Channel Int -> Channel Int -> Int -> ()
count butchan ledchan n =
  let v = sync (recv butchan) in
  if v == 0 then count butchan ledchan n
  else let n2 = n + 1 in
       let _ = sync (send ledchan (if n2 == 3 then 1 else 0)) in
       count butchan ledchan (if n2 == 3 then 0 else n2)

main : ()
main = let butchan = channel () in
       let ledchan = channel () in
       let _ = spawnExternal butchan 0 in
       let _ = spawnExternal ledchan 1 in
       count butchan ledchan 0
`;
    const inputs: [number, string, number][] = [];
    for (let i = 0; i < 7; i++) {
      inputs.push([(i + 1) * 100_000, 'button0', 1]);
      inputs.push([(i + 1) * 100_000 + 50_000, 'button0', 0]);
    }
    const r = runCam(program, { inputs, forMicros: 1_000_000 });
    expect(outputs(r, 'led0').map(([, v]) => v)).toEqual([0, 0, 1, 0, 0, 1, 0]);
  });

  it('a two-thread melody player drives a square wave on the DAC', () => {
    // ECOOP'22 §3: the player toggles the DAC every half period; the melody thread offers a new
    // half period every 10 ms. Left-biased choose takes a new note when one is offered,
    // otherwise writes the DAC.
    const program = `
player : Channel Int -> Channel Int -> Int -> Int -> ()
player notes dac hp v =
  let next = syncT hp 0 (choose (recv notes) (wrap (send dac (v * 4095)) (\\_ -> hp))) in
  player notes dac next (1 - v)

melody : Channel Int -> Int -> () -> ()
melody notes k _ =
  let _ = syncT 10000 0 (send notes (if k == 0 then 500 else 250)) in
  if k == 0 then melody notes 1 () else ()

main : ()
main = let notes = channel () in
       let dac = channel () in
       let _ = spawnExternal dac 5 in
       let _ = spawn (melody notes 0) in
       player notes dac 1000 1
`;
    const r = runCam(program, { forMicros: 25_000 });
    expect(r.faults).toEqual([]);
    const dac = outputs(r, 'dac0');
    const times = dac.map(([t]) => t);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // The melody's logical time starts at its spawn, a few µs after 0, so it offers its notes
    // just after 10 ms and 20 ms: the player writes at 1, 2, … 10 ms, takes the first note
    // instead of writing at 11 ms (a gap of 1500 µs), then writes every 500 µs until it takes
    // the second note at 20.5 ms (a gap of 750 µs after the write at 20 ms), then every 250 µs.
    expect(times.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((ms) => ms * 1000));
    expect(gaps.slice(0, 9)).toEqual(Array(9).fill(1000));
    expect(gaps[9]).toBe(1500);
    expect(gaps.slice(10, 27)).toEqual(Array(17).fill(500));
    expect(gaps[27]).toBe(750);
    expect(gaps.slice(28)).toEqual(Array(gaps.length - 28).fill(250));
    // The run ends when device time reaches 25 ms (--for), before that release runs.
    expect(times.at(-1)).toBe(24_750);
    // A square wave: the level alternates on every write, except across a taken note.
    expect(new Set(dac.map(([, v]) => v))).toEqual(new Set([0, 4095]));
    expect(dac.slice(0, 4).map(([, v]) => v)).toEqual([4095, 0, 4095, 0]);
  });
});

describe('determinism', () => {
  it('the same program and inputs give the same device log and schedule, twice', () => {
    const inputs: [number, string, number][] = [];
    for (let i = 0; i < 20; i++) inputs.push([i * 7_919 + 13, 'button0', i % 2 === 0 ? 1 : 0]);
    const first = runCam(BUTTON_LED, { inputs, forMicros: 200_000 });
    const second = runCam(BUTTON_LED, { inputs, forMicros: 200_000 });
    expect(first.events.length).toBeGreaterThan(20);
    expect(second.events).toEqual(first.events);
    expect(second.runtime.instructions).toBe(first.runtime.instructions);
  });
});
