/**
 * Boards: validation of board descriptions and the built-in boards by name. Reading a board
 * file is the caller's business (the CLI reads it and passes the text): the core stays
 * platform-neutral.
 */
import { fail, halError, ok, zodIssuesToErrors, type HalError, type HalResult } from '../errors.js';
import { BUILTIN_BOARDS, DEFAULT_BOARD_NAME } from './builtin.js';
import { boardSchema, type Board } from './schema.js';

export * from './schema.js';
export { instructionCycles, cycleTable, cyclesToMicros } from './cost.js';
export { DEFAULT_BOARD_NAME } from './builtin.js';

/** Validates an already-parsed board description. */
export function validateBoard(data: unknown): HalResult<Board> {
  const parsed = boardSchema().safeParse(data);
  if (!parsed.success) {
    return { ok: false, errors: zodIssuesToErrors('E0641', parsed.error.issues) };
  }
  const errors: HalError[] = [];
  const seen = new Set<string>();
  parsed.data.peripherals.forEach((p, i) => {
    if (seen.has(p.name))
      errors.push(halError('E0643', { path: `peripherals[${i}].name`, name: p.name }));
    seen.add(p.name);
  });
  return errors.length > 0 ? { ok: false, errors } : ok(parsed.data);
}

/** Parses and validates the text of a board file. */
export function parseBoard(text: string): HalResult<Board> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(halError('E0640', { detail: e instanceof Error ? e.message : String(e) }));
  }
  return validateBoard(data);
}

/** Trusted data, used as written (a test validates them against the schema). */
const BUILTIN: ReadonlyMap<string, Board> = new Map(BUILTIN_BOARDS.map((b) => [b.name, b]));

/** The built-in boards, in listing order. */
export function builtinBoards(): readonly Board[] {
  return [...BUILTIN.values()];
}

export function builtinBoard(name: string): HalResult<Board> {
  const board = BUILTIN.get(name);
  if (board) return ok(board);
  return fail(halError('E0642', { name, known: [...BUILTIN.keys()].join(', ') }));
}

export function defaultBoard(): Board {
  const board = BUILTIN.get(DEFAULT_BOARD_NAME);
  if (!board) throw new Error('internal error: the default board is not built in');
  return board;
}

/** `--board` takes a built-in name or a path: anything with a slash or a `.json` is a path. */
export function isBoardPath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.endsWith('.json');
}
