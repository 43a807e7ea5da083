/**
 * The compiled tier's structural decisions, checked on the benchmark programs so that a change
 * that silently turns an optimisation off fails here (the differential test only checks that
 * results stay equal): blocks entered by one conditional branch are compiled at that branch,
 * allocation is the free-run bump, and the exit to the interpreter is call-free.
 */
import { describe, expect, it } from 'vitest';
import { BENCHMARKS } from '../../bench/benchmarks.js';
import { assembleText } from '../../src/isa/index.js';
import { Op } from '../../src/isa/opcodes.js';
import type { Program } from '../../src/isa/program.js';
import { DEFAULT_CONTAINER_CONFIG, Machine } from '../../src/vm/index.js';
import { CompiledTier } from '../../src/vm/jit/compiled-tier.js';
import { CYCLES, observeRun } from '../helpers/observe-run.js';
import { ALLOC_RUN_END, ALLOC_SWEEP } from '../../src/vm/memory.js';
import { compileBenchmark } from '../../bench/harness.js';
import { decodeProgram } from '../../src/vm/decode.js';
import { analyse } from '../../src/vm/jit/blocks.js';
import { generateModule } from '../../src/vm/jit/emit.js';

function flowOf(name: string) {
  const b = BENCHMARKS.find((x) => x.name === name)!;
  const program = compileBenchmark(b, b.small);
  const decoded = decodeProgram(program);
  return { program, decoded, flow: analyse(program, decoded) };
}

describe('compiled tier structure', () => {
  it('continues into blocks that only one conditional branch reaches', () => {
    const { decoded, flow } = flowOf('tak');
    // tak: `if y < x then <three calls> else z` — both ways on from the test are single-entry.
    expect(flow.inlinable.size).toBeGreaterThanOrEqual(2);
    for (const leader of flow.inlinable) {
      const block = flow.blockAt.get(leader)!;
      expect(block).toBeDefined();
      // Not a function entry: no group starts there.
      expect(flow.groups.some((g) => g[0]!.start === leader)).toBe(false);
    }
    const source = generateModule(decoded, flow).source;
    // Its own `case` hands the block to the interpreter uncharged (xn < 0).
    const first = [...flow.inlinable][0]!;
    expect(source).toMatch(new RegExp(`// pc ${first}\\n\\s*\\{ xpc = ${first}; xn = -\\d+;`));
  });

  it("continues after a call knowing the caller's values once they are checked unchanged", () => {
    const { decoded, flow } = flowOf('tak');
    const source = generateModule(decoded, flow).source;
    // tak's continuations re-read the saved environment: compared with the saved local first.
    expect(source).toMatch(/if \(sw\[S - 1\] !== v\d+ \|\| sk\[S - 1\] !== v\d+/);
    // fib's saved value is an integer with nothing loaded from it: no check, no second copy.
    const fib = flowOf('fib');
    expect(generateModule(fib.decoded, fib.flow).source).not.toMatch(/sw\[S - 1\] !== /);
  });

  it('never inlines a call continuation or a jump target shared by two branches', () => {
    const { decoded, flow } = flowOf('queens');
    const ops = decoded.ops;
    for (const leader of flow.inlinable) {
      // A call continuation follows a CALL, APP or CALLRTS.
      let prev = leader - 1;
      while (prev > 0 && decoded.starts[prev] !== 1) prev--;
      expect([Op.CALL, Op.APP, Op.CALLRTS]).not.toContain(ops[prev]);
    }
    expect(flow.inlinable.size).toBeGreaterThan(0);
  });

  it('allocates by bumping inside the free run and exits without a call', () => {
    const { decoded, flow } = flowOf('listmap');
    const source = generateModule(decoded, flow).source;
    const bump = new RegExp(`= AL\\[${ALLOC_SWEEP}\\]; if \\(v\\d+ >= AL\\[${ALLOC_RUN_END}\\]\\)`);
    expect(source).toMatch(bump);
    expect(source).not.toMatch(/mk\[/);
    expect(source).toMatch(/return -2;/);
    expect(source).not.toMatch(/return X\(/);
  });
});

describe("a callee that changes the caller's stack", () => {
  // The caller keeps c = (1, 2) on the stack with c's first field loaded, and calls with
  // env d = (7, 5). The continuation takes the top of the stack and its first field, and fails
  // unless that is 7 — which it is only when the callee left d where c was.
  const program = (callee: string): Program => {
    const linked = assembleText(
      [
        '.format sensevm 1',
        '.int 1',
        '.int 2',
        '.int 7',
        '.int 5',
        // A first allocation, handed to the interpreter (no free run yet), in a block of its own.
        '    LOADI #0',
        '    PUSH',
        '    LOADI #0',
        '    CONS',
        '    GOTO start',
        'start:',
        '    LOADI #0',
        '    PUSH',
        '    LOADI #1',
        '    CONS',
        '    PUSH',
        '    FST',
        '    LOADI #2',
        '    PUSH',
        '    LOADI #3',
        '    CONS',
        '    CALL callee',
        '    SWAP',
        '    FST',
        // FAIL unless that field is 7.
        '    PUSH',
        '    PUSH',
        '    LOADI #2',
        '    EQI',
        '    GOTOFALSE bad',
        '    STOP',
        'bad:',
        '    FAIL 1',
        'callee:',
        callee,
      ].join('\n'),
    );
    if (!linked.ok) throw new Error(JSON.stringify(linked));
    return linked.program;
  };
  const run = (p: Program, tier: 'interpreter' | 'compiled') =>
    observeRun(
      new Machine(p, DEFAULT_CONTAINER_CONFIG, {
        containerName: 'stack',
        cycleTable: CYCLES,
        ...(tier === 'compiled'
          ? { tier: (...a: ConstructorParameters<typeof CompiledTier>) => new CompiledTier(...a) }
          : {}),
      }),
      20_000,
      1_000,
    );

  it('continues with what it knew when the stack is as it left it (c: 1, so FAIL)', () => {
    const p = program('    RETURN');
    const decoded = decodeProgram(p);
    expect(generateModule(decoded, analyse(p, decoded)).source).toMatch(/sw\[S - 1\] !== v\d+/);
    const compiled = run(p, 'compiled');
    expect(compiled).toEqual(run(p, 'interpreter'));
    expect(compiled.faults.map((f) => f.cause)).toHaveLength(1);
  });

  it('re-reads the stack when the callee left it changed (d: 7, no fault)', () => {
    // SWAP; PUSH; RETURN returns with d left above c: the continuation must see d, not c.
    const p = program('    SWAP\n    PUSH\n    RETURN');
    const decoded = decodeProgram(p);
    expect(generateModule(decoded, analyse(p, decoded)).source).toMatch(/sw\[S - 1\] !== v\d+/);
    const compiled = run(p, 'compiled');
    expect(compiled).toEqual(run(p, 'interpreter'));
    expect(compiled.faults).toEqual([]);
  });
});
