/**
 * The runtime's side of value ports (value-port.ts): firing a port alternative inside `sync`,
 * serving the contexts that wait on ports when a port reports a change, and telling contexts
 * whose every alternative is on a dead port (`link closed`).
 *
 * It owns no context state: the container runtime passes callbacks to commit or fault a
 * waiting context. Kept apart from container-runtime.ts so the latter stays one screenful of
 * concerns; the protocol is documented in docs/runtime.md ("Value ports").
 */
import type { Driver } from '../hal/driver.js';
import type { FaultCause } from '../vm/faults.js';
import type { ContainerMemory } from '../vm/memory.js';
import { type ChannelTable, RECV, SEND } from './channels.js';
import { type EventCodec, EventKind } from './events.js';
import { encodeValue, type HeapAdapter } from './heap-adapter.js';
import {
  faultCauseOf,
  heapReader,
  portOf,
  StackBuilder,
  type PortFailure,
  type PortHeapReader,
  type ValuePort,
} from './value-port.js';

/** What the service needs from the runtime that owns the contexts. */
export interface PortServiceHost {
  readonly channels: ChannelTable;
  readonly codec: EventCodec<number>;
  /** The context is blocked in a sync (its env holds the event). */
  isBlocked(ctx: number): boolean;
  /** Commits alternative `alt` of a blocked context with `value` and makes it ready. */
  commitWaiting(ctx: number, alt: number, value: number): void;
  /** Faults a context that is blocked in a sync (the fault points at its CALLRTS). */
  faultWaiting(ctx: number, cause: FaultCause, detail: string): void;
}

/** `fire` found the port not ready: the alternative waits. */
export const PORT_WAIT = null;

export class PortService {
  /** A port reported a change since the last `serve`. */
  dirty = false;
  /** Values that crossed ports in this container (sent or received). */
  messages = 0;
  private readonly ports: (ValuePort | undefined)[];
  private readonly reader: PortHeapReader;
  private readonly builder: StackBuilder;
  readonly markDirty = (): void => {
    this.dirty = true;
  };

  constructor(
    drivers: readonly Driver[],
    memory: ContainerMemory,
    private readonly heap: HeapAdapter,
    private readonly host: PortServiceHost,
  ) {
    this.ports = drivers.map(portOf);
    this.reader = heapReader(heap);
    this.builder = new StackBuilder(memory);
  }

  get any(): boolean {
    return this.ports.some((p) => p !== undefined);
  }

  /** The port of driver `driverNo` (-1: none). */
  portAt(driverNo: number): ValuePort | undefined {
    return driverNo >= 0 ? this.ports[driverNo] : undefined;
  }

  /** A channel was bound to driver `driverNo`: its port reports changes from now on. */
  bound(driverNo: number): void {
    const port = this.portAt(driverNo);
    if (!port) return;
    port.watch(this.markDirty);
    this.dirty = true;
  }

  /** Why `ctx` may not use the port in this direction, or undefined. */
  misuse(port: ValuePort, sending: boolean, name: string): string | undefined {
    if (sending === (port.direction === 'send')) return undefined;
    return `${name} is the ${port.direction === 'send' ? 'sending' : 'receiving'} end of its link`;
  }

  /**
   * Tries a port alternative of the running context `ctx`: the value to commit with, a failure
   * (the context's fault), or PORT_WAIT.
   */
  fire(
    ctx: number,
    sending: boolean,
    port: ValuePort,
    payload: number,
  ): number | PortFailure | typeof PORT_WAIT {
    if (sending) {
      if (!port.sendReady()) return PORT_WAIT;
      const failure = port.send(this.reader, payload);
      if (failure) return failure;
      this.messages++;
      return this.heap.unit;
    }
    if (!port.receiveReady()) return PORT_WAIT;
    return this.receive(ctx, port);
  }

  /** Serves every context waiting on a port that changed; then tells those left with none. */
  serve(): void {
    this.dirty = false;
    const host = this.host;
    const channels = host.channels;
    let anyDead = false;
    for (let c = 0; c < channels.channelsInUse; c++) {
      const port = this.portAt(channels.driverOf(c));
      if (!port) continue;
      while (port.receiveReady() && channels.take(c, RECV)) {
        const ctx = channels.takenContext;
        const alt = channels.takenAlternative;
        const value = this.receive(ctx, port);
        if (typeof value === 'number') host.commitWaiting(ctx, alt, value);
        else host.faultWaiting(ctx, faultCauseOf(value), value.detail);
      }
      while (port.sendReady() && channels.take(c, SEND)) {
        const ctx = channels.takenContext;
        const alt = channels.takenAlternative;
        const failure = port.send(this.reader, this.payloadOf(ctx, alt));
        if (failure) host.faultWaiting(ctx, faultCauseOf(failure), failure.detail);
        else {
          this.messages++;
          host.commitWaiting(ctx, alt, this.heap.unit);
        }
      }
      if (port.dead()) anyDead = true;
    }
    if (anyDead) this.faultDeadWaiters();
  }

  /** The number of alternatives of `event` that are on dead ports. */
  deadAlternatives(event: number, count: number): number {
    const codec = this.host.codec;
    let dead = 0;
    for (let alt = 0; alt < count; alt++) {
      codec.decodeAt(event, alt);
      if (codec.kind !== EventKind.send && codec.kind !== EventKind.recv) continue;
      const port = this.portAt(this.host.channels.driverOf(codec.channel));
      if (port?.dead()) dead++;
    }
    return dead;
  }

  private faultDeadWaiters(): void {
    const { host } = this;
    const mem = this.builder.memory;
    for (let ctx = 0; ctx < mem.layout.maxContexts; ctx++) {
      if (!host.isBlocked(ctx)) continue;
      const event = encodeValue(mem.envWord(ctx), mem.envKind(ctx));
      const count = host.codec.countAlternatives(event);
      if (typeof count !== 'number' || count === 0) continue;
      if (this.deadAlternatives(event, count) === count)
        host.faultWaiting(ctx, 'link closed', LINK_CLOSED_DETAIL);
    }
  }

  private payloadOf(ctx: number, alt: number): number {
    const mem = this.builder.memory;
    this.host.codec.decodeAt(encodeValue(mem.envWord(ctx), mem.envKind(ctx)), alt);
    return this.host.codec.payload;
  }

  private receive(ctx: number, port: ValuePort): number | PortFailure {
    const result = port.receive(this.builder.on(ctx));
    if (typeof result === 'number') this.messages++;
    return result;
  }
}

export const LINK_CLOSED_DETAIL =
  'every alternative of this sync is on a link whose other container stopped for good';
