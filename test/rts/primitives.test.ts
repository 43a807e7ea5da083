/** sleep, yield, always, timeout and Ref cells, in simulated time; deadlock; determinism. */
import { describe, expect, it } from 'vitest';
import { runCam } from './harness.js';

const MAYBE = `
data Maybe a where
  Nothing : Maybe a
  Just : a -> Maybe a
`;

const ledTimes = (r: ReturnType<typeof runCam>) =>
  r.outputs.filter(([, d]) => d === 'led0').map(([t, , v]) => [t, v]);

describe('sleep and yield', () => {
  it('sleep t blocks the context for t µs of device time', () => {
    const r = runCam(`
main : ()
main = let led = channel () in
       let _ = spawnExternal led 1 in
       let _ = sync (send led 1) in
       let _ = sleep 2500 in
       sync (send led 0)
`);
    const [[t1], [t2]] = ledTimes(r) as [[number], [number]];
    // The sleep starts a few instructions after the first write and lasts exactly 2500 µs.
    expect(t2 - t1).toBeGreaterThanOrEqual(2500);
    expect(t2 - t1).toBeLessThan(2510);
    expect(r.end.atMicros).toBeGreaterThanOrEqual(2500);
  });

  it('other contexts run while one sleeps', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let _ = spawn (\\_ -> sync (send c 7)) in
       let _ = sleep 1000 in
       sync (recv c)
`);
    expect(r.main).toBe('7');
  });

  it('yield lets the other ready contexts run, in FIFO order', () => {
    const r = runCam(`
step : Ref Int -> Int -> Int -> ()
step r d k = if k == 0 then () else let _ = writeRef r (readRef r * 10 + d) in let _ = yield () in step r d (k - 1)

main : Int
main = let r = newRef 0 in
       let done = channel () in
       let _ = spawn (\\_ -> let _ = step r 1 3 in sync (send done ())) in
       let _ = spawn (\\_ -> let _ = step r 2 3 in sync (send done ())) in
       let _ = sync (recv done) in
       let _ = sync (recv done) in
       readRef r
`);
    expect(r.main).toBe('121212');
  });
});

describe('always and timeout', () => {
  it('always v is ready at once with v', () => {
    const r = runCam(`
main : Int
main = let c = channel () in sync (choose (recv c) (always 7))
`);
    expect(r.main).toBe('7');
  });

  it('a receive that times out', () => {
    const r = runCam(`${MAYBE}
main : Maybe Int
main = let c = channel () in
       let led = channel () in
       let _ = spawnExternal led 1 in
       let v = sync (choose (wrap (recv c) Just) (wrap (timeout 1000) (\\_ -> Nothing))) in
       let _ = sync (send led 1) in
       v
`);
    expect(r.main).toBe('Nothing');
    const [[t]] = ledTimes(r) as [[number]];
    expect(t).toBeGreaterThanOrEqual(1000);
    expect(t).toBeLessThan(1020);
    expect(r.end.reason).toBe('finished');
  });

  it('a receive that does not time out', () => {
    const r = runCam(`${MAYBE}
main : Maybe Int
main = let c = channel () in
       let _ = spawn (\\_ -> let _ = sleep 500 in sync (send c 42)) in
       let v = sync (choose (wrap (recv c) Just) (wrap (timeout 1000) (\\_ -> Nothing))) in
       let _ = sleep 2000 in
       v
`);
    expect(r.main).toBe('Just 42');
    // The cancelled time-out left no trace: the run ends after main's own sleep.
    expect(r.end.atMicros).toBeGreaterThanOrEqual(2500);
    expect(r.end.atMicros).toBeLessThan(2600);
  });

  it('the earliest of several time-outs fires', () => {
    const r = runCam(`
main : Int
main = sync (choose (wrap (timeout 3000) (\\_ -> 3)) (wrap (timeout 2000) (\\_ -> 2)))
`);
    expect(r.main).toBe('2');
    expect(r.end.atMicros).toBeGreaterThanOrEqual(2000);
    expect(r.end.atMicros).toBeLessThan(2100);
  });
});

describe('Ref cells', () => {
  it('are shared by the contexts of a container', () => {
    const r = runCam(`
bump : Ref Int -> Int -> ()
bump r k = if k == 0 then () else let _ = writeRef r (readRef r + 1) in let _ = yield () in bump r (k - 1)

main : Int
main = let r = newRef 0 in
       let done = channel () in
       let _ = spawn (\\_ -> let _ = bump r 1000 in sync (send done ())) in
       let _ = spawn (\\_ -> let _ = bump r 1000 in sync (send done ())) in
       let _ = sync (recv done) in
       let _ = sync (recv done) in
       readRef r
`);
    expect(r.main).toBe('2000');
  });
});

describe('ending a run', () => {
  it('a deadlocked main ends the run with a report of every blocked context', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let d = channel () in
       let _ = spawn (\\_ -> let _ = sync (recv d) in ()) in
       sync (choose (recv c) (wrap (send d 1) (\\_ -> 2)) ) + sync (recv c)
`);
    expect(r.end.reason).toBe('deadlock');
    expect(r.report).toHaveLength(1);
    expect(r.report[0]).toMatch(
      /^context 0 \(main\): blocked in sync waiting to recv on channel 0 at test\.cam:\d+:\d+$/,
    );
  });

  it('reports a context blocked on several channels', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let d = channel () in
       let _ = spawn (\\_ -> let _ = sync (choose (recv c) (wrap (send d 5) (\\_ -> 0))) in ()) in
       sync (recv c)
`);
    expect(r.end.reason).toBe('deadlock');
    expect(r.report).toEqual([
      expect.stringMatching(
        /^context 0 \(main\): blocked in sync waiting to recv on channel 0 at test\.cam:6:8$/,
      ),
      expect.stringMatching(
        /^context 1: blocked in sync waiting to recv on channel 0, send on channel 1 at test\.cam:5:37$/,
      ),
    ]);
  });

  it('after main returns, the others run until they end or can never run again', () => {
    const r = runCam(`
main : Int
main = let led = channel () in
       let never = channel () in
       let _ = spawnExternal led 1 in
       let _ = spawn (\\_ -> let _ = sleep 1000 in sync (send led 1)) in
       let _ = spawn (\\_ -> sync (recv never)) in
       3
`);
    expect(r.main).toBe('3');
    expect(r.end.reason).toBe('finished');
    expect(ledTimes(r)).toEqual([[expect.any(Number), 1]]);
    expect(r.report).toEqual([expect.stringMatching(/^context 2: blocked in sync/)]);
  });
});

describe('bounded queues', () => {
  it('a full channel queue is a fault, not silent', () => {
    const r = runCam(
      `
idle : Channel Int -> () -> ()
idle c _ = let _ = sync (recv c) in ()

main : Int
main = let c = channel () in
       let _ = spawn (idle c) in
       let _ = spawn (idle c) in
       let _ = spawn (idle c) in
       let _ = sleep 1000 in
       7
`,
      { runtime: { channelQueueCapacity: 2 } },
    );
    expect(r.faults).toEqual(['runtime error: channel 0 receive queue is full (2 waiting)']);
    expect(r.main).toBe('7');
  });

  it('interrupts wait for a receiver in a bounded queue; drops are counted and logged', () => {
    const r = runCam(
      `
drain : Channel Int -> Int -> Int -> Int
drain b k acc = if k == 0 then acc else drain b (k - 1) (acc * 10 + sync (recv b))

main : Int
main = let b = channel () in
       let _ = spawnExternal b 0 in
       let _ = sleep 10000 in
       drain b 2 0
`,
      {
        runtime: { interruptQueueCapacity: 2 },
        inputs: [
          [1000, 'button0', 1],
          [2000, 'button0', 0],
          [3000, 'button0', 1],
          [4000, 'button0', 0],
        ],
      },
    );
    // The first two presses waited for main; the last two found the queue full.
    expect(r.main).toBe('10');
    expect(r.runtime.interrupts.drops).toBe(2);
    expect(r.events.filter((e) => e.dir === 'drop').map((e) => [e.t, e.reason])).toEqual([
      [3000, 'queue-full'],
      [4000, 'queue-full'],
    ]);
  });

  it('inputs before spawnExternal are logged as dropped (unbound)', () => {
    const r = runCam(
      `
main : Int
main = let b = channel () in
       let _ = sleep 2000 in
       let _ = spawnExternal b 0 in
       sync (recv b)
`,
      {
        inputs: [
          [1000, 'button0', 1],
          [3000, 'button0', 0],
        ],
      },
    );
    expect(r.main).toBe('0');
    expect(r.events.filter((e) => e.dir === 'drop').map((e) => [e.t, e.reason])).toEqual([
      [1000, 'unbound'],
    ]);
  });
});
