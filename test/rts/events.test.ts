import { describe, expect, it } from 'vitest';
import { EventCodec, EventKind } from '../../src/rts/events.js';
import { MockHeap, type MockValue } from './mock-heap.js';

function setup(limit = Infinity, stress = false) {
  const heap = new MockHeap(limit, stress);
  const codec = new EventCodec(heap);
  const ev = (kind: EventKind, channel: number, payload: MockValue = heap.unit) => {
    const e = codec.base(kind, channel, payload);
    if (!e) throw new Error('exhausted');
    heap.roots.push(e);
    return e;
  };
  const ok = <T>(v: T | string): T => {
    if (typeof v === 'string') throw new Error(v);
    return v;
  };
  /** [kind, channel, payload int, wrap functions innermost first] per alternative. */
  const describeEvent = (e: MockValue) => {
    const n = ok(codec.countAlternatives(e));
    const out: [number, number, number, number[]][] = [];
    for (let i = 0; i < n; i++) {
      codec.decodeAt(e, i);
      const wraps: number[] = [];
      for (let s = 0; s < codec.wrapCount; s++)
        wraps.push(heap.intOf(codec.wrapAt(codec.wraps, codec.wrapCount, s)));
      out.push([codec.kind, codec.channel, heap.intOf(codec.payload), wraps]);
    }
    return out;
  };
  return { heap, codec, ev, ok, describeEvent };
}

describe('events as heap data', () => {
  it('base events cost 3 cells and decode back', () => {
    const { heap, ev, describeEvent } = setup();
    const e = ev(EventKind.send, 5, heap.int(42));
    expect(heap.allocations).toBe(3);
    expect(describeEvent(e)).toEqual([[EventKind.send, 5, 42, []]]);
  });

  it('choose is non-destructive and left to right', () => {
    const { heap, codec, ev, ok, describeEvent } = setup();
    const a = ev(EventKind.recv, 0);
    const b = ev(EventKind.send, 1, heap.int(9));
    const before = [heap.snapshot(a), heap.snapshot(b)];
    const ab = ok(codec.choose(a, b));
    const ab2 = ok(codec.choose(ab, a));
    expect(describeEvent(ab2).map(([k, c]) => [k, c])).toEqual([
      [EventKind.recv, 0],
      [EventKind.send, 1],
      [EventKind.recv, 0],
    ]);
    // The inputs are unchanged, however often they are reused.
    for (let i = 0; i < 1000; i++) ok(codec.choose(ab, a));
    expect([heap.snapshot(a), heap.snapshot(b)]).toEqual(before);
    expect(ok(codec.countAlternatives(ab))).toBe(2);
  });

  it('wrap applies to every alternative and composes, innermost first', () => {
    const { heap, codec, ev, ok, describeEvent } = setup();
    const f = heap.int(100);
    const g = heap.int(200);
    const h = heap.int(300);
    const a = ev(EventKind.recv, 0);
    const b = ev(EventKind.recv, 1);
    const inner = ok(codec.choose(ok(codec.wrap(a, f)), b));
    const outer = ok(codec.wrap(ok(codec.wrap(inner, g)), h));
    expect(describeEvent(outer)).toEqual([
      [EventKind.recv, 0, 0, [100, 200, 300]],
      [EventKind.recv, 1, 0, [200, 300]],
    ]);
    // Wrapping did not change the wrapped events.
    expect(describeEvent(inner)).toEqual([
      [EventKind.recv, 0, 0, [100]],
      [EventKind.recv, 1, 0, []],
    ]);
  });

  it('reports heap exhaustion as a problem value', () => {
    const { heap, codec, ev } = setup(7);
    const a = ev(EventKind.recv, 0);
    const b = ev(EventKind.always, 0, heap.int(1));
    expect(codec.wrap(a, heap.int(1))).toBe('heap-exhausted');
    expect(heap.holds).toEqual([heap.unit, heap.unit]);
    expect(codec.choose(a, b)).not.toBe('heap-exhausted');
    expect(codec.base(EventKind.timeout, 0, heap.int(5))).toBeNull();
  });

  it('survives a collection on every allocation (stress GC)', () => {
    const { heap, codec, ev, ok, describeEvent } = setup(Infinity, true);
    const f = heap.int(7);
    let e = ev(EventKind.recv, 0);
    for (let i = 1; i < 6; i++) {
      const next = ok(codec.choose(e, ev(i % 2 ? EventKind.send : EventKind.recv, i, heap.int(i))));
      heap.roots = [next];
      e = next;
    }
    const once = ok(codec.wrap(e, f));
    heap.roots = [once]; // as the VM's env would hold it
    const wrapped = ok(codec.wrap(once, heap.int(8)));
    heap.roots = [wrapped];
    heap.collect([]);
    expect(describeEvent(wrapped).map(([k, c, , w]) => [k, c, w])).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [i === 0 || i % 2 === 0 ? 1 : 0, i, [7, 8]]),
    );
  });

  it('rejects values that are not events instead of crashing', () => {
    const { heap, codec, ok } = setup();
    expect(codec.countAlternatives(heap.int(3))).toBe('not-an-event');
    const pairOfInts = heap.pair(heap.int(1), heap.int(2))!;
    expect(codec.countAlternatives(heap.pair(pairOfInts, heap.unit)!)).toBe('not-an-event');
    expect(codec.countAlternatives(heap.pair(heap.int(1), heap.unit)!)).toBe('not-an-event');
    expect(ok(codec.countAlternatives(codec.base(EventKind.recv, 0, heap.unit)!))).toBe(1);
  });
});
