/**
 * The per-container watchdog. A container with `watchdogMs` must show progress — complete a
 * `sync`, or become idle (every context blocked or sleeping) — at least that often while it
 * runs; otherwise it faults with cause `watchdog` and supervision takes over.
 *
 * The watchdog counts the container's own CPU time since its last progress, not wall time:
 * a container starved by higher criticality is not stuck, and must not be restarted for it
 * (its starvation shows in the CPU shares instead). It is checked after every slice, so a
 * stuck container is stopped within one quantum after its time is up.
 */
export class Watchdog {
  private cpuSinceProgressUs = 0;

  constructor(readonly timeoutUs: number) {}

  /** Accounts one slice; returns true when the watchdog expired. */
  afterSlice(cpuUs: number, progressed: boolean, idle: boolean): boolean {
    if (progressed || idle) {
      this.cpuSinceProgressUs = 0;
      return false;
    }
    this.cpuSinceProgressUs += cpuUs;
    return this.cpuSinceProgressUs > this.timeoutUs;
  }

  /** CPU time since the last progress, µs. */
  sinceProgressUs(): number {
    return this.cpuSinceProgressUs;
  }

  reset(): void {
    this.cpuSinceProgressUs = 0;
  }
}
