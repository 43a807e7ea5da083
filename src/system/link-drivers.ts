/**
 * Link ends as drivers: a container binds a channel to `link:NAME` with `spawnExternal`, and
 * the runtime treats the end like a peripheral (hal/driver.ts), so `choose`, `wrap` and
 * `syncT` work across containers unchanged.
 *
 * - The sending end is a synchronous output: a `send` on its channel encodes the Int and
 *   offers it to the link; the send completes at once (drop policies decide what is kept).
 * - The receiving end is an interrupt input: the device pumps one message at a time from the
 *   link into the receiving runtime's interrupt queue, and only while a channel is bound to it
 *   and no earlier message of this link is still waiting there. The link's bounded queue (and
 *   its onFull policy) therefore stays the only buffer between the containers.
 *
 * The runtime's driver bridge carries Ints; compound messages need the runtime to hand the
 * driver the heap value (the codec in message-codec.ts is ready for that).
 */
import type { DeviceKind, Driver, InputMode, InterruptSink } from '../hal/driver.js';
import type { Link } from './links.js';
import { OP_INT32, OP_INT8 } from './message-codec.js';

abstract class LinkEndDriver implements Driver {
  readonly kind: DeviceKind = 'link';
  owner: string | undefined;
  constructor(
    readonly name: string,
    readonly link: Link,
  ) {}
  abstract readonly input: InputMode;
  abstract readonly output: boolean;
  readonly synchronous: boolean = true;
  readable(): boolean {
    return false;
  }
  writable(): boolean {
    return false;
  }
  read(): number {
    return 0;
  }
  write(_value: number): boolean {
    return false;
  }
  control(_request: string, _argument?: number): number | undefined {
    return undefined;
  }
  connect(_sink: InterruptSink, _driverNumber: number): void {}
  disconnect(): void {}
  claim(container: string): void {
    this.owner = container;
  }
  release(): void {
    this.disconnect();
    this.owner = undefined;
  }
  safeState(): void {}
}

export class LinkSendDriver extends LinkEndDriver {
  readonly input: InputMode = 'none';
  readonly output = true;

  override writable(): boolean {
    return this.link.canSend();
  }

  override write(value: number): boolean {
    const w = value | 0;
    const scratch = this.link.scratch;
    let length: number;
    if (w >= -128 && w <= 127) {
      length = 2;
      if (scratch.length < length) return this.tooLarge();
      scratch[0] = OP_INT8;
      scratch[1] = w & 0xff;
    } else {
      length = 5;
      if (scratch.length < length) return this.tooLarge();
      scratch[0] = OP_INT32;
      new DataView(scratch.buffer, scratch.byteOffset).setInt32(1, w, true);
    }
    const r = this.link.offer(scratch, length);
    return r === 'queued' || r === 'queued-dropped-oldest';
  }

  private tooLarge(): boolean {
    this.link.counters.rejectedTooLarge++;
    return false;
  }
}

export class LinkReceiveDriver extends LinkEndDriver {
  readonly input: InputMode = 'interrupt';
  readonly output = false;
  private sink: InterruptSink | undefined;
  private driverNumber = -1;

  override readable(): boolean {
    return this.link.canReceive();
  }

  override connect(sink: InterruptSink, driverNumber: number): void {
    this.sink = sink;
    this.driverNumber = driverNumber;
  }

  override disconnect(): void {
    this.sink = undefined;
    this.driverNumber = -1;
  }

  get number(): number {
    return this.driverNumber;
  }

  /**
   * Moves the oldest message into the runtime's interrupt queue. `ready` says whether the
   * runtime can take it now (a channel is bound and no earlier message waits).
   */
  pump(now: number, ready: (driverNumber: number) => boolean): boolean {
    const sink = this.sink;
    if (!sink || this.driverNumber < 0 || !ready(this.driverNumber)) return false;
    const message = this.link.peek();
    if (!message) return false;
    const value = decodeInt(message);
    if (value === undefined) {
      // Only Ints are sent through the driver bridge; anything else is dropped and counted.
      this.link.take();
      this.link.counters.rejectedNotData++;
      return false;
    }
    if (!sink.post({ driver: this.driverNumber, value, timestamp: now })) return false;
    this.link.take();
    return true;
  }
}

function decodeInt(message: Uint8Array): number | undefined {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  if (message.length === 2 && message[0] === OP_INT8) return view.getInt8(1);
  if (message.length === 5 && message[0] === OP_INT32) return view.getInt32(1, true);
  return undefined;
}
