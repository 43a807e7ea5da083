/**
 * Concurrent ML events as heap data of the container, so the garbage collector sees them like
 * any other value (no side tables, no roots of their own).
 *
 * Layout (every box is one ordinary CAM pair cell; `()` ends lists):
 *
 *   event        = [alternative, next]            next: the next list cell or ()
 *   alternative  = [header, body]                 header: immediate Int = kind | channel << 2
 *   body         = [payload, wraps]
 *   payload      = SEND: the message   RECV: ()   ALWAYS: the value   TIMEOUT: duration (µs Int)
 *   wraps        = () | [f, wraps]                wrap functions, OUTERMOST FIRST
 *
 * An event is a non-empty list of base events (alternatives). Cell costs: `send`/`recv`/
 * `always`/`timeout` 3 cells (as SynchronVM's send/recv); `choose e1 e2` copies e1's spine only
 * (one cell per alternative of e1) and shares e2 and every alternative; `wrap e f` rebuilds each
 * alternative with f consed on its wrap list (4 cells per alternative).
 *
 * Semantics fixed relative to SynchronVM (reference §4.4, §9.4):
 * - Values are immutable: `choose` never links e2 into e1's list (SynchronVM did, so a let-bound
 *   event grew on every reuse until a channel queue overflowed); an event can be synced any number
 *   of times.
 * - `wrap e f` applies to *every* alternative of e and composes with wraps already there:
 *   `sync (wrap (wrap e g) f)` = `f (g v)`. The list is kept outermost first so `wrap` shares the
 *   inner wraps; the runtime applies them from the end of the list (innermost first).
 *
 * Allocation discipline: any allocation may collect (always, under stress GC). The inputs stay
 * reachable from the VM registers of the calling context while an event is built; `pair` keeps
 * its own operands alive; the one intermediate that is neither (the list built so far, in
 * `wrap`) is kept in a hold slot of the store. Decoding validates every shape, so a hand-made
 * image that passes a non-event to `sync` gets a fault, never a host exception.
 */

/** The container heap as the event code needs it. V is the VM's value representation. */
export interface CellStore<V> {
  readonly unit: V;
  int(n: number): V;
  /** The Int payload of an immediate. */
  intOf(v: V): number;
  isPointer(v: V): boolean;
  /** Allocates [fst, snd], keeping both operands alive if it collects; null = heap exhausted. */
  pair(fst: V, snd: V): V | null;
  /** Keeps v alive across collections until the slot is overwritten (slots 0 and 1). */
  hold(slot: number, v: V): void;
  fst(p: V): V;
  snd(p: V): V;
}

export const EventKind = { send: 0, recv: 1, always: 2, timeout: 3 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];
/** Why an event value could not be built or decoded. */
export type EventProblem = 'heap-exhausted' | 'not-an-event' | 'event-too-large';

/** Upper bound on alternatives of one event (keeps decoding loops bounded on corrupt data). */
export const MAX_ALTERNATIVES = 1 << 16;

/** Upper bound on nested wraps of one alternative. */
export const MAX_WRAPS = 1 << 16;

/**
 * Builds and decodes events on one container's heap. `decode` fills the public fields instead of
 * returning an object, so the runtime's sync loop allocates nothing.
 */
export class EventCodec<V> {
  kind: EventKind = EventKind.send;
  channel = 0;
  payload: V;
  /** The wrap list of the decoded alternative (outermost first) and its length. */
  wraps: V;
  wrapCount = 0;
  /** The alternative cell itself. */
  alternative: V;
  private readonly scratchValues: V[] = [];

  constructor(private readonly store: CellStore<V>) {
    this.payload = store.unit;
    this.wraps = store.unit;
    this.alternative = store.unit;
  }

  /** A one-alternative event; null when the heap is exhausted. */
  base(kind: EventKind, channel: number, payload: V): V | null {
    const s = this.store;
    const body = s.pair(payload, s.unit);
    if (body === null) return null;
    const alternative = s.pair(s.int(kind | (channel << 2)), body);
    if (alternative === null) return null;
    return s.pair(alternative, s.unit);
  }

  /** `choose e1 e2`: e1's alternatives then e2's, left to right; e1 and e2 are unchanged. */
  choose(first: V, second: V): V | EventProblem {
    const s = this.store;
    const n = this.countAlternatives(first);
    if (typeof n === 'string') return n;
    const m = this.countAlternatives(second);
    if (typeof m === 'string') return m;
    if (n + m > MAX_ALTERNATIVES) return 'event-too-large';
    // Copy e1's spine back to front so each new cell can point at the one after it; the copy so
    // far is always an operand of the next allocation, so it survives a collection. e1's
    // alternatives are read in one walk first (they stay reachable from e1; cells never move).
    const alternatives = this.scratch(n);
    let cell = first;
    for (let i = 0; i < n; i++, cell = s.snd(cell)) alternatives[i] = s.fst(cell);
    let result = second;
    for (let i = n - 1; i >= 0; i--) {
      const next = s.pair(alternatives[i]!, result);
      if (next === null) return 'heap-exhausted';
      result = next;
    }
    return result;
  }

  /** `wrap e f`: f applied after the existing wraps of every alternative of e. */
  wrap(event: V, f: V): V | EventProblem {
    const s = this.store;
    const n = this.countAlternatives(event);
    if (typeof n === 'string') return n;
    let result = s.unit;
    for (let i = n - 1; i >= 0; i--) {
      const alternative = s.fst(this.nthCell(event, i));
      const body = s.snd(alternative);
      s.hold(0, result);
      const wraps = s.pair(f, s.snd(body));
      if (wraps === null) return this.exhausted();
      const newBody = s.pair(s.fst(body), wraps);
      if (newBody === null) return this.exhausted();
      const newAlternative = s.pair(s.fst(alternative), newBody);
      if (newAlternative === null) return this.exhausted();
      const cell = s.pair(newAlternative, result);
      if (cell === null) return this.exhausted();
      result = cell;
    }
    s.hold(0, s.unit);
    return result;
  }

  /** Number of alternatives, after checking the list and every alternative's shape. */
  countAlternatives(event: V): number | EventProblem {
    const s = this.store;
    if (!s.isPointer(event)) return 'not-an-event';
    let n = 0;
    let cell = event;
    while (s.isPointer(cell)) {
      if (++n > MAX_ALTERNATIVES) return 'event-too-large';
      const problem = this.decode(s.fst(cell));
      if (problem) return problem;
      cell = s.snd(cell);
    }
    return n;
  }

  /** The list cell of alternative i (i < the count). */
  nthCell(event: V, index: number): V {
    let cell = event;
    for (let i = 0; i < index; i++) cell = this.store.snd(cell);
    return cell;
  }

  /** Decodes alternative `index` of an event already checked by `countAlternatives`. */
  decodeAt(event: V, index: number): void {
    this.decode(this.store.fst(this.nthCell(event, index)));
  }

  /** Decodes one alternative into the public fields; returns a problem for a malformed one. */
  decode(alternative: V): EventProblem | undefined {
    const s = this.store;
    if (!s.isPointer(alternative)) return 'not-an-event';
    const header = s.fst(alternative);
    const body = s.snd(alternative);
    if (s.isPointer(header) || !s.isPointer(body)) return 'not-an-event';
    const h = s.intOf(header);
    if (h < 0) return 'not-an-event';
    this.alternative = alternative;
    this.kind = (h & 3) as EventKind;
    this.channel = h >>> 2;
    this.payload = s.fst(body);
    this.wraps = s.snd(body);
    let count = 0;
    for (let w = this.wraps; s.isPointer(w); w = s.snd(w)) {
      if (++count > MAX_WRAPS) return 'event-too-large';
    }
    this.wrapCount = count;
    return undefined;
  }

  /**
   * The wrap function to apply at step `step` (0 = innermost = the last of the list) of a wrap
   * list holding `count` functions.
   */
  wrapAt(wraps: V, count: number, step: number): V {
    let cell = wraps;
    for (let i = 0; i < count - 1 - step; i++) cell = this.store.snd(cell);
    return this.store.fst(cell);
  }

  /** A reused array of at least n slots (choose's alternatives; no allocation per call). */
  private scratch(n: number): V[] {
    while (this.scratchValues.length < n) this.scratchValues.push(this.store.unit);
    return this.scratchValues;
  }

  private exhausted(): EventProblem {
    this.store.hold(0, this.store.unit);
    return 'heap-exhausted';
  }
}
