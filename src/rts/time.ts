/**
 * The time arithmetic of `syncT baseline deadline ev`, `sleep t` and `timeout t`.
 *
 * Units: microseconds of device time, as JavaScript doubles (exact integers up to 2^53 µs,
 * about 285 years). Source-level time arguments are CamIoT `Int`s (32-bit); like SynchronVM we
 * read them as unsigned (0 … 4 294 967 295 µs ≈ 71.6 minutes), but unlike SynchronVM we never
 * multiply them in 32 bits (its `b × PLATFORM_TIME_FACTOR` overflowed above 51 s, reference §4.5):
 * every sum here is a double, so no overflow is possible in the lifetime of a device.
 *
 * Logical time (TinyTimber's baseline, reference §4.5): every context carries `logicalTime`.
 * - A new context starts at the device time of its `spawn` (SynchronVM set it once at start-up,
 *   so a thread spawned late found itself late forever and never waited).
 * - `syncT b d ev` releases `ev` at `release = logicalTime + b` (it waits in the wake-up queue when
 *   `release > now`, however small `b` is — SynchronVM ignored baselines under ~357 µs) and, when
 *   `d > 0`, should commit by `release + d`; this deadline is also the context's EDF priority.
 * - On release the logical time becomes `release`, whether or not the context had to wait
 *   (SynchronVM forgot this when no waiting was needed, so late threads never caught up), so a
 *   periodic loop `syncT p 0 …` fires at exactly start + p, start + 2p, … without drift.
 * - An untimed `sync` that had to block (a partner or an interrupt completed it) moves the
 *   logical time forward to the commit time (for an interrupt: its timestamp), so a reaction
 *   `syncT b …` that follows is timed from the event that triggered it. `sleep t` moves it to the
 *   wake-up time.
 */

/** A CamIoT Int time argument (µs) read as unsigned 32-bit. */
export function timeArgument(raw: number): number {
  return raw >>> 0;
}

export interface TimedRelease {
  /** Device time (µs) at which the event may be synchronised. */
  readonly releaseAt: number;
  /** Latest commit time (µs), or Infinity when the deadline argument is 0 (none). */
  readonly deadlineAt: number;
}

/** The release window of `syncT baseline deadline` for a context at `logicalTime`. */
export function timedRelease(
  logicalTime: number,
  baselineRaw: number,
  deadlineRaw: number,
): TimedRelease {
  const releaseAt = logicalTime + timeArgument(baselineRaw);
  const deadline = timeArgument(deadlineRaw);
  return { releaseAt, deadlineAt: deadline === 0 ? Infinity : releaseAt + deadline };
}

/** The wake-up time of `sleep t` started at `now`. */
export function sleepUntil(now: number, durationRaw: number): number {
  return now + timeArgument(durationRaw);
}

/** One deadline miss, as reported. */
export interface DeadlineMiss {
  readonly context: number;
  readonly releaseAt: number;
  readonly deadlineAt: number;
  readonly committedAt: number;
}

export interface TimingSummary {
  /** Timed syncs that committed. */
  readonly timedSyncs: number;
  readonly deadlineMisses: number;
  /** Largest commit − release over all timed syncs (µs). */
  readonly maxLatenessUs: number;
  /** Sum of commit − release over all timed syncs (µs), for the mean. */
  readonly totalLatenessUs: number;
  /** The first misses in order (at most `keepMisses`). */
  readonly misses: readonly DeadlineMiss[];
}

/**
 * Records the lateness (commit − release) of every timed sync and counts deadline misses.
 * Keeps the first `keepMisses` misses for the report; counts all of them.
 */
export class TimingRecorder {
  private timedSyncs = 0;
  private deadlineMisses = 0;
  private maxLatenessUs = 0;
  private totalLatenessUs = 0;
  private readonly misses: DeadlineMiss[] = [];

  constructor(private readonly keepMisses = 32) {}

  /** Records one committed timed sync; returns true when it missed its deadline. */
  record(context: number, release: TimedRelease, committedAt: number): boolean {
    const lateness = Math.max(0, committedAt - release.releaseAt);
    this.timedSyncs++;
    this.totalLatenessUs += lateness;
    if (lateness > this.maxLatenessUs) this.maxLatenessUs = lateness;
    const missed = committedAt > release.deadlineAt;
    if (missed) {
      this.deadlineMisses++;
      if (this.misses.length < this.keepMisses) {
        this.misses.push({
          context,
          releaseAt: release.releaseAt,
          deadlineAt: release.deadlineAt,
          committedAt,
        });
      }
    }
    return missed;
  }

  summary(): TimingSummary {
    return {
      timedSyncs: this.timedSyncs,
      deadlineMisses: this.deadlineMisses,
      maxLatenessUs: this.maxLatenessUs,
      totalLatenessUs: this.totalLatenessUs,
      misses: [...this.misses],
    };
  }
}
