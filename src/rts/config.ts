/**
 * Configuration of one container's runtime (contexts come from the VM's ContainerConfig:
 * `maxContexts`). Every table is allocated once from these numbers.
 */
import { ChannelTable } from './channels.js';
import { InterruptQueue } from './interrupt-queue.js';

/**
 * How `sync` picks among several alternatives that are ready at once.
 * - 'left-biased' (default): the first ready alternative in `choose` order, as SynchronVM and
 *   the Synchron papers' music examples rely on (`choose (recv noteC) (send dac v)` plays the
 *   note only when no new one is offered). Deterministic and under the programmer's control.
 * - 'rotating': each context starts its search one alternative further on every sync (mod the
 *   number of alternatives), so no ready alternative is starved. Also deterministic.
 */
export type ChooseFairness = 'left-biased' | 'rotating';

export interface RuntimeConfig {
  /** Channels a container can create (never freed; `channel ()` beyond this is a fault). */
  readonly maxChannels: number;
  /** Waiting contexts per direction per channel (SynchronVM: 3); overflow is a fault. */
  readonly channelQueueCapacity: number;
  /** Interrupt messages waiting for a receiver; overflow drops the new one and counts it. */
  readonly interruptQueueCapacity: number;
  readonly chooseFairness: ChooseFairness;
  /** Instructions a context may run before the runtime returns to its caller (pre-emption). */
  readonly sliceInstructions: number;
}

export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = Object.freeze({
  maxChannels: 128,
  channelQueueCapacity: 16,
  interruptQueueCapacity: 64,
  chooseFairness: 'left-biased',
  sliceInstructions: 20_000,
});

/** Bytes of the runtime's own tables (channels and interrupt queue) for memory reports. */
export function runtimeTableBytes(config: RuntimeConfig): number {
  return (
    ChannelTable.bytesFor(config.maxChannels, config.channelQueueCapacity) +
    InterruptQueue.bytesFor(config.interruptQueueCapacity)
  );
}

/** Why a configuration is unusable, or undefined. */
export function runtimeConfigProblem(config: RuntimeConfig): string | undefined {
  const ranges: [keyof RuntimeConfig, number, number][] = [
    ['maxChannels', 0, 1 << 20],
    ['channelQueueCapacity', 1, 1 << 16],
    ['interruptQueueCapacity', 1, 1 << 20],
    ['sliceInstructions', 1, 1 << 30],
  ];
  for (const [name, min, max] of ranges) {
    const v = config[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
      return `${name} must be an integer between ${min} and ${max} (got ${String(v)})`;
  }
  if (config.chooseFairness !== 'left-biased' && config.chooseFairness !== 'rotating')
    return `chooseFairness must be 'left-biased' or 'rotating'`;
  return undefined;
}
