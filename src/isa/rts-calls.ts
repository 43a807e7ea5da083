/**
 * Runtime calls: the operand n of `CALLRTS n`. Numbers 0–8 are SynchronVM's (reference §2.6);
 * Sense-VM's own calls follow from 9. Shared by the compiler (which emits them), the verifier
 * (which rejects unknown numbers), the disassembler (which names them) and the runtime.
 *
 * Register conventions at the call (the compiler's generic 2-/3-argument scheme):
 * - 1 argument: env = a
 * - 2 arguments: stack top = a, env = b  (the call pops a)
 * - 3 arguments (syncT): env = a, stack top = b, below it c (the call pops b and c)
 */
export interface RtsCallRow {
  readonly n: number;
  readonly name: string;
  /** Source-level built-in and its CamIoT type. */
  readonly source: string;
  readonly type: string;
  /** Values popped from the stack by the call. */
  readonly pops: number;
  readonly meaning: string;
}

export const RTS_CALLS: readonly RtsCallRow[] = [
  {
    n: 0,
    name: 'spawn',
    source: 'spawn',
    type: '(() -> ()) -> Int',
    pops: 0,
    meaning: 'start a context running f (); result: its id',
  },
  {
    n: 1,
    name: 'channel',
    source: 'channel',
    type: '() -> Channel a',
    pops: 0,
    meaning: 'a new channel',
  },
  {
    n: 2,
    name: 'send',
    source: 'send',
    type: 'Channel a -> a -> Event ()',
    pops: 1,
    meaning: 'a send event',
  },
  {
    n: 3,
    name: 'recv',
    source: 'recv',
    type: 'Channel a -> Event a',
    pops: 0,
    meaning: 'a receive event',
  },
  {
    n: 4,
    name: 'sync',
    source: 'sync',
    type: 'Event a -> a',
    pops: 0,
    meaning: 'synchronise on an event; may block',
  },
  {
    n: 5,
    name: 'choose',
    source: 'choose',
    type: 'Event a -> Event a -> Event a',
    pops: 1,
    meaning: 'either event (non-destructive)',
  },
  {
    n: 6,
    name: 'spawnExternal',
    source: 'spawnExternal',
    type: 'Channel a -> Int -> ()',
    pops: 1,
    meaning: 'bind a channel to driver n',
  },
  {
    n: 7,
    name: 'wrap',
    source: 'wrap',
    type: 'Event a -> (a -> b) -> Event b',
    pops: 1,
    meaning: 'post-process every alternative of an event',
  },
  {
    n: 8,
    name: 'time',
    source: 'syncT',
    type: 'Int -> Int -> Event a -> a',
    pops: 2,
    meaning: 'first half of syncT: set the release time and deadline (always followed by sync)',
  },
  {
    n: 9,
    name: 'sleep',
    source: 'sleep',
    type: 'Int -> ()',
    pops: 0,
    meaning: 'block the context for n µs of device time',
  },
  {
    n: 10,
    name: 'yield',
    source: 'yield',
    type: '() -> ()',
    pops: 0,
    meaning: 'let the other ready contexts run',
  },
  {
    n: 11,
    name: 'always',
    source: 'always',
    type: 'a -> Event a',
    pops: 0,
    meaning: 'an event that is always ready with its value',
  },
  {
    n: 12,
    name: 'timeout',
    source: 'timeout',
    type: 'Int -> Event ()',
    pops: 0,
    meaning: 'an event that fires n µs after the sync starts',
  },
  {
    n: 13,
    name: 'newRef',
    source: 'newRef',
    type: 'a -> Ref a',
    pops: 0,
    meaning: 'a new mutable cell shared by the contexts of the container',
  },
  {
    n: 14,
    name: 'readRef',
    source: 'readRef',
    type: 'Ref a -> a',
    pops: 0,
    meaning: 'read a mutable cell',
  },
  {
    n: 15,
    name: 'writeRef',
    source: 'writeRef',
    type: 'Ref a -> a -> ()',
    pops: 1,
    meaning: 'write a mutable cell',
  },
];

export const RtsCall = Object.freeze(
  Object.fromEntries(RTS_CALLS.map((r) => [r.name, r.n])),
) as Readonly<Record<string, number>>;

export const RTS_CALL_COUNT = RTS_CALLS.length;

export function rtsCallName(n: number): string | undefined {
  return RTS_CALLS[n]?.name;
}
