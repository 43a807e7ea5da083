/**
 * Choosing an execution tier by name: 'compiled' (verified bytecode compiled to JavaScript, the
 * default of `sensevm run`) or 'interpreter' (the oracle; also what tracing and per-opcode
 * profiling use, whatever the tier). Both give identical results, faults and instruction counts
 * (test/perf/differential.test.ts).
 */
import type { TierFactory } from '../machine.js';
import { CompiledTier } from './compiled-tier.js';

export { CompiledTier } from './compiled-tier.js';

export const TIER_NAMES = ['compiled', 'interpreter'] as const;
export type TierName = (typeof TIER_NAMES)[number];
export const DEFAULT_TIER: TierName = 'compiled';

/** The factory for `MachineOptions.tier`; undefined selects the Machine's own interpreter. */
export function tierFactory(name: TierName): TierFactory | undefined {
  if (name === 'interpreter') return undefined;
  return (program, decoded, memory, containerName, hooks) =>
    new CompiledTier(program, decoded, memory, containerName, hooks);
}

export function isTierName(text: string): text is TierName {
  return (TIER_NAMES as readonly string[]).includes(text);
}
