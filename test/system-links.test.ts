import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataTypeDesc, TypeDesc } from '../src/isa/program.js';
import { Link } from '../src/system/links.js';
import {
  decodeMessage,
  encodeMessage,
  nonDataReason,
  type MessageHeapBuilder,
  type MessageHeapReader,
} from '../src/system/message-codec.js';
import type { LinkSpec } from '../src/system/manifest.js';

/** A fake heap: immediates are numbers, cells are two-element arrays. */
type FakeValue = number | readonly [FakeValue, FakeValue];

const reader: MessageHeapReader<FakeValue> = {
  isPointer: (v) => typeof v !== 'number',
  word: (v) => (typeof v === 'number' ? v : NaN),
  fst: (v) => (typeof v === 'number' ? NaN : v[0]),
  snd: (v) => (typeof v === 'number' ? NaN : v[1]),
};

class FakeBuilder implements MessageHeapBuilder<FakeValue> {
  stack: FakeValue[] = [];
  cells = 0;
  constructor(private readonly maxCells = Infinity) {}
  pushImmediate(word: number): boolean {
    this.stack.push(word);
    return true;
  }
  pushPair(): boolean {
    if (this.cells >= this.maxCells) return false;
    const snd = this.stack.pop() as FakeValue;
    const fst = this.stack.pop() as FakeValue;
    this.cells++;
    this.stack.push([fst, snd]);
    return true;
  }
  pop(): FakeValue {
    return this.stack.pop() as FakeValue;
  }
  reset(): void {
    this.stack = [];
  }
}

const INT: TypeDesc = { kind: 'int' };
const FLOAT: TypeDesc = { kind: 'float' };
const BOOL: TypeDesc = { kind: 'bool' };
const listOf = (t: TypeDesc): TypeDesc => ({ kind: 'con', name: 'List', args: [t] });
const DATA: DataTypeDesc[] = [
  {
    name: 'List',
    params: ['a'],
    constructors: [
      { name: 'Nil', tag: 0, fields: [] },
      {
        name: 'Cons',
        tag: 1,
        fields: [{ kind: 'var', name: 'a' }, listOf({ kind: 'var', name: 'a' })],
      },
    ],
  },
  {
    name: 'Reading',
    params: [],
    constructors: [
      { name: 'Temp', tag: 0, fields: [INT, FLOAT] },
      { name: 'Off', tag: 1, fields: [] },
    ],
  },
  {
    name: 'Box',
    params: [],
    constructors: [{ name: 'Box', tag: 0, fields: [{ kind: 'fun', from: INT, to: INT }] }],
  },
];

function list(items: readonly number[]): FakeValue {
  let v: FakeValue = [0, 0];
  for (let i = items.length - 1; i >= 0; i--) v = [1, [items[i] ?? 0, v]];
  return v;
}

function roundTrip(value: FakeValue, type: TypeDesc | undefined, max = 1024) {
  const out = new Uint8Array(max);
  const enc = encodeMessage(reader, value, type, DATA, out);
  if (!enc.ok) return enc;
  const builder = new FakeBuilder();
  return decodeMessage(out.subarray(0, enc.length), builder);
}

describe('message codec', () => {
  it('copies ints, floats, booleans, unit, tuples and constructors', () => {
    expect(roundTrip(42, INT)).toEqual({ ok: true, value: 42 });
    expect(roundTrip(-70000, INT)).toEqual({ ok: true, value: -70000 });
    expect(roundTrip(1, BOOL)).toEqual({ ok: true, value: 1 });
    const floatBits = new Int32Array(new Float32Array([21.5]).buffer)[0] ?? 0;
    expect(roundTrip(floatBits, FLOAT)).toEqual({ ok: true, value: floatBits });
    const triple: TypeDesc = { kind: 'tuple', items: [INT, BOOL, { kind: 'unit' }] };
    expect(roundTrip([7, [0, 0]], triple)).toEqual({ ok: true, value: [7, [0, 0]] });
    const reading: TypeDesc = { kind: 'con', name: 'Reading', args: [] };
    expect(roundTrip([0, [215, floatBits]], reading)).toEqual({
      ok: true,
      value: [0, [215, floatBits]],
    });
    expect(roundTrip([1, 0], reading)).toEqual({ ok: true, value: [1, 0] });
    expect(roundTrip(list([1, 2, 300]), listOf(INT))).toEqual({
      ok: true,
      value: list([1, 2, 300]),
    });
  });

  it('round-trips any list of ints that fits (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 40 }),
        (xs) => {
          const r = roundTrip(list(xs), listOf(INT), 4096);
          expect(r).toEqual({ ok: true, value: list(xs) });
        },
      ),
    );
  });

  it('encodes a long list without recursion', () => {
    const xs = Array.from({ length: 20_000 }, (_, i) => i % 100);
    const r = roundTrip(list(xs), listOf(INT), 200_000);
    expect(r.ok).toBe(true);
  });

  it('faults the sender for a message over maxMessageBytes, with bounded work', () => {
    const r = roundTrip(list(Array.from({ length: 100 }, (_, i) => i)), listOf(INT), 64);
    expect(r).toMatchObject({ ok: false, cause: 'link-message-too-large' });
    // Exactly at the limit is fine: Nil = TAG(3) UNIT(1) PAIR(1) = 5 bytes.
    expect(roundTrip(list([]), listOf(INT), 5).ok).toBe(true);
    expect(roundTrip(list([]), listOf(INT), 4).ok).toBe(false);
  });

  it('faults the sender for closures, channels and other non-data', () => {
    const fn: TypeDesc = { kind: 'fun', from: INT, to: INT };
    expect(roundTrip([0, 12], fn)).toMatchObject({ ok: false, cause: 'link-not-data' });
    const ch: TypeDesc = { kind: 'con', name: 'Channel', args: [INT] };
    const r = roundTrip(3, ch);
    expect(r).toMatchObject({ ok: false, cause: 'link-not-data' });
    expect(!r.ok && r.detail).toContain('Channel');
    expect(nonDataReason({ kind: 'con', name: 'Box', args: [] }, DATA)).toContain('function');
    expect(nonDataReason(listOf({ kind: 'tuple', items: [INT, BOOL] }), DATA)).toBeUndefined();
    expect(nonDataReason(listOf({ kind: 'con', name: 'Event', args: [INT] }), DATA)).toContain(
      'Event',
    );
    // A value whose shape contradicts its type (an Int that is a cell) is rejected too.
    expect(roundTrip([1, 2], INT)).toMatchObject({ ok: false, cause: 'link-not-data' });
  });

  it('without a declared type only immediates cross', () => {
    expect(roundTrip(5, undefined)).toEqual({ ok: true, value: 5 });
    expect(roundTrip([1, 2], undefined)).toMatchObject({ ok: false, cause: 'link-not-data' });
  });

  it('rejects malformed bytes and reports heap exhaustion on the receiver', () => {
    const b = new FakeBuilder();
    expect(decodeMessage(new Uint8Array([0x07]), b)).toMatchObject({
      ok: false,
      cause: 'link-message-malformed',
    });
    expect(decodeMessage(new Uint8Array([0x04, 1]), b)).toMatchObject({
      ok: false,
      cause: 'link-message-malformed',
    });
    expect(decodeMessage(new Uint8Array([0x00, 0x00]), b)).toMatchObject({
      ok: false,
      cause: 'link-message-malformed',
    });
    expect(decodeMessage(new Uint8Array([0x99]), b)).toMatchObject({
      ok: false,
      cause: 'link-message-malformed',
    });
    const out = new Uint8Array(64);
    const enc = encodeMessage(reader, list([1, 2, 3]), listOf(INT), DATA, out);
    if (!enc.ok) throw new Error('encode failed');
    const small = new FakeBuilder(3);
    expect(decodeMessage(out.subarray(0, enc.length), small)).toMatchObject({
      ok: false,
      cause: 'heap-exhausted',
    });
    expect(small.stack).toEqual([]);
  });
});

function spec(onFull: LinkSpec['onFull'], capacity = 2): LinkSpec {
  return {
    name: 'l',
    from: 'a',
    to: 'b',
    capacity,
    maxMessageBytes: 8,
    onFull,
    messageText: 'Int',
    message: { kind: 'int' },
  };
}

function send(link: Link, byte: number) {
  link.scratch[0] = byte;
  return link.offer(link.scratch, 1);
}

function receive(link: Link): number | undefined {
  const m = link.peek();
  if (!m) return undefined;
  const v = m[0];
  link.take();
  return v;
}

describe('links', () => {
  it('delivers copies in order', () => {
    const link = new Link(spec('drop-oldest', 3));
    send(link, 1);
    send(link, 2);
    link.scratch[0] = 99; // the queued message is a copy
    expect(receive(link)).toBe(1);
    expect(receive(link)).toBe(2);
    expect(receive(link)).toBeUndefined();
    expect(link.counters).toMatchObject({ sent: 2, delivered: 2, maxDepth: 2, bytes: 2 });
  });

  it('drop-oldest keeps the newest messages and counts the drops', () => {
    const link = new Link(spec('drop-oldest'));
    expect([send(link, 1), send(link, 2), send(link, 3), send(link, 4)]).toEqual([
      'queued',
      'queued',
      'queued-dropped-oldest',
      'queued-dropped-oldest',
    ]);
    expect([receive(link), receive(link)]).toEqual([3, 4]);
    expect(link.counters.droppedOldest).toBe(2);
  });

  it('drop-newest keeps the oldest messages and counts the drops', () => {
    const link = new Link(spec('drop-newest'));
    expect([send(link, 1), send(link, 2), send(link, 3)]).toEqual(['queued', 'queued', 'dropped']);
    expect([receive(link), receive(link)]).toEqual([1, 2]);
    expect(link.counters.droppedNewest).toBe(1);
  });

  it('block refuses while full and counts the blocked attempts', () => {
    const link = new Link(spec('block'));
    send(link, 1);
    send(link, 2);
    expect(link.canSend()).toBe(false);
    expect(send(link, 3)).toBe('full');
    expect(link.counters.blockedSends).toBe(1);
    receive(link);
    expect(link.canSend()).toBe(true);
    expect(send(link, 3)).toBe('queued');
    expect([receive(link), receive(link)]).toEqual([2, 3]);
  });

  it('closing ends: queued messages drain, then the receive is disabled; sends to a closed receiver fail', () => {
    const link = new Link(spec('block'));
    send(link, 1);
    link.closeEndOf('a');
    expect(link.receiveDisabled()).toBe(false);
    expect(receive(link)).toBe(1);
    expect(link.receiveDisabled()).toBe(true);
    const other = new Link(spec('drop-oldest'));
    send(other, 1);
    other.closeEndOf('b');
    expect(other.sendDisabled()).toBe(true);
    expect(other.canSend()).toBe(false);
    expect(send(other, 2)).toBe('closed');
    expect(other.depth()).toBe(0);
    other.reset();
    expect(send(other, 3)).toBe('queued');
  });
});
