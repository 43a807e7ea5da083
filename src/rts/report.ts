/**
 * What every live context of a container is doing, in words: the deadlock report of
 * `sensevm run` and a debugging aid. Allocates freely; never on a hot path.
 */
import { sourceAt } from '../isa/program.js';
import type { ChannelWait } from './channels.js';
import type { ContainerRuntime } from './container-runtime.js';

export interface ContextReport {
  readonly context: number;
  readonly main: boolean;
  readonly state: 'ready' | 'running' | 'blocked' | 'waiting';
  /** Channels the context is registered on (blocked in sync). */
  readonly waitsOn: readonly ChannelWait[];
  /** Device time of its time-out, sleep end or syncT release, if any. */
  readonly until?: number;
  readonly pc: number;
  /** The same instruction's address as `sensevm disasm` lists it, when that differs from pc. */
  readonly address?: number;
  readonly source?: string;
}

const STATE_NAMES: Record<number, ContextReport['state'] | undefined> = {
  1: 'ready',
  2: 'running',
  3: 'blocked',
  4: 'waiting',
};

export function describeContexts(runtime: ContainerRuntime): ContextReport[] {
  const reports: ContextReport[] = [];
  for (let ctx = 0; ctx < runtime.state.length; ctx++) {
    const state = STATE_NAMES[runtime.state[ctx]!];
    if (!state) continue;
    // A blocked or waiting context stands just after its CALLRTS (2 bytes): report the call.
    const pcNow = runtime.machine.pcOf(ctx);
    const pc = state === 'blocked' || state === 'waiting' ? Math.max(0, pcNow - 2) : pcNow;
    const at = sourceAt(runtime.machine.program, pc);
    const until = runtime.wakeQueue.keyOf(ctx);
    const labelBase = runtime.machine.program.labelBase;
    reports.push({
      context: ctx,
      main: ctx === runtime.mainContext,
      state,
      waitsOn: state === 'blocked' ? runtime.channels.waitsOf(ctx) : [],
      ...(until !== undefined ? { until } : {}),
      pc,
      ...(labelBase !== 0 ? { address: pc + labelBase } : {}),
      ...(at ? { source: `${at.file}:${at.line}:${at.column}` } : {}),
    });
  }
  return reports;
}

/** One line per context: `context 0 (main): blocked in sync on recv channel 0 at a.cam:3:8`. */
export function formatContextReport(r: ContextReport): string {
  const who = `context ${r.context}${r.main ? ' (main)' : ''}`;
  // Like fault reports: SynchronVM images list instructions by file offset, so give both.
  const listed = r.address !== undefined ? ` (@${r.address} in the listing)` : '';
  const where = r.source ? ` at ${r.source}` : ` at pc ${r.pc}${listed}`;
  let what: string;
  if (r.state === 'blocked') {
    const parts = r.waitsOn.map((w) => `${w.direction} on channel ${w.channel}`);
    if (r.until !== undefined) parts.push(`a time-out at ${r.until} µs`);
    what = `blocked in sync waiting to ${parts.length > 0 ? parts.join(', ') : 'nothing'}`;
  } else if (r.state === 'waiting') {
    what = `waiting until ${r.until ?? '?'} µs`;
  } else {
    what = r.state;
  }
  return `${who}: ${what}${where}`;
}
