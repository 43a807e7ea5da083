/**
 * The end-of-run summary (stderr): per container CPU time and share, instructions, collections
 * and the worst pause, messages, deadline misses and faults; time asleep; energy estimated from
 * the board's power figures. A pure function from counters to lines: the runtime and system
 * layers collect the counters.
 */

export interface ContainerCounters {
  readonly name: string;
  /** Device time spent running this container's instructions and runtime calls. */
  readonly cpuMicros: number;
  readonly instructions: number;
  readonly gcCount: number;
  readonly gcWorstPauseMicros: number;
  readonly messages: number;
  readonly deadlineMisses: number;
  readonly faults: number;
  readonly restarts?: number;
  /** Interrupts dropped because the container's queue was full or nothing was bound. */
  readonly droppedInputs?: number;
}

export interface RunCounters {
  readonly board: string;
  readonly elapsedMicros: number;
  readonly asleepMicros: number;
  readonly containers: readonly ContainerCounters[];
  /** From the board description (see hal `milliwatts`). */
  readonly activeMilliwatts: number;
  readonly sleepMilliwatts: number;
  /** Why the run ended: `--for elapsed`, `all contexts ended`, … */
  readonly ended?: string;
  /** Energy computed by the sleep manager per power state, when it knows better (mJ). */
  readonly energyMillijoules?: number;
}

/** Energy in millijoules: active power over time awake plus sleep power over time asleep. */
export function energyMillijoules(c: RunCounters): number {
  if (c.energyMillijoules !== undefined) return c.energyMillijoules;
  const awake = Math.max(0, c.elapsedMicros - c.asleepMicros);
  return (c.activeMilliwatts * awake + c.sleepMilliwatts * c.asleepMicros) / 1_000_000;
}

function time(micros: number): string {
  if (micros < 1000) return `${Math.round(micros)}us`;
  if (micros < 1_000_000) return `${(micros / 1000).toFixed(3)}ms`;
  return `${(micros / 1_000_000).toFixed(3)}s`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

function energy(millijoules: number): string {
  if (millijoules < 1) return `${(millijoules * 1000).toFixed(1)}uJ`;
  if (millijoules < 1000) return `${millijoules.toFixed(2)}mJ`;
  return `${(millijoules / 1000).toFixed(3)}J`;
}

/** Lines of a table with left-aligned first column and right-aligned numbers. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function summaryLines(c: RunCounters): string[] {
  const lines = [
    `run: ${time(c.elapsedMicros)} of device time on ${c.board}` +
      (c.ended ? ` (${c.ended})` : '') +
      `; asleep ${time(c.asleepMicros)} (${percent(c.asleepMicros, c.elapsedMicros)})`,
  ];
  const header = [
    'container',
    'cpu',
    'share',
    'instructions',
    'gc',
    'worst gc',
    'messages',
    'misses',
    'faults',
  ];
  const anyRestarts = c.containers.some((k) => (k.restarts ?? 0) > 0);
  const anyDrops = c.containers.some((k) => (k.droppedInputs ?? 0) > 0);
  if (anyRestarts) header.push('restarts');
  if (anyDrops) header.push('dropped');
  const rows = c.containers.map((k) => {
    const row = [
      k.name,
      time(k.cpuMicros),
      percent(k.cpuMicros, c.elapsedMicros),
      String(k.instructions),
      String(k.gcCount),
      k.gcCount > 0 ? time(k.gcWorstPauseMicros) : '-',
      String(k.messages),
      String(k.deadlineMisses),
      String(k.faults),
    ];
    if (anyRestarts) row.push(String(k.restarts ?? 0));
    if (anyDrops) row.push(String(k.droppedInputs ?? 0));
    return row;
  });
  if (rows.length > 0) lines.push(...table([header, ...rows]));
  const mj = energyMillijoules(c);
  const average = c.elapsedMicros > 0 ? (mj * 1_000_000) / c.elapsedMicros : 0;
  lines.push(
    `energy: ${energy(mj)} estimated (average ${average.toFixed(3)}mW; ` +
      `active ${c.activeMilliwatts}mW, sleep ${c.sleepMilliwatts}mW)`,
  );
  return lines;
}
