/**
 * Concurrency and system costs (issue 8 §5–6) for `npm run bench`: a context switch, a channel
 * rendezvous, a `choose` over 8 channels, a container switch and a link message between
 * containers (src/system's Device), the worst GC pause with an 8 KiB heap; bytes of VM state per
 * container and per context; the process's resident memory.
 *
 * Device time (µs) is deterministic: it comes from the board's CPU cost model (cycles per
 * instruction class, container-switch cycles, collection work), so it is the same on every
 * machine. Host time (ns) is wall time on this machine. Per-operation device figures are
 * differences between a run of 2n and a run of n operations divided by n — set-up cancels out,
 * the loop around each operation (a call, a comparison, a subtraction) is included.
 */
import { cycleTable, defaultBoard } from '../src/hal/boards/index.js';
import { VirtualClock } from '../src/hal/sim/clock.js';
import { SimPlatform } from '../src/hal/sim/platform.js';
import type { Program } from '../src/isa/program.js';
import { compile } from '../src/lang/compile.js';
import { ContainerRuntime } from '../src/rts/container-runtime.js';
import { Device } from '../src/system/device.js';
import { checkManifest, formatIssues } from '../src/system/manifest.js';
import { DEFAULT_CONTAINER_CONFIG, type ContainerConfig, Machine } from '../src/vm/index.js';
import { tierFactory } from '../src/vm/jit/index.js';

export interface SystemCost {
  readonly name: string;
  /** Device µs per operation (cost model), undefined when not meaningful. */
  readonly deviceUs: number | undefined;
  /** Host ns per operation (wall time). */
  readonly hostNs: number;
  readonly note: string;
}

export interface Footprint {
  /** The container configuration measured (stack bytes per context matter most). */
  readonly stackBytesPerContext: number;
  /** Bytes of VM + runtime state of a container with one context, without heap cells. */
  readonly perContainerBytes: number;
  readonly perContextBytes: number;
  /** Bytes per heap cell (the rest of a container grows with its heap). */
  readonly perHeapCellBytes: number;
  readonly residentBytes: number;
}

export const ANCHORS = 'SynchronVM ≈ 0.25 µs/message, Erlang ≈ 0.24 µs/message (recorded)';

function program(source: string, name: string): Program {
  const c = compile(source, name);
  if (!c.program) throw new Error(`${name}: ${c.diagnostics.map((d) => d.message).join('; ')}`);
  return c.program;
}

const YIELD = (n: number): string => `
spinner : Int -> ()
spinner k = if k == 0 then () else let _ = yield () in spinner (k - 1)

main : Int
main = let t = spawn (\\u -> spinner ${n}) in let _ = spinner ${n} in ${n}
`;

const PINGPONG = (messages: number): string => `
pong : Channel Int -> Channel Int -> Int -> ()
pong a b k = if k == 0 then () else let x = sync (recv a) in let u = sync (send b (x + 1)) in pong a b (k - 1)

ping : Channel Int -> Channel Int -> Int -> Int -> Int
ping a b k acc = if k == 0 then acc else let u = sync (send a k) in ping a b (k - 1) (acc + sync (recv b))

main : Int
main = let a = channel () in let b = channel () in
  let t = spawn (\\u -> pong a b ${messages / 2}) in ping a b ${messages / 2} 0
`;

const CHANNELS = [0, 1, 2, 3, 4, 5, 6, 7];
/** The receiver syncs on a choose of 8 receives; the message always comes on the last. */
const CHOOSE8 = (messages: number): string => `
${CHANNELS.map((i) => `c${i} : Channel Int\nc${i} = channel ()\n`).join('')}
producer : Int -> ()
producer k = if k == 0 then () else let _ = sync (send c7 k) in producer (k - 1)

anyOf : () -> Event Int
anyOf u = ${CHANNELS.slice(0, 7)
  .map((i) => `choose (recv c${i}) (`)
  .join('')}recv c7${')'.repeat(7)}

consumer : Int -> Int -> Int
consumer k acc = if k == 0 then acc else consumer (k - 1) (acc + sync (anyOf ()))

main : Int
main = let t = spawn (\\u -> producer ${messages}) in consumer ${messages} 0
`;

/** Device µs and host ns of running `source` to its end in one container. */
function runOne(source: string, name: string): { deviceUs: number; hostNs: number } {
  const board = defaultBoard();
  const cycles = cycleTable(board);
  const machine = new Machine(program(source, name), DEFAULT_CONTAINER_CONFIG, {
    tier: tierFactory('compiled'),
    cycleTable: cycles,
    stressGc: false,
  });
  const clock = new VirtualClock(board.cpu.clockHz);
  const runtime = new ContainerRuntime(machine, { clock, cycleTable: cycles });
  const started = performance.now();
  for (;;) {
    const outcome = runtime.step(1_000_000);
    if (outcome === 'finished') break;
    if (outcome === 'idle') throw new Error(`${name}: deadlock`);
  }
  const hostNs = (performance.now() - started) * 1e6;
  if (runtime.faults.length > 0) throw new Error(`${name}: ${runtime.faults[0]!.cause}`);
  return { deviceUs: clock.now(), hostNs };
}

/**
 * Per-operation cost. Device time: (run of 2n − run of n) / n, so set-up cancels out. Host time:
 * the fastest of three runs of n after a warm-up run of the same program (the same source shares
 * its generated code and V8's feedback), divided by n.
 */
function perOperation(make: (n: number) => string, n: number, name: string) {
  const deviceUs = (runOne(make(2 * n), name).deviceUs - runOne(make(n), name).deviceUs) / n;
  let hostNs = Infinity;
  for (let i = 0; i < 3; i++) hostNs = Math.min(hostNs, runOne(make(n), name).hostNs / n);
  return { deviceUs, hostNs };
}

/** A Device running `containers` for `micros` of device time: its report and the wall time. */
function runDevice(containers: unknown[], links: unknown[], micros: number, quantum: number) {
  const sources: Record<string, string> = {
    'spin.cam': 'spin : Int -> Int\nspin n = spin (n + 1)\n\nmain = spin 0\n',
    'tx.cam':
      'out : Channel Int\nout = channel ()\n\nflood : Int -> ()\nflood n = let _ = sync (send out n) in flood (n + 1)\n\nmain = let _ = spawnExternal out 0 in flood 0\n',
    'rx.cam':
      'inp : Channel Int\ninp = channel ()\n\ndrain : Int -> ()\ndrain n = let x = sync (recv inp) in drain (n + x)\n\nmain = let _ = spawnExternal inp 0 in drain 0\n',
    'storm.cam':
      'data L where\n  Nil : L\n  Cons : Int -> L -> L\n\nbuild : Int -> L -> L\nbuild n acc = if n == 0 then acc else build (n - 1) (Cons n acc)\n\nstorm : Int -> Int\nstorm k = let _ = build 40 Nil in storm (k + 1)\n\nmain = storm 0\n',
  };
  const checked = checkManifest<Program>(
    { board: 'stm32f4-discovery', quantumInstructions: quantum, containers, links },
    {
      loadProgram: (file) => {
        const source = sources[file];
        if (source === undefined) return { ok: false, kind: 'unreadable', detail: file };
        return { ok: true, program: program(source, file) };
      },
    },
  );
  if (!checked.ok) throw new Error(formatIssues('system-costs', checked.issues));
  const platform = new SimPlatform(checked.system.board.board, {});
  const started = performance.now();
  const report = new Device(checked.system, { platform, stressGc: false }).run(micros);
  return { report, hostNs: (performance.now() - started) * 1e6 };
}

const MEMORY = { heapBytes: 4096, stackBytes: 512, maxContexts: 2 };

export function measureSystemCosts(): SystemCost[] {
  const out: SystemCost[] = [];
  const sw = perOperation(YIELD, 50_000, 'yield.cam');
  out.push({
    name: 'context switch (yield)',
    deviceUs: sw.deviceUs / 2,
    hostNs: sw.hostNs / 2,
    note: 'two contexts yielding to each other',
  });
  const rv = perOperation(PINGPONG, 100_000, 'pingpong.cam');
  out.push({ name: 'channel rendezvous', ...rv, note: 'per message, ping-pong' });
  const c8 = perOperation(CHOOSE8, 50_000, 'choose8.cam');
  out.push({
    name: 'choose over 8 channels',
    ...c8,
    note: 'per message; event built each time, ready on the last',
  });

  // Container switches: two busy containers, 10-instruction quanta.
  const spin = (name: string) => ({ name, program: 'spin.cam', criticality: 1, memory: MEMORY });
  const switches = runDevice([spin('a'), spin('b')], [], 50_000, 10);
  const n = Math.max(1, switches.report.containerSwitches);
  out.push({
    name: 'container switch',
    deviceUs: switches.report.switchOverheadUs / n,
    hostNs: switches.hostNs / n,
    note: 'host: incl. a 10-instruction quantum',
  });

  // Link messages: a flooding sender, a draining receiver.
  const link = runDevice(
    [
      { name: 'tx', program: 'tx.cam', criticality: 1, memory: MEMORY, peripherals: ['link:l'] },
      { name: 'rx', program: 'rx.cam', criticality: 1, memory: MEMORY, peripherals: ['link:l'] },
    ],
    [{ name: 'l', from: 'tx', to: 'rx', capacity: 4, onFull: 'block' }],
    100_000,
    200,
  );
  const delivered = Math.max(1, link.report.links[0]?.counters.delivered ?? 0);
  out.push({
    name: 'link message',
    deviceUs: link.report.endedAtUs / delivered,
    hostNs: link.hostNs / delivered,
    note: 'saturated link between 2 containers (switches included)',
  });

  // The worst collection pause with an 8 KiB heap (device: work × cycles per move).
  const storm = runDevice(
    [
      {
        name: 'storm',
        program: 'storm.cam',
        criticality: 1,
        memory: { heapBytes: 8192, stackBytes: 512, maxContexts: 1 },
      },
    ],
    [],
    200_000,
    200,
  );
  const container = storm.report.containers[0]!;
  out.push({
    name: 'worst GC pause, 8 KiB heap',
    deviceUs: container.worstCollectionUs,
    // The smallest worst pause of three runs: one run's worst is often a host hiccup.
    hostNs: Math.min(...[0, 1, 2].map(() => worstHostPause(sources8k()))) * 1000,
    note: `${container.collections} collections in 200 ms of device time`,
  });
  return out;
}

function sources8k(): string {
  return 'data L where\n  Nil : L\n  Cons : Int -> L -> L\n\nbuild : Int -> L -> L\nbuild n acc = if n == 0 then acc else build (n - 1) (Cons n acc)\n\nstorm : Int -> Int\nstorm k = if k == 0 then 0 else let _ = build 40 Nil in storm (k - 1)\n\nmain = storm 20000\n';
}

/** Host µs of the longest collection of `source` with an 8 KiB heap. */
function worstHostPause(source: string): number {
  const config = { ...DEFAULT_CONTAINER_CONFIG, heapBytes: 8192 };
  const machine = new Machine(program(source, 'storm8k.cam'), config, {
    tier: tierFactory('compiled'),
    stressGc: false,
  });
  const runtime = new ContainerRuntime(machine, { clock: new VirtualClock(168_000_000) });
  while (runtime.step(1_000_000) === 'busy');
  return machine.memory.heapStats().maxPauseMicros;
}

/** Bytes of typed arrays reachable from `root` (VM memory, runtime tables), each buffer once. */
function stateBytes(root: object): number {
  const seenBuffers = new Set<ArrayBufferLike>();
  const seen = new Set<object>();
  let bytes = 0;
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      if (!seenBuffers.has(value.buffer)) {
        seenBuffers.add(value.buffer);
        bytes += value.buffer.byteLength;
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      // The program and its decoding are code, shared by every container of an image.
      if (key === 'program' || key === 'decoded' || key === 'source') continue;
      visit(child, depth + 1);
    }
  };
  visit(root, 0);
  return bytes;
}

function containerBytes(config: ContainerConfig): { bytes: number; cells: number } {
  const machine = new Machine(program('main : Int\nmain = 1\n', 'one.cam'), config, {
    tier: tierFactory('compiled'),
  });
  const runtime = new ContainerRuntime(machine, { clock: new VirtualClock(168_000_000) });
  return { bytes: stateBytes(runtime), cells: machine.memory.layout.cells };
}

export function measureFootprint(): Footprint {
  const base: ContainerConfig = { ...DEFAULT_CONTAINER_CONFIG, heapBytes: 8192, maxContexts: 1 };
  const one = containerBytes(base);
  const two = containerBytes({ ...base, maxContexts: 2 });
  const bigHeap = containerBytes({ ...base, heapBytes: 16384 });
  const perHeapCellBytes = (bigHeap.bytes - one.bytes) / (bigHeap.cells - one.cells);
  const perContextBytes = two.bytes - one.bytes;
  return {
    stackBytesPerContext: base.stackBytes,
    perContainerBytes: Math.round(one.bytes - perHeapCellBytes * one.cells - perContextBytes),
    perContextBytes,
    perHeapCellBytes,
    residentBytes: process.memoryUsage().rss,
  };
}
