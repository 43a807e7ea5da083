/**
 * The device: the containers of a system manifest on one simulated CPU.
 *
 * Each container is its own VM instance (vm/Machine) with the memory sizes of the manifest,
 * and its own runtime (rts/ContainerRuntime) with its own contexts, channels and drivers: the
 * board peripherals it lists (claimed for it alone) and its link ends, numbered in the order
 * of its `peripherals` list (`spawnExternal ch 0` binds the first). Nothing is shared.
 *
 * The main loop, all in device time:
 *   1. the criticality scheduler picks a container and runs one quantum of it;
 *   2. after the slice: faults, program end and the watchdog go to supervision; heartbeats
 *      due are taken; restarts whose back-off is over are performed;
 *   3. when no container can run, the sleep manager sleeps until the earliest alarm,
 *      restart, heartbeat or end of the run; the platform wakes early on an interrupt.
 */
import { cycleTable } from '../hal/boards/index.js';
import type { Driver } from '../hal/driver.js';
import type { SimPlatform } from '../hal/sim/platform.js';
import type { Program } from '../isa/program.js';
import { ContainerRuntime } from '../rts/container-runtime.js';
import type { Trace } from '../trace/trace.js';
import type { FaultRecord } from '../vm/faults.js';
import { DEFAULT_TIER, type TierName, tierFactory } from '../vm/jit/index.js';
import { Machine, type TierFactory } from '../vm/machine.js';
import type { BoardInfo } from './boards.js';
import { runtimeConfigFor, vmConfigFor } from './container-config.js';
import { LinkReceiveDriver, LinkSendDriver } from './link-drivers.js';
import { Link, type LinkCounters } from './links.js';
import {
  containerFootprintBytes,
  LINK_PREFIX,
  type ContainerSpec,
  type LoadedSystem,
} from './manifest.js';
import {
  CriticalityScheduler,
  shareReport,
  type Budget,
  type SchedulableContainer,
  type ShareReport,
  type SliceResult,
} from './scheduler.js';
import {
  SleepManager,
  type ContainerStatus,
  type HeartbeatRecord,
  type PowerReport,
} from './sleep.js';
import { Supervisor, type SupervisionDecision } from './supervisor.js';
import { Watchdog } from './watchdog.js';

export type ContainerLifecycle = 'running' | 'restarting' | 'stopped' | 'finished';

/** A fault as the system reports it: the VM's record, or the watchdog's. */
export interface ContainerFault {
  readonly atUs: number;
  readonly cause: string;
  readonly detail: string;
}

export type DeviceEvent =
  | {
      readonly kind: 'fault';
      readonly atUs: number;
      readonly container: string;
      readonly cause: string;
      readonly detail: string;
    }
  | {
      readonly kind: 'restart';
      readonly atUs: number;
      readonly container: string;
      readonly restart: number;
    }
  | {
      readonly kind: 'stop';
      readonly atUs: number;
      readonly container: string;
      readonly reason: string;
    }
  | { readonly kind: 'reset-system'; readonly atUs: number; readonly reason: string };

export interface DeviceOptions {
  readonly platform: SimPlatform;
  readonly stressGc?: boolean;
  readonly trace?: Trace;
  /** Execution tier of the containers' machines (default: compiled; identical device time). */
  readonly tier?: TierName;
  /** Receives the printed value of a container's `main` when it returns. */
  readonly onMainResult?: (container: string, text: string) => void;
}

export interface ContainerReport extends ShareReport {
  readonly state: ContainerLifecycle;
  /** What it is doing at the end of the run: blocked, sleeping until a time, runnable, … */
  readonly status: ContainerStatus;
  readonly restarts: number;
  readonly faults: readonly ContainerFault[];
  readonly watchdogFires: number;
  readonly droppedInputs: number;
  readonly deadlineMisses: number;
  /** Collections over every incarnation of the container (restarts included). */
  readonly collections: number;
  /**
   * The longest collection's work (cells and roots visited) at the board's cycles per move:
   * what its pause would take on the device (collections do not advance device time).
   */
  readonly worstCollectionUs: number;
  /** Messages between its contexts (channel rendezvous), every incarnation. */
  readonly messages: number;
}

export interface LinkReport {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly onFull: string;
  readonly depth: number;
  readonly counters: LinkCounters;
  readonly closed: { sender: boolean; receiver: boolean };
}

export interface DeviceReport {
  readonly board: string;
  readonly endedAtUs: number;
  readonly endReason: string;
  readonly containers: readonly ContainerReport[];
  readonly links: readonly LinkReport[];
  readonly power: PowerReport;
  readonly heartbeats: readonly HeartbeatRecord[];
  readonly events: readonly DeviceEvent[];
  readonly containerSwitches: number;
  readonly switchOverheadUs: number;
  readonly systemResets: number;
}

/** One container: the schedulable face of a VM + runtime pair, rebuilt on every restart. */
class DeviceContainer implements SchedulableContainer<ContainerFault> {
  lifecycle: ContainerLifecycle = 'running';
  restartAtUs: number | undefined;
  runtime!: ContainerRuntime;
  readonly faults: ContainerFault[] = [];
  readonly watchdog: Watchdog | undefined;
  watchdogFires = 0;
  droppedInputs = 0;
  deadlineMisses = 0;
  /** Counters of earlier incarnations (a restart discards the runtime and the machine). */
  private earlierCollections = 0;
  private earlierMessages = 0;
  worstCollectionWork = 0;
  private readonly drivers: Driver[];
  /** Runtime faults already handed to supervision. A context may also fault between slices
   * (a link closed under a blocked sync, a wrap entered on an interrupt): the next slice
   * reports it. */
  private faultsReported = 0;
  /** Cycles of re-initialising memory still to spend after a restart (see `start`). */
  private initCyclesLeft = 0;
  /** Cycles a restart costs in total. */
  readonly restartCycles: number;

  constructor(
    readonly spec: ContainerSpec,
    private readonly device: Device,
    private readonly program: Program,
  ) {
    this.watchdog = spec.watchdogUs !== undefined ? new Watchdog(spec.watchdogUs) : undefined;
    this.drivers = device.driversFor(spec, program);
    this.restartCycles = restartCyclesFor(containerFootprintBytes(spec));
    this.start();
  }

  get name(): string {
    return this.spec.name;
  }
  get criticality(): number {
    return this.spec.criticality;
  }

  /**
   * A fresh memory image: new machine, new runtime, peripherals claimed again. A restart (not
   * the boot) costs device time: the container's memory is cleared and its tables rebuilt
   * (`restartCyclesFor`). That work runs in the container's own slices, at most a quantum's
   * worth at a time, so a restart pre-empts nobody of higher criticality for longer than a
   * quantum would.
   */
  start(restart = false): void {
    if (restart) {
      this.earlierCollections = this.collections;
      this.earlierMessages = this.messages;
    }
    this.initCyclesLeft = restart ? this.restartCycles : 0;
    for (const d of this.drivers) d.claim(this.name);
    this.runtime = new ContainerRuntime(
      this.freshMachine(restart),
      {
        clock: this.device.platform.clock,
        drivers: this.drivers,
        cycleTable: this.device.cycles,
        ...(this.device.trace ? { trace: this.device.trace } : {}),
        observer: {
          interruptDropped: () => void this.droppedInputs++,
          deadlineMissed: () => void this.deadlineMisses++,
          mainReturned: (text) => this.device.onMainResult?.(this.name, text),
        },
      },
      runtimeConfigFor(this.spec.memory, this.device.quantumInstructions),
    );
    this.faultsReported = 0;
    this.lifecycle = 'running';
    this.restartAtUs = undefined;
    this.watchdog?.reset();
  }

  /**
   * The machine of a new incarnation: at boot a new one; on a restart the same one reset —
   * byte for byte the state of a new machine, but its compiled code is kept, already optimised
   * (and no second memory image is allocated).
   */
  private freshMachine(restart: boolean): Machine {
    if (restart && this.runtime) {
      this.runtime.machine.reset();
      return this.runtime.machine;
    }
    const machine = new Machine(this.program, vmConfigFor(this.spec.memory), {
      containerName: this.name,
      ...(this.device.stressGc !== undefined ? { stressGc: this.device.stressGc } : {}),
      // Both tiers charge the board's cycles per executed instruction (the CPU cost model).
      cycleTable: this.device.cycles,
      tier: this.device.tier,
    });
    const previous = machine.memory.onCollection;
    machine.memory.onCollection = (stats) => {
      previous?.(stats);
      this.worstCollectionWork = Math.max(this.worstCollectionWork, stats.pauseWork);
    };
    return machine;
  }

  get collections(): number {
    return this.earlierCollections + this.runtime.machine.memory.heapStats().collections;
  }

  get messages(): number {
    return this.earlierMessages + this.runtime.messages;
  }

  /** Peripherals to their safe state, contexts dropped (the runtime is discarded). */
  halt(): void {
    for (const d of this.drivers) d.release();
  }

  isRunnable(): boolean {
    if (this.lifecycle !== 'running') return false;
    // hasRunnable polls (wake-ups, interrupts, link changes), which may fault a context.
    if (this.initCyclesLeft > 0) return true;
    const runnable = this.runtime.hasRunnable();
    return runnable || this.runtime.faults.length > this.faultsReported;
  }

  nextWakeUpAt(): number | undefined {
    if (this.lifecycle !== 'running') return undefined;
    const t = this.runtime.nextWakeAt();
    return Number.isFinite(t) ? t : undefined;
  }

  private progressMark(): number {
    let sum = 0;
    for (const g of this.runtime.generation) sum += g;
    return sum;
  }

  runSlice(maxInstructions: number): SliceResult<ContainerFault> {
    if (this.initCyclesLeft > 0) {
      const cycles = Math.min(this.initCyclesLeft, maxInstructions * INIT_WORDS_PER_INSTRUCTION);
      this.initCyclesLeft -= cycles;
      this.device.platform.clock.advanceCycles(cycles);
      this.watchdog?.reset();
      return { instructions: 0, progressed: true, outcome: 'quantum' };
    }
    const runtime = this.runtime;
    const before = runtime.instructions;
    const progressBefore = this.progressMark();
    const unreported = runtime.faults.length > this.faultsReported;
    const outcome = unreported ? 'idle' : runtime.step(maxInstructions);
    const instructions = runtime.instructions - before;
    const progressed = this.progressMark() !== progressBefore;
    if (runtime.faults.length > this.faultsReported) {
      this.faultsReported = runtime.faults.length;
      const f: FaultRecord | undefined = runtime.faults[runtime.faults.length - 1];
      const fault: ContainerFault = {
        atUs: this.device.platform.clock.now(),
        cause: f ? String(f.cause) : 'runtime error',
        detail: f ? describeFault(f) : '',
      };
      return { instructions, progressed, outcome: 'fault', fault };
    }
    return {
      instructions,
      progressed,
      outcome: outcome === 'busy' ? 'quantum' : outcome === 'idle' ? 'idle' : 'halted',
    };
  }

  status(current: boolean): ContainerStatus {
    const restarts = this.device.supervisor.restarts(this.name);
    switch (this.lifecycle) {
      case 'restarting':
        return {
          name: this.name,
          state: 'restarting',
          ...(this.restartAtUs !== undefined ? { untilUs: this.restartAtUs } : {}),
          restarts,
        };
      case 'stopped':
      case 'finished':
        return { name: this.name, state: this.lifecycle, restarts };
    }
    if (current && this.runtime.hasRunnable())
      return { name: this.name, state: 'running', restarts };
    if (this.runtime.hasRunnable()) return { name: this.name, state: 'runnable', restarts };
    const wake = this.nextWakeUpAt();
    return wake !== undefined
      ? { name: this.name, state: 'sleeping', untilUs: wake, restarts }
      : { name: this.name, state: 'blocked', restarts };
  }
}

/** Words cleared per instruction-equivalent of a slice (a store-multiple of 4 words). */
const INIT_WORDS_PER_INSTRUCTION = 4;

/**
 * Device cycles to restart a container of `bytes` of RAM: clearing it at one 32-bit word per
 * cycle, plus a fixed cost for rebuilding the runtime's tables and loading the image's entry.
 */
export function restartCyclesFor(bytes: number): number {
  return Math.ceil(bytes / 4) + RESTART_FIXED_CYCLES;
}
const RESTART_FIXED_CYCLES = 2000;

function describeFault(f: FaultRecord): string {
  const detail = (f as { detail?: string }).detail;
  return detail ? `${f.cause}: ${detail}` : String(f.cause);
}

export class Device {
  readonly platform: SimPlatform;
  /** Undefined: the VM's default (SENSEVM_STRESS_GC=1 in the environment). */
  readonly stressGc: boolean | undefined;
  readonly quantumInstructions: number;
  readonly cycles: Uint32Array;
  /** Undefined: the interpreter. */
  readonly tier: TierFactory | undefined;
  readonly supervisor: Supervisor;
  readonly onMainResult: DeviceOptions['onMainResult'];
  private readonly scheduler: CriticalityScheduler<DeviceContainer, ContainerFault>;
  private readonly sleep: SleepManager;
  private readonly containers: DeviceContainer[] = [];
  private readonly links = new Map<string, Link>();
  private readonly events: DeviceEvent[] = [];
  /** Shared with the containers' runtimes, which write their context-level events there. */
  readonly trace: Trace | undefined;
  private readonly info: BoardInfo;

  constructor(system: LoadedSystem<Program>, options: DeviceOptions) {
    const { manifest } = system;
    this.info = system.board;
    this.platform = options.platform;
    this.stressGc = options.stressGc;
    this.trace = options.trace;
    this.onMainResult = options.onMainResult;
    this.quantumInstructions = manifest.quantumInstructions;
    this.cycles = cycleTable(this.platform.board);
    this.tier = tierFactory(options.tier ?? DEFAULT_TIER);
    this.supervisor = new Supervisor(manifest.containers);
    const budgets = new Map<string, Budget>();
    for (const c of manifest.containers) if (c.budget) budgets.set(c.name, c.budget);
    const clock = this.platform.clock;
    const switchCycles = this.info.containerSwitchCycles;
    const switchUs = (switchCycles * 1e6) / this.info.clockHz;
    this.scheduler = new CriticalityScheduler(
      { now: () => clock.now(), advance: () => clock.advanceCycles(switchCycles) },
      {
        quantumInstructions: manifest.quantumInstructions,
        containerSwitchUs: switchUs,
        budgets,
      },
    );
    this.sleep = new SleepManager(this.info.power, manifest.heartbeatUs, clock.now());
    for (const l of manifest.links) this.links.set(l.name, new Link(l));
    for (const spec of manifest.containers) {
      const program = system.programs.get(spec.name);
      if (!program) throw new Error(`internal error: no program for container ${spec.name}`);
      const container = new DeviceContainer(spec, this, program);
      this.containers.push(container);
      this.scheduler.add(container);
    }
  }

  /** The drivers of a container in the order of its peripherals list. */
  driversFor(spec: ContainerSpec, program: Program): Driver[] {
    const drivers: Driver[] = [];
    for (const name of spec.driverNames) {
      if (name.startsWith(LINK_PREFIX)) {
        const linkName = name.slice(LINK_PREFIX.length);
        const link = this.links.get(linkName);
        if (!link) throw new Error(`internal error: no link ${linkName}`);
        const dataTypes = program.metadata?.dataTypes ?? [];
        drivers.push(
          link.from === spec.name
            ? new LinkSendDriver(name, link, link.messageType, dataTypes)
            : new LinkReceiveDriver(name, link),
        );
      } else {
        const d = this.platform.device(name);
        if (!d) throw new Error(`internal error: board has no ${name}`);
        drivers.push(d);
      }
    }
    return drivers;
  }

  private now(): number {
    return this.platform.clock.now();
  }

  private record(event: DeviceEvent): void {
    this.events.push(event);
    const t = this.trace;
    if (!t?.enabled) return;
    if (event.kind === 'fault')
      t.emit({ kind: 'fault', t: event.atUs, container: event.container, cause: event.cause });
    else if (event.kind === 'restart')
      t.emit({
        kind: 'restart',
        t: event.atUs,
        container: event.container,
        attempt: event.restart,
      });
    else
      t.emit({
        kind: 'note',
        t: event.atUs,
        ...(event.kind === 'stop' ? { container: event.container } : {}),
        text: event.kind === 'stop' ? `stopped: ${event.reason}` : `system reset: ${event.reason}`,
      });
  }

  /** A container stopped (fault, watchdog or end of program): supervision decides. */
  private exited(
    container: DeviceContainer,
    exit: 'fault' | 'finished',
    fault?: ContainerFault,
  ): void {
    const now = this.now();
    container.halt();
    if (fault) {
      container.faults.push(fault);
      this.record({
        kind: 'fault',
        atUs: now,
        container: container.name,
        cause: fault.cause,
        detail: fault.detail,
      });
    }
    const decision: SupervisionDecision = this.supervisor.decide(
      container.name,
      now,
      exit,
      fault?.cause,
    );
    switch (decision.action) {
      case 'restart':
        container.lifecycle = 'restarting';
        container.restartAtUs = decision.atUs;
        break;
      case 'stop':
        container.lifecycle = exit === 'finished' && !fault ? 'finished' : 'stopped';
        this.record({
          kind: 'stop',
          atUs: now,
          container: container.name,
          reason: decision.reason,
        });
        for (const link of this.links.values()) link.closeEndOf(container.name);
        break;
      case 'reset-system':
        this.record({
          kind: 'reset-system',
          atUs: now,
          reason: `${container.name}: ${decision.reason}`,
        });
        this.supervisor.resetAll();
        for (const link of this.links.values()) link.reset();
        for (const c of this.containers) {
          if (c !== container && c.lifecycle === 'running') c.halt();
          c.start(true);
          this.scheduler.replace(c.name, c);
        }
        break;
    }
  }

  private performDueRestarts(): void {
    const now = this.now();
    for (const c of this.containers) {
      if (c.lifecycle === 'restarting' && c.restartAtUs !== undefined && c.restartAtUs <= now) {
        c.start(true);
        this.scheduler.replace(c.name, c);
        this.record({
          kind: 'restart',
          atUs: now,
          container: c.name,
          restart: this.supervisor.restarts(c.name),
        });
      }
    }
  }

  private nextRestartAt(): number | undefined {
    let earliest: number | undefined;
    for (const c of this.containers) {
      if (c.lifecycle === 'restarting' && c.restartAtUs !== undefined)
        earliest = earliest === undefined ? c.restartAtUs : Math.min(earliest, c.restartAtUs);
    }
    return earliest;
  }

  /**
   * `current`: the container that just ran a slice (none right after a sleep). `asleep`: the
   * states as the device went to sleep, for a heartbeat that woke it — what was due at the
   * same instant (a timer, an input) has been delivered already, but the heartbeat reports the
   * device it woke, so a container whose timer is due now shows as sleeping until now.
   */
  private takeHeartbeat(current?: DeviceContainer, asleep?: readonly ContainerStatus[]): void {
    if (!this.sleep.heartbeatDue(this.now())) return;
    const record = this.sleep.takeHeartbeat(
      this.now(),
      asleep ?? this.containers.map((c) => c.status(c === current)),
    );
    if (record && this.trace?.enabled)
      this.trace.emit({ kind: 'note', t: record.atUs, text: `heartbeat ${record.sequence}` });
  }

  /** Runs until device time `untilUs`, or until nothing can ever happen again. */
  run(untilUs: number): DeviceReport {
    let endReason = `ran for ${untilUs} us`;
    while (this.now() < untilUs) {
      this.performDueRestarts();
      const step = this.scheduler.step();
      if (step.kind === 'ran') {
        const c = step.container;
        const { result } = step;
        if (this.trace?.enabled && step.switched)
          this.trace.emit({ kind: 'container-switch', t: step.startedAtUs, container: c.name });
        if (result.outcome === 'fault') {
          this.exited(c, 'fault', result.fault);
        } else if (result.outcome === 'halted') {
          this.exited(c, 'finished');
        } else if (
          c.watchdog?.afterSlice(
            step.endedAtUs - step.startedAtUs,
            result.progressed,
            result.outcome === 'idle',
          )
        ) {
          c.watchdogFires++;
          this.exited(c, 'fault', {
            atUs: this.now(),
            cause: 'watchdog',
            detail: `no sync completed for ${c.watchdog.sinceProgressUs()} us of CPU (watchdogMs ${c.watchdog.timeoutUs / 1000})`,
          });
        }
        this.takeHeartbeat(c);
        continue;
      }
      // Nothing can run: sleep.
      const from = this.now();
      const plan = this.sleep.plan(from, {
        alarmAt: this.scheduler.nextWakeUpAt(),
        restartAt: this.nextRestartAt(),
        endOfRunAt: untilUs,
      });
      if (this.trace?.enabled) {
        this.trace.emit({ kind: 'container-switch', t: from, container: null });
        this.trace.emit({
          kind: 'sleep',
          t: from,
          ...(plan.untilUs !== undefined ? { until: plan.untilUs } : {}),
        });
      }
      const heartbeatAt = this.sleep.nextHeartbeatAt();
      const statesAsleep =
        heartbeatAt !== undefined && plan.untilUs === heartbeatAt
          ? this.containers.map((c) => c.status(false))
          : undefined;
      const reason = this.platform.sleepNow(plan.untilUs);
      this.sleep.recordSleep(from, this.now());
      if (this.trace?.enabled) this.trace.emit({ kind: 'wake', t: this.now(), reason });
      if (reason === 'nothing-to-wait-for') {
        endReason = 'nothing left to wait for';
        break;
      }
      this.takeHeartbeat(undefined, this.now() === heartbeatAt ? statesAsleep : undefined);
    }
    return this.report(endReason);
  }

  report(endReason: string): DeviceReport {
    const now = this.now();
    const shares = shareReport(this.scheduler.allAccounts(), now);
    return {
      board: this.info.name,
      endedAtUs: now,
      endReason,
      containers: this.containers.map((c, i) => ({
        ...(shares[i] as ShareReport),
        state: c.lifecycle,
        status: c.status(false),
        restarts: this.supervisor.restarts(c.name),
        faults: c.faults,
        watchdogFires: c.watchdogFires,
        droppedInputs: c.droppedInputs,
        deadlineMisses: c.deadlineMisses,
        collections: c.collections,
        worstCollectionUs:
          (c.worstCollectionWork * this.info.board.cpu.cycles.move * 1e6) / this.info.clockHz,
        messages: c.messages,
      })),
      links: [...this.links.values()].map((l) => ({
        name: l.name,
        from: l.from,
        to: l.to,
        onFull: l.onFull,
        depth: l.depth(),
        counters: { ...l.counters },
        closed: l.isClosed(),
      })),
      power: this.sleep.report(now),
      heartbeats: this.sleep.heartbeats,
      events: this.events,
      containerSwitches: this.scheduler.containerSwitches,
      switchOverheadUs: this.scheduler.switchOverheadUs,
      systemResets: this.supervisor.systemResets,
    };
  }
}
