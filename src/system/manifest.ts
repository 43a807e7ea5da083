/**
 * Loading a system manifest: shape validation (manifest-schema.ts), normalisation to µs and
 * bytes, and the load-time checks that look at more than one field. Every problem is reported,
 * all at once, with the path of the offending value (`containers[2].peripherals[1]`) and a
 * stable E067x code; a malformed container does not hide the problems of the others.
 *
 * Programs are read, compiled and verified through an injected `ProgramLoader`, so this module
 * stays platform-neutral (ARCHITECTURE.md invariant 1); the CLI passes one that reads files.
 */
import type { z } from 'zod';
import { catalogueEntry, formatMessage } from '../errors/catalogue.js';
import { editDistance } from '../errors/edit-distance.js';
import { formatPath } from '../hal/errors.js';
import {
  builtinBoardLookup,
  builtinBoardNames,
  type BoardInfo,
  type BoardLookup,
} from './boards.js';
import {
  ContainerSchema,
  KNOWN_KEYS,
  LinkSchema,
  ManifestSchema,
  RESTART_DEFAULTS,
  type ContainerParsed,
  type LinkParsed,
} from './manifest-schema.js';
import { containerFootprint, type ContainerMemorySpec } from './container-config.js';
import { formatBytes, parseDurationUs, parseSizeBytes } from './units.js';
import type { DataTypeDesc, ExternalChannelDesc, TypeDesc } from '../isa/program.js';
import { channelTypeFits, messageTypeProblem, parseMessageType, showType } from './message-type.js';

export type RestartPolicyName = 'never' | 'on-failure' | 'always';
export type OnFull = 'drop-oldest' | 'drop-newest' | 'block';

export interface RestartPolicy {
  readonly policy: RestartPolicyName;
  readonly maxRestarts: number;
  readonly withinUs: number;
  readonly backoffUs: number;
  readonly then: 'stop' | 'reset-system';
}

export interface ContainerSpec {
  readonly name: string;
  readonly program: string;
  readonly criticality: number;
  readonly memory: ContainerMemorySpec;
  /** Board peripherals only (link ends are in `linkEnds`). */
  readonly peripherals: readonly string[];
  /** Names of the links this container lists as `link:NAME`. */
  readonly linkEnds: readonly string[];
  /** The whole peripherals list in order: driver n of `spawnExternal ch n` is entry n. */
  readonly driverNames: readonly string[];
  readonly restart: RestartPolicy;
  readonly watchdogUs?: number;
  readonly budget?: { readonly percent: number; readonly periodUs: number };
}

export interface LinkSpec {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly capacity: number;
  readonly maxMessageBytes: number;
  readonly onFull: OnFull;
  /** The message type as written (`"(Int, Bool)"`). */
  readonly messageText: string;
  /** The message type (Int when the text does not parse: that is reported as E0689). */
  readonly message: TypeDesc;
}

export interface SystemManifest {
  readonly board: string;
  readonly quantumInstructions: number;
  readonly heartbeatUs?: number;
  readonly containers: readonly ContainerSpec[];
  readonly links: readonly LinkSpec[];
}

export interface ManifestIssue {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** Where in the manifest: `containers[2].peripherals[1]`, or '' for the whole manifest. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

export const LINK_PREFIX = 'link:';

/** Bytes the system layer itself needs (scheduler, sleep manager, supervisor, watchdogs). */
export const SYSTEM_OVERHEAD_BYTES = 4096;
/** Per link slot beyond the message bytes: its length; per link: head, tail and counters. */
export const LINK_SLOT_OVERHEAD_BYTES = 2;
export const LINK_OVERHEAD_BYTES = 48;

export interface MemoryBudgetRow {
  readonly item: string;
  readonly detail: string;
  readonly bytes: number;
}

export interface MemoryBudget {
  readonly board: string;
  readonly ramBytes: number;
  readonly rows: readonly MemoryBudgetRow[];
  readonly totalBytes: number;
}

export type ProgramLoadResult<P> =
  | { readonly ok: true; readonly program: P }
  | { readonly ok: false; readonly kind: 'unreadable' | 'rejected'; readonly detail: string };

/** Reads, compiles (for .cam) and verifies one container's program. */
export type ProgramLoader<P> = (program: string, container: string) => ProgramLoadResult<P>;

export interface ManifestCheckOptions<P> {
  readonly boards?: BoardLookup;
  readonly boardNames?: () => readonly string[];
  /** Without a loader, programs are not checked (the `programs` map stays empty). */
  readonly loadProgram?: ProgramLoader<P>;
}

export interface LoadedSystem<P> {
  readonly manifest: SystemManifest;
  readonly board: BoardInfo;
  readonly programs: ReadonlyMap<string, P>;
  readonly budget: MemoryBudget;
  readonly warnings: readonly ManifestIssue[];
}

export type ManifestResult<P> =
  | { readonly ok: true; readonly system: LoadedSystem<P> }
  | {
      readonly ok: false;
      readonly issues: readonly ManifestIssue[];
      /** The memory budget, when the board and containers were good enough to compute it. */
      readonly budget?: MemoryBudget;
    };

function issue(
  code: string,
  path: string,
  args: Readonly<Record<string, string | number>>,
  hint?: string,
): ManifestIssue {
  const e = catalogueEntry(code);
  return {
    code,
    severity: e.severity,
    path,
    message: formatMessage(e.template, args),
    ...(hint ? { hint } : {}),
  };
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Which kind of object sits at a path, for unknown-key hints. */
function objectKindAt(path: readonly PropertyKey[]): string | undefined {
  const names = path.filter((p) => typeof p === 'string');
  const last = names[names.length - 1];
  if (names.length === 0) return 'system';
  if (last === 'containers') return 'container';
  if (last === 'links') return 'link';
  if (last === 'memory' || last === 'restart' || last === 'budget') return last;
  return undefined;
}

/**
 * A union's issue, made specific: when one alternative got past the outer type (the value is
 * an object and only fields inside it are wrong), its inner issues are the real problems; a
 * string that is not one of an enum's names gets the names and a "did you mean".
 */
function unionIssues(zi: z.core.$ZodIssueInvalidUnion, value: unknown): ManifestIssue[] {
  const at = formatPath(zi.path);
  const inner = zi.errors.find(
    (branch) => branch.length > 0 && branch.every((b) => b.path.length > 0),
  );
  if (inner)
    return shapeIssues(
      inner.map((b) => ({ ...b, path: [...zi.path, ...b.path] })),
      value,
    );
  for (const branch of zi.errors) {
    const named = branch.find((b) => b.code === 'invalid_value' && b.path.length === 0);
    if (named?.code !== 'invalid_value') continue;
    const names = named.values.map(String);
    const written = valueAt(value, zi.path);
    const suggestion = typeof written === 'string' ? closest(written, names) : undefined;
    const detail = `expected one of ${names.map((n) => `"${n}"`).join(', ')} or an object with the details`;
    return [
      issue('E0671', at, { detail }, suggestion ? `did you mean "${suggestion}"?` : undefined),
    ];
  }
  // Our other unions are "number or string with a unit"; zod's generic text says nothing useful.
  const detail = 'expected a number or a string with a unit (for example "500ms" or "8KiB")';
  return [issue('E0671', at, { detail })];
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function shapeIssues(zodIssues: readonly z.core.$ZodIssue[], value: unknown): ManifestIssue[] {
  const out: ManifestIssue[] = [];
  for (const zi of zodIssues) {
    const at = formatPath(zi.path);
    if (zi.code === 'invalid_union') {
      out.push(...unionIssues(zi, value));
      continue;
    }
    if (zi.code === 'unrecognized_keys') {
      const kind = objectKindAt(zi.path);
      const known = kind ? (KNOWN_KEYS[kind] ?? []) : [];
      for (const key of zi.keys) {
        const suggestion = closest(key, known);
        const where = at === '' ? key : `${at}.${key}`;
        out.push(
          issue(
            'E0671',
            where,
            { detail: `unknown field "${key}"` },
            suggestion ? `did you mean "${suggestion}"?` : `known fields: ${known.join(', ')}`,
          ),
        );
      }
      continue;
    }
    let detail = zi.message;
    const field = zi.path[zi.path.length - 1];
    if (zi.code === 'invalid_type' && / received undefined$/.test(zi.message)) {
      detail = `missing field "${String(field)}" (${zi.message.replace(/^Invalid input: | received undefined$/g, '').replace(/,$/, '')})`;
    }
    const written = zi.code === 'invalid_value' ? valueAt(value, zi.path) : undefined;
    const suggestion =
      zi.code === 'invalid_value' && typeof written === 'string'
        ? closest(written, zi.values.map(String))
        : undefined;
    out.push(
      issue('E0671', at, { detail }, suggestion ? `did you mean "${suggestion}"?` : undefined),
    );
  }
  return out;
}

function normaliseRestart(restart: ContainerParsed['restart']): RestartPolicy {
  const r = typeof restart === 'string' ? { ...RESTART_DEFAULTS, policy: restart } : restart;
  return {
    policy: r.policy,
    maxRestarts: r.maxRestarts,
    withinUs: parseDurationUs(r.withinMs) ?? 0,
    backoffUs: parseDurationUs(r.backoffMs) ?? 0,
    then: r.then,
  };
}

function normaliseContainer(c: ContainerParsed): ContainerSpec {
  const watchdogUs = c.watchdogMs === undefined ? undefined : parseDurationUs(c.watchdogMs);
  return {
    name: c.name,
    program: c.program,
    criticality: c.criticality,
    memory: {
      heapBytes: parseSizeBytes(c.memory.heapBytes) ?? 0,
      stackBytes: parseSizeBytes(c.memory.stackBytes) ?? 0,
      maxContexts: c.memory.maxContexts,
      maxChannels: c.memory.maxChannels,
    },
    peripherals: c.peripherals.filter((p) => !p.startsWith(LINK_PREFIX)),
    linkEnds: c.peripherals
      .filter((p) => p.startsWith(LINK_PREFIX))
      .map((p) => p.slice(LINK_PREFIX.length)),
    driverNames: c.peripherals,
    restart: normaliseRestart(c.restart),
    ...(watchdogUs !== undefined ? { watchdogUs } : {}),
    ...(c.budget
      ? { budget: { percent: c.budget.percent, periodUs: parseDurationUs(c.budget.periodMs) ?? 0 } }
      : {}),
  };
}

function normaliseLink(l: LinkParsed): LinkSpec {
  const { message, ...rest } = l;
  const parsed = parseMessageType(message);
  return { ...rest, messageText: message, message: parsed.ok ? parsed.type : { kind: 'int' } };
}

/** The channels a loaded program binds with `spawnExternal` (compiled CamIoT records them). */
function externalChannelsOf(program: unknown): readonly ExternalChannelDesc[] {
  const metadata = (
    program as { metadata?: { externalChannels?: readonly ExternalChannelDesc[] } } | null
  )?.metadata;
  return metadata?.externalChannels ?? [];
}

/** Data types of a loaded program when it carries image metadata (compiled CamIoT does). */
function dataTypesOf(program: unknown): readonly DataTypeDesc[] | undefined {
  const metadata = (program as { metadata?: { dataTypes?: readonly DataTypeDesc[] } } | null)
    ?.metadata;
  return metadata?.dataTypes;
}

/** RAM of one container as the device allocates it (VM memory and runtime tables). */
export function containerFootprintBytes(c: Pick<ContainerSpec, 'memory'>): number {
  return containerFootprint(c.memory).totalBytes;
}

export function linkFootprintBytes(l: Pick<LinkSpec, 'capacity' | 'maxMessageBytes'>): number {
  return l.capacity * (l.maxMessageBytes + LINK_SLOT_OVERHEAD_BYTES) + LINK_OVERHEAD_BYTES;
}

export function memoryBudget(
  board: Pick<BoardInfo, 'name' | 'ramBytes'>,
  containers: readonly ContainerSpec[],
  links: readonly LinkSpec[],
): MemoryBudget {
  const rows: MemoryBudgetRow[] = [];
  for (const c of containers) {
    rows.push({
      item: `container ${c.name}`,
      detail: containerFootprint(c.memory).detail,
      bytes: containerFootprintBytes(c),
    });
  }
  for (const l of links) {
    rows.push({
      item: `link ${l.name}`,
      detail: `${l.capacity} × (${l.maxMessageBytes} + ${LINK_SLOT_OVERHEAD_BYTES}) + ${LINK_OVERHEAD_BYTES}`,
      bytes: linkFootprintBytes(l),
    });
  }
  rows.push({
    item: 'system',
    detail: 'scheduler, sleep, supervision',
    bytes: SYSTEM_OVERHEAD_BYTES,
  });
  const totalBytes = rows.reduce((sum, r) => sum + r.bytes, 0);
  return { board: board.name, ramBytes: board.ramBytes, rows, totalBytes };
}

/** The budget as a table, for `sensevm check` and the run summary. */
export function formatMemoryBudget(budget: MemoryBudget): string {
  const itemWidth = Math.max(...budget.rows.map((r) => r.item.length), 'total'.length);
  const bytesWidth = Math.max(...budget.rows.map((r) => String(r.bytes).length), 6);
  const line = (item: string, bytes: number, detail: string): string =>
    `  ${item.padEnd(itemWidth)}  ${String(bytes).padStart(bytesWidth)} B  ${detail}`.trimEnd();
  const free = budget.ramBytes - budget.totalBytes;
  const percent = ((100 * budget.totalBytes) / budget.ramBytes).toFixed(1);
  return [
    `memory budget on ${budget.board} (${formatBytes(budget.ramBytes)} of RAM):`,
    ...budget.rows.map((r) => line(r.item, r.bytes, r.detail)),
    line('total', budget.totalBytes, `${percent} % of RAM`),
    free >= 0
      ? line('free', free, '')
      : `  ${'over'.padEnd(itemWidth)}  ${String(-free).padStart(bytesWidth)} B  does not fit`,
  ].join('\n');
}

/** Renders issues one per line: `system.json: containers[1].peripherals[0]: error[E0674]: …`. */
export function formatIssues(file: string, issues: readonly ManifestIssue[]): string {
  return issues
    .map((i) => {
      const where = i.path === '' ? file : `${file}: ${i.path}`;
      const hint = i.hint ? `\n  hint: ${i.hint}` : '';
      return `${where}: ${i.severity}[${i.code}]: ${i.message}${hint}`;
    })
    .join('\n');
}

interface Indexed<T> {
  readonly index: number;
  readonly value: T;
}

/**
 * What the cross-checks need of a container (its name, criticality, program, link ends). A
 * malformed container still yields the fields that are well-formed on their own, so a wrong
 * restart policy does not hide that its peripherals clash with another container's.
 */
interface ContainerOutline {
  readonly name: string;
  readonly program?: string;
  readonly criticality?: number;
  readonly linkEnds: readonly string[];
  /** The peripherals list in order ('' for an entry that is not a string). */
  readonly driverNames: readonly string[];
}

function outlineOf(raw: unknown): ContainerOutline | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const shape = ContainerSchema.shape;
  const name = shape.name.safeParse(r.name);
  if (!name.success) return undefined;
  const program = shape.program.safeParse(r.program);
  const criticality = shape.criticality.safeParse(r.criticality);
  const peripherals = Array.isArray(r.peripherals) ? r.peripherals : [];
  return {
    name: name.data,
    ...(program.success ? { program: program.data } : {}),
    ...(criticality.success ? { criticality: criticality.data } : {}),
    linkEnds: peripherals
      .filter((p): p is string => typeof p === 'string' && p.startsWith(LINK_PREFIX))
      .map((p) => p.slice(LINK_PREFIX.length)),
    driverNames: peripherals.map((p) => (typeof p === 'string' ? p : '')),
  };
}

/**
 * Validates and normalises a parsed manifest (a JSON value) and runs every load-time check.
 * Never throws for bad input.
 */
export function checkManifest<P>(
  json: unknown,
  options: ManifestCheckOptions<P> = {},
): ManifestResult<P> {
  const boards = options.boards ?? builtinBoardLookup;
  const boardNames = options.boardNames ?? builtinBoardNames;
  const issues: ManifestIssue[] = [];

  const whole = ManifestSchema.safeParse(json);
  if (!whole.success) issues.push(...shapeIssues(whole.error.issues, json));

  // Parse the parts one by one as well, so a broken container does not hide the checks of
  // the good ones. Shape errors were already reported by the whole-manifest parse above.
  const raw = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const rawContainers = Array.isArray(raw.containers) ? (raw.containers as unknown[]) : [];
  const rawLinks = Array.isArray(raw.links) ? (raw.links as unknown[]) : [];
  const containers: Indexed<ContainerSpec>[] = [];
  const outlines: Indexed<ContainerOutline>[] = [];
  const links: Indexed<LinkSpec>[] = [];
  // Names of every container written down, valid or not, so a malformed container does not
  // cascade into "link names a container that does not exist".
  const writtenContainerNames = new Set<string>();
  rawContainers.forEach((rc, index) => {
    const name = (rc as { name?: unknown } | null)?.name;
    if (typeof name === 'string') writtenContainerNames.add(name);
    // Unknown keys are reported by the whole-manifest parse; here they must not hide the rest.
    const parsed = ContainerSchema.strip().safeParse(rc);
    if (parsed.success) containers.push({ index, value: normaliseContainer(parsed.data) });
    const outline = parsed.success ? normaliseContainer(parsed.data) : outlineOf(rc);
    if (outline) outlines.push({ index, value: outline });
  });
  rawLinks.forEach((rl, index) => {
    const parsed = LinkSchema.strip().safeParse(rl);
    if (parsed.success) links.push({ index, value: normaliseLink(parsed.data) });
  });
  const allContainersValid = containers.length === rawContainers.length;
  const allLinksValid = links.length === rawLinks.length;

  // The board.
  const boardName = typeof raw.board === 'string' ? raw.board : whole.data?.board;
  let board: BoardInfo | undefined;
  if (typeof boardName === 'string') {
    board = boards(boardName);
    if (!board) {
      const suggestion = closest(boardName, boardNames());
      issues.push(
        issue(
          'E0672',
          'board',
          { board: boardName, known: boardNames().join(', ') },
          suggestion ? `did you mean "${suggestion}"?` : undefined,
        ),
      );
    }
  }

  // Container names are unique.
  const containerByName = new Map<string, Indexed<ContainerOutline>>();
  for (const c of outlines) {
    if (containerByName.has(c.value.name)) {
      issues.push(issue('E0673', `containers[${c.index}].name`, { name: c.value.name }));
    } else {
      containerByName.set(c.value.name, c);
    }
  }

  // Peripherals: each on the board, listed once per container, owned by one container.
  const owner = new Map<string, string>();
  for (const c of outlines) {
    const seen = new Set<string>();
    const listed = (rawContainers[c.index] as { peripherals?: unknown }).peripherals;
    const rawList = Array.isArray(listed) ? (listed as unknown[]) : [];
    rawList.forEach((p, pi) => {
      if (typeof p !== 'string') return;
      const at = `containers[${c.index}].peripherals[${pi}]`;
      if (seen.has(p)) {
        issues.push(issue('E0684', at, { container: c.value.name, peripheral: p }));
        return;
      }
      seen.add(p);
      if (p.startsWith(LINK_PREFIX)) return;
      if (board && !board.peripherals.includes(p)) {
        const suggestion = closest(p, board.peripherals);
        issues.push(
          issue(
            'E0675',
            at,
            { board: board.name, peripheral: p, known: board.peripherals.join(', ') },
            suggestion ? `did you mean "${suggestion}"?` : undefined,
          ),
        );
      }
      const first = owner.get(p);
      if (first !== undefined && first !== c.value.name) {
        issues.push(issue('E0674', at, { peripheral: p, first, second: c.value.name }));
      } else {
        owner.set(p, c.value.name);
      }
    });
  }

  // Links: unique names, existing ends, no self links, listed by exactly their ends,
  // blocking only toward equal or higher criticality.
  const linkByName = new Map<string, Indexed<LinkSpec>>();
  for (const l of links) {
    const at = `links[${l.index}]`;
    if (linkByName.has(l.value.name)) {
      issues.push(issue('E0677', `${at}.name`, { name: l.value.name }));
      continue;
    }
    linkByName.set(l.value.name, l);
    const parsedMessage = parseMessageType(l.value.messageText);
    if (!parsedMessage.ok)
      issues.push(
        issue('E0689', `${at}.message`, {
          link: l.value.name,
          type: l.value.messageText,
          detail: parsedMessage.detail,
        }),
      );
    for (const end of ['from', 'to'] as const) {
      const name = l.value[end];
      if (!writtenContainerNames.has(name)) {
        const suggestion = closest(name, [...writtenContainerNames]);
        issues.push(
          issue(
            'E0678',
            `${at}.${end}`,
            { link: l.value.name, end: end === 'from' ? 'sending' : 'receiving', container: name },
            suggestion ? `did you mean "${suggestion}"?` : undefined,
          ),
        );
      }
    }
    if (l.value.from === l.value.to) {
      issues.push(issue('E0679', `${at}.to`, { link: l.value.name, container: l.value.from }));
      continue;
    }
    for (const end of ['from', 'to'] as const) {
      const c = containerByName.get(l.value[end]);
      if (c && !c.value.linkEnds.includes(l.value.name)) {
        issues.push(
          issue('E0682', `${at}.${end}`, {
            link: l.value.name,
            end: end === 'from' ? 'sending' : 'receiving',
            container: c.value.name,
          }),
        );
      }
    }
    const sender = containerByName.get(l.value.from);
    const receiver = containerByName.get(l.value.to);
    if (
      l.value.onFull === 'block' &&
      sender?.value.criticality !== undefined &&
      receiver?.value.criticality !== undefined &&
      receiver.value.criticality < sender.value.criticality
    ) {
      issues.push(
        issue('E0683', `${at}.onFull`, {
          link: l.value.name,
          from: sender.value.name,
          to: receiver.value.name,
          fromCriticality: sender.value.criticality,
          toCriticality: receiver.value.criticality,
        }),
      );
    }
  }
  for (const c of outlines) {
    const listed = (rawContainers[c.index] as { peripherals?: unknown }).peripherals;
    const rawList = Array.isArray(listed) ? (listed as unknown[]) : [];
    rawList.forEach((p, pi) => {
      if (typeof p !== 'string' || !p.startsWith(LINK_PREFIX)) return;
      const name = p.slice(LINK_PREFIX.length);
      const at = `containers[${c.index}].peripherals[${pi}]`;
      const link = linkByName.get(name);
      if (!link) {
        // With a malformed link we cannot tell; its shape error is reported already.
        if (allLinksValid) {
          const suggestion = closest(name, [...linkByName.keys()]);
          issues.push(
            issue(
              'E0680',
              at,
              { container: c.value.name, link: name },
              suggestion ? `did you mean "link:${suggestion}"?` : undefined,
            ),
          );
        }
      } else if (link.value.from !== c.value.name && link.value.to !== c.value.name) {
        issues.push(
          issue('E0681', at, {
            container: c.value.name,
            link: name,
            from: link.value.from,
            to: link.value.to,
          }),
        );
      }
    });
  }

  // Guaranteed budgets cannot promise more than the CPU.
  const budgetPercent = containers.reduce((sum, c) => sum + (c.value.budget?.percent ?? 0), 0);
  if (budgetPercent > 100) {
    issues.push(issue('E0685', 'containers', { percent: budgetPercent }));
  }

  // Memory: everything plus the system's own must fit the board's RAM.
  // With a malformed container or link the well-formed ones still give a lower bound: if even
  // that does not fit, say so now (the table is printed only when it is complete).
  let budget: MemoryBudget | undefined;
  if (board) {
    const complete = allContainersValid && allLinksValid;
    const counted = memoryBudget(
      board,
      containers.map((c) => c.value),
      links.map((l) => l.value),
    );
    if (complete) budget = counted;
    if (counted.totalBytes > counted.ramBytes) {
      issues.push(
        issue(
          'E0676',
          'containers',
          {
            needed: counted.totalBytes,
            board: board.name,
            available: counted.ramBytes,
            over: counted.totalBytes - counted.ramBytes,
          },
          complete
            ? 'shrink heapBytes or stackBytes, or use fewer contexts; the budget table shows where the RAM goes'
            : 'counting only the well-formed containers and links; shrink heapBytes or stackBytes, or use fewer contexts',
        ),
      );
    }
  }

  // Programs: read, compile and verify each one.
  const programs = new Map<string, P>();
  if (options.loadProgram) {
    for (const c of outlines) {
      if (c.value.program === undefined) continue;
      const loaded = options.loadProgram(c.value.program, c.value.name);
      const at = `containers[${c.index}].program`;
      if (loaded.ok) programs.set(c.value.name, loaded.program);
      else
        issues.push(
          issue(loaded.kind === 'unreadable' ? 'E0686' : 'E0687', at, {
            program: c.value.program,
            detail: loaded.detail,
          }),
        );
    }
  }

  // Message types: data, and the same data types on both ends.
  for (const l of linkByName.values()) {
    const { from, to, name, messageText, message } = l.value;
    if (!parseMessageType(messageText).ok || !programs.has(from) || !programs.has(to)) continue;
    const problem = messageTypeProblem(
      message,
      dataTypesOf(programs.get(from)) ?? [],
      dataTypesOf(programs.get(to)),
    );
    if (problem) {
      issues.push(
        issue('E0690', `links[${l.index}].message`, {
          link: name,
          type: messageText,
          from,
          to,
          detail: problem,
        }),
      );
      continue;
    }
    // Each end's program, where it binds the link's driver number to a channel, must agree
    // with the message type (the channel's type is in the image metadata).
    for (const end of [from, to]) {
      const outline = containerByName.get(end);
      const driver = outline?.value.driverNames.indexOf(`${LINK_PREFIX}${name}`) ?? -1;
      if (!outline || driver < 0) continue;
      const bound = externalChannelsOf(programs.get(end)).find(
        (c) => c.driver === driver && !channelTypeFits(c.element, message),
      );
      if (bound)
        issues.push(
          issue(
            'E0691',
            `containers[${outline.index}].peripherals[${driver}]`,
            {
              link: name,
              type: messageText,
              container: end,
              driver,
              found: showType(bound.element),
            },
            `declare the channel as Channel ${showType(message)}, or change the link's "message"`,
          ),
        );
    }
  }

  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || !whole.success || !board) {
    return { ok: false, issues, ...(budget ? { budget } : {}) };
  }
  const manifest: SystemManifest = {
    board: board.name,
    quantumInstructions: whole.data.quantumInstructions,
    ...(whole.data.heartbeatMs !== undefined
      ? { heartbeatUs: parseDurationUs(whole.data.heartbeatMs) ?? 0 }
      : {}),
    containers: containers.map((c) => c.value),
    links: links.map((l) => l.value),
  };
  return {
    ok: true,
    system: {
      manifest,
      board,
      programs,
      budget: budget ?? memoryBudget(board, manifest.containers, manifest.links),
      warnings: issues,
    },
  };
}

/** Parses manifest text (JSON) and checks it. */
export function checkManifestText<P>(
  text: string,
  options: ManifestCheckOptions<P> = {},
): ManifestResult<P> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      issues: [issue('E0670', '', { detail: e instanceof Error ? e.message : String(e) })],
    };
  }
  return checkManifest(json, options);
}
