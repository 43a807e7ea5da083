/**
 * Time in simulated device time: syncT, sleep, timeouts, deadlines. Every time below is exact
 * unless a comment says why a bound is used instead.
 */
import { describe, expect, it } from 'vitest';
import { runCam } from './harness.js';

const outputsOf = (r: ReturnType<typeof runCam>, device: string) =>
  r.outputs.filter(([, d]) => d === device).map(([t, , v]) => [t, v]);

describe('syncT', () => {
  it('two threads with syncT 3000 0 and syncT 1000 0 deliver in release order', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let led = channel () in
       let _ = spawnExternal led 1 in
       let _ = spawn (\\_ -> syncT 3000 0 (send c 3)) in
       let _ = spawn (\\_ -> syncT 1000 0 (send c 1)) in
       let x = sync (recv c) in
       let _ = sync (send led x) in
       let y = sync (recv c) in
       let _ = sync (send led 0) in
       x * 10 + y
`);
    expect(r.main).toBe('13');
    // main is woken by each delivery at the sender's release time (plus a few instructions).
    const led = outputsOf(r, 'led0');
    expect(led.map(([, v]) => v)).toEqual([1, 0]);
    expect(led[0]![0]).toBeGreaterThanOrEqual(1000);
    expect(led[0]![0]).toBeLessThan(1050);
    expect(led[1]![0]).toBeGreaterThanOrEqual(3000);
    expect(led[1]![0]).toBeLessThan(3050);
  });

  it('a 500 ms blinker writes its LED at exactly 500, 1000, 1500 … ms', () => {
    const r = runCam(
      `
blink : Channel Int -> Int -> ()
blink led v = let _ = syncT 500000 0 (send led v) in blink led (1 - v)

main : ()
main = let led = channel () in
       let _ = spawnExternal led 1 in
       blink led 1
`,
      { forMicros: 5_200_000 },
    );
    expect(r.end.reason).toBe('time-limit');
    expect(outputsOf(r, 'led0')).toEqual(
      Array.from({ length: 10 }, (_, i) => [(i + 1) * 500_000, (i + 1) % 2]),
    );
  });

  it('a thread spawned late does not run early to catch up', () => {
    const r = runCam(
      `
blink : Channel Int -> Int -> () -> ()
blink led v _ = let _ = syncT 100000 0 (send led v) in blink led (1 - v) ()

main : ()
main = let led = channel () in
       let _ = spawnExternal led 1 in
       let _ = sleep 2000000 in
       let _ = spawn (blink led 1) in
       ()
`,
      { forMicros: 2_450_000 },
    );
    const led = outputsOf(r, 'led0');
    expect(led).toHaveLength(4);
    // The thread's logical time starts at its spawn (2 s plus main's few instructions after
    // waking), so it first writes 100 ms after that, then every 100 ms exactly.
    const first = led[0]![0]!;
    expect(first).toBeGreaterThanOrEqual(2_100_000);
    expect(first).toBeLessThan(2_100_050);
    expect(led.map(([t]) => t! - first)).toEqual([0, 100_000, 200_000, 300_000]);
  });

  it('honours a 100 µs baseline exactly (SynchronVM did not wait under ~357 µs)', () => {
    const r = runCam(`
main : ()
main = let led = channel () in
       let _ = spawnExternal led 1 in
       let _ = syncT 100 0 (send led 1) in
       let _ = syncT 100 0 (send led 0) in
       syncT 100 0 (send led 1)
`);
    expect(outputsOf(r, 'led0')).toEqual([
      [100, 1],
      [200, 0],
      [300, 1],
    ]);
  });

  it('advances logical time on release even when no waiting was needed', () => {
    // About 2.5 ms of busy work (the count follows code generation: 6000 turns since the
    // constant-operand instructions), then three 1 ms periods. The first two are already due and are
    // released at once, but each moves the logical time on (to 1 ms, then 2 ms), so the third
    // waits for exactly 3 ms. SynchronVM never advanced the logical time when it did not wait,
    // so all three would have fired at once.
    const r = runCam(`
spin : Int -> Int
spin n = if n == 0 then 0 else spin (n - 1)

main : ()
main = let led = channel () in
       let _ = spawnExternal led 1 in
       let _ = spin 6000 in
       let _ = syncT 1000 0 (send led 1) in
       let _ = syncT 1000 0 (send led 0) in
       syncT 1000 0 (send led 1)
`);
    const led = outputsOf(r, 'led0');
    expect(led).toHaveLength(3);
    expect(led[0]![0]).toBeGreaterThan(2000);
    expect(led[1]![0]).toBeLessThan(led[0]![0]! + 20);
    expect(led[2]).toEqual([3000, 1]);
  });

  it('counts and reports a deadline miss', () => {
    const r = runCam(`
spin : Int -> Int
spin n = if n == 0 then 0 else spin (n - 1)

main : Int
main = let led = channel () in
       let _ = spawnExternal led 1 in
       let _ = spawn (\\_ -> syncT 1000 10 (send led 1)) in
       let _ = spawn (\\_ -> syncT 5000000 10 (send led 0)) in
       spin 30000
`);
    const timing = r.runtime.timing.summary();
    expect(timing.timedSyncs).toBe(2);
    expect(timing.deadlineMisses).toBe(1);
    const miss = timing.misses[0]!;
    // Released 1 ms after its spawn (main's first few instructions), due 10 µs later, but main
    // keeps the execution unit for its whole busy loop (cooperative scheduling).
    expect(miss.releaseAt).toBeGreaterThanOrEqual(1000);
    expect(miss.releaseAt).toBeLessThan(1020);
    expect(miss.deadlineAt).toBe(miss.releaseAt + 10);
    expect(miss.committedAt).toBeGreaterThan(10_000);
    expect(timing.maxLatenessUs).toBe(miss.committedAt - miss.releaseAt);
    const led = outputsOf(r, 'led0');
    expect(led[0]).toEqual([miss.committedAt, 1]);
    expect(led[1]![1]).toBe(0);
  });
});
