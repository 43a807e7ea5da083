/**
 * The five benchmarks of performance.md §3: where their programs are, the sizes, and the results
 * they must produce. Each CamIoT program ends with a `main = …` line that chooses the size; the
 * runner rewrites that line, so one file serves every size.
 *
 * Results are 32-bit: Sense-VM integers wrap like SynchronVM's (reference §2.5); the Lua and
 * OCaml versions print the exact value, which the runner wraps before comparing.
 */
import { readFileSync } from 'node:fs';

export type BenchmarkName = 'fib' | 'tak' | 'listmap' | 'queens' | 'pingpong';

export interface Size {
  /** Arguments of the benchmark function (also the command-line arguments of the peers). */
  readonly args: readonly number[];
  /** Expected result, exact (before 32-bit wrapping). */
  readonly result: bigint;
}

export interface Benchmark {
  readonly name: BenchmarkName;
  /** How `main` calls the benchmark function with the size's arguments. */
  readonly main: (args: readonly number[]) => string;
  /** performance.md §3b's scaled size, and the small size the regression guard runs. */
  readonly scaled: Size;
  readonly small: Size;
  /** A human label for tables: `fib 32`. */
  readonly label: (size: Size) => string;
  /** The peers' whole-process figures recorded in performance.md §3b (ms), for ratios when the
   * peer is not installed; undefined where the figure does not exist. */
  readonly recorded: {
    readonly synchronvm: number;
    readonly lua: number;
    readonly ocamlrun: number | undefined;
  };
  /** Heap of the container in bytes (SynchronVM was measured with 4 MiB, listmap 128 MiB). */
  readonly heapBytes: number;
  /** CAM instructions SynchronVM executes at the scaled size (performance.md §3b). */
  readonly synchronvmInstructions: number;
}

/** SynchronVM's whole-process start-up (empty program, 4 MiB heap): 2.4 ms (§3b). */
export const SYNCHRONVM_STARTUP_MS = 2.4;
/** Lua 5.4 and ocamlrun start in about 1 ms (§3b, `empty`). */
export const LUA_STARTUP_MS = 1.0;
export const OCAMLRUN_STARTUP_MS = 1.0;

const MiB = 1024 * 1024;

export const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'fib',
    heapBytes: 4 * MiB,
    main: ([n]) => `main = fib ${n}`,
    scaled: { args: [32], result: 2178309n },
    small: { args: [20], result: 6765n },
    label: (s) => `fib ${s.args.join(' ')}`,
    recorded: { synchronvm: 569, lua: 90.1, ocamlrun: 39.5 },
    synchronvmInstructions: 151.6e6,
  },
  {
    name: 'tak',
    heapBytes: 4 * MiB,
    main: ([x, y, z]) => `main = tak ${x} ${y} ${z}`,
    scaled: { args: [24, 16, 8], result: 9n },
    small: { args: [12, 8, 4], result: 5n },
    label: (s) => `tak ${s.args.join(' ')}`,
    recorded: { synchronvm: 473, lua: 34.9, ocamlrun: 20.5 },
    synchronvmInstructions: 109.7e6,
  },
  {
    name: 'queens',
    heapBytes: 4 * MiB,
    main: ([n]) => `main = queens ${n}`,
    scaled: { args: [10], result: 724n },
    small: { args: [6], result: 4n },
    label: (s) => `queens ${s.args.join(' ')}`,
    recorded: { synchronvm: 467, lua: 37.2, ocamlrun: 27.5 },
    synchronvmInstructions: 108.0e6,
  },
  {
    name: 'listmap',
    heapBytes: 128 * MiB,
    main: ([n]) => `main = listmap ${n}`,
    scaled: { args: [1_000_000], result: 1000001000000n },
    small: { args: [2_000], result: 4002000n },
    label: (s) => `listmap ${s.args.join(' ')}`,
    // SynchronVM needs a 128 MiB heap for this one (§3b).
    recorded: { synchronvm: 712, lua: 275, ocamlrun: 82.3 },
    synchronvmInstructions: 137.0e6,
  },
  {
    name: 'pingpong',
    heapBytes: 4 * MiB,
    // The argument is the number of round trips; messages = 2 × round trips.
    main: ([r]) => `main = run ${r}`,
    scaled: { args: [500_000], result: 125000750000n },
    small: { args: [500], result: 125750n },
    label: (s) => `pingpong ${2 * (s.args[0] ?? 0)} msgs`,
    recorded: { synchronvm: 254, lua: 40.6, ocamlrun: undefined },
    synchronvmInstructions: 36.0e6,
  },
];

const PROGRAMS = new URL('./programs/', import.meta.url);

/** Path of a benchmark's program in a language: 'cam', 'lua' or 'ml'. */
export function programPath(name: BenchmarkName, extension: 'cam' | 'lua' | 'ml'): string {
  return new URL(`${name}.${extension}`, PROGRAMS).pathname;
}

/** The CamIoT source of a benchmark at a size: its file with the `main = …` line replaced. */
export function camSource(benchmark: Benchmark, size: Size): string {
  const text = readFileSync(programPath(benchmark.name, 'cam'), 'utf8');
  const mainLine = /^main = .*$/m;
  if (!mainLine.test(text)) throw new Error(`${benchmark.name}.cam has no 'main = …' line`);
  return text.replace(mainLine, benchmark.main(size.args));
}

/** The expected value as `sensevm run` prints it: wrapped to a signed 32-bit integer. */
export function wrapped(result: bigint): string {
  return BigInt.asIntN(32, result).toString();
}
