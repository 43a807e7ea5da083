/**
 * Measures dynamic instruction pairs and triples over the five benchmarks at their small sizes,
 * on the interpreter (per context, so a sequence never straddles a context switch). Only
 * fall-through sequences are counted — the second instruction is the one after the first in the
 * code — because only those can become superinstructions (src/vm/superinstructions.ts).
 *
 *   npx tsx bench/pair-frequencies.ts [--top 30]
 */
import { INSTRUCTIONS, instructionLength } from '../src/isa/opcodes.js';
import { ContainerRuntime } from '../src/rts/container-runtime.js';
import { VirtualClock } from '../src/hal/sim/clock.js';
import { Machine } from '../src/vm/index.js';
import { BENCHMARKS } from './benchmarks.js';
import { benchmarkConfig, compileBenchmark } from './harness.js';

const topArg = process.argv.indexOf('--top');
const top = topArg >= 0 ? Number(process.argv[topArg + 1]) : 30;

const singles = new Map<string, number>();
const pairs = new Map<string, number>();
const triples = new Map<string, number>();
let total = 0;
const bump = (m: Map<string, number>, key: string): void => {
  m.set(key, (m.get(key) ?? 0) + 1);
};

for (const benchmark of BENCHMARKS) {
  const program = compileBenchmark(benchmark, benchmark.small);
  const code = program.code;
  const name = (pc: number): string => {
    const row = INSTRUCTIONS[code[pc] ?? -1];
    if (!row) return '?';
    // ACC/REST depth matters for what a fused handler can do: keep small depths apart.
    if (row.mnemonic === 'ACC' || row.mnemonic === 'REST') return `${row.mnemonic} ${code[pc + 1]}`;
    return row.mnemonic;
  };
  // Per context: the last two pcs executed.
  const previous = new Map<number, [number, number]>();
  const trace = (line: string): void => {
    const match = /^ctx (\d+) pc (\d+) /.exec(line);
    if (!match) return;
    const context = Number(match[1]);
    const pc = Number(match[2]);
    total++;
    bump(singles, name(pc));
    const [before, last] = previous.get(context) ?? [-1, -1];
    const follows = (a: number, b: number): boolean =>
      a >= 0 && a + instructionLength(code, a) === b;
    if (follows(last, pc)) {
      bump(pairs, `${name(last)} ; ${name(pc)}`);
      if (follows(before, last)) bump(triples, `${name(before)} ; ${name(last)} ; ${name(pc)}`);
    }
    previous.set(context, follows(last, pc) ? [last, pc] : [-1, pc]);
  };
  const machine = new Machine(program, benchmarkConfig(benchmark), {
    containerName: 'pairs',
    trace,
  });
  const runtime = new ContainerRuntime(machine, { clock: new VirtualClock(168_000_000) });
  while (runtime.step(1_000_000) === 'busy');
}

const print = (title: string, m: Map<string, number>): void => {
  console.log(`\n${title}`);
  const rows = [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, count] of rows)
    console.log(`${((100 * count) / total).toFixed(1).padStart(5)} %  ${key}`);
};
console.log(`${total} instructions`);
print('single instructions', singles);
print('fall-through pairs', pairs);
print('fall-through triples', triples);
