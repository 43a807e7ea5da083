/**
 * The device event log (`--events out.jsonl`): one JSON object per line for every device
 * output, every input delivered, every dropped interrupt and every fault, in device-time order:
 *
 *   {"t":500000,"container":"main","device":"led0","dir":"out","value":1}
 *
 * Keys always appear in the order t, container, device, dir, value, then the optional ones, so
 * identical runs give byte-identical logs. `container` is null for a peripheral no container
 * owns.
 */

export type EventDirection =
  /** an output written by the program (or the safe state applied on release) */
  | 'out'
  /** an input that reached the program: an interrupt posted, a sensor value read */
  | 'in'
  /** an input that could not be delivered (queue full, no channel bound) — never silent */
  | 'drop'
  /** a fault of a container (reported by the runtime/system) */
  | 'fault';

export interface DeviceEvent {
  readonly t: number;
  readonly container: string | null;
  /** Peripheral name; omitted for faults that concern no device. */
  readonly device?: string;
  readonly dir: EventDirection;
  readonly value?: number;
  /** Why: `safe-state`, `queue-full`, `unbound`, a fault cause, … */
  readonly reason?: string;
}

/** One line of the log, with a fixed key order. */
export function formatEvent(e: DeviceEvent): string {
  const parts = [`"t":${e.t}`, `"container":${JSON.stringify(e.container)}`];
  if (e.device !== undefined) parts.push(`"device":${JSON.stringify(e.device)}`);
  parts.push(`"dir":${JSON.stringify(e.dir)}`);
  if (e.value !== undefined) parts.push(`"value":${e.value}`);
  if (e.reason !== undefined) parts.push(`"reason":${JSON.stringify(e.reason)}`);
  return `{${parts.join(',')}}`;
}

/** Collects device events; `toJsonl()` is the `--events` file. */
export class EventLog {
  private readonly lines: string[] = [];
  private readonly listeners: ((e: DeviceEvent) => void)[] = [];
  /** Keep at most this many lines (older ones are kept; later ones counted in `overflow`). */
  overflow = 0;

  constructor(private readonly maxLines = 5_000_000) {}

  record(e: DeviceEvent): void {
    if (this.lines.length < this.maxLines) this.lines.push(formatEvent(e));
    else this.overflow++;
    for (const listen of this.listeners) listen(e);
  }

  /** Calls `listener` for every later event (e.g. the terminal board, a tracer). */
  subscribe(listener: (e: DeviceEvent) => void): void {
    this.listeners.push(listener);
  }

  get length(): number {
    return this.lines.length;
  }

  toJsonl(): string {
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }
}
