/**
 * Supervision: what happens to a container when it faults or its program ends.
 *
 * A fault stops only its container (ARCHITECTURE.md invariant 5). The device then puts the
 * container's peripherals into their safe state and drops its contexts; this module decides,
 * from the container's restart policy, whether and when it starts again:
 *
 * - `never`: a fault stops the container for good.
 * - `on-failure`: a fault restarts it; a normal end (every context stopped) stops it.
 * - `always`: a fault or a normal end restarts it.
 *
 * Restarts are rate-limited Erlang-style: at most `maxRestarts` within a sliding window of
 * `withinUs`; one more and the policy's `then` applies: `stop` (for good) or `reset-system`
 * (every container restarts from a fresh image, links are emptied, restart histories are
 * cleared). A restart happens `backoffUs` after the fault, from a fresh memory image; links
 * are kept, so messages queued toward the container wait for it.
 */
import type { RestartPolicy } from './manifest.js';

export type ExitKind = 'fault' | 'finished';

export type SupervisionDecision =
  | {
      readonly action: 'restart';
      readonly atUs: number;
      /** The number of this restart, counting from 1 over the whole run. */
      readonly restart: number;
    }
  | { readonly action: 'stop'; readonly reason: string }
  | { readonly action: 'reset-system'; readonly reason: string };

interface Supervised {
  readonly policy: RestartPolicy;
  /** Times of the restarts inside the current window. */
  recent: number[];
  restarts: number;
}

export class Supervisor {
  private readonly containers = new Map<string, Supervised>();
  systemResets = 0;

  constructor(specs: readonly { readonly name: string; readonly restart: RestartPolicy }[]) {
    for (const s of specs)
      this.containers.set(s.name, { policy: s.restart, recent: [], restarts: 0 });
  }

  restarts(name: string): number {
    return this.containers.get(name)?.restarts ?? 0;
  }

  /** Decides what happens after container `name` stopped at `nowUs` (fault or normal end). */
  decide(name: string, nowUs: number, exit: ExitKind, cause = ''): SupervisionDecision {
    const c = this.containers.get(name);
    if (!c) throw new Error(`internal error: container ${name} is not supervised`);
    const { policy } = c;
    const restartWanted =
      policy.policy === 'always' || (policy.policy === 'on-failure' && exit === 'fault');
    if (!restartWanted) {
      return {
        action: 'stop',
        reason:
          exit === 'finished'
            ? 'the program ended'
            : `restart policy "never" (fault: ${cause || 'unknown'})`,
      };
    }
    c.recent = c.recent.filter((t) => t > nowUs - policy.withinUs);
    if (c.recent.length >= policy.maxRestarts) {
      const reason = `${policy.maxRestarts} restarts within ${policy.withinUs} µs used up`;
      return policy.then === 'reset-system'
        ? { action: 'reset-system', reason }
        : { action: 'stop', reason };
    }
    c.recent.push(nowUs);
    c.restarts++;
    return { action: 'restart', atUs: nowUs + policy.backoffUs, restart: c.restarts };
  }

  /** After a system reset every window starts afresh; total restart counts are kept. */
  resetAll(): void {
    this.systemResets++;
    for (const c of this.containers.values()) c.recent = [];
  }
}
