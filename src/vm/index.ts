/** The execution unit's public surface (see machine.ts for the runtime interface). */
export * from './config.js';
export * from './faults.js';
export * from './floats.js';
export * from './memory.js';
export { decodeProgram, type DecodedProgram } from './decode.js';
export {
  Interpreter,
  describeWord,
  type ExecutionTier,
  type InterpreterHooks,
  type RunResult,
  type StopReason,
} from './interpreter.js';
export {
  Machine,
  runToEnd,
  type CompletedRun,
  type MachineOptions,
  type TierFactory,
} from './machine.js';
export { printValue, type PrintOptions } from './print.js';
