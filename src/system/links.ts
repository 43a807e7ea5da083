/**
 * Links between containers: bounded queues of encoded messages (message-codec.ts), owned by
 * the system, not by either container. The buffer is allocated once from the manifest
 * (`capacity` slots of `maxMessageBytes`), so a link's memory is what the budget table says.
 *
 * A container lists `link:NAME` among its peripherals and binds a channel to it with
 * `spawnExternal`, like a driver: the `from` side may only send, the `to` side only receive.
 *
 * Overflow (`onFull`), counted per link:
 * - `drop-oldest`: the oldest queued message is discarded to make room; the send completes.
 * - `drop-newest`: the new message is discarded; the send completes.
 * - `block`: the send does not complete until there is room (the sender's context stays
 *   blocked; the manifest check allows this only toward equal or higher criticality, so a
 *   container never waits for a lower one).
 *
 * Closing (the mechanism that tells a peer a container stopped for good, docs/system.md):
 * when the supervisor stops a container for good, each of its link ends is closed. A closed
 * link end disables that base event forever:
 * - receive on a link whose sender is closed: queued messages are still delivered; once the
 *   queue is empty the receive can never fire.
 * - send on a link whose receiver is closed: can never fire (the message would go nowhere).
 * A `sync` whose base events are all disabled would wait forever, so the runtime completes it
 * with the fault `link-closed` in that context; a `sync` with another live alternative (a
 * timeout, another channel) keeps waiting for it. A restart does not close anything: the link
 * keeps its messages and the restarted container picks them up.
 */
import type { TypeDesc } from '../isa/program.js';
import type { LinkSpec, OnFull } from './manifest.js';

export type OfferResult =
  /** Queued; the send completes. */
  | 'queued'
  /** Queued after discarding the oldest message (drop-oldest). */
  | 'queued-dropped-oldest'
  /** Discarded (drop-newest); the send completes anyway. */
  | 'dropped'
  /** No room and onFull is block: the send must wait. */
  | 'full'
  /** The receiver stopped for good. */
  | 'closed';

export interface LinkCounters {
  /** Messages accepted from the sender (queued, possibly dropped later). */
  sent: number;
  /** Messages handed to the receiver. */
  delivered: number;
  droppedOldest: number;
  droppedNewest: number;
  /** Sends that found the link full under `block` (each counted once per attempt). */
  blockedSends: number;
  /** Sender faults: message over maxMessageBytes, or not data. */
  rejectedTooLarge: number;
  rejectedNotData: number;
  /** Deepest the queue has been. */
  maxDepth: number;
  /** Bytes copied through the link. */
  bytes: number;
}

export class Link {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly capacity: number;
  readonly maxMessageBytes: number;
  readonly onFull: OnFull;
  readonly messageType: TypeDesc;
  private readonly slots: Uint8Array;
  private readonly lengths: Uint32Array;
  /** Encoding scratch of the sender: messages are encoded here, then copied into a slot. */
  readonly scratch: Uint8Array;
  private head = 0;
  private count = 0;
  private senderClosed = false;
  private receiverClosed = false;
  /** Told when the receive side may have changed (a message arrived, the sender closed). */
  onReceiverChange: (() => void) | undefined;
  /** Told when the send side may have changed (room freed up, the receiver closed). */
  onSenderChange: (() => void) | undefined;
  readonly counters: LinkCounters = {
    sent: 0,
    delivered: 0,
    droppedOldest: 0,
    droppedNewest: 0,
    blockedSends: 0,
    rejectedTooLarge: 0,
    rejectedNotData: 0,
    maxDepth: 0,
    bytes: 0,
  };

  constructor(spec: LinkSpec) {
    this.name = spec.name;
    this.from = spec.from;
    this.to = spec.to;
    this.capacity = spec.capacity;
    this.maxMessageBytes = spec.maxMessageBytes;
    this.onFull = spec.onFull;
    this.messageType = spec.message;
    this.slots = new Uint8Array(spec.capacity * spec.maxMessageBytes);
    this.lengths = new Uint32Array(spec.capacity);
    this.scratch = new Uint8Array(spec.maxMessageBytes);
  }

  depth(): number {
    return this.count;
  }

  /** A send could complete now (possibly by dropping): for the sender's event readiness. */
  canSend(): boolean {
    if (this.receiverClosed) return false;
    return this.onFull !== 'block' || this.count < this.capacity;
  }

  /** A receive could complete now. */
  canReceive(): boolean {
    return this.count > 0;
  }

  /** The receive can never fire again: empty and the sender stopped for good. */
  receiveDisabled(): boolean {
    return this.count === 0 && this.senderClosed;
  }

  /** The send can never fire again: the receiver stopped for good. */
  sendDisabled(): boolean {
    return this.receiverClosed;
  }

  /** Offers an encoded message of `length` bytes from `message` (usually `scratch`). */
  offer(message: Uint8Array, length: number): OfferResult {
    if (length > this.maxMessageBytes) {
      throw new RangeError(`internal error: message of ${length} bytes on link ${this.name}`);
    }
    if (this.receiverClosed) return 'closed';
    let result: OfferResult = 'queued';
    if (this.count === this.capacity) {
      switch (this.onFull) {
        case 'block':
          this.counters.blockedSends++;
          return 'full';
        case 'drop-newest':
          this.counters.sent++;
          this.counters.droppedNewest++;
          return 'dropped';
        case 'drop-oldest':
          this.head = (this.head + 1) % this.capacity;
          this.count--;
          this.counters.droppedOldest++;
          result = 'queued-dropped-oldest';
          break;
      }
    }
    const slot = (this.head + this.count) % this.capacity;
    this.slots.set(message.subarray(0, length), slot * this.maxMessageBytes);
    this.lengths[slot] = length;
    this.count++;
    this.counters.sent++;
    this.counters.bytes += length;
    if (this.count > this.counters.maxDepth) this.counters.maxDepth = this.count;
    this.onReceiverChange?.();
    return result;
  }

  /** The oldest message, as a view valid until the next offer; undefined when empty. */
  peek(): Uint8Array | undefined {
    if (this.count === 0) return undefined;
    const start = this.head * this.maxMessageBytes;
    return this.slots.subarray(start, start + (this.lengths[this.head] ?? 0));
  }

  /** Removes the oldest message (after the receiver decoded it successfully). */
  take(): void {
    if (this.count === 0) return;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.counters.delivered++;
    if (this.onFull === 'block') this.onSenderChange?.();
  }

  /** Closes the end of a container that stopped for good. */
  closeEndOf(container: string): void {
    if (container === this.from) this.senderClosed = true;
    if (container === this.to) {
      this.receiverClosed = true;
      // Nobody will read them: free the slots.
      this.head = 0;
      this.count = 0;
    }
    this.onReceiverChange?.();
    this.onSenderChange?.();
  }

  isClosed(): { sender: boolean; receiver: boolean } {
    return { sender: this.senderClosed, receiver: this.receiverClosed };
  }

  /** A system reset empties the link and reopens both ends; counters continue. */
  reset(): void {
    this.head = 0;
    this.count = 0;
    this.senderClosed = false;
    this.receiverClosed = false;
    this.onReceiverChange?.();
    this.onSenderChange?.();
  }
}
