/**
 * Links through the runtime's value ports: compound messages copied between heaps, blocking
 * sends, sender faults (not data, too large), `link closed` for a sync left with only dead
 * link ends, and the load-time checks of a link's message type.
 */
import { describe, expect, it } from 'vitest';
import { SimPlatform } from '../src/hal/sim/platform.js';
import type { Program } from '../src/isa/program.js';
import { compile } from '../src/lang/compile.js';
import { Device, type DeviceReport } from '../src/system/device.js';
import { checkManifest, type LoadedSystem } from '../src/system/manifest.js';
import { loadSystem } from './system/harness.js';

const READING = `
data Reading where
  Reading : Int -> (Bool, Float) -> Reading
  Missing : Reading
`;

interface Outcome {
  readonly report: DeviceReport;
  readonly results: Record<string, string>;
  /** DAC writes (device, time, value). */
  readonly dac: { t: number; value: number }[];
}

function run(system: LoadedSystem<Program>, untilUs: number, stressGc = false): Outcome {
  const platform = new SimPlatform(system.board.board, { stimulus: { inputs: [], drives: [] } });
  const dac: Outcome['dac'] = [];
  platform.events.subscribe((e) => {
    // Writes of the program only: a stopped container's DAC goes to its safe state too.
    const safeState = (e as { reason?: string }).reason === 'safe-state';
    if (e.device === 'dac0' && e.dir === 'out' && e.value !== undefined && !safeState)
      dac.push({ t: e.t, value: e.value });
  });
  const results: Record<string, string> = {};
  const device = new Device(system, {
    platform,
    stressGc,
    onMainResult: (container, text) => (results[container] = text),
  });
  return { report: device.run(untilUs), results, dac };
}

const container = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  program: `${name}.cam`,
  criticality: 2,
  memory: { heapBytes: 4096, stackBytes: 512, maxContexts: 2 },
  ...extra,
});

function twoContainers(
  link: Record<string, unknown>,
  sender: Record<string, unknown> = {},
  receiver: Record<string, unknown> = {},
) {
  return {
    quantumInstructions: 200,
    containers: [
      container('tx', { peripherals: ['link:l'], ...sender }),
      container('rx', { peripherals: ['link:l', 'dac0'], ...receiver }),
    ],
    links: [{ name: 'l', from: 'tx', to: 'rx', ...link }],
  };
}

const stateOf = (r: DeviceReport, name: string) => r.containers.find((c) => c.name === name);

describe('links carry values through the runtime', () => {
  const tx = `${READING}
out : Channel Reading
out = channel ()
main =
  let _ = spawnExternal out 0 in
  let _ = sync (send out (Reading 7 (True, 2.5))) in
  let _ = sync (send out Missing) in
  sync (send out (Reading (0 - 100000) (False, 0.25)))
`;
  const rx = `${READING}
inbox : Channel Reading
inbox = channel ()
main =
  let _ = spawnExternal inbox 0 in
  let a = sync (recv inbox) in
  let b = sync (recv inbox) in
  let c = sync (recv inbox) in
  (a, b, c)
`;

  for (const stressGc of [false, true]) {
    it(`copies constructors, tuples, booleans and floats into the receiver's heap${stressGc ? ' (stress GC)' : ''}`, () => {
      const system = loadSystem(
        twoContainers({ message: 'Reading', capacity: 1, onFull: 'block' }),
        {
          'tx.cam': tx,
          'rx.cam': rx,
        },
      );
      const { report, results } = run(system, 100_000, stressGc);
      expect(results.rx).toBe('(Reading 7 (True, 2.5), Missing, Reading (-100000) (False, 0.25))');
      expect(stateOf(report, 'rx')?.faults).toEqual([]);
      const l = report.links[0]!.counters;
      expect(l.delivered).toBe(3);
      expect(l.sent).toBe(3);
      // TAG, INT8, TRUE, FLOAT, PAIR, PAIR, PAIR = 14 bytes; TAG UNIT PAIR = 5; 17.
      expect(l.bytes).toBe(14 + 5 + 17);
    });
  }

  it('onFull "block": a send completes only when the receiver has made room', () => {
    const sender = `
out : Channel Int
out = channel ()
dac : Channel Int
dac = channel ()
loop : Int -> ()
loop n = if n == 10 then () else
  let _ = sync (send out n) in
  let _ = sync (send dac n) in
  loop (n + 1)
main =
  let _ = spawnExternal out 0 in
  let _ = spawnExternal dac 1 in
  loop 0
`;
    const slowReceiver = `
inbox : Channel Int
inbox = channel ()
loop : Int -> Int -> Int
loop n sum = if n == 10 then sum else
  let v = syncT 1000 0 (recv inbox) in
  loop (n + 1) (sum * 10 + v)
main =
  let _ = spawnExternal inbox 0 in
  loop 0 0
`;
    const system = loadSystem(
      {
        quantumInstructions: 200,
        containers: [
          container('tx', { criticality: 1, peripherals: ['link:l', 'dac0'] }),
          container('rx', { criticality: 2, peripherals: ['link:l'] }),
        ],
        links: [{ name: 'l', from: 'tx', to: 'rx', capacity: 2, onFull: 'block' }],
      },
      { 'tx.cam': sender, 'rx.cam': slowReceiver },
    );
    const { report, results, dac } = run(system, 100_000);
    // Every message arrives, in order: 0123456789 as decimal digits.
    expect(results.rx).toBe('123456789');
    const l = report.links[0]!.counters;
    expect([l.sent, l.delivered, l.droppedOldest, l.droppedNewest]).toEqual([10, 10, 0, 0]);
    expect(l.blockedSends).toBeGreaterThan(0);
    expect(l.maxDepth).toBe(2);
    // Send k (k ≥ 2) completes only after receive k − 2, which happens at (k − 1) ms.
    expect(dac.map((d) => d.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let k = 2; k < 10; k++) expect(dac[k]!.t).toBeGreaterThanOrEqual((k - 1) * 1000);
  });

  it('the same program under "drop-newest" completes every send at once and counts the drops', () => {
    const sender = `
out : Channel Int
out = channel ()
loop : Int -> ()
loop n = if n == 10 then () else
  let _ = sync (send out n) in
  loop (n + 1)
main =
  let _ = spawnExternal out 0 in
  loop 0
`;
    const system = loadSystem(
      twoContainers({ capacity: 2, onFull: 'drop-newest' }, { criticality: 3 }),
      {
        'tx.cam': sender,
        'rx.cam': `inbox : Channel Int
inbox = channel ()
main =
  let _ = spawnExternal inbox 0 in
  let a = syncT 1000 0 (recv inbox) in
  let b = sync (recv inbox) in
  a * 10 + b`,
      },
    );
    const { report, results } = run(system, 50_000);
    expect(results.rx).toBe('1');
    const l = report.links[0]!.counters;
    expect([l.sent, l.droppedNewest, l.delivered, l.blockedSends]).toEqual([10, 8, 2, 0]);
  });
});

describe('sender faults', () => {
  it('a message over maxMessageBytes faults the sender, not the receiver', () => {
    const system = loadSystem(twoContainers({ message: '(Int, Int, Int)', maxMessageBytes: 8 }), {
      'tx.cam': `out : Channel (Int, Int, Int)
out = channel ()
main =
  let _ = spawnExternal out 0 in
  let _ = sync (send out (1, 2, 3)) in
  sync (send out (100000, 200000, 300000))`,
      'rx.cam': `inbox : Channel (Int, Int, Int)
inbox = channel ()
dac : Channel Int
dac = channel ()
main =
  let _ = spawnExternal inbox 0 in
  let _ = spawnExternal dac 1 in
  let (a, b, c) = sync (recv inbox) in
  let _ = sync (send dac (a + b + c)) in
  sync (recv inbox)`,
    });
    const { report, dac } = run(system, 50_000);
    const tx = stateOf(report, 'tx')!;
    expect(tx.faults.map((f) => f.cause)).toEqual(['link message too large']);
    expect(tx.faults[0]!.detail).toContain('8 bytes');
    // The receiver got the first message; its next receive learns that the sender stopped.
    expect(stateOf(report, 'rx')!.faults.map((f) => f.cause)).toEqual(['link closed']);
    expect(dac.map((d) => d.value)).toEqual([6]);
    expect(report.links[0]!.counters.rejectedTooLarge).toBe(1);
  });

  it('a value that does not fit the declared message type (a tuple on an Int link) faults the sender', () => {
    // The driver number is computed, so the image does not record which channel is bound to
    // the link (a literal would be rejected at load time, E0691): the runtime check is the
    // last line of defence.
    const system = loadSystem(twoContainers({}), {
      'tx.cam': `out : Channel (Int, Int)
out = channel ()
main =
  let driver = 1 - 1 in
  let _ = spawnExternal out driver in
  sync (send out (1, 2))`,
      'rx.cam': `inbox : Channel Int
inbox = channel ()
main =
  let _ = spawnExternal inbox 0 in
  sync (choose (recv inbox) (wrap (timeout 5000) (\\u -> 42)))`,
    });
    const { report, results } = run(system, 50_000);
    expect(stateOf(report, 'tx')!.faults.map((f) => f.cause)).toEqual(['link not data']);
    expect(report.links[0]!.counters.rejectedNotData).toBe(1);
    expect(results.rx).toBe('42');
  });

  it('using a link end in the wrong direction faults the context', () => {
    const system = loadSystem(twoContainers({}), {
      'tx.cam': `out : Channel Int
out = channel ()
main =
  let _ = spawnExternal out 0 in
  sync (recv out)`,
      'rx.cam': `main = 0`,
    });
    const { report } = run(system, 10_000);
    const f = stateOf(report, 'tx')!.faults[0]!;
    expect(f.cause).toBe('runtime error');
    expect(f.detail).toContain('sending end');
  });
});

describe('closed links: nobody waits forever on a container that stopped for good', () => {
  const crashingSender = `out : Channel Int
out = channel ()
main =
  let _ = spawnExternal out 0 in
  let _ = sync (send out 11) in
  let _ = sync (send out 22) in
  let _ = sleep 3000 in
  10 / 0`;

  it('a receiver blocked on a link whose sender stopped gets the queued messages, then link closed', () => {
    const system = loadSystem(twoContainers({ capacity: 4 }, { restart: 'never' }), {
      'tx.cam': crashingSender,
      'rx.cam': `inbox : Channel Int
inbox = channel ()
dac : Channel Int
dac = channel ()
loop : () -> ()
loop u =
  let v = sync (recv inbox) in
  let _ = sync (send dac v) in
  loop ()
main =
  let _ = spawnExternal inbox 0 in
  let _ = spawnExternal dac 1 in
  loop ()`,
    });
    const { report, dac } = run(system, 50_000);
    expect(stateOf(report, 'tx')!.state).toBe('stopped');
    expect(dac.map((d) => d.value)).toEqual([11, 22]);
    const rx = stateOf(report, 'rx')!;
    expect(rx.faults.map((f) => f.cause)).toEqual(['link closed']);
    // Told when the sender stopped (after its 3 ms sleep), not at the end of the run.
    expect(rx.faults[0]!.atUs).toBeGreaterThanOrEqual(3000);
    expect(rx.faults[0]!.atUs).toBeLessThan(4000);
    // The receiver (restart never) stopped in turn.
    expect(rx.state).toBe('stopped');
    expect(report.links[0]!.closed).toEqual({ sender: true, receiver: true });
  });

  it('a sync with another live alternative keeps waiting for it', () => {
    const system = loadSystem(twoContainers({}, { restart: 'never' }), {
      'tx.cam': crashingSender,
      'rx.cam': `inbox : Channel Int
inbox = channel ()
count : Int -> Int -> Int
count n timeouts = if n == 8 then timeouts else
  let t = sync (choose (wrap (recv inbox) (\\v -> 0)) (wrap (timeout 1000) (\\u -> 1))) in
  count (n + 1) (timeouts + t)
main =
  let _ = spawnExternal inbox 0 in
  count 0 0`,
    });
    const { report, results } = run(system, 50_000);
    expect(stateOf(report, 'rx')!.faults).toEqual([]);
    expect(results.rx).toBe('6');
  });

  it('a sender whose receiver stopped for good is told too', () => {
    const system = loadSystem(twoContainers({}, {}, { restart: 'never' }), {
      'tx.cam': `out : Channel Int
out = channel ()
loop : Int -> ()
loop n =
  let _ = syncT 1000 0 (send out n) in
  loop (n + 1)
main =
  let _ = spawnExternal out 0 in
  loop 0`,
      'rx.cam': `inbox : Channel Int
inbox = channel ()
main =
  let _ = spawnExternal inbox 0 in
  let _ = sync (recv inbox) in
  1 / 0`,
    });
    const { report } = run(system, 50_000);
    expect(stateOf(report, 'rx')!.state).toBe('stopped');
    const tx = stateOf(report, 'tx')!;
    expect(tx.faults.map((f) => f.cause)).toEqual(['link closed']);
    expect(tx.state).toBe('stopped');
  });

  it('a restart does not close the link: the restarted receiver picks up where it left', () => {
    const system = loadSystem(
      twoContainers({ capacity: 8 }, {}, { restart: { policy: 'on-failure', maxRestarts: 5 } }),
      {
        'tx.cam': `out : Channel Int
out = channel ()
-- After the last message it stays alive: a sender that ended would close the link.
loop : Int -> ()
loop n = if n == 6 then sleep 100000000 else
  let _ = syncT 1000 0 (send out n) in
  loop (n + 1)
main =
  let _ = spawnExternal out 0 in
  loop 1`,
        'rx.cam': `inbox : Channel Int
inbox = channel ()
dac : Channel Int
dac = channel ()
loop : () -> ()
loop u =
  let v = sync (recv inbox) in
  let _ = sync (send dac v) in
  let _ = 10 / (v % 2) in
  loop ()
main =
  let _ = spawnExternal inbox 0 in
  let _ = spawnExternal dac 1 in
  loop ()`,
      },
    );
    const { report, dac } = run(system, 50_000);
    expect(dac.map((d) => d.value)).toEqual([1, 2, 3, 4, 5]);
    expect(stateOf(report, 'rx')!.restarts).toBe(2);
    expect(report.links[0]!.closed).toEqual({ sender: false, receiver: false });
  });
});

describe('load-time checks of the message type', () => {
  const load = (link: Record<string, unknown>, txSource: string, rxSource: string) =>
    checkManifest<Program>(twoContainers(link), {
      loadProgram: (file) => {
        const c = compile(file === 'tx.cam' ? txSource : rxSource, file);
        return c.program
          ? { ok: true, program: c.program }
          : { ok: false, kind: 'rejected', detail: 'does not compile' };
      },
    });
  const plain = 'main = 0';

  it('rejects type text that does not parse (E0689)', () => {
    const r = load({ message: '(Int,' }, plain, plain);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([['E0689', 'links[0].message']]);
    expect(r.issues[0]!.message).toContain('expected a type at the end');
  });

  it('rejects functions, channels and unknown types (E0690)', () => {
    for (const [type, words] of [
      ['Int -> Int', 'a function'],
      ['Channel Int', 'a Channel'],
      ['(Int, Reading)', 'unknown type Reading'],
    ] as const) {
      const r = load({ message: type }, plain, plain);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.issues.map((i) => i.code)).toEqual(['E0690']);
      expect(r.issues[0]!.message).toContain(words);
    }
  });

  it("rejects a program whose channel on the link end is not of the link's type (E0691)", () => {
    const tx = `out : Channel (Int, Int)
out = channel ()
main =
  let _ = spawnExternal out 0 in
  sync (send out (1, 2))`;
    const rx = `inbox : Channel Bool
inbox = channel ()
dac : Channel Int
dac = channel ()
main =
  let _ = spawnExternal dac 1 in
  let _ = spawnExternal inbox 0 in
  sync (recv inbox)`;
    const r = load({ message: 'Int' }, tx, rx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([
      ['E0691', 'containers[0].peripherals[0]'],
      ['E0691', 'containers[1].peripherals[0]'],
    ]);
    expect(r.issues[0]!.message).toBe(
      'link "l" carries "Int", but container "tx" binds it (driver 0) to a channel of (Int, Int)',
    );
    expect(r.issues[1]!.message).toContain(
      'container "rx" binds it (driver 0) to a channel of Bool',
    );
    // The same programs agree with a link of their own types; the DAC (driver 1) is not a link.
    expect(load({ message: '(Int, Int)' }, tx, tx.replace('main =', 'x = 0\nmain =')).ok).toBe(
      true,
    );
    const polymorphic = `bind : Channel a -> ()
bind c = let _ = spawnExternal c 0 in ()
main = 0`;
    // A channel whose type the program does not fix at the binding is not judged.
    expect(load({ message: 'Int' }, polymorphic, polymorphic).ok).toBe(true);
  });

  it('rejects a data type that differs between the two programs (E0690)', () => {
    const other = `data Reading where
  Missing : Reading
  Reading : Int -> (Bool, Float) -> Reading
main = 0`;
    const r = load({ message: 'Reading' }, `${READING}\nmain = 0`, other);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]!.message).toContain('data type Reading differs');
    const same = load(
      { message: 'Maybe Reading' },
      `${READING}
data Maybe a where
  Nothing : Maybe a
  Just : a -> Maybe a
main = 0`,
      `${READING}
data Maybe a where
  Nothing : Maybe a
  Just : a -> Maybe a
main = 0`,
    );
    expect(same.ok).toBe(true);
  });
});
