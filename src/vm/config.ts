/**
 * Container configuration of the execution unit: how many bytes of heap and stack a container
 * gets, how many contexts it may run, and the debug switches. Every size is in bytes and is
 * honoured exactly (docs/memory.md gives the bytes per cell and per stack slot).
 */

/** Sizes of a container's private memory. */
export interface ContainerConfig {
  /** Bytes of heap: cells = floor(heapBytes / CELL_BYTES). */
  readonly heapBytes: number;
  /** Bytes of stack per context: slots = floor(stackBytes / STACK_SLOT_BYTES). */
  readonly stackBytes: number;
  /** Contexts (lightweight threads) the container can hold at once. */
  readonly maxContexts: number;
  /** Slots of the runtime root table (channel queues, timers, messages, refs). */
  readonly rootSlots: number;
  /** Entries of the collector's mark stack; when it overflows the collector rescans the heap. */
  readonly markStackEntries: number;
}

/**
 * Defaults of `sensevm run`: big enough for the compiler corpus (512 KiB of heap), 16 contexts,
 * and 32 KiB of stack per context (6 553 slots: a 1 000-deep non-tail recursion needs about
 * 3 000).
 */
export const DEFAULT_CONTAINER_CONFIG: ContainerConfig = Object.freeze({
  heapBytes: 512 * 1024,
  stackBytes: 32 * 1024,
  maxContexts: 16,
  rootSlots: 1024,
  markStackEntries: 1024,
});

/** Largest accepted size of any one area; far beyond a microcontroller, it only guards typos. */
export const MAX_AREA_BYTES = 256 * 1024 * 1024;

/** Returns why a configuration is unusable, or undefined when it is fine. */
export function configProblem(config: ContainerConfig): string | undefined {
  const fields: [keyof ContainerConfig, number][] = [
    ['heapBytes', 0],
    ['stackBytes', 0],
    ['maxContexts', 1],
    ['rootSlots', 0],
    ['markStackEntries', 1],
  ];
  for (const [name, min] of fields) {
    const v = config[name];
    if (!Number.isSafeInteger(v) || v < min || v > MAX_AREA_BYTES)
      return `${name} must be an integer between ${min} and ${MAX_AREA_BYTES} (got ${String(v)})`;
  }
  if (config.maxContexts > 65536) return `maxContexts must be at most 65536`;
  return undefined;
}

/** A clock in microseconds, used only to report collection pauses. */
export type MicrosecondClock = () => number;

/** Debug switches and hooks of a machine. All are off unless asked for. */
export interface VmOptions {
  /** Name of the container, copied into fault records. */
  readonly containerName?: string;
  /** Collect on every allocation (default: SENSEVM_STRESS_GC=1 in the environment). */
  readonly stressGc?: boolean;
  /** Run the heap-invariant checker after every collection; problems go to `heapProblems`. */
  readonly verifyHeap?: boolean;
  /** Receives one line per executed instruction. */
  readonly trace?: (line: string) => void;
  /** Count executed instructions per opcode (`Machine.opcodeCounts`). */
  readonly profile?: boolean;
  /** Clock for pause times; default `performance.now()` when the platform has it. */
  readonly clock?: MicrosecondClock;
}

/**
 * Whether SENSEVM_STRESS_GC=1 is set. vm/ must not import `node:` modules or assume a Node host,
 * so this reads `globalThis.process?.env` defensively: in a browser or an embedded engine it is
 * simply false. The CLI passes the switch explicitly as well.
 */
export function stressGcFromEnvironment(): boolean {
  const host = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return host.process?.env?.SENSEVM_STRESS_GC === '1';
}

/** The platform's monotonic clock in µs, or a clock that always says 0 when there is none. */
export function defaultClock(): MicrosecondClock {
  const host = globalThis as { performance?: { now(): number } };
  const perf = host.performance;
  if (perf && typeof perf.now === 'function') return () => perf.now() * 1000;
  return () => 0;
}
