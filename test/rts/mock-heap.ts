import type { CellStore } from '../../src/rts/events.js';

/** A value of the mock heap: an immediate Int or a pointer to a cell. */
export type MockValue = { readonly int: number } | { readonly ptr: number };

/**
 * A tiny heap for unit tests of the event code: cells in JavaScript arrays, a reservation
 * counter that every `pair` must stay within (so a missing `reserve` fails the test), and an
 * optional cell limit to exercise heap exhaustion.
 */
export class MockHeap implements CellStore<MockValue> {
  readonly cells: [MockValue, MockValue][] = [];
  readonly unit: MockValue = { int: 0 };
  reserved = 0;
  reservations = 0;
  constructor(readonly limit = Infinity) {}
  int(n: number): MockValue {
    return { int: n };
  }
  intOf(v: MockValue): number {
    if (!('int' in v)) throw new Error('intOf on a pointer');
    return v.int;
  }
  isPointer(v: MockValue): boolean {
    return 'ptr' in v;
  }
  reserve(cells: number): boolean {
    this.reservations++;
    if (this.cells.length + cells > this.limit) return false;
    this.reserved = cells;
    return true;
  }
  pair(fst: MockValue, snd: MockValue): MockValue {
    if (this.reserved <= 0) throw new Error('allocation outside a reservation');
    this.reserved--;
    this.cells.push([fst, snd]);
    return { ptr: this.cells.length - 1 };
  }
  private cell(p: MockValue): [MockValue, MockValue] {
    if (!('ptr' in p)) throw new Error('not a pointer');
    const c = this.cells[p.ptr];
    if (!c) throw new Error('dangling pointer');
    return c;
  }
  fst(p: MockValue): MockValue {
    return this.cell(p)[0];
  }
  snd(p: MockValue): MockValue {
    return this.cell(p)[1];
  }
  /** A deep snapshot of the structure reachable from v, for immutability checks. */
  snapshot(v: MockValue): unknown {
    return 'ptr' in v ? [this.snapshot(this.fst(v)), this.snapshot(this.snd(v))] : v.int;
  }
}
