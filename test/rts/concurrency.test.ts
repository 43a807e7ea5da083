/**
 * Channels, choose and wrap through the whole pipeline: CamIoT source → compiler → VM →
 * container runtime on the simulated board.
 */
import { describe, expect, it } from 'vitest';
import { runCam } from './harness.js';

const MAYBE = `
data Maybe a where
  Nothing : Maybe a
  Just : a -> Maybe a
`;

describe('rendezvous', () => {
  it('main receives from a spawned sender', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let _ = spawn (\\_ -> sync (send c 42)) in
       sync (recv c)
`);
    expect(r.end.reason).toBe('finished');
    expect(r.main).toBe('42');
  });

  it('main sends to a spawned receiver, which answers', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let r = channel () in
       let _ = spawn (\\_ -> let v = sync (recv c) in sync (send r (v + 1))) in
       let _ = sync (send c 41) in
       sync (recv r)
`);
    expect(r.main).toBe('42');
    expect(r.faults).toEqual([]);
  });

  it('the sender of a rendezvous gets ()', () => {
    const r = runCam(`
main : ()
main = let c = channel () in
       let _ = spawn (\\_ -> let _ = sync (recv c) in ()) in
       sync (send c 5)
`);
    expect(r.main).toBe('()');
  });
});

/** n channels; odd ones have a waiting sender of i, even ones a waiting receiver. */
function chooseProgram(n: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) lines.push(`       let c${i} = channel () in`);
  for (let i = 1; i <= n; i++)
    lines.push(
      i % 2 === 1
        ? `       let _ = spawn (\\_ -> sync (send c${i} ${i})) in`
        : `       let _ = spawn (\\_ -> let _ = sync (recv c${i}) in ()) in`,
    );
  const alt = (i: number) => (i % 2 === 1 ? `(recv c${i})` : `(wrap (send c${i} 0) (\\_ -> ${i}))`);
  let event = alt(n);
  for (let i = n - 1; i >= 1; i--) event = `(choose ${alt(i)} ${event})`;
  return `
order : Event Int -> Int -> Int -> Int
order e k acc = if k == 0 then acc else order e (k - 1) (acc * 10 + sync e)

main : Int
main =
${lines.join('\n')}
       let _ = yield () in
       order ${event} ${n} 0
`;
}

describe('choose', () => {
  for (const n of [2, 3, 5, 8]) {
    it(`commits to one ready alternative at a time, left first, over ${n} mixed alternatives`, () => {
      const r = runCam(chooseProgram(n));
      expect(r.faults).toEqual([]);
      // Every partner waits before main syncs (main yielded), so left-biased choose takes them
      // in order: 1, 2, …, n.
      const expected = Array.from({ length: n }, (_, i) => i + 1).join('');
      expect(r.main).toBe(expected);
      expect(r.end.reason).toBe('finished');
    });
  }

  it('blocks on every alternative and takes the one that becomes ready', () => {
    const r = runCam(`
main : Int
main = let a = channel () in
       let b = channel () in
       let c = channel () in
       let _ = spawn (\\_ -> sync (send b 2)) in
       sync (choose (recv a) (choose (recv b) (recv c)))
`);
    expect(r.main).toBe('2');
  });

  it('left-biased (default) prefers the first ready alternative every time', () => {
    const r = runCam(`
count : Event Int -> Int -> Int -> Int
count e k acc = if k == 0 then acc else count e (k - 1) (acc * 10 + sync e)
main : Int
main = count (choose (always 1) (always 2)) 6 0
`);
    expect(r.main).toBe('111111');
  });

  it('rotating fairness gives every ready alternative its turn', () => {
    const r = runCam(
      `
count : Event Int -> Int -> Int -> Int
count e k acc = if k == 0 then acc else count e (k - 1) (acc * 10 + sync e)
main : Int
main = count (choose (always 1) (choose (always 2) (always 3))) 6 0
`,
      { runtime: { chooseFairness: 'rotating' } },
    );
    expect(r.main).toBe('123123');
  });
});

describe('wrap', () => {
  const nested = (sender: string) => `
main : Int
main = let c1 = channel () in
       let c2 = channel () in
       let _ = spawn (\\_ -> ${sender}) in
       sync (wrap (choose (wrap (recv c1) (\\x -> x * 2)) (recv c2)) (\\y -> y + 100))
`;

  it('applies an outer wrap to every alternative, after the inner one (first alternative)', () => {
    expect(runCam(nested('sync (send c1 5)')).main).toBe('110');
  });

  it('applies an outer wrap to every alternative (second alternative; SynchronVM gave 7)', () => {
    expect(runCam(nested('sync (send c2 7)')).main).toBe('107');
  });

  it('composes wraps innermost first', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let _ = spawn (\\_ -> sync (send c 3)) in
       sync (wrap (wrap (wrap (recv c) (\\x -> x + 1)) (\\x -> x * 10)) (\\x -> x - 2))
`);
    expect(r.main).toBe('38');
  });

  it('runs the wraps of the partner too (sender side)', () => {
    const r = runCam(`
main : Int
main = let c = channel () in
       let d = channel () in
       let _ = spawn (\\_ -> sync (wrap (wrap (send c 1) (\\_ -> 20)) (\\v -> sync (send d (v + 1))))) in
       let x = sync (recv c) in
       x + sync (recv d)
`);
    expect(r.main).toBe('22');
  });

  it('a wrap function that loops back does not leak stack (100 000 iterations)', () => {
    const r = runCam(
      `
loop : Channel Int -> Int -> Int
loop c n = if n == 0 then 0 else sync (wrap (recv c) (\\x -> loop c (n - 1)))

sender : Channel Int -> () -> ()
sender c _ = let _ = sync (send c 1) in sender c ()

main : Int
main = let c = channel () in
       let _ = spawn (sender c) in
       loop c 100000
`,
      { container: { stackBytes: 1024 } },
    );
    expect(r.faults).toEqual([]);
    expect(r.main).toBe('0');
  });

  it('receive with a Maybe result', () => {
    const r = runCam(`${MAYBE}
main : Maybe Int
main = let c = channel () in
       let _ = spawn (\\_ -> sync (send c 9)) in
       sync (wrap (recv c) Just)
`);
    expect(r.main).toBe('Just 9');
  });
});

describe('events are values', () => {
  it('an event value reused 1 000 times in a loop stays the same', () => {
    const r = runCam(
      `
loop : Event Int -> Int -> Int -> Int
loop e n acc = if n == 0 then acc else loop e (n - 1) (acc + sync e)

sender : Channel Int -> Int -> ()
sender c i = if i > 1000 then () else let _ = sync (send c i) in sender c (i + 1)

main : Int
main = let c = channel () in
       let d = channel () in
       let e = choose (recv d) (wrap (choose (recv c) (recv d)) (\\x -> x)) in
       let _ = spawn (\\_ -> sender c 1) in
       loop e 1000 0
`,
      { runtime: { channelQueueCapacity: 3 } },
    );
    expect(r.faults).toEqual([]);
    expect(r.main).toBe('500500');
  });
});

describe('many contexts', () => {
  const ring = `
worker : Channel Int -> Channel Int -> () -> ()
worker inp out _ = let v = sync (recv inp) in let _ = sync (send out (v + 1)) in worker inp out ()

ring : Int -> Channel Int -> Channel Int
ring n inp = if n == 0 then inp else let out = channel () in let _ = spawn (worker inp out) in ring (n - 1) out

rounds : Channel Int -> Channel Int -> Int -> Int -> Int
rounds first last k acc =
  if k == 0 then acc
  else let _ = sync (send first (k * 100)) in rounds first last (k - 1) (acc + sync (recv last))
`;

  it('16 contexts pass messages around a ring', () => {
    const r = runCam(`${ring}
main : Int
main = let first = channel () in
       let last = ring 15 first in
       rounds first last 10 0
`);
    expect(r.faults).toEqual([]);
    // Each of the 10 rounds returns k*100 + 15.
    expect(r.main).toBe(String(5500 + 150));
    expect(r.runtime.liveContexts).toBe(15);
    expect(r.end.reason).toBe('finished');
  });

  it('a 17th context is a fault with a clear cause', () => {
    const r = runCam(`${ring}
main : Int
main = let first = channel () in
       let last = ring 16 first in
       rounds first last 1 0
`);
    expect(r.end.reason).toBe('fault');
    expect(r.faults.join()).toMatch(/no free context \(maxContexts = 16\)/);
  });

  it('ping-pong of 100 000 messages', () => {
    const r = runCam(`
pong : Channel Int -> Channel Int -> () -> ()
pong a b _ = let v = sync (recv a) in let _ = sync (send b (v + 1)) in pong a b ()

ping : Channel Int -> Channel Int -> Int -> Int -> Int
ping a b n v = if n == 0 then v else let _ = sync (send a v) in ping a b (n - 1) (sync (recv b))

main : Int
main = let a = channel () in
       let b = channel () in
       let _ = spawn (pong a b) in
       ping a b 50000 0
`);
    expect(r.faults).toEqual([]);
    expect(r.main).toBe('50000');
  });

  it('a producer/consumer pipeline of 4 stages', () => {
    const r = runCam(`
produce : Channel Int -> Int -> ()
produce out i = if i > 100 then sync (send out 0) else let _ = sync (send out i) in produce out (i + 1)

stage : Channel Int -> Channel Int -> (Int -> Int) -> () -> ()
stage inp out f _ = let v = sync (recv inp) in
                    if v == 0 then sync (send out 0)
                    else let _ = sync (send out (f v)) in stage inp out f ()

consume : Channel Int -> Int -> Int
consume inp acc = let v = sync (recv inp) in if v == 0 then acc else consume inp (acc + v)

main : Int
main = let c1 = channel () in
       let c2 = channel () in
       let c3 = channel () in
       let _ = spawn (\\_ -> produce c1 1) in
       let _ = spawn (stage c1 c2 (\\x -> x + 1)) in
       let _ = spawn (stage c2 c3 (\\x -> x * 2)) in
       consume c3 0
`);
    expect(r.faults).toEqual([]);
    // sum over i = 1..100 of 2 (i + 1)
    expect(r.main).toBe(String(2 * (5050 + 100)));
    expect(r.end.reason).toBe('finished');
    expect(r.runtime.liveContexts).toBe(0);
  });
});
