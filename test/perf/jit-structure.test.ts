/**
 * The compiled tier's structural decisions, checked on the benchmark programs so that a change
 * that silently turns an optimisation off fails here (the differential test only checks that
 * results stay equal): blocks entered by one conditional branch are compiled at that branch,
 * allocation is the free-run bump, and the exit to the interpreter is call-free.
 */
import { describe, expect, it } from 'vitest';
import { BENCHMARKS } from '../../bench/benchmarks.js';
import { Op } from '../../src/isa/opcodes.js';
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
