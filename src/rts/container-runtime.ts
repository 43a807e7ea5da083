/**
 * One container's runtime: contexts, the EDF ready queue, the wake-up queue, channels and CML
 * events, syncT time and the driver bridge, behind CALLRTS (isa/rts-calls.ts). docs/runtime.md
 * describes the semantics; this comment says how the pieces fit.
 *
 * Glossary
 * - current:   the context the execution unit runs; cooperative — it runs until it blocks in a
 *              sync, waits for time, yields or ends. `step(budget)` returns to its caller when
 *              the budget is spent (the system layer may then run another container), but no
 *              other context of this container runs before the current one gives up.
 * - state:     FREE, READY (in the ready queue), RUNNING (current), BLOCKED (in a sync: on
 *              channel queues and/or a time-out in the wake-up queue), WAITING (sleep or a
 *              syncT release in the wake-up queue), ENDED, FAULTED.
 * - commit:    a sync of context c fires alternative i with value v: c's other registrations go
 *              stale (generation + 1), its env becomes v, then its wrap functions run — the
 *              innermost ones called with a return address to the image's graveyard STOP (the
 *              runtime resumes the next one when that STOP is reached at the recorded depth),
 *              the outermost one entered as a *tail* application of the sync's continuation:
 *              no return address is pushed when the instruction after the sync returns, so a
 *              wrap function that loops back into its caller runs in constant stack
 *              (SynchronVM leaked a slot per iteration, reference §2.3).
 * - rendezvous: after a match the receiver runs and the sender is made ready (SynchronVM's rule).
 *
 * Every pointer the runtime keeps lives in a VM root: blocked contexts keep their event in env;
 * pending wrap lists sit in one root slot per context; events are built by EventCodec, which
 * keeps intermediates rooted, so a collection on every allocation (stress GC) is safe.
 */
import type { InterruptSink } from '../hal/driver.js';
import { Op } from '../isa/opcodes.js';
import { RtsCall } from '../isa/rts-calls.js';
import {
  CONTEXT_RECORD_WORDS,
  CTX_ENV,
  CTX_ENV_KIND,
  CTX_PC,
  CTX_SP,
  IMMEDIATE,
  POINTER,
  type ValueKind,
} from '../vm/memory.js';
import { RECV, SEND } from './channels.js';
import { EventKind } from './events.js';
import { encodeValue, kindOf, POINTER_OFFSET, wordOf } from './heap-adapter.js';
import { PORT_WAIT, LINK_CLOSED_DETAIL } from './port-service.js';
import { describeContexts, type ContextReport } from './report.js';
import { readRef, type RefProblem, writeRef } from './refs.js';
import { type Flow, RuntimeCore } from './runtime-core.js';
import {
  BLOCKED,
  READY,
  RUNNING,
  WAITING,
  WAKE_NONE,
  WAKE_RELEASE,
  WAKE_SLEEP,
  WAKE_TIMEOUT,
  type StepOutcome,
} from './runtime-types.js';
import { sleepUntil, timedRelease } from './time.js';
import { faultCauseOf } from './value-port.js';

export * from './runtime-types.js';

/** The message calls, tested before the general dispatch. */
const SEND_CALL = RtsCall.send!;
const RECV_CALL = RtsCall.recv!;
const SYNC_CALL = RtsCall.sync!;
const CALLRTS = Op.CALLRTS;

export class ContainerRuntime extends RuntimeCore {
  // ------------------------------------------------------------------ the slice loop

  /**
   * Runs contexts for at most `budget` instructions (more precisely: stops at the first
   * opportunity after `budget`). Returns 'busy' when work remains, 'idle' when every live
   * context waits (see `nextWakeAt`), 'finished' when no context is left.
   */
  step(budget: number): StepOutcome {
    let left = budget;
    this.poll();
    const machine = this.machine;
    const slice = this.config.sliceInstructions;
    for (;;) {
      if (this.current < 0) {
        const next = this.readyQueue.pop();
        if (next < 0) return this.live === 0 ? 'finished' : 'idle';
        this.state[next] = RUNNING;
        this.current = next;
        this.tracer?.switchTo(next, this.readyQueue.size, this.wakeQueue.size);
      }
      if (left <= 0) return 'busy';
      const ctx = this.current;
      const result = machine.run(ctx, left < slice ? left : slice);
      const executed = result.executed;
      const reason = result.reason;
      left -= executed;
      this.instructions += executed;
      const cycles = this.cost.cyclesOf(executed);
      let polled = false;
      if (reason === 'rts') {
        let call = result.rtsCall;
        let callCost = cycles;
        for (;;) {
          // The runtime call acts at the start of its CALLRTS instruction (device I/O, releases),
          // so a syncT-released write happens at exactly its release time; its cost follows.
          const callCycles = Math.min(callCost, this.cost.callCycles);
          this.clock.advanceCycles(callCost - callCycles);
          this.callingContext = ctx;
          const flow = this.dispatchCall(ctx, call);
          this.callingContext = -1;
          if (flow === 'switch' && this.current === ctx) this.current = -1;
          this.clock.advanceCycles(callCycles);
          if (flow === 'switch' || this.current !== ctx || left <= 0) break;
          // What the loop does before the next run: poll, then run the next instruction.
          if (this.wakeQueue.size > 0 || this.interruptsDirty || this.ports.dirty) this.poll();
          polled = true;
          if (!this.takeNextSync(ctx)) break;
          polled = false;
          // `sync` right after the call that built its event: that CALLRTS ran here, as the
          // machine would have run it (counted, charged), without re-entering the tier for it.
          left--;
          this.instructions++;
          callCost = this.cost.cyclesOf(1);
          call = SYNC_CALL;
        }
      } else {
        this.clock.advanceCycles(cycles);
        if (reason === 'stop') this.stopped(ctx);
        else if (reason === 'fault')
          this.faulted(ctx, result.fault ?? this.machine.raiseFault(ctx, 'runtime error'));
      }
      // poll() without the call when nothing can be due: no wake-up queued, no input.
      if (!polled && (this.wakeQueue.size > 0 || this.interruptsDirty || this.ports.dirty))
        this.poll();
    }
  }

  /**
   * Runs the context's next instruction on the machine's behalf when it is `CALLRTS sync`: pc
   * moves past it and the machine's meters count it (per-opcode counts, cycle meter) exactly as
   * the tier would; the caller counts it against the budget and serves the call. Not when every
   * instruction must reach the machine's trace hook.
   */
  private takeNextSync(ctx: number): boolean {
    const machine = this.machine;
    if (machine.tracesInstructions) return false;
    const records = machine.memory.contexts;
    const at = ctx * CONTEXT_RECORD_WORDS + CTX_PC;
    const pc = records[at]!;
    const code = machine.program.code;
    if (code[pc] !== CALLRTS || code[pc + 1] !== SYNC_CALL) return false;
    records[at] = pc + 2;
    if (machine.opcodeCounts) machine.opcodeCounts[CALLRTS]!++;
    const meter = machine.cycleMeter;
    if (meter) meter.total += meter.table[CALLRTS]!;
    return true;
  }

  /** Device time of the earliest wake-up (sleep, release, time-out), Infinity when none. */
  nextWakeAt(): number {
    return this.wakeQueue.peekKey();
  }

  /** Whether some context could run now (ready, running, or an interrupt can be delivered). */
  hasRunnable(): boolean {
    this.poll();
    return this.current >= 0 || this.readyQueue.size > 0;
  }

  get liveContexts(): number {
    return this.live;
  }

  /** Every context that has not ended, with what it waits on (for the deadlock report). */
  report(): ContextReport[] {
    return describeContexts(this);
  }

  /** Timed-out syncs and releases use the clock; interrupts arrive through `sink`. */
  get interruptSink(): InterruptSink {
    return this.sink;
  }

  /** @internal for reports */
  timeoutOf(ctx: number): number | undefined {
    return this.wakeReason[ctx] === WAKE_TIMEOUT ? this.wakeQueue.keyOf(ctx) : undefined;
  }

  // ------------------------------------------------------------------ time and interrupts

  /** Moves due wake-ups to the ready queue and delivers interrupts to waiting receivers. */
  private poll(): void {
    const now = this.clock.now();
    while (this.wakeQueue.size > 0 && this.wakeQueue.peekKey() <= now) {
      const at = this.wakeQueue.peekKey();
      const ctx = this.wakeQueue.pop();
      const reason = this.wakeReason[ctx];
      this.wakeReason[ctx] = WAKE_NONE;
      if (reason === WAKE_TIMEOUT) {
        if (!this.commit(ctx, this.timeoutAlternative[ctx]!, this.heap.unit, at)) continue;
      } else if (reason === WAKE_SLEEP) {
        this.logicalTime[ctx] = Math.max(this.logicalTime[ctx]!, at);
      }
      this.makeReady(ctx);
    }
    if (this.interruptsDirty) this.deliverInterrupts();
    if (this.ports.dirty) this.ports.serve();
  }

  private deliverInterrupts(): void {
    this.interruptsDirty = false;
    const q = this.interrupts;
    for (let i = 0; i < q.size;) {
      const driverNo = q.driverAt(i);
      const channel = this.channels.channelOfDriver(driverNo);
      if (channel < 0) {
        const message = { driver: driverNo, value: q.valueAt(i), timestamp: q.timestampAt(i) };
        q.removeAt(i);
        q.countDrop(driverNo);
        this.observer.interruptDropped?.(message, 'unbound');
        continue;
      }
      if (!this.channels.take(channel, RECV)) {
        i++;
        continue;
      }
      const receiver = this.channels.takenContext;
      const alternative = this.channels.takenAlternative;
      const value = q.valueAt(i);
      const timestamp = q.timestampAt(i);
      q.removeAt(i);
      if (this.commit(receiver, alternative, this.heap.int(value), timestamp)) {
        this.makeReady(receiver);
      }
    }
  }

  // ------------------------------------------------------------------ runtime calls

  private dispatchCall(ctx: number, n: number): Flow {
    const mem = this.machine.memory;
    // ctx is the running context: its record is read directly (no id check per call).
    const records = mem.contexts;
    const rec = ctx * CONTEXT_RECORD_WORDS;
    const env = encodeValue(records[rec + CTX_ENV]!, records[rec + CTX_ENV_KIND] as ValueKind);
    // The message calls first, each in its common case: an open channel, the event built in
    // place. Anything unusual (faults included) goes through the general dispatch below.
    if (n === SYNC_CALL) return this.sync(ctx, env);
    if (n === SEND_CALL) {
      const sp = records[rec + CTX_SP]!;
      if (
        sp > mem.stackBase(ctx) &&
        mem.stackKinds[sp - 1] === IMMEDIATE &&
        this.channels.isOpen(mem.stackWords[sp - 1]!)
      ) {
        const channel = mem.stackWords[sp - 1]!;
        const event = this.plain.build(EventKind.send, channel, wordOf(env), kindOf(env));
        if (event < 0) return this.result(ctx, null, 1);
        records[rec + CTX_SP] = sp - 1;
        records[rec + CTX_ENV] = wordOf(event);
        records[rec + CTX_ENV_KIND] = POINTER;
        return 'continue';
      }
    } else if (n === RECV_CALL && env < POINTER_OFFSET && this.channels.isOpen(env)) {
      const event = this.plain.build(EventKind.recv, env, 0, IMMEDIATE);
      if (event < 0) return this.result(ctx, null, 0);
      records[rec + CTX_ENV] = wordOf(event);
      records[rec + CTX_ENV_KIND] = POINTER;
      return 'continue';
    }
    return this.generalCall(ctx, n, env);
  }

  private generalCall(ctx: number, n: number, env: number): Flow {
    const mem = this.machine.memory;
    switch (n) {
      case RtsCall.spawn:
        return this.spawn(ctx, env);
      case RtsCall.channel: {
        const id = this.channels.allocate();
        if (id < 0)
          return this.fault(
            ctx,
            'runtime error',
            `too many channels (maxChannels = ${this.config.maxChannels})`,
          );
        mem.setEnv(ctx, id, IMMEDIATE);
        return 'continue';
      }
      case RtsCall.send: {
        if (mem.stackDepth(ctx) < 1)
          return this.fault(ctx, 'stack underflow', 'send needs a channel on the stack');
        const channel = this.channelArgument(
          ctx,
          encodeValue(mem.peekWord(ctx), mem.peekKind(ctx)),
        );
        if (channel < 0) return 'switch';
        const event = this.plain.build(EventKind.send, channel, wordOf(env), kindOf(env));
        return this.result(ctx, event < 0 ? null : event, 1);
      }
      case RtsCall.recv: {
        const channel = this.channelArgument(ctx, env);
        if (channel < 0) return 'switch';
        const event = this.plain.build(EventKind.recv, channel, 0, IMMEDIATE);
        return this.result(ctx, event < 0 ? null : event, 0);
      }
      case RtsCall.sync:
        return this.sync(ctx, env);
      case RtsCall.choose: {
        if (mem.stackDepth(ctx) < 1)
          return this.fault(ctx, 'stack underflow', 'choose needs two events');
        const first = encodeValue(mem.peekWord(ctx), mem.peekKind(ctx));
        return this.result(ctx, this.codec.choose(first, env), 1);
      }
      case RtsCall.spawnExternal: {
        if (mem.stackDepth(ctx) < 1)
          return this.fault(ctx, 'stack underflow', 'spawnExternal needs a channel');
        const channel = this.channelArgument(
          ctx,
          encodeValue(mem.peekWord(ctx), mem.peekKind(ctx)),
        );
        if (channel < 0) return 'switch';
        const driverNo = wordOf(env);
        if (kindOf(env) !== IMMEDIATE || driverNo < 0 || driverNo >= this.drivers.length)
          return this.fault(
            ctx,
            'runtime error',
            `no driver ${driverNo} (the container has ${this.drivers.length})`,
          );
        this.channels.bindDriver(channel, driverNo);
        this.ports.bound(driverNo);
        // Interrupt drivers post into this runtime from now on; before the binding the device
        // itself logs its inputs as dropped (unbound).
        const driver = this.drivers[driverNo]!;
        if (driver.input === 'interrupt') driver.connect(this.sink, driverNo);
        this.interruptsDirty = true;
        mem.drop(ctx, 1);
        mem.setEnv(ctx, 0, IMMEDIATE);
        return 'continue';
      }
      case RtsCall.wrap: {
        if (mem.stackDepth(ctx) < 1)
          return this.fault(ctx, 'stack underflow', 'wrap needs an event');
        const event = encodeValue(mem.peekWord(ctx), mem.peekKind(ctx));
        return this.result(ctx, this.codec.wrap(event, env), 1);
      }
      case RtsCall.time:
        return this.time(ctx, env);
      case RtsCall.sleep: {
        mem.setEnv(ctx, 0, IMMEDIATE);
        this.priority[ctx] = Infinity;
        this.timedPending[ctx] = 0;
        const duration = wordOf(env);
        if (kindOf(env) !== IMMEDIATE || duration === 0) {
          this.makeReady(ctx);
          return 'switch';
        }
        this.state[ctx] = WAITING;
        this.wakeReason[ctx] = WAKE_SLEEP;
        this.wakeQueue.push(ctx, sleepUntil(this.clock.now(), duration));
        return 'switch';
      }
      case RtsCall.yield:
        mem.setEnv(ctx, 0, IMMEDIATE);
        this.priority[ctx] = Infinity;
        this.timedPending[ctx] = 0;
        this.makeReady(ctx);
        return 'switch';
      case RtsCall.always:
        return this.result(ctx, this.codec.base(EventKind.always, 0, env), 0);
      case RtsCall.timeout:
        if (kindOf(env) !== IMMEDIATE)
          return this.fault(ctx, 'wrong kind of value', 'timeout needs an Int (µs)');
        return this.result(ctx, this.codec.base(EventKind.timeout, 0, env), 0);
      case RtsCall.newRef:
        return this.result(ctx, this.heap.pair(env, this.heap.unit), 0);
      case RtsCall.readRef:
        return this.checked(ctx, readRef(mem, ctx, env));
      case RtsCall.writeRef:
        return this.checked(ctx, writeRef(mem, ctx, env));
      default:
        return this.fault(ctx, 'runtime call not available', `CALLRTS ${n}`);
    }
  }

  private checked(ctx: number, problem: RefProblem | undefined): Flow {
    return problem ? this.fault(ctx, problem.cause, problem.detail) : 'continue';
  }

  /** Pops `pops` arguments and sets env to the built value, or faults. */
  private result(ctx: number, value: number | string | null, pops: number): Flow {
    if (value === null || value === 'heap-exhausted')
      return this.fault(ctx, 'heap exhausted', 'building an event or a Ref');
    if (typeof value === 'string')
      return this.fault(ctx, 'wrong kind of value', `not an event (${value})`);
    const mem = this.machine.memory;
    mem.drop(ctx, pops);
    mem.setEnv(ctx, wordOf(value), kindOf(value));
    return 'continue';
  }

  /** The channel id in `value`, or -1 after faulting the context. */
  private channelArgument(ctx: number, value: number): number {
    const id = wordOf(value);
    if (kindOf(value) === IMMEDIATE && this.channels.isOpen(id)) return id;
    this.fault(
      ctx,
      'runtime error',
      `no channel ${kindOf(value) === IMMEDIATE ? id : '(a pointer)'}`,
    );
    return -1;
  }

  private spawn(parent: number, f: number): Flow {
    const target = this.entry.target(f);
    if (target < 0)
      return this.fault(parent, 'wrong kind of value', 'spawn of a value that is not a function');
    if (this.entry.graveyardPc < 0)
      return this.fault(parent, 'runtime error', 'the image has no STOP to end contexts at');
    const child = this.machine.startContext(target);
    if (child < 0)
      return this.fault(
        parent,
        'runtime error',
        `no free context (maxContexts = ${this.maxContexts})`,
      );
    const mem = this.machine.memory;
    this.live++;
    this.tracer?.spawned(child, parent);
    this.state[child] = READY;
    this.priority[child] = Infinity;
    this.logicalTime[child] = this.clock.now();
    this.wakeReason[child] = WAKE_NONE;
    this.timedPending[child] = 0;
    this.entry.clear(child);
    this.rotation[child] = 0;
    mem.setEnv(child, 0, IMMEDIATE);
    // The body returns to a STOP; on failure the child faults, the parent still gets its id.
    const problem = this.entry.enter(child, f, this.entry.graveyardPc);
    if (problem) this.fault(child, problem.cause, problem.detail);
    else this.readyQueue.push(child, Infinity);
    mem.setEnv(parent, child, IMMEDIATE);
    return 'continue';
  }

  // ------------------------------------------------------------------ time

  private time(ctx: number, baseline: number): Flow {
    const mem = this.machine.memory;
    if (mem.stackDepth(ctx) < 2)
      return this.fault(ctx, 'stack underflow', 'syncT needs 3 arguments');
    if (kindOf(baseline) !== IMMEDIATE || mem.peekKind(ctx) !== IMMEDIATE)
      return this.fault(ctx, 'wrong kind of value', 'syncT times must be Ints (µs)');
    const deadline = mem.peekWord(ctx);
    const event = encodeValue(mem.peekWord(ctx, 1), mem.peekKind(ctx, 1));
    mem.drop(ctx, 2);
    mem.setEnv(ctx, wordOf(event), kindOf(event));
    const window = timedRelease(this.logicalTime[ctx]!, wordOf(baseline), deadline);
    this.logicalTime[ctx] = window.releaseAt;
    this.releaseAt[ctx] = window.releaseAt;
    this.deadlineAt[ctx] = window.deadlineAt;
    this.timedPending[ctx] = 1;
    this.priority[ctx] = window.deadlineAt;
    if (window.releaseAt > this.clock.now()) {
      this.state[ctx] = WAITING;
      this.wakeReason[ctx] = WAKE_RELEASE;
      this.wakeQueue.push(ctx, window.releaseAt);
    } else {
      this.makeReady(ctx);
    }
    return 'switch';
  }

  // ------------------------------------------------------------------ sync

  private sync(ctx: number, event: number): Flow {
    const plain = this.plain;
    if (plain.decodeSingle(event)) {
      const channel = plain.channel;
      if (this.channels.isOpen(channel) && this.channels.driverOf(channel) < 0)
        return this.syncPlain(ctx, plain.kind === EventKind.send, channel, plain.payload);
    }
    const codec = this.codec;
    const count = codec.countAlternatives(event);
    if (typeof count === 'string')
      return this.fault(
        ctx,
        'wrong kind of value',
        `sync of a value that is not an event (${count})`,
      );
    if (!this.timedPending[ctx]) this.priority[ctx] = Infinity;
    const now = this.clock.now();
    let start = 0;
    if (this.config.chooseFairness === 'rotating') {
      start = this.rotation[ctx]! % count;
      this.rotation[ctx] = this.rotation[ctx]! + 1;
    }
    let timeoutAt = Infinity;
    let timeoutAlt = -1;
    let deadPorts = 0;
    // The list cell of the next alternative to look at (a cursor: no walk from the head each time).
    let cursor = count === 1 || start === 0 ? event : codec.nthCell(event, start);
    for (let j = 0; j < count; j++) {
      const alt = count === 1 ? 0 : (start + j) % count;
      // One alternative: countAlternatives has just decoded it into the codec's fields.
      if (count !== 1) {
        codec.decode(this.heap.fst(cursor));
        cursor = this.heap.snd(cursor);
        if (!this.heap.isPointer(cursor)) cursor = event;
      }
      const kind = codec.kind;
      const payload = codec.payload;
      if (kind === EventKind.always) return this.commitRunning(ctx, alt, payload, now);
      if (kind === EventKind.timeout) {
        const at = sleepUntil(now, this.heap.intOf(payload));
        if (at <= now) return this.commitRunning(ctx, alt, this.heap.unit, now);
        if (at < timeoutAt) {
          timeoutAt = at;
          timeoutAlt = alt;
        }
        continue;
      }
      const channel = codec.channel;
      if (!this.channels.isOpen(channel))
        return this.fault(ctx, 'runtime error', `sync on channel ${channel}, which does not exist`);
      const driverNo = this.channels.driverOf(channel);
      const driver = driverNo >= 0 ? this.drivers[driverNo] : undefined;
      const port = this.ports.portAt(driverNo);
      if (port) {
        const sending = kind === EventKind.send;
        const misuse = this.ports.misuse(port, sending, driver?.name ?? `driver ${driverNo}`);
        if (misuse) return this.fault(ctx, 'runtime error', misuse);
        const fired = this.ports.fire(ctx, sending, port, payload);
        if (fired === PORT_WAIT) {
          if (port.dead()) deadPorts++;
          continue;
        }
        if (typeof fired !== 'number') return this.fault(ctx, faultCauseOf(fired), fired.detail);
        return this.commitRunning(ctx, alt, fired, now);
      }
      if (kind === EventKind.send) {
        if (driver?.output) {
          driver.write(this.heap.intOf(payload));
          return this.commitRunning(ctx, alt, this.heap.unit, now);
        }
        if (this.channels.take(channel, RECV)) {
          this.messages++;
          this.tracer?.message(ctx, channel, ctx, this.channels.takenContext);
          const { wraps, wrapCount } = codec;
          return this.rendezvousAsSender(ctx, alt, payload, now, count, wraps, wrapCount);
        }
      } else {
        if (driver && driver.input === 'poll')
          return this.commitRunning(ctx, alt, this.heap.int(driver.read()), now);
        if (driver && driver.input === 'interrupt' && this.interrupts.takeFor(driverNo)) {
          const at = this.interrupts.takenTimestamp;
          if (!this.timedPending[ctx]) this.logicalTime[ctx] = Math.max(this.logicalTime[ctx]!, at);
          return this.commitRunning(ctx, alt, this.heap.int(this.interrupts.takenValue), now);
        }
        if (this.channels.take(channel, SEND)) {
          this.messages++;
          this.tracer?.message(ctx, channel, this.channels.takenContext, ctx);
          const { wraps, wrapCount } = codec;
          return this.rendezvousAsReceiver(ctx, alt, now, count, wraps, wrapCount);
        }
      }
    }
    // Nothing is ready. Every alternative on a dead link end: it would wait forever.
    if (deadPorts === count) return this.fault(ctx, 'link closed', LINK_CLOSED_DETAIL);
    // Register on every channel and wait.
    this.tracer?.sync(ctx, count, null);
    const generation = ++this.generation[ctx]!;
    this.state[ctx] = BLOCKED;
    for (let alt = 0, cell = event; alt < count; alt++, cell = this.heap.snd(cell)) {
      codec.decode(this.heap.fst(cell));
      if (codec.kind !== EventKind.send && codec.kind !== EventKind.recv) continue;
      const direction = codec.kind === EventKind.send ? SEND : RECV;
      if (!this.channels.enqueue(codec.channel, direction, ctx, alt, generation)) {
        return this.fault(
          ctx,
          'runtime error',
          `channel ${codec.channel} ${direction === SEND ? 'send' : 'receive'} queue is full (${this.config.channelQueueCapacity} waiting)`,
        );
      }
      if (direction === RECV && this.channels.driverOf(codec.channel) >= 0)
        this.interruptsDirty = true;
      if (direction === SEND)
        this.ports.portAt(this.channels.driverOf(codec.channel))?.sendWaiting?.();
    }
    if (timeoutAlt >= 0) {
      this.wakeReason[ctx] = WAKE_TIMEOUT;
      this.timeoutAlternative[ctx] = timeoutAlt;
      this.wakeQueue.push(ctx, timeoutAt);
    }
    return 'switch';
  }

  /**
   * `sync` of a plain event (one send or receive, no wrap) on a channel without a driver: what
   * the general loop does for such an event, without decoding it again.
   */
  private syncPlain(ctx: number, sending: boolean, channel: number, payload: number): Flow {
    if (!this.timedPending[ctx]) this.priority[ctx] = Infinity;
    const now = this.clock.now();
    if (this.config.chooseFairness === 'rotating') this.rotation[ctx] = this.rotation[ctx]! + 1;
    const channels = this.channels;
    if (channels.take(channel, sending ? RECV : SEND)) {
      this.messages++;
      const partner = channels.takenContext;
      if (sending) {
        this.tracer?.message(ctx, channel, ctx, partner);
        return this.rendezvousAsSender(ctx, 0, payload, now, 1, this.heap.unit, 0);
      }
      this.tracer?.message(ctx, channel, partner, ctx);
      return this.rendezvousAsReceiver(ctx, 0, now, 1, this.heap.unit, 0);
    }
    this.tracer?.sync(ctx, 1, null);
    const generation = ++this.generation[ctx]!;
    this.state[ctx] = BLOCKED;
    if (!channels.enqueue(channel, sending ? SEND : RECV, ctx, 0, generation))
      return this.fault(
        ctx,
        'runtime error',
        `channel ${channel} ${sending ? 'send' : 'receive'} queue is full (${this.config.channelQueueCapacity} waiting)`,
      );
    return 'switch';
  }
}
