/**
 * Virtual time. The clock advances only when told: by the CPU cost model (`advanceCycles`), by
 * fixed costs (`advance`) and by sleeping (`advanceTo`). Things due at a time — the alarm and
 * the agenda of scheduled inputs — happen at exactly that time, in a fixed order (agenda items
 * in scheduling order, then the alarm), so a run is a pure function of its inputs.
 */
import type { Clock } from '../clock.js';

interface AgendaItem {
  readonly at: number;
  readonly action: () => void;
}

export class VirtualClock implements Clock {
  private nowMicros = 0;
  /** CPU cycles not yet worth a whole µs. */
  private cycleRemainder = 0;
  private readonly cyclesPerMicro: number;
  private alarm: { at: number; onAlarm: (at: number) => void } | undefined;
  /** Pending agenda items, sorted by time, stable for equal times. */
  private readonly agenda: AgendaItem[] = [];
  private agendaHead = 0;
  /** Earliest time anything is due (Infinity if nothing): the fast path of `advance`. */
  private nextDue = Infinity;
  /** How many times the alarm has fired. */
  alarmsFired = 0;

  constructor(clockHz: number) {
    this.cyclesPerMicro = clockHz / 1_000_000;
  }

  now(): number {
    return this.nowMicros;
  }

  advanceCycles(cycles: number): void {
    const total = this.cycleRemainder + cycles;
    const perMicro = this.cyclesPerMicro;
    // Under two µs of work in all (almost every runtime call): exactly what the division below
    // gives, without dividing — for 0 <= total < perMicro the quotient rounds to below 1, for
    // perMicro <= total < 2 * perMicro to [1, 2).
    if (total >= 0 && total < perMicro) {
      this.cycleRemainder = total;
      return;
    }
    if (total >= perMicro && total < 2 * perMicro) {
      this.cycleRemainder = total - perMicro;
      this.moveTo(this.nowMicros + 1);
      return;
    }
    const micros = Math.floor(total / this.cyclesPerMicro);
    this.cycleRemainder = total - micros * this.cyclesPerMicro;
    if (micros > 0) this.moveTo(this.nowMicros + micros);
  }

  advance(micros: number): void {
    if (!(micros > 0)) return;
    if (Number.isInteger(micros)) this.moveTo(this.nowMicros + micros);
    else this.advanceCycles(micros * this.cyclesPerMicro);
  }

  /**
   * Jumps to the absolute time `target` (never backwards), firing everything due on the way —
   * what sleeping does. Fractions of a µs of earlier work are dropped: the CPU finished them
   * before it slept, and wake-ups happen on whole µs.
   */
  advanceTo(target: number): void {
    if (target > this.nowMicros) this.cycleRemainder = 0;
    this.moveTo(target);
  }

  private moveTo(target: number): void {
    if (target < this.nowMicros) target = this.nowMicros;
    while (this.nextDue <= target) {
      const item = this.agenda[this.agendaHead];
      const alarm = this.alarm;
      if (item && (!alarm || item.at <= alarm.at)) {
        this.agendaHead++;
        this.nowMicros = Math.max(this.nowMicros, item.at);
        this.refreshNextDue();
        item.action();
      } else if (alarm) {
        this.alarm = undefined;
        this.nowMicros = Math.max(this.nowMicros, alarm.at);
        this.alarmsFired++;
        this.refreshNextDue();
        alarm.onAlarm(this.nowMicros);
      }
    }
    this.nowMicros = target;
  }

  /** Fires whatever is due at the current time (items scheduled for `now` or earlier). */
  poll(): void {
    this.moveTo(this.nowMicros);
  }

  setAlarm(atMicros: number, onAlarm: (at: number) => void): void {
    this.alarm = { at: Math.max(atMicros, this.nowMicros), onAlarm };
    this.refreshNextDue();
  }

  cancelAlarm(): void {
    this.alarm = undefined;
    this.refreshNextDue();
  }

  alarmAt(): number | undefined {
    return this.alarm?.at;
  }

  /** Runs `action` when time reaches `at` (after earlier-scheduled items for the same time). */
  schedule(at: number, action: () => void): void {
    const item = { at: Math.max(at, this.nowMicros), action };
    // Binary search for the first item later than `at`, from the head: stable insertion.
    let lo = this.agendaHead;
    let hi = this.agenda.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.agenda[mid]?.at ?? Infinity) <= item.at) lo = mid + 1;
      else hi = mid;
    }
    this.agenda.splice(lo, 0, item);
    this.refreshNextDue();
  }

  /** The time of the next agenda item or alarm, if any. */
  nextEventAt(): number | undefined {
    return Number.isFinite(this.nextDue) ? this.nextDue : undefined;
  }

  private refreshNextDue(): void {
    if (this.agendaHead > 1024 && this.agendaHead * 2 > this.agenda.length) {
      this.agenda.splice(0, this.agendaHead);
      this.agendaHead = 0;
    }
    const item = this.agenda[this.agendaHead];
    this.nextDue = Math.min(item ? item.at : Infinity, this.alarm ? this.alarm.at : Infinity);
  }
}
