import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ContextQueue } from '../../src/rts/context-queue.js';

describe('ContextQueue (EDF ready queue / wake-up queue)', () => {
  it('pops in key order, earliest first', () => {
    const q = new ContextQueue(8);
    q.push(3, 3000);
    q.push(1, 1000);
    q.push(2, 2000);
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([1, 2, 3, -1]);
  });

  it('is FIFO among equal keys (SynchronVM ran p1, p3, p2)', () => {
    const q = new ContextQueue(8);
    for (const id of [1, 2, 3, 4, 5]) q.push(id, Infinity);
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([1, 2, 3, 4, 5]);
  });

  it('removes arbitrary entries and reports membership and keys', () => {
    const q = new ContextQueue(4);
    q.push(0, 5);
    q.push(1, 1);
    q.push(2, 3);
    expect(q.has(2)).toBe(true);
    expect(q.keyOf(2)).toBe(3);
    expect(q.remove(1)).toBe(true);
    expect(q.remove(1)).toBe(false);
    expect(q.has(1)).toBe(false);
    expect(q.peek()).toBe(2);
    expect(q.peekKey()).toBe(3);
    expect(q.toArray()).toEqual([2, 0]);
  });

  it('rejects a context queued twice (a runtime bug, not a user error)', () => {
    const q = new ContextQueue(2);
    q.push(0, 1);
    expect(() => q.push(0, 2)).toThrow(/twice/);
  });

  it('re-inserting moves an entry behind equal keys', () => {
    const q = new ContextQueue(4);
    q.push(0, 7);
    q.push(1, 7);
    expect(q.pop()).toBe(0);
    q.push(0, 7);
    expect([q.pop(), q.pop()]).toEqual([1, 0]);
  });

  it('matches a stable sort for random operation sequences', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('push' as const), id: fc.nat(15), key: fc.nat(4) }),
            fc.record({ op: fc.constant('pop' as const) }),
            fc.record({ op: fc.constant('remove' as const), id: fc.nat(15) }),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const q = new ContextQueue(16);
          // Model: array of [id, key, seq] kept in insertion order.
          let model: { id: number; key: number; seq: number }[] = [];
          let seq = 0;
          for (const o of ops) {
            if (o.op === 'push') {
              if (model.some((e) => e.id === o.id)) continue;
              q.push(o.id, o.key);
              model.push({ id: o.id, key: o.key, seq: seq++ });
            } else if (o.op === 'pop') {
              const sorted = [...model].sort((a, b) => a.key - b.key || a.seq - b.seq);
              const expected = sorted[0]?.id ?? -1;
              expect(q.pop()).toBe(expected);
              model = model.filter((e) => e.id !== expected);
            } else {
              expect(q.remove(o.id)).toBe(model.some((e) => e.id === o.id));
              model = model.filter((e) => e.id !== o.id);
            }
            expect(q.size).toBe(model.length);
          }
        },
      ),
    );
  });
});
