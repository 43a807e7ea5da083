/**
 * How a container's manifest entry becomes the configuration of its VM (vm/config.ts) and of
 * its runtime (rts/config.ts), and how many bytes of RAM that is. The budget table and the
 * device both use these functions, so the reported memory is exactly what is allocated
 * (ARCHITECTURE.md invariant 2).
 */
import { DEFAULT_RUNTIME_CONFIG, runtimeTableBytes, type RuntimeConfig } from '../rts/config.js';
import type { ContainerConfig } from '../vm/config.js';
import { layoutFor } from '../vm/memory.js';

export interface ContainerMemorySpec {
  readonly heapBytes: number;
  /** Per context, as the VM counts it. */
  readonly stackBytes: number;
  readonly maxContexts: number;
  readonly maxChannels: number;
}

/** Root slots: the runtime's 2 + one per context, plus the link decoders' scratch. */
export function rootSlotsFor(memory: ContainerMemorySpec): number {
  return 2 + memory.maxContexts + 8;
}

export const MARK_STACK_ENTRIES = 64;
/** Contexts waiting on one channel per direction. */
export const CHANNEL_QUEUE_CAPACITY = 4;
export const INTERRUPT_QUEUE_CAPACITY = 16;

export function vmConfigFor(memory: ContainerMemorySpec): ContainerConfig {
  return {
    heapBytes: memory.heapBytes,
    stackBytes: memory.stackBytes,
    maxContexts: memory.maxContexts,
    rootSlots: rootSlotsFor(memory),
    markStackEntries: MARK_STACK_ENTRIES,
  };
}

export function runtimeConfigFor(
  memory: ContainerMemorySpec,
  quantumInstructions: number,
): RuntimeConfig {
  return {
    ...DEFAULT_RUNTIME_CONFIG,
    maxChannels: memory.maxChannels,
    channelQueueCapacity: CHANNEL_QUEUE_CAPACITY,
    interruptQueueCapacity: INTERRUPT_QUEUE_CAPACITY,
    sliceInstructions: quantumInstructions,
  };
}

export interface ContainerFootprint {
  /** VM memory: heap, stacks, context records, roots, mark stack. */
  readonly vmBytes: number;
  /** Runtime tables: channels and interrupt queue. */
  readonly runtimeBytes: number;
  readonly totalBytes: number;
  readonly detail: string;
}

export function containerFootprint(memory: ContainerMemorySpec): ContainerFootprint {
  const layout = layoutFor(vmConfigFor(memory));
  const runtimeBytes = runtimeTableBytes(runtimeConfigFor(memory, 1));
  return {
    vmBytes: layout.totalBytes,
    runtimeBytes,
    totalBytes: layout.totalBytes + runtimeBytes,
    detail:
      `heap ${layout.heapBytes} + stacks ${memory.maxContexts}×${layout.stackBytes / memory.maxContexts}` +
      ` + contexts ${layout.contextBytes} + roots ${layout.rootBytes} + mark ${layout.markStackBytes}` +
      ` + channels/interrupts ${runtimeBytes}`,
  };
}
