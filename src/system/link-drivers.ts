/**
 * Link ends as drivers with a value port (rts/value-port.ts): a container binds a channel to
 * `link:NAME` with `spawnExternal`, and the runtime treats the end like a peripheral, so
 * `choose`, `wrap` and `syncT` work across containers unchanged.
 *
 * - Sending end: a `send` is ready when the link can take a message (always under the drop
 *   policies, only with room under `block`, never once the receiver stopped for good). The
 *   runtime hands the port the sender's heap and value; the port encodes it with the link's
 *   message type into the link's scratch buffer (message-codec.ts) — a value that is not data
 *   or needs more than `maxMessageBytes` is refused, and the runtime faults the *sender*.
 * - Receiving end: a `recv` is ready when a message is queued; the port decodes the oldest one
 *   straight into the receiver's heap (bottom-up, rooted on the receiving context's stack).
 * - Either end is dead when the other container stopped for good (receive: once the queue is
 *   drained); a sync with nothing but dead alternatives faults with `link closed`.
 *
 * The link's bounded queue is the only buffer between the containers; the runtime is told of
 * every change through `watch`, so a blocked sender or receiver completes as soon as it can.
 */
import type { DeviceKind, InputMode, InterruptSink } from '../hal/driver.js';
import type { DataTypeDesc, TypeDesc } from '../isa/program.js';
import type {
  PortDriver,
  PortFailure,
  PortHeapBuilder,
  PortHeapReader,
  ValuePort,
} from '../rts/value-port.js';
import type { Link } from './links.js';
import { decodeMessage, encodeMessage } from './message-codec.js';

abstract class LinkEndDriver implements PortDriver {
  readonly kind: DeviceKind = 'link';
  readonly input: InputMode = 'none';
  readonly output = false;
  readonly synchronous = true;
  owner: string | undefined;
  abstract readonly port: ValuePort;

  constructor(
    readonly name: string,
    readonly link: Link,
  ) {}

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
  disconnect(): void {
    this.port.watch(undefined);
  }
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
  readonly port: ValuePort;

  constructor(name: string, link: Link, messageType: TypeDesc, dataTypes: readonly DataTypeDesc[]) {
    super(name, link);
    this.port = {
      direction: 'send',
      sendReady: () => link.canSend(),
      sendWaiting: () => void link.counters.blockedSends++,
      send: (heap: PortHeapReader, value: number): PortFailure | undefined => {
        const encoded = encodeMessage(heap, value, messageType, dataTypes, link.scratch);
        if (!encoded.ok) {
          if (encoded.cause === 'link-message-too-large') link.counters.rejectedTooLarge++;
          else link.counters.rejectedNotData++;
          return { cause: encoded.cause, detail: `link:${link.name}: ${encoded.detail}` };
        }
        link.offer(link.scratch, encoded.length);
        return undefined;
      },
      receiveReady: () => false,
      receive: () => ({ cause: 'link-message-malformed', detail: 'a sending end' }),
      dead: () => link.sendDisabled(),
      watch: (onChange) => (link.onSenderChange = onChange),
    };
  }

  override writable(): boolean {
    return this.link.canSend();
  }
}

export class LinkReceiveDriver extends LinkEndDriver {
  readonly port: ValuePort;

  constructor(name: string, link: Link) {
    super(name, link);
    this.port = {
      direction: 'recv',
      sendReady: () => false,
      send: () => ({ cause: 'link-not-data', detail: 'a receiving end' }),
      receiveReady: () => link.canReceive(),
      receive: (builder: PortHeapBuilder): number | PortFailure => {
        const message = link.peek();
        if (!message) return { cause: 'link-message-malformed', detail: 'no message' };
        const decoded = decodeMessage(message, builder);
        // A message that cannot be built is dropped with the fault it causes: retrying it
        // after a restart would fault again.
        link.take();
        if (!decoded.ok)
          return { cause: decoded.cause, detail: `link:${link.name}: ${decoded.detail}` };
        return decoded.value;
      },
      dead: () => link.receiveDisabled(),
      watch: (onChange) => (link.onReceiverChange = onChange),
    };
  }

  override readable(): boolean {
    return this.link.canReceive();
  }
}
