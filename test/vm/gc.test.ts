/** Container memory and the collector: byte accounting, roots, statistics, stress-GC equivalence. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TypeDesc } from '../../src/isa/program.js';
import {
  CELL_BYTES,
  ContainerMemory,
  DEFAULT_CONTAINER_CONFIG,
  IMMEDIATE,
  POINTER,
  type CollectionStats,
} from '../../src/vm/index.js';
import { asm, exec, type Line } from './helpers.js';

const LIST_OF_INT: TypeDesc = { kind: 'con', name: 'List', args: [{ kind: 'int' }] };
const LIST_METADATA = {
  dataTypes: [
    {
      name: 'List',
      params: ['a'],
      constructors: [
        { name: 'Nil', tag: 0, fields: [] },
        {
          name: 'Cons',
          tag: 1,
          fields: [
            { kind: 'var', name: 'a' } as TypeDesc,
            { kind: 'con', name: 'List', args: [{ kind: 'var', name: 'a' }] } as TypeDesc,
          ],
        },
      ],
    },
  ],
};

/** Builds Cons n (… (Cons 1 Nil)) in a loop; env = [counter, list]. 2 live cells per element. */
function listProgram(n: number): Line[] {
  return [
    ['LOADI', n],
    ['PUSH'],
    ['CLEAR'],
    ['PACK', 0],
    ['CONS'],
    'loop:',
    ['PUSH'],
    ['FST'],
    ['PUSH'],
    ['LOADI', 0],
    ['EQI'],
    ['GOTOFALSE', 'body'],
    ['SND'],
    ['STOP'],
    'body:',
    ['PUSH'],
    ['FST'],
    ['PUSH'],
    ['LOADI', 1],
    ['MINI'],
    ['SWAP'],
    ['PUSH'],
    ['FST'],
    ['SWAP'],
    ['SND'],
    ['CONS'],
    ['PACK', 1],
    ['CONS'],
    ['GOTO', 'loop'],
  ];
}

const small = {
  ...DEFAULT_CONTAINER_CONFIG,
  heapBytes: 1000,
  stackBytes: 100,
  maxContexts: 2,
  rootSlots: 4,
};

describe('container memory', () => {
  it('is one ArrayBuffer sized from the configuration, in bytes', () => {
    const m = new ContainerMemory(DEFAULT_CONTAINER_CONFIG);
    const l = m.layout;
    expect(m.buffer.byteLength).toBe(l.totalBytes);
    expect(l.heapBytes).toBeLessThanOrEqual(DEFAULT_CONTAINER_CONFIG.heapBytes);
    expect(l.cells).toBe(Math.floor(DEFAULT_CONTAINER_CONFIG.heapBytes / CELL_BYTES));
    expect(l.maxContexts).toBeGreaterThanOrEqual(16);
    expect(m.fst.buffer).toBe(m.buffer);
    expect(m.stackKinds.buffer).toBe(m.buffer);
    expect(m.rootWords.buffer).toBe(m.buffer);
  });

  it('an 8 KiB heap holds at most 8 KiB of heap data: 819 cells of 10 bytes', () => {
    const m = new ContainerMemory({ ...small, heapBytes: 8192 });
    expect(m.layout.cells).toBe(819);
    expect(m.layout.heapBytes).toBeLessThanOrEqual(8192);
  });

  it('a program keeping more than 8 KiB alive faults with heap exhausted', () => {
    const program = asm(listProgram(420), { metadata: LIST_METADATA });
    const out = exec(program, { config: { heapBytes: 8192 } });
    expect(out.result.fault?.cause).toBe('heap exhausted');
    const stats = out.machine.memory.heapStats();
    expect(stats.collections).toBeGreaterThan(0);
    expect(stats.cellsInUse * CELL_BYTES).toBeLessThanOrEqual(8192);
  });

  it('the same heap holds a 400-element list (800 live cells)', () => {
    const program = asm(listProgram(400), { metadata: LIST_METADATA });
    const out = exec(program, { config: { heapBytes: 8192 }, type: LIST_OF_INT });
    expect(out.result.reason).toBe('stop');
    expect(out.value.startsWith('Cons 1 (Cons 2 (Cons 3')).toBe(true);
    expect(out.value.match(/Cons/g)?.length).toBe(400);
  });

  it('a 2 KiB heap (204 cells) builds an 80-element list (240 allocations) thanks to collection', () => {
    const program = asm(listProgram(80), { metadata: LIST_METADATA });
    const out = exec(program, {
      config: { heapBytes: 2048 },
      type: LIST_OF_INT,
      machine: { verifyHeap: true },
    });
    expect(out.result.reason).toBe('stop');
    expect(out.value.match(/Cons/g)?.length).toBe(80);
    expect(out.machine.memory.heapStats().collections).toBeGreaterThan(0);
    expect(out.machine.memory.heapProblems).toEqual([]);
  });

  it('prints a typed list', () => {
    const program = asm(listProgram(3), { metadata: LIST_METADATA });
    expect(exec(program, { type: LIST_OF_INT }).value).toBe('Cons 1 (Cons 2 (Cons 3 Nil))');
  });
});

describe('collector', () => {
  it('reports cells live and freed and its pause from the injected clock', () => {
    let now = 1000;
    const reports: CollectionStats[] = [];
    const m = new ContainerMemory(small, {
      clock: () => (now += 7),
      onCollection: (s) => reports.push(s),
    });
    const slot = m.acquireRoot();
    let kept = m.allocPair(1, IMMEDIATE, 2, IMMEDIATE);
    kept = m.allocPair(kept, POINTER, 3, IMMEDIATE); // 2 reachable cells
    m.setRoot(slot, kept, POINTER);
    for (let i = 0; i < 5; i++) m.allocPair(i, IMMEDIATE, i, IMMEDIATE); // 5 garbage cells
    const stats = m.collect();
    expect(stats).toMatchObject({
      cellsBefore: 7,
      cellsLive: 2,
      cellsFreed: 5,
      pauseMicros: 7,
      reason: 'explicit',
    });
    expect(stats.pauseWork).toBeGreaterThan(0);
    expect(reports).toEqual([stats]);
    expect(m.heapStats()).toMatchObject({ cellsInUse: 2, bytesInUse: 20, collections: 1 });
    m.releaseRoot(slot);
    expect(m.collect().cellsLive).toBe(0);
    expect(m.checkHeap()).toEqual([]);
  });

  it('allocPair protects its operands when the allocation collects (stress GC)', () => {
    const m = new ContainerMemory(small, { stressGc: true, verifyHeap: true });
    const ctx = m.acquireContext();
    let list = m.allocPair(0, IMMEDIATE, 0, IMMEDIATE);
    for (let i = 1; i < 50; i++) list = m.allocPair(i, IMMEDIATE, list, POINTER);
    m.setEnv(ctx, list, POINTER);
    expect(m.heapStats().collections).toBe(50);
    let n = 0;
    for (let c = list; m.sndKind(c) === POINTER; c = m.sndWord(c))
      expect(m.fstWord(c)).toBe(49 - n++);
    expect(n).toBe(49);
    expect(m.heapProblems).toEqual([]);
  });

  it('marks deep structures with a tiny mark stack (overflow rescan)', () => {
    const m = new ContainerMemory({ ...small, heapBytes: 10_000, markStackEntries: 1 });
    const ctx = m.acquireContext();
    let tree = m.allocPair(0, IMMEDIATE, 0, IMMEDIATE);
    for (let i = 0; i < 300; i++) {
      const leaf = m.allocPair(i, IMMEDIATE, i, IMMEDIATE);
      m.allocPair(7, IMMEDIATE, 7, IMMEDIATE); // garbage in between
      tree =
        i % 2
          ? m.allocPair(tree, POINTER, leaf, POINTER)
          : m.allocPair(leaf, POINTER, tree, POINTER);
      m.setEnv(ctx, tree, POINTER);
    }
    const stats = m.collect();
    expect(stats.cellsLive).toBe(601);
    expect(m.checkHeap()).toEqual([]);
  });

  it('stack slots above sp and released contexts are not roots', () => {
    const m = new ContainerMemory(small);
    const a = m.acquireContext();
    const b = m.acquireContext();
    m.push(a, m.allocPair(1, IMMEDIATE, 1, IMMEDIATE), POINTER);
    m.push(a, m.allocPair(2, IMMEDIATE, 2, IMMEDIATE), POINTER);
    m.setEnv(b, m.allocPair(3, IMMEDIATE, 3, IMMEDIATE), POINTER);
    expect(m.collect().cellsLive).toBe(3);
    m.drop(a, 1);
    expect(m.collect().cellsLive).toBe(2);
    m.releaseContext(b);
    expect(m.collect().cellsLive).toBe(1);
  });

  it('the invariant checker catches a live cell that the allocator considers free', () => {
    const m = new ContainerMemory(small);
    const ctx = m.acquireContext();
    m.setEnv(ctx, m.allocPair(1, IMMEDIATE, 2, IMMEDIATE), POINTER);
    m.collect();
    // Corrupt: point env at a cell that was never allocated.
    m.setEnv(ctx, 50, POINTER);
    expect(m.checkHeap().join('\n')).toMatch(/free cell 50/);
  });
});

// ---- property: random allocation-heavy programs behave identically with and without stress GC

type Expr =
  | { t: 'leaf'; v: number }
  | { t: 'pair' | 'snoc' | 'drop'; a: Expr; b: Expr }
  | { t: 'pack'; tag: number; a: Expr }
  | { t: 'fst' | 'snd' | 'call' | 'match'; a: Expr };
type Shape = 'imm' | { pair: [Shape, Shape] } | { con: number; of: Shape };

const exprArb = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('leaf' as const), v: fc.integer({ min: -1000, max: 1000 }) }),
    fc.record({
      t: fc.constantFrom('pair' as const, 'snoc' as const, 'drop' as const),
      a: tie('expr'),
      b: tie('expr'),
    }),
    fc.record({
      t: fc.constant('pack' as const),
      tag: fc.integer({ min: 0, max: 3 }),
      a: tie('expr'),
    }),
    fc.record({
      t: fc.constantFrom('fst' as const, 'snd' as const, 'call' as const, 'match' as const),
      a: tie('expr'),
    }),
  ) as fc.Arbitrary<Expr>,
}));

function compile(e: Expr, out: Line[], fresh: () => string): Shape {
  switch (e.t) {
    case 'leaf':
      out.push(['LOADI', e.v]);
      return 'imm';
    case 'pair': {
      const a = compile(e.a, out, fresh);
      out.push(['PUSH']);
      const b = compile(e.b, out, fresh);
      out.push(['CONS']);
      return { pair: [a, b] };
    }
    case 'snoc': {
      const b = compile(e.b, out, fresh);
      out.push(['PUSH']);
      const a = compile(e.a, out, fresh);
      out.push(['SNOC']);
      return { pair: [a, b] };
    }
    case 'drop': {
      const a = compile(e.a, out, fresh);
      out.push(['PUSH']);
      compile(e.b, out, fresh); // garbage
      out.push(['POP']);
      return a;
    }
    case 'pack': {
      const a = compile(e.a, out, fresh);
      out.push(['PACK', e.tag]);
      return { con: e.tag, of: a };
    }
    case 'fst':
    case 'snd': {
      const a = compile(e.a, out, fresh);
      if (a === 'imm' || !('pair' in a)) return a;
      out.push([e.t === 'fst' ? 'FST' : 'SND']);
      return a.pair[e.t === 'fst' ? 0 : 1];
    }
    case 'call': {
      // (\x -> (x, x)) a through a closure: allocates the closure, the call env and the pair.
      const a = compile(e.a, out, fresh);
      out.push(['PUSH'], ['CUR', 'dup'], ['APP']);
      return { pair: [a, a] };
    }
    case 'match': {
      const a = compile(e.a, out, fresh);
      if (a === 'imm' || !('con' in a)) return a;
      const arm = fresh();
      const other = fresh();
      // SWITCH keeps the outer env: env := [saved, payload]; SND selects the payload.
      out.push(['PUSH'], ['SWAP'], ['PUSH'], ['POP']);
      out.push(
        [
          'SWITCH',
          [
            [(a.con + 1) % 4, other],
            [a.con, arm],
          ],
        ],
        other,
        ['FAIL', 0],
        arm,
        ['SND'],
      );
      return a.of;
    }
  }
}

function programFor(e: Expr): Line[] {
  let n = 0;
  const out: Line[] = [];
  compile(e, out, () => `l${n++}`);
  out.push(['STOP'], 'dup:', ['PUSH'], ['SND'], ['SWAP'], ['FST'], ['CONS'], ['RETURN']);
  return out;
}

describe('stress GC equivalence (property)', () => {
  it('random allocation-heavy programs give identical results with and without stress GC', () => {
    fc.assert(
      fc.property(exprArb.expr, fc.integer({ min: 12, max: 200 }), (e, cells) => {
        const program = asm(programFor(e));
        const config = { heapBytes: cells * CELL_BYTES, stackBytes: 4096 };
        const normal = exec(program, { config, machine: { stressGc: false, verifyHeap: true } });
        const stressed = exec(program, { config, machine: { stressGc: true, verifyHeap: true } });
        expect(stressed.value).toBe(normal.value);
        expect(stressed.result.reason).toBe(normal.result.reason);
        expect(stressed.result.fault?.pc).toBe(normal.result.fault?.pc);
        expect(stressed.result.fault?.cause).toBe(normal.result.fault?.cause);
        expect(normal.machine.memory.heapProblems).toEqual([]);
        expect(stressed.machine.memory.heapProblems).toEqual([]);
        const s = stressed.machine.memory.heapStats();
        expect(s.collections).toBeGreaterThanOrEqual(s.cellsAllocated);
      }),
      { numRuns: 300 },
    );
  });
});
