/**
 * The message fast path (src/rts/plain-events.ts) must agree with EventCodec exactly: it builds
 * the same cells with the same allocations, and recognises as plain exactly the values the codec
 * decodes as one SEND/RECV alternative without wraps, with the same fields.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventCodec, EventKind } from '../../src/rts/events.js';
import { HeapAdapter, kindOf, wordOf } from '../../src/rts/heap-adapter.js';
import { PlainEvents } from '../../src/rts/plain-events.js';
import { ContainerMemory, DEFAULT_CONTAINER_CONFIG } from '../../src/vm/index.js';

function setup(stressGc = false) {
  const memory = new ContainerMemory(
    { ...DEFAULT_CONTAINER_CONFIG, heapBytes: 64 * 1024 },
    {
      stressGc,
    },
  );
  const heap = new HeapAdapter(memory);
  const codec = new EventCodec(heap);
  const plain = new PlainEvents(memory);
  const keep = memory.acquireRoot();
  return { memory, heap, codec, plain, keep };
}

/** The codec's view: the plain fields when the value is a plain event, else undefined. */
function codecView(codec: EventCodec<number>, value: number) {
  const n = codec.countAlternatives(value);
  if (n !== 1) return undefined;
  codec.decodeAt(value, 0);
  if (codec.kind !== EventKind.send && codec.kind !== EventKind.recv) return undefined;
  if (codec.wrapCount !== 0) return undefined;
  return { kind: codec.kind, channel: codec.channel, payload: codec.payload };
}

/** Heap statistics without host timings (pauses in µs of wall time). */
function countersOf(memory: ContainerMemory) {
  return JSON.parse(
    JSON.stringify(memory.heapStats(), (key, value: unknown) =>
      /micros/i.test(key) ? undefined : value,
    ),
  ) as unknown;
}

function plainView(plain: PlainEvents, value: number) {
  return plain.decodeSingle(value)
    ? { kind: plain.kind, channel: plain.channel, payload: plain.payload }
    : undefined;
}

/** A recipe for a value: an Int, a pair of values, or an event built by the codec. */
type Recipe =
  | { readonly int: number }
  | { readonly pair: readonly [Recipe, Recipe] }
  | { readonly base: readonly [number, number, Recipe] }
  | { readonly choose: readonly [Recipe, Recipe] }
  | { readonly wrap: Recipe };

const recipe = fc.letrec<{ value: Recipe }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ int: fc.integer({ min: -5, max: 1 << 20 }) }),
    fc.record({ pair: fc.tuple(tie('value'), tie('value')) }),
    fc.record({
      base: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 40 }), tie('value')),
    }),
    fc.record({ choose: fc.tuple(tie('value'), tie('value')) }),
    fc.record({ wrap: tie('value') }),
  ),
}));

/** Builds a recipe (events only where the operands are events; otherwise a pair). */
function make(s: ReturnType<typeof setup>, r: Recipe): number {
  const { heap, codec } = s;
  const pair = (a: number, b: number) => {
    const p = heap.pair(a, b);
    if (p === null) throw new Error('heap exhausted');
    return p;
  };
  if ('int' in r) return r.int;
  if ('pair' in r) return pair(make(s, r.pair[0]), make(s, r.pair[1]));
  if ('base' in r) {
    const [kind, channel, payload] = r.base;
    const e = codec.base(kind as EventKind, channel, make(s, payload));
    if (e === null) throw new Error('heap exhausted');
    return e;
  }
  if ('choose' in r) {
    const a = make(s, r.choose[0]);
    const b = make(s, r.choose[1]);
    const e = codec.choose(a, b);
    return typeof e === 'number' ? e : pair(a, b);
  }
  const e = make(s, r.wrap);
  const w = codec.wrap(e, 7);
  return typeof w === 'number' ? w : pair(e, 7);
}

describe('plain events (the message fast path)', () => {
  it('recognises exactly the plain events the codec decodes, with the same fields', () => {
    fc.assert(
      fc.property(recipe.value, (r) => {
        const s = setup();
        const value = make(s, r);
        expect(plainView(s.plain, value)).toEqual(codecView(s.codec, value));
      }),
      { numRuns: 400 },
    );
  });

  it('sees send and receive events as plain, choose and wrap of them as not', () => {
    const s = setup();
    const send = s.codec.base(EventKind.send, 3, 42)!;
    const recv = s.codec.base(EventKind.recv, 5, 0)!;
    expect(plainView(s.plain, send)).toEqual({ kind: EventKind.send, channel: 3, payload: 42 });
    expect(plainView(s.plain, recv)).toEqual({ kind: EventKind.recv, channel: 5, payload: 0 });
    expect(s.plain.decodeSingle(s.codec.choose(send, recv) as number)).toBe(false);
    expect(s.plain.decodeSingle(s.codec.wrap(send, 7) as number)).toBe(false);
    expect(s.plain.decodeSingle(s.codec.base(EventKind.always, 0, 1)!)).toBe(false);
    expect(s.plain.decodeSingle(42)).toBe(false);
  });

  for (const stressGc of [false, true]) {
    it(`builds the cells EventCodec.base builds, with the same allocations${stressGc ? ' (stress GC)' : ''}`, () => {
      const a = setup(stressGc);
      const b = setup(stressGc);
      for (let i = 0; i < 50; i++) {
        const kind = i % 2 === 0 ? EventKind.send : EventKind.recv;
        // A pointer payload, kept alive by a root as a context's register would.
        const payload = i % 3 === 0 ? i : a.heap.pair(i, 0)!;
        const payloadB = i % 3 === 0 ? i : b.heap.pair(i, 0)!;
        a.memory.setRoot(a.keep, wordOf(payload), kindOf(payload));
        b.memory.setRoot(b.keep, wordOf(payloadB), kindOf(payloadB));
        const built = a.plain.build(kind, i, wordOf(payload), kindOf(payload));
        const reference = b.codec.base(kind, i, payloadB)!;
        expect(built).toBe(reference);
        expect(codecView(a.codec, built)).toEqual(codecView(b.codec, reference));
      }
      expect(countersOf(a.memory)).toEqual(countersOf(b.memory));
    });
  }

  it('reports an exhausted heap as -1', () => {
    const memory = new ContainerMemory({ ...DEFAULT_CONTAINER_CONFIG, heapBytes: 20 });
    const plain = new PlainEvents(memory);
    expect(plain.build(EventKind.recv, 0, 0, 0)).toBe(-1);
  });
});
