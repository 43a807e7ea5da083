/**
 * Container memory: the heap, the context stacks, the context records and the runtime root table
 * of one container, all carved out of ONE ArrayBuffer allocated when the container is created.
 * The garbage collector lives here too. docs/memory.md draws the layout.
 *
 * Glossary
 * - word:     a 32-bit payload (Int32). Integers, booleans (0/1), unit (0), float bit patterns,
 *             labels, constructor tags, string/channel/context ids and cell indices are words.
 * - kind:     what a word is, kept beside it: IMMEDIATE (0), POINTER (1, the word is a cell
 *             index), RETURN_ADDRESS (2, the word is a code pc; only on stacks and in env).
 * - pointer bit: kind & 1. Heap fields keep only this bit (two bits per cell).
 * - cell:     a heap object of two fields, fst and snd: 4 + 4 bytes of words, 1 byte of pointer
 *             bits, 1 byte of mark = CELL_BYTES (10). Cells are identified by index.
 * - context:  a lightweight thread: registers (pc, env, env kind, sp, state) in a context record
 *             and a private stack of STACK_SLOT_BYTES-byte slots (word + kind).
 * - root:     a place outside the heap that may hold a pointer: the env of every live context,
 *             its stack below sp, every slot of the runtime root table, and two scratch slots
 *             that protect the operands of `allocPair` during a collection.
 * - sweep pointer: cells below it have been handed out since the last collection; cells at or
 *             above it are in use exactly when marked by the last collection (lazy sweep).
 *
 * The collector is a non-moving mark + lazy sweep (docs/memory.md says why): marking is
 * iterative with a bounded mark stack (on overflow the heap is rescanned for marked cells with
 * unmarked children), allocation sweeps forward from the sweep pointer to the next unmarked cell
 * — in practice a bump inside a run of free cells found ahead of time (`nextFreeRun`).
 */
import {
  type ContainerConfig,
  type MicrosecondClock,
  configProblem,
  defaultClock,
} from './config.js';

export const IMMEDIATE = 0;
export const POINTER = 1;
export const RETURN_ADDRESS = 2;
/** Kind of a root-table slot nobody holds (never a pointer, so the collector skips it). */
const FREE_SLOT = 3;
export type ValueKind = typeof IMMEDIATE | typeof POINTER | typeof RETURN_ADDRESS;

/** Pointer bits of a cell's flags byte. */
export const FST_POINTER = 1;
export const SND_POINTER = 2;

export const CELL_BYTES = 10;
export const STACK_SLOT_BYTES = 5;
/** Words of one context record. */
export const CONTEXT_RECORD_WORDS = 8;
export const CONTEXT_RECORD_BYTES = CONTEXT_RECORD_WORDS * 4;
export const ROOT_SLOT_BYTES = 5;
export const MARK_STACK_ENTRY_BYTES = 4;

/** Offsets inside a context record. */
export const CTX_PC = 0;
export const CTX_ENV = 1;
export const CTX_ENV_KIND = 2;
/** Absolute index of the first free stack slot (base + depth). */
export const CTX_SP = 3;
export const CTX_STATE = 4;

/** Context states. The runtime layer decides what ACTIVE means (ready, running, blocked). */
export const CONTEXT_FREE = 0;
export const CONTEXT_ACTIVE = 1;
export const CONTEXT_STOPPED = 2;
export const CONTEXT_FAULTED = 3;

/** Why a collection ran. */
export type CollectionReason = 'exhausted' | 'stress' | 'explicit';

export interface CollectionStats {
  /** 1 for the first collection of this container. */
  readonly index: number;
  readonly reason: CollectionReason;
  /** Cells in use before / after. */
  readonly cellsBefore: number;
  readonly cellsLive: number;
  readonly cellsFreed: number;
  /** Pause in instruction-equivalents: roots scanned + cells marked + cells rescanned. */
  readonly pauseWork: number;
  readonly pauseMicros: number;
}

export interface HeapStats {
  readonly heapBytes: number;
  readonly cellBytes: number;
  readonly capacityCells: number;
  readonly cellsInUse: number;
  readonly bytesInUse: number;
  readonly cellsAllocated: number;
  readonly collections: number;
  readonly totalPauseWork: number;
  readonly totalPauseMicros: number;
  readonly maxPauseMicros: number;
  readonly lastCollection: CollectionStats | undefined;
}

/** Byte sizes of every area of a container's memory. */
export interface MemoryLayout {
  readonly cells: number;
  readonly stackSlotsPerContext: number;
  readonly maxContexts: number;
  readonly rootSlots: number;
  readonly markStackEntries: number;
  readonly heapBytes: number;
  readonly stackBytes: number;
  readonly contextBytes: number;
  readonly rootBytes: number;
  readonly markStackBytes: number;
  readonly totalBytes: number;
}

/**
 * Slots of `ContainerMemory.allocState`, the allocator's registers, kept in a typed array so that
 * the compiled tier can inline the allocation fast path (bump the sweep pointer inside the
 * current free run) and leave the rest — finding the next run, collecting — to `allocate()`.
 */
export const ALLOC_SWEEP = 0;
/** Cells the fast path may hand out below: the heap size, or 0 under stress GC (always collect). */
export const ALLOC_FAST_END = 2;
/**
 * End of the free run at the sweep pointer: every cell in [ALLOC_SWEEP, ALLOC_RUN_END) is free,
 * so the compiled tier's fast path is a bump (see `nextFreeRun`). 0 after a collection.
 */
export const ALLOC_RUN_END = 1;

/** Internal scratch roots that protect `allocPair` operands. */
const SCRATCH_ROOTS = 2;

/**
 * Longest free run handed to the fast path at once: bounds the scan for the run's end (a fresh
 * 128 MiB heap is one run of 13 M cells), at one slow-path visit per MAX_RUN allocations.
 */
const MAX_RUN = 65536;

/**
 * The first index in [from, end) whose mark is `mark` (0 or 1; end when none): a typed-array
 * search, which V8 runs as a native scan rather than a JavaScript loop.
 */
function firstWithMark(marks: Uint8Array, from: number, end: number, mark: number): number {
  if (from >= end) return end;
  const found = marks.subarray(from, end).indexOf(mark);
  return found < 0 ? end : from + found;
}

export function layoutFor(config: ContainerConfig): MemoryLayout {
  const cells = Math.floor(config.heapBytes / CELL_BYTES);
  const stackSlotsPerContext = Math.floor(config.stackBytes / STACK_SLOT_BYTES);
  const rootSlots = config.rootSlots;
  const heapBytes = cells * CELL_BYTES;
  const stackBytes = stackSlotsPerContext * config.maxContexts * STACK_SLOT_BYTES;
  const contextBytes = config.maxContexts * CONTEXT_RECORD_BYTES;
  const rootBytes = (rootSlots + SCRATCH_ROOTS) * ROOT_SLOT_BYTES;
  const markStackBytes = config.markStackEntries * MARK_STACK_ENTRY_BYTES;
  return {
    cells,
    stackSlotsPerContext,
    maxContexts: config.maxContexts,
    rootSlots,
    markStackEntries: config.markStackEntries,
    heapBytes,
    stackBytes,
    contextBytes,
    rootBytes,
    markStackBytes,
    totalBytes: heapBytes + stackBytes + contextBytes + rootBytes + markStackBytes,
  };
}

export interface MemoryOptions {
  readonly stressGc?: boolean;
  readonly verifyHeap?: boolean;
  readonly clock?: MicrosecondClock;
  readonly onCollection?: (stats: CollectionStats) => void;
}

export class ContainerMemory {
  readonly layout: MemoryLayout;
  /** The one allocation holding everything below. */
  readonly buffer: ArrayBuffer;
  readonly fst: Int32Array;
  readonly snd: Int32Array;
  /** FST_POINTER | SND_POINTER per cell. */
  readonly cellFlags: Uint8Array;
  readonly markBits: Uint8Array;
  readonly stackWords: Int32Array;
  readonly stackKinds: Uint8Array;
  readonly contexts: Int32Array;
  readonly rootWords: Int32Array;
  readonly rootKinds: Uint8Array;
  private readonly markStack: Int32Array;

  /**
   * The allocator's registers: [ALLOC_SWEEP] the next cell it looks at (lazy sweep),
   * [ALLOC_RUN_END] the end of the free run it is in, [ALLOC_FAST_END] see above. Cells in use
   * and allocated in total are derived (see `inUse`), so the fast path updates one word.
   */
  readonly allocState = new Int32Array(3);
  private allocatedAtCollection = 0;
  private liveAtCollection = 0;
  /** Cells handed out since the last collection by the free runs before the current one. */
  private handedOut = 0;
  /** Where the current free run started: the cells from here to the sweep pointer are in use. */
  private runStart = 0;
  private stress = false;
  private markTop = 0;
  private markOverflow = false;
  private marked = 0;
  private rootFreeHead = -1;
  private collections = 0;
  private totalPauseWork = 0;
  private totalPauseMicros = 0;
  private maxPauseMicros = 0;
  private lastCollection: CollectionStats | undefined;
  private readonly clock: MicrosecondClock;

  verifyHeap: boolean;
  onCollection: ((stats: CollectionStats) => void) | undefined;
  /** Problems found by the invariant checker after collections (only with verifyHeap). */
  readonly heapProblems: string[] = [];

  constructor(config: ContainerConfig, options: MemoryOptions = {}) {
    const problem = configProblem(config);
    if (problem) throw new RangeError(`invalid container configuration: ${problem}`);
    const l = (this.layout = layoutFor(config));
    this.buffer = new ArrayBuffer(l.totalBytes);
    // Int32 areas first so every view is 4-byte aligned, byte areas after.
    let at = 0;
    const words = (count: number): Int32Array => {
      const view = new Int32Array(this.buffer, at, count);
      at += count * 4;
      return view;
    };
    const bytes = (count: number): Uint8Array => {
      const view = new Uint8Array(this.buffer, at, count);
      at += count;
      return view;
    };
    const stackSlots = l.stackSlotsPerContext * l.maxContexts;
    const roots = l.rootSlots + SCRATCH_ROOTS;
    this.fst = words(l.cells);
    this.snd = words(l.cells);
    this.stackWords = words(stackSlots);
    this.contexts = words(l.maxContexts * CONTEXT_RECORD_WORDS);
    this.rootWords = words(roots);
    this.markStack = words(l.markStackEntries);
    this.cellFlags = bytes(l.cells);
    this.markBits = bytes(l.cells);
    this.stackKinds = bytes(stackSlots);
    this.rootKinds = bytes(roots);
    if (at !== l.totalBytes) throw new Error('internal error: memory layout does not add up');
    this.initialise();
    this.stressGc = options.stressGc ?? false;
    this.verifyHeap = options.verifyHeap ?? false;
    this.clock = options.clock ?? defaultClock();
    this.onCollection = options.onCollection;
  }

  /**
   * Back to the state of a new memory (same layout, views and options): every byte zero, the
   * heap empty, all contexts free, statistics cleared. The typed-array views stay the same
   * objects, so code compiled against them (the compiled tier) keeps working.
   */
  reset(): void {
    new Uint8Array(this.buffer).fill(0);
    this.allocatedAtCollection = 0;
    this.liveAtCollection = 0;
    this.handedOut = 0;
    this.runStart = 0;
    this.markTop = 0;
    this.markOverflow = false;
    this.marked = 0;
    this.collections = 0;
    this.totalPauseWork = 0;
    this.totalPauseMicros = 0;
    this.maxPauseMicros = 0;
    this.lastCollection = undefined;
    this.heapProblems.length = 0;
    this.initialise();
    this.stressGc = this.stress;
  }

  /** Free root slots, free contexts and an empty heap over zeroed memory. */
  private initialise(): void {
    const l = this.layout;
    // Root-table slots start free, linked through their words.
    for (let i = 0; i < l.rootSlots; i++) {
      this.rootKinds[i] = FREE_SLOT;
      this.rootWords[i] = i + 1 < l.rootSlots ? i + 1 : -1;
    }
    this.rootFreeHead = l.rootSlots > 0 ? 0 : -1;
    for (let c = 0; c < l.maxContexts; c++) this.resetContext(c, CONTEXT_FREE);
    this.allocState.fill(0);
    this.allocState[ALLOC_FAST_END] = l.cells;
  }

  // ---------------------------------------------------------------- allocation

  /**
   * A fresh cell index, or -1 when the heap is exhausted even after a collection. Its fields
   * are garbage: the caller fills fst, snd and cellFlags before the next allocation. The caller
   * must have every pointer it still needs in a root (context record, stack, root table).
   */
  allocate(): number {
    const state = this.allocState;
    let cell = state[ALLOC_SWEEP]!;
    if (cell >= state[ALLOC_RUN_END]!) cell = this.nextFreeRun();
    if (cell >= 0) {
      state[ALLOC_SWEEP] = cell + 1;
      return cell;
    }
    const end = state[ALLOC_FAST_END]!;
    if (end > 0) state[ALLOC_SWEEP] = this.runStart = end;
    return this.allocateAfterCollection();
  }

  /**
   * The next cell of the current free run, handed out; -1 at the run's end (then `allocate()` or
   * `allocPair()` must be used: they find the next run or collect). Never collects, so the caller
   * needs no roots — the runtime's own allocation fast path.
   */
  allocateInRun(): number {
    const state = this.allocState;
    const cell = state[ALLOC_SWEEP]!;
    if (cell >= state[ALLOC_RUN_END]!) return -1;
    state[ALLOC_SWEEP] = cell + 1;
    return cell;
  }

  /**
   * When the sweep pointer has reached the end of its free run: moves it to the next free cell
   * and [ALLOC_RUN_END] to the end of the free run starting there; returns that cell without
   * handing it out. -1 when no free cell is left below [ALLOC_FAST_END] (allocate() then
   * collects). Allocation order is the lazy sweep's: always the lowest free cell at or after the
   * sweep pointer.
   */
  private nextFreeRun(): number {
    const state = this.allocState;
    const end = state[ALLOC_FAST_END]!;
    const sweep = state[ALLOC_SWEEP]!;
    // The run that ends here handed out the cells from its start to the sweep pointer.
    this.handedOut += sweep - this.runStart;
    this.runStart = sweep;
    const i = firstWithMark(this.markBits, sweep, end, 0);
    if (i >= end) return -1;
    state[ALLOC_SWEEP] = this.runStart = i;
    state[ALLOC_RUN_END] = firstWithMark(this.markBits, i + 1, Math.min(end, i + MAX_RUN), 1);
    return i;
  }

  /** Collect on every allocation (debug switch). */
  get stressGc(): boolean {
    return this.stress;
  }
  set stressGc(on: boolean) {
    this.stress = on;
    this.allocState[ALLOC_FAST_END] = on ? 0 : this.layout.cells;
    this.allocState[ALLOC_RUN_END] = 0;
  }

  /**
   * Cells in use: those marked by the last collection and those handed out since — by earlier
   * runs (`handedOut`) and by the current run, below the sweep pointer. Derived rather than
   * counted per allocation, so that the fast path is only the bump of the sweep pointer.
   */
  private get inUse(): number {
    return this.liveAtCollection + this.handedOut + this.allocState[ALLOC_SWEEP]! - this.runStart;
  }

  private allocateAfterCollection(): number {
    this.collect(this.stress ? 'stress' : 'exhausted');
    const state = this.allocState;
    const marks = this.markBits;
    const end = this.layout.cells;
    for (let i = state[ALLOC_SWEEP]!; i < end; i++) {
      if (marks[i] === 0) {
        // A run of one cell ([ALLOC_RUN_END] stays 0: the next allocation looks for a run).
        this.runStart = i;
        state[ALLOC_SWEEP] = i + 1;
        return i;
      }
    }
    state[ALLOC_SWEEP] = this.runStart = end;
    return -1;
  }

  /**
   * Allocates [fst, snd] safely: pointer operands are held in scratch roots during a possible
   * collection. Returns the cell, or -1 when the heap is exhausted.
   */
  allocPair(fstWord: number, fstKind: ValueKind, sndWord: number, sndKind: ValueKind): number {
    const scratch = this.layout.rootSlots;
    this.checkValue(fstWord, fstKind);
    this.checkValue(sndWord, sndKind);
    this.rootWords[scratch] = fstWord;
    this.rootKinds[scratch] = fstKind & POINTER;
    this.rootWords[scratch + 1] = sndWord;
    this.rootKinds[scratch + 1] = sndKind & POINTER;
    const cell = this.allocate();
    this.rootKinds[scratch] = IMMEDIATE;
    this.rootKinds[scratch + 1] = IMMEDIATE;
    if (cell < 0) return -1;
    this.fst[cell] = fstWord;
    this.snd[cell] = sndWord;
    this.cellFlags[cell] = (fstKind & POINTER) | ((sndKind & POINTER) << 1);
    return cell;
  }

  /** Rejects a pointer that is not a cell index (API misuse by a runtime, not a program). */
  checkValue(word: number, kind: ValueKind): void {
    if ((kind & POINTER) !== 0 && word >>> 0 >= this.layout.cells)
      throw new RangeError(`internal error: pointer ${word} is outside the heap`);
  }

  // ---------------------------------------------------------------- cells

  fstWord(cell: number): number {
    return this.fst[this.checkCell(cell)] as number;
  }
  sndWord(cell: number): number {
    return this.snd[this.checkCell(cell)] as number;
  }
  fstKind(cell: number): ValueKind {
    return ((this.cellFlags[this.checkCell(cell)] as number) & FST_POINTER) as ValueKind;
  }
  sndKind(cell: number): ValueKind {
    return (((this.cellFlags[this.checkCell(cell)] as number) & SND_POINTER) >> 1) as ValueKind;
  }
  setFst(cell: number, word: number, kind: ValueKind): void {
    this.checkCell(cell);
    this.checkValue(word, kind);
    this.fst[cell] = word;
    this.cellFlags[cell] = ((this.cellFlags[cell] as number) & SND_POINTER) | (kind & POINTER);
  }
  setSnd(cell: number, word: number, kind: ValueKind): void {
    this.checkCell(cell);
    this.checkValue(word, kind);
    this.snd[cell] = word;
    this.cellFlags[cell] =
      ((this.cellFlags[cell] as number) & FST_POINTER) | ((kind & POINTER) << 1);
  }
  private checkCell(cell: number): number {
    if (cell >>> 0 >= this.layout.cells)
      throw new RangeError(`internal error: cell ${cell} is outside the heap`);
    return cell;
  }

  // ---------------------------------------------------------------- contexts

  stackBase(context: number): number {
    return context * this.layout.stackSlotsPerContext;
  }

  private resetContext(context: number, state: number): void {
    const r = context * CONTEXT_RECORD_WORDS;
    this.contexts.fill(0, r, r + CONTEXT_RECORD_WORDS);
    this.contexts[r + CTX_SP] = this.stackBase(context);
    this.contexts[r + CTX_STATE] = state;
  }

  /** Claims a free context (pc 0, env (), empty stack) and returns its id, or -1 if none. */
  acquireContext(): number {
    for (let c = 0; c < this.layout.maxContexts; c++) {
      if (this.contexts[c * CONTEXT_RECORD_WORDS + CTX_STATE] === CONTEXT_FREE) {
        this.resetContext(c, CONTEXT_ACTIVE);
        return c;
      }
    }
    return -1;
  }

  /** Returns a context to the free pool; its env and stack stop being roots. */
  releaseContext(context: number): void {
    this.resetContext(this.checkContext(context), CONTEXT_FREE);
  }

  contextState(context: number): number {
    return this.contexts[this.checkContext(context) * CONTEXT_RECORD_WORDS + CTX_STATE] as number;
  }
  setContextState(context: number, state: number): void {
    this.contexts[this.checkContext(context) * CONTEXT_RECORD_WORDS + CTX_STATE] = state;
  }
  pcOf(context: number): number {
    return this.contexts[this.checkContext(context) * CONTEXT_RECORD_WORDS + CTX_PC] as number;
  }
  envWord(context: number): number {
    return this.contexts[this.checkContext(context) * CONTEXT_RECORD_WORDS + CTX_ENV] as number;
  }
  envKind(context: number): ValueKind {
    const r = this.checkContext(context) * CONTEXT_RECORD_WORDS;
    return this.contexts[r + CTX_ENV_KIND] as ValueKind;
  }
  setEnv(context: number, word: number, kind: ValueKind): void {
    this.checkValue(word, kind);
    const r = this.checkContext(context) * CONTEXT_RECORD_WORDS;
    this.contexts[r + CTX_ENV] = word;
    this.contexts[r + CTX_ENV_KIND] = kind;
  }
  /** Number of values on the context's stack. */
  stackDepth(context: number): number {
    const r = this.checkContext(context) * CONTEXT_RECORD_WORDS;
    return (this.contexts[r + CTX_SP] as number) - this.stackBase(context);
  }
  /** Pushes a value; false when the stack is full. */
  push(context: number, word: number, kind: ValueKind): boolean {
    this.checkValue(word, kind);
    const r = this.checkContext(context) * CONTEXT_RECORD_WORDS;
    const sp = this.contexts[r + CTX_SP] as number;
    if (sp >= this.stackBase(context) + this.layout.stackSlotsPerContext) return false;
    this.stackWords[sp] = word;
    this.stackKinds[sp] = kind;
    this.contexts[r + CTX_SP] = sp + 1;
    return true;
  }
  /** Word `depth` slots below the top (0 = top). The caller checks stackDepth first. */
  peekWord(context: number, depth = 0): number {
    return this.stackWords[this.slotAt(context, depth)] as number;
  }
  peekKind(context: number, depth = 0): ValueKind {
    return this.stackKinds[this.slotAt(context, depth)] as ValueKind;
  }
  /** Removes `count` values; false (and nothing removed) when fewer are there. */
  drop(context: number, count = 1): boolean {
    const r = this.checkContext(context) * CONTEXT_RECORD_WORDS;
    if (this.stackDepth(context) < count) return false;
    this.contexts[r + CTX_SP] = (this.contexts[r + CTX_SP] as number) - count;
    return true;
  }
  private slotAt(context: number, depth: number): number {
    const sp = this.contexts[this.checkContext(context) * CONTEXT_RECORD_WORDS + CTX_SP] as number;
    const slot = sp - 1 - depth;
    if (depth < 0 || slot < this.stackBase(context))
      throw new RangeError(`internal error: stack slot ${depth} of context ${context} is empty`);
    return slot;
  }
  private checkContext(context: number): number {
    if (!Number.isInteger(context) || context < 0 || context >= this.layout.maxContexts)
      throw new RangeError(`internal error: no context ${context}`);
    return context;
  }

  // ---------------------------------------------------------------- runtime root table

  /** Claims a root-table slot (holding ()), or -1 when the table is full. */
  acquireRoot(): number {
    const slot = this.rootFreeHead;
    if (slot < 0) return -1;
    this.rootFreeHead = this.rootWords[slot] as number;
    this.rootWords[slot] = 0;
    this.rootKinds[slot] = IMMEDIATE;
    return slot;
  }
  releaseRoot(slot: number): void {
    this.checkRoot(slot);
    this.rootKinds[slot] = FREE_SLOT;
    this.rootWords[slot] = this.rootFreeHead;
    this.rootFreeHead = slot;
  }
  setRoot(slot: number, word: number, kind: ValueKind): void {
    this.checkRoot(slot);
    this.checkValue(word, kind);
    this.rootWords[slot] = word;
    this.rootKinds[slot] = kind;
  }
  rootWord(slot: number): number {
    return this.rootWords[this.checkRoot(slot)] as number;
  }
  rootKind(slot: number): ValueKind {
    return this.rootKinds[this.checkRoot(slot)] as ValueKind;
  }
  private checkRoot(slot: number): number {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.layout.rootSlots)
      throw new RangeError(`internal error: no root slot ${slot}`);
    if (this.rootKinds[slot] === FREE_SLOT)
      throw new RangeError(`internal error: root slot ${slot} is not acquired`);
    return slot;
  }

  // ---------------------------------------------------------------- collection

  /** Runs a full collection now and returns its statistics. */
  collect(reason: CollectionReason = 'explicit'): CollectionStats {
    const started = this.clock();
    const before = this.inUse;
    this.markBits.fill(0);
    this.marked = 0;
    this.markTop = 0;
    this.markOverflow = false;
    let work = this.markRoots();
    work += this.drainMarkStack();
    while (this.markOverflow) work += this.rescanAfterOverflow();
    this.allocatedAtCollection += before - this.liveAtCollection;
    this.liveAtCollection = this.marked;
    this.handedOut = 0;
    this.runStart = 0;
    this.allocState[ALLOC_SWEEP] = 0;
    this.allocState[ALLOC_RUN_END] = 0;
    const micros = Math.max(0, this.clock() - started);
    this.collections++;
    this.totalPauseWork += work;
    this.totalPauseMicros += micros;
    if (micros > this.maxPauseMicros) this.maxPauseMicros = micros;
    const stats: CollectionStats = {
      index: this.collections,
      reason,
      cellsBefore: before,
      cellsLive: this.marked,
      cellsFreed: before - this.marked,
      pauseWork: work,
      pauseMicros: micros,
    };
    this.lastCollection = stats;
    if (this.verifyHeap) {
      for (const p of this.checkHeap())
        this.heapProblems.push(`after collection ${stats.index}: ${p}`);
    }
    this.onCollection?.(stats);
    return stats;
  }

  private markRoots(): number {
    let work = 0;
    const ctx = this.contexts;
    for (let c = 0; c < this.layout.maxContexts; c++) {
      const r = c * CONTEXT_RECORD_WORDS;
      const state = ctx[r + CTX_STATE];
      if (state !== CONTEXT_ACTIVE && state !== CONTEXT_STOPPED) continue;
      if (((ctx[r + CTX_ENV_KIND] as number) & POINTER) !== 0)
        this.markCell(ctx[r + CTX_ENV] as number);
      const sp = ctx[r + CTX_SP] as number;
      const base = this.stackBase(c);
      for (let s = base; s < sp; s++) {
        if (((this.stackKinds[s] as number) & POINTER) !== 0)
          this.markCell(this.stackWords[s] as number);
      }
      work += 1 + sp - base;
    }
    const roots = this.layout.rootSlots + SCRATCH_ROOTS;
    for (let s = 0; s < roots; s++) {
      if (this.rootKinds[s] === POINTER) this.markCell(this.rootWords[s] as number);
    }
    return work + roots;
  }

  private markCell(cell: number): void {
    if (cell >>> 0 >= this.layout.cells || this.markBits[cell] !== 0) return;
    this.markBits[cell] = 1;
    this.marked++;
    if (this.markTop < this.markStack.length) this.markStack[this.markTop++] = cell;
    else this.markOverflow = true;
  }

  private drainMarkStack(): number {
    let work = 0;
    const stack = this.markStack;
    while (this.markTop > 0) {
      const cell = stack[--this.markTop] as number;
      const flags = this.cellFlags[cell] as number;
      if ((flags & FST_POINTER) !== 0) this.markCell(this.fst[cell] as number);
      if ((flags & SND_POINTER) !== 0) this.markCell(this.snd[cell] as number);
      work++;
    }
    return work;
  }

  /** After a mark-stack overflow: push marked cells that still have unmarked children. */
  private rescanAfterOverflow(): number {
    this.markOverflow = false;
    const marks = this.markBits;
    let work = 0;
    for (let cell = 0; cell < this.layout.cells; cell++) {
      if (marks[cell] === 0) continue;
      const flags = this.cellFlags[cell] as number;
      if ((flags & FST_POINTER) !== 0) this.markCell(this.fst[cell] as number);
      if ((flags & SND_POINTER) !== 0) this.markCell(this.snd[cell] as number);
      if (this.markTop === this.markStack.length) work += this.drainMarkStack();
    }
    return work + this.layout.cells + this.drainMarkStack();
  }

  // ---------------------------------------------------------------- statistics and checks

  heapStats(): HeapStats {
    return {
      heapBytes: this.layout.heapBytes,
      cellBytes: CELL_BYTES,
      capacityCells: this.layout.cells,
      cellsInUse: this.inUse,
      bytesInUse: this.inUse * CELL_BYTES,
      cellsAllocated: this.allocatedAtCollection + this.inUse - this.liveAtCollection,
      collections: this.collections,
      totalPauseWork: this.totalPauseWork,
      totalPauseMicros: this.totalPauseMicros,
      maxPauseMicros: this.maxPauseMicros,
      lastCollection: this.lastCollection,
    };
  }

  /** True when `cell` is handed out (not free) according to the lazy-sweep invariant. */
  isInUse(cell: number): boolean {
    return cell < this.allocState[ALLOC_SWEEP]! || this.markBits[cell] !== 0;
  }

  /**
   * The heap-invariant checker (debug switch): every pointer in a root or an in-use cell is a
   * cell index, every cell reachable from the roots is in use (never free), and the in-use
   * count matches the accounting. Returns the problems found (empty when the heap is sound).
   */
  checkHeap(): string[] {
    const problems: string[] = [];
    const cells = this.layout.cells;
    let counted = 0;
    for (let c = 0; c < cells; c++) if (this.isInUse(c)) counted++;
    if (counted !== this.inUse)
      problems.push(`accounting: ${this.inUse} cells recorded in use, ${counted} found`);
    if (this.inUse > cells) problems.push(`accounting: more cells in use than the heap holds`);
    const seen = new Uint8Array(cells);
    const pending: number[] = [];
    const visit = (word: number, where: string): void => {
      if (word >>> 0 >= cells) {
        if (problems.length < 20) problems.push(`${where}: pointer ${word} outside the heap`);
        return;
      }
      if (seen[word]) return;
      seen[word] = 1;
      if (!this.isInUse(word) && problems.length < 20)
        problems.push(`${where}: reaches free cell ${word}`);
      pending.push(word);
    };
    for (let c = 0; c < this.layout.maxContexts; c++) {
      const r = c * CONTEXT_RECORD_WORDS;
      const state = this.contexts[r + CTX_STATE];
      if (state !== CONTEXT_ACTIVE && state !== CONTEXT_STOPPED) continue;
      if (this.contexts[r + CTX_ENV_KIND] === POINTER)
        visit(this.contexts[r + CTX_ENV] as number, `env of context ${c}`);
      const sp = this.contexts[r + CTX_SP] as number;
      const base = this.stackBase(c);
      if (sp < base || sp > base + this.layout.stackSlotsPerContext)
        problems.push(`context ${c}: stack pointer out of its stack`);
      for (let s = base; s < sp; s++)
        if (this.stackKinds[s] === POINTER)
          visit(this.stackWords[s] as number, `stack slot ${s - base} of context ${c}`);
    }
    for (let s = 0; s < this.layout.rootSlots + SCRATCH_ROOTS; s++)
      if (this.rootKinds[s] === POINTER) visit(this.rootWords[s] as number, `root slot ${s}`);
    while (pending.length > 0) {
      const cell = pending.pop() as number;
      const flags = this.cellFlags[cell] as number;
      if (flags & FST_POINTER) visit(this.fst[cell] as number, `fst of cell ${cell}`);
      if (flags & SND_POINTER) visit(this.snd[cell] as number, `snd of cell ${cell}`);
    }
    return problems;
  }
}
