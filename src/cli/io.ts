import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Where a command's output goes. stdout carries only the program's output (the value of `main`,
 * UART output, listings); progress, diagnostics and summaries go to stderr. Tests pass a
 * `BufferIO` to run commands in-process.
 */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array | string): void;
}

/**
 * Writes to a process stream unless its reader has gone away (`sensevm disasm big.svm | head`):
 * then the rest of the output is dropped quietly, as Unix tools do, instead of Node's unhandled
 * EPIPE error with a stack trace. The command still finishes and returns its exit code.
 */
function guardedWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  let listening = false;
  return (text) => {
    if (!listening) {
      listening = true;
      stream.on('error', () => {
        closed = true;
      });
    }
    if (!closed) stream.write(text);
  };
}

const writeStdout = guardedWriter(process.stdout);
const writeStderr = guardedWriter(process.stderr);

export const processIO: CliIO = {
  out: writeStdout,
  err: writeStderr,
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
  readFile: (p) => readFileSync(p),
  writeFile: (p, d) => writeFileSync(p, d),
};

/** Captures output in memory; files still come from the real file system. */
export class BufferIO implements CliIO {
  stdout = '';
  stderr = '';
  readonly stdoutIsTTY = false;
  readonly stderrIsTTY = false;
  out(t: string): void {
    this.stdout += t;
  }
  err(t: string): void {
    this.stderr += t;
  }
  readFile(p: string): Uint8Array {
    return readFileSync(p);
  }
  writeFile(p: string, d: Uint8Array | string): void {
    writeFileSync(p, d);
  }
}

/** An error that ends a command with a given exit code and a message on stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * Why a file operation failed, in a few plain words (`no such file`) for `cannot read <file>: …`
 * messages — never Node's raw text (`Error: ENOENT: no such file or directory, open '…'`).
 */
export function fileProblem(e: unknown, writing = false): string {
  const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
  if (code === '') return 'cannot be accessed';
  // Writing creates the file, so a missing one means its folder is missing.
  if (writing && code === 'ENOENT') return 'no such directory';
  return FILE_PROBLEMS[code] ?? code;
}
