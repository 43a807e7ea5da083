import type { CellStore } from '../../src/rts/events.js';

/** A value of the mock heap: an immediate Int or a pointer to a cell. */
export type MockValue = { readonly int: number } | { readonly ptr: number };

/**
 * A tiny heap for unit tests of the event code. With `stress`, every allocation first collects
 * everything not reachable from `roots`, the hold slots and the two operands, and a freed cell
 * can never be read again — so a value kept only in a JavaScript local across an allocation
 * fails the test. `limit` bounds the live cells to exercise heap exhaustion.
 */
export class MockHeap implements CellStore<MockValue> {
  readonly cells: ([MockValue, MockValue] | null)[] = [];
  readonly unit: MockValue = { int: 0 };
  /** Values the "VM registers" hold. */
  roots: MockValue[] = [];
  readonly holds: MockValue[] = [this.unit, this.unit];
  allocations = 0;
  constructor(
    readonly limit = Infinity,
    readonly stress = false,
  ) {}
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
  hold(slot: number, v: MockValue): void {
    if (slot !== 0 && slot !== 1) throw new Error('bad hold slot');
    this.holds[slot] = v;
  }
  get live(): number {
    return this.cells.filter((c) => c !== null).length;
  }
  collect(extra: MockValue[]): void {
    const marked = new Set<number>();
    const visit = (v: MockValue): void => {
      if (!('ptr' in v) || marked.has(v.ptr)) return;
      marked.add(v.ptr);
      const c = this.cells[v.ptr];
      if (!c) throw new Error(`root reaches freed cell ${v.ptr}`);
      visit(c[0]);
      visit(c[1]);
    };
    [...this.roots, ...this.holds, ...extra].forEach(visit);
    this.cells.forEach((_, i) => {
      if (!marked.has(i)) this.cells[i] = null;
    });
  }
  pair(fst: MockValue, snd: MockValue): MockValue | null {
    this.allocations++;
    if (this.stress || this.live >= this.limit) this.collect([fst, snd]);
    if (this.live >= this.limit) return null;
    // Check the operands are still valid cells.
    for (const v of [fst, snd]) if ('ptr' in v) this.cell(v);
    this.cells.push([fst, snd]);
    return { ptr: this.cells.length - 1 };
  }
  private cell(p: MockValue): [MockValue, MockValue] {
    if (!('ptr' in p)) throw new Error('not a pointer');
    const c = this.cells[p.ptr];
    if (!c) throw new Error(`use of freed cell ${p.ptr}`);
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
