/** Exit codes of every `sensevm` command (clox/BSD sysexits conventions). */
export const ExitCode = {
  ok: 0,
  usage: 64,
  /** Input rejected: compile error, invalid image or manifest. */
  rejected: 65,
  /** A runtime fault of the program. */
  fault: 70,
  io: 74,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
