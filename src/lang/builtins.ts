/**
 * CamIoT's built-in functions: their types (for the type checker) and how they compile (for
 * code generation). Shared by the front and back end; every built-in is also usable as a
 * first-class value (code generation wraps it in a closure when it is not fully applied).
 *
 * Types are written in CamIoT syntax; lower-case names are type variables, generalised.
 */
import type { Mnemonic } from '../isa/opcodes.js';

export type BuiltinImpl =
  /** CALLRTS n with `arity` arguments (see isa/rts-calls.ts for register conventions). */
  | { readonly kind: 'rts'; readonly call: string; readonly arity: number }
  /** `syncT b d e` = CALLRTS time; CALLRTS sync. */
  | { readonly kind: 'syncT'; readonly arity: 3 }
  /** A one-instruction operation on env (arity 1) or on stack top and env (arity 2). */
  | { readonly kind: 'op'; readonly op: Mnemonic; readonly arity: 1 | 2 };

export interface Builtin {
  readonly name: string;
  readonly type: string;
  readonly impl: BuiltinImpl;
  readonly doc: string;
}

const rts = (call: string, arity: number): BuiltinImpl => ({ kind: 'rts', call, arity });
const op = (o: Mnemonic, arity: 1 | 2): BuiltinImpl => ({ kind: 'op', op: o, arity });

export const BUILTINS: readonly Builtin[] = [
  // Concurrency (SynchronVM's API, same types)
  {
    name: 'spawn',
    type: '(() -> ()) -> Int',
    impl: rts('spawn', 1),
    doc: 'start a context running f ()',
  },
  {
    name: 'channel',
    type: '() -> Channel a',
    impl: rts('channel', 1),
    doc: 'a new rendezvous channel',
  },
  {
    name: 'send',
    type: 'Channel a -> a -> Event ()',
    impl: rts('send', 2),
    doc: 'event: send a value',
  },
  {
    name: 'recv',
    type: 'Channel a -> Event a',
    impl: rts('recv', 1),
    doc: 'event: receive a value',
  },
  { name: 'sync', type: 'Event a -> a', impl: rts('sync', 1), doc: 'wait for an event to happen' },
  {
    name: 'choose',
    type: 'Event a -> Event a -> Event a',
    impl: rts('choose', 2),
    doc: 'either event',
  },
  {
    name: 'wrap',
    type: 'Event a -> (a -> b) -> Event b',
    impl: rts('wrap', 2),
    doc: 'post-process an event',
  },
  {
    name: 'spawnExternal',
    type: 'Channel a -> Int -> ()',
    impl: rts('spawnExternal', 2),
    doc: 'bind a channel to driver n',
  },
  {
    name: 'syncT',
    type: 'Int -> Int -> Event a -> a',
    impl: { kind: 'syncT', arity: 3 },
    doc: 'timed sync: baseline, deadline (µs)',
  },
  // Sense-VM additions
  { name: 'sleep', type: 'Int -> ()', impl: rts('sleep', 1), doc: 'block for n µs of device time' },
  { name: 'yield', type: '() -> ()', impl: rts('yield', 1), doc: 'let other ready contexts run' },
  {
    name: 'always',
    type: 'a -> Event a',
    impl: rts('always', 1),
    doc: 'an event always ready with its value',
  },
  {
    name: 'timeout',
    type: 'Int -> Event ()',
    impl: rts('timeout', 1),
    doc: 'fires n µs after the sync starts',
  },
  { name: 'newRef', type: 'a -> Ref a', impl: rts('newRef', 1), doc: 'a new mutable cell' },
  { name: 'readRef', type: 'Ref a -> a', impl: rts('readRef', 1), doc: 'read a mutable cell' },
  {
    name: 'writeRef',
    type: 'Ref a -> a -> ()',
    impl: rts('writeRef', 2),
    doc: 'write a mutable cell',
  },
  // Numbers and bits
  { name: 'toFloat', type: 'Int -> Float', impl: op('ITOF', 1), doc: 'int to float' },
  { name: 'truncate', type: 'Float -> Int', impl: op('FTOI', 1), doc: 'float to int, toward zero' },
  { name: 'abs', type: 'Int -> Int', impl: op('ABS', 1), doc: 'absolute value' },
  { name: 'band', type: 'Int -> Int -> Int', impl: op('ANDI', 2), doc: 'bitwise and' },
  { name: 'bor', type: 'Int -> Int -> Int', impl: op('ORI', 2), doc: 'bitwise or' },
  { name: 'bxor', type: 'Int -> Int -> Int', impl: op('XORI', 2), doc: 'bitwise exclusive or' },
  { name: 'bnot', type: 'Int -> Int', impl: op('NOTI', 1), doc: 'bitwise complement' },
  { name: 'shiftL', type: 'Int -> Int -> Int', impl: op('SHLI', 2), doc: 'shift left' },
  { name: 'shiftR', type: 'Int -> Int -> Int', impl: op('SHRI', 2), doc: 'arithmetic shift right' },
  { name: 'shiftRU', type: 'Int -> Int -> Int', impl: op('SHRUI', 2), doc: 'logical shift right' },
];

export const BUILTIN_BY_NAME: ReadonlyMap<string, Builtin> = new Map(
  BUILTINS.map((b) => [b.name, b]),
);

/** Built-in type constructors and their arity (user data types may not reuse these names). */
export const BUILTIN_TYPES: ReadonlyMap<string, number> = new Map([
  ['Int', 0],
  ['Float', 0],
  ['Bool', 0],
  ['Channel', 1],
  ['Event', 1],
  ['Ref', 1],
]);
