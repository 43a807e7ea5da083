/**
 * Whole-process timing: `sensevm run` of the benchmark images, and the Lua 5.4 / OCaml
 * bytecode versions when `lua5.4` / `ocamlrun` are installed. Uses hyperfine when present
 * (no shell, warm-up runs, median of the runs), otherwise spawns the command itself.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessTiming {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** stdout of one run, trimmed (to check the result). */
  readonly output: string;
  readonly tool: 'hyperfine' | 'spawn';
}

export function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Runs `argv` `runs` times after `warmup` runs; undefined when the command fails. */
export function timeProcess(
  argv: readonly string[],
  runs: number,
  warmup = 1,
): ProcessTiming | undefined {
  const [cmd, ...args] = argv;
  if (!cmd) return undefined;
  const once = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (once.status !== 0) return undefined;
  const output = once.stdout.trim();
  if (installed('hyperfine')) {
    const dir = mkdtempSync(join(tmpdir(), 'sensevm-bench-'));
    const out = join(dir, 'hyperfine.json');
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const h = spawnSync(
      'hyperfine',
      ['-N', '--warmup', String(warmup), '--runs', String(runs), '--export-json', out, quoted],
      { encoding: 'utf8' },
    );
    if (h.status === 0) {
      const json = JSON.parse(readFileSync(out, 'utf8')) as {
        results: { median: number; min: number; max: number }[];
      };
      const r = json.results[0];
      if (r)
        return {
          medianMs: r.median * 1000,
          minMs: r.min * 1000,
          maxMs: r.max * 1000,
          output,
          tool: 'hyperfine',
        };
    }
  }
  for (let i = 0; i < warmup; i++) spawnSync(cmd, args);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(cmd, args);
    times.push(performance.now() - t0);
  }
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    output,
    tool: 'spawn',
  };
}

/** Compiles the OCaml versions to bytecode in a temporary directory; path of `<name>.byte`. */
export function buildOcaml(sourcePath: string, name: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'sensevm-ocaml-'));
  const src = join(dir, `${name}.ml`);
  copyFileSync(sourcePath, src);
  const out = join(dir, `${name}.byte`);
  const threads = name === 'pingpong' ? ['-I', '+threads', 'unix.cma', 'threads.cma'] : [];
  const r = spawnSync('ocamlc', [...threads, '-o', out, src], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? out : undefined;
}

export { median };
