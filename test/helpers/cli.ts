/** Shared by the CLI tests: run `sensevm` in-process and write input files to a scratch folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BufferIO, main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `sensevm ...argv` with captured stdout and stderr. */
export async function runCli(...argv: string[]): Promise<CliRun> {
  const io = new BufferIO();
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** A scratch folder removed after the test file, and a writer of files into it. */
export function scratchDir(prefix: string): {
  dir: string;
  file(name: string, text: string): string;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}
