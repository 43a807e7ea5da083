import { describe, expect, it } from 'vitest';
import { ChannelTable, RECV, SEND } from '../../src/rts/channels.js';
import { InterruptQueue } from '../../src/rts/interrupt-queue.js';

function table(maxChannels = 4, capacity = 3) {
  const generation = new Float64Array(8);
  const t = new ChannelTable(maxChannels, capacity, (ctx, gen) => generation[ctx] === gen);
  return { t, generation };
}

describe('ChannelTable', () => {
  it('allocates channels until the configured maximum', () => {
    const { t } = table(2);
    expect([t.allocate(), t.allocate(), t.allocate()]).toEqual([0, 1, -1]);
    expect(t.isOpen(1)).toBe(true);
    expect(t.isOpen(2)).toBe(false);
    expect(t.isOpen(-1)).toBe(false);
    expect(t.isOpen(0.5)).toBe(false);
  });

  it('takes live waiters in FIFO order', () => {
    const { t } = table();
    const c = t.allocate();
    expect(t.enqueue(c, RECV, 1, 0, 0)).toBe(true);
    expect(t.enqueue(c, RECV, 2, 3, 0)).toBe(true);
    expect(t.hasLive(c, SEND)).toBe(false);
    expect(t.take(c, RECV)).toBe(true);
    expect([t.takenContext, t.takenAlternative]).toEqual([1, 0]);
    expect(t.take(c, RECV)).toBe(true);
    expect([t.takenContext, t.takenAlternative]).toEqual([2, 3]);
    expect(t.take(c, RECV)).toBe(false);
    expect(t.takenContext).toBe(-1);
  });

  it('skips and drops stale entries (a context woken through another alternative)', () => {
    const { t, generation } = table();
    const a = t.allocate();
    const b = t.allocate();
    // Context 1 blocks on recv a | recv b with generation 0, context 2 on recv a.
    t.enqueue(a, RECV, 1, 0, 0);
    t.enqueue(b, RECV, 1, 1, 0);
    t.enqueue(a, RECV, 2, 0, 0);
    expect(t.waitsOf(1)).toEqual([
      { channel: 0, direction: 'recv' },
      { channel: 1, direction: 'recv' },
    ]);
    // Its recv on b fires: its generation moves on, the entry on a is stale.
    expect(t.take(b, RECV)).toBe(true);
    generation[1] = 1;
    expect(t.waitsOf(1)).toEqual([]);
    expect(t.take(a, RECV)).toBe(true);
    expect(t.takenContext).toBe(2);
    expect(t.queueLength(a, RECV)).toBe(0);
  });

  it('counts only live entries against the capacity; overflow is reported', () => {
    const { t, generation } = table(1, 2);
    const c = t.allocate();
    expect(t.enqueue(c, SEND, 1, 0, 0)).toBe(true);
    expect(t.enqueue(c, SEND, 2, 0, 0)).toBe(true);
    generation[1] = 5; // context 1's entry is stale now
    expect(t.enqueue(c, SEND, 3, 0, 0)).toBe(true);
    expect(t.enqueue(c, SEND, 4, 0, 0)).toBe(false);
    expect(t.take(c, SEND)).toBe(true);
    expect(t.takenContext).toBe(2);
    expect(t.take(c, SEND)).toBe(true);
    expect(t.takenContext).toBe(3);
  });

  it('binds drivers; the last binding of a driver wins', () => {
    const { t } = table();
    const a = t.allocate();
    const b = t.allocate();
    expect(t.driverOf(a)).toBe(-1);
    t.bindDriver(a, 1);
    expect(t.channelOfDriver(1)).toBe(a);
    t.bindDriver(b, 1);
    expect(t.channelOfDriver(1)).toBe(b);
    expect(t.channelOfDriver(7)).toBe(-1);
  });
});

describe('InterruptQueue', () => {
  it('keeps FIFO order per driver and counts drops when full', () => {
    const q = new InterruptQueue(3);
    expect(q.post(0, 1, 10)).toBe(true);
    expect(q.post(4, 7, 11)).toBe(true);
    expect(q.post(0, 0, 12)).toBe(true);
    expect(q.post(0, 1, 13)).toBe(false);
    expect(q.drops).toBe(1);
    expect(q.dropsOf(0)).toBe(1);
    expect(q.pendingDrivers()).toEqual([0, 4]);
    expect(q.takeFor(0)).toBe(true);
    expect([q.takenValue, q.takenTimestamp]).toEqual([1, 10]);
    expect(q.takeFor(0)).toBe(true);
    expect([q.takenValue, q.takenTimestamp]).toEqual([0, 12]);
    expect(q.takeFor(0)).toBe(false);
    expect(q.hasFor(4)).toBe(true);
    expect(q.discardFor(4)).toBe(1);
    expect(q.size).toBe(0);
  });
});
