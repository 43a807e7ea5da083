/**
 * The CamIoT corpus: every test/corpus/**\/*.cam program is compiled and run in-process and
 * checked against its annotations:
 *
 *   -- expect: <value>            runs, exits 0, and prints <value> as the last line
 *   -- expect error: E0nnn        compilation fails with (at least) this error code
 *   -- expect warning: E05nn      compilation reports this warning (other warnings fail)
 *   -- expect fault: <cause>      runs and faults (exit 70) with this cause
 *   -- expect synchronvm fault: <cause>   the --format synchronvm image faults (see below)
 *   -- heap: <bytes>              run with this heap size (keeps exhaustion tests fast)
 *
 * Programs listed in test/corpus/known-failures.txt are expected NOT to meet their annotations;
 * one that starts passing fails the run, so the list only shrinks. Every program with an
 * `expect:` value or fault that needs no Sense-VM-only instruction is also compiled with
 * `--format synchronvm`, written as hex text, loaded back and run: it must print the same value
 * or fault with the same cause.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferIO } from '../src/cli/io.js';
import { runProgram } from '../src/cli/commands/run.js';
import { loadVerifiedImage, writeImage } from '../src/isa/image.js';
import { toHexText } from '../src/isa/hex-text.js';
import type { Program } from '../src/isa/program.js';
import { compile } from '../src/lang/compile.js';

const ROOT = new URL('./corpus/', import.meta.url).pathname;

interface Expectations {
  value?: string;
  /** `-- expect synchronvm fault: stack overflow`: a tail call through a closure needs TAPP,
   * which a version-1 image replaces by `APP; RETURN`, so deep loops overflow there. */
  synchronvmFault?: string;
  /** `-- heap: <bytes>`: run with this heap size instead of the default. */
  heapBytes?: number;
  errors: string[];
  warnings: string[];
  fault?: string;
}

function readExpectations(source: string): Expectations {
  const out: Expectations = { errors: [], warnings: [] };
  for (const line of source.split('\n')) {
    const heap = /^--\s*heap:\s*(\d+)\s*$/.exec(line);
    if (heap) out.heapBytes = Number(heap[1]);
    const m = /--\s*expect( error| warning| fault| synchronvm fault)?:\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const kind = m[1]?.trim();
    const text = m[2]!;
    if (kind === 'error') out.errors.push(text);
    else if (kind === 'warning') out.warnings.push(text);
    else if (kind === 'fault') out.fault = text;
    else if (kind === 'synchronvm fault') out.synchronvmFault = text;
    else out.value = text;
  }
  return out;
}

function listPrograms(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listPrograms(path));
    else if (name.endsWith('.cam')) out.push(path);
  }
  return out;
}

function knownFailures(): Set<string> {
  const text = readFileSync(join(ROOT, 'known-failures.txt'), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l.length > 0),
  );
}

function run(
  program: Program,
  heapBytes?: number,
): { code: number; stdout: string; stderr: string } {
  const io = new BufferIO();
  const code = runProgram(program, heapBytes ? { config: { heapBytes } } : {}, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const lastLine = (s: string): string => s.trimEnd().split('\n').pop() ?? '';

/** Returns a list of problems: empty when the program meets its annotations. */
function checkProgram(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  const want = readExpectations(source);
  const problems: string[] = [];
  if (want.value === undefined && want.errors.length === 0 && want.fault === undefined)
    return ['the program has no `-- expect` annotation'];
  const compiled = compile(source, path);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  const warnings = compiled.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
  for (const e of want.errors) if (!errors.includes(e)) problems.push(`missing error ${e}`);
  if (want.errors.length === 0 && errors.length > 0)
    problems.push(
      `unexpected errors: ${compiled.diagnostics.map((d) => `${d.code} ${d.message} (${d.span.line}:${d.span.column})`).join('; ')}`,
    );
  for (const w of want.warnings) if (!warnings.includes(w)) problems.push(`missing warning ${w}`);
  for (const w of warnings)
    if (!want.warnings.includes(w)) problems.push(`unexpected warning ${w}`);
  if (want.errors.length > 0 || !compiled.program) return problems;

  const result = run(compiled.program, want.heapBytes);
  if (want.fault !== undefined) {
    if (result.code !== 70) problems.push(`expected a fault, got exit ${result.code}`);
    if (!result.stderr.includes(want.fault.replace(/-/g, ' ')))
      problems.push(`expected fault '${want.fault}', got: ${result.stderr.trim()}`);
  } else if (want.value !== undefined) {
    if (result.code !== 0) problems.push(`exit ${result.code}: ${result.stderr.trim()}`);
    else if (lastLine(result.stdout) !== want.value)
      problems.push(`printed ${lastLine(result.stdout)}, expected ${want.value}`);
  }
  return problems;
}

/** Runs the program's version-1 image and its Sense-VM image: '' when they print the same. */
function synchronVmOutcome(path: string): string {
  const source = readFileSync(path, 'utf8');
  const native = compile(source, path);
  const v1 = compile(source, path, { format: 'synchronvm' });
  if (!v1.program) return `does not compile: ${v1.diagnostics.map((d) => d.code).join(', ')}`;
  const written = writeImage(v1.program, 'synchronvm', 'binary');
  if (!written.ok) return `cannot be written: ${written.errors.map((e) => e.message).join('; ')}`;
  const loaded = loadVerifiedImage(new TextEncoder().encode(toHexText(written.bytes)));
  if (!loaded.ok) return `does not load back: ${loaded.errors.map((e) => e.message).join('; ')}`;
  // Version-1 images carry no types: print with the metadata of the Sense-VM compilation.
  const program: Program = { ...loaded.program, metadata: native.program?.metadata };
  const a = run(native.program!);
  const b = run(program);
  const fault = readExpectations(source).synchronvmFault;
  if (fault !== undefined)
    return b.code === 70 && b.stderr.includes(fault)
      ? ''
      : `expected the SynchronVM image to fault with ${fault}, got exit ${b.code}`;
  const cause = (stderr: string): string => /^fault: ([^:\n]+)/m.exec(stderr)?.[1] ?? '';
  if (
    a.code !== b.code ||
    lastLine(a.stdout) !== lastLine(b.stdout) ||
    cause(a.stderr) !== cause(b.stderr)
  )
    return `SynchronVM image: exit ${b.code}, ${lastLine(b.stdout)}${cause(b.stderr)}; Sense-VM image: exit ${a.code}, ${lastLine(a.stdout)}${cause(a.stderr)}`;
  return '';
}

const programs = listPrograms(ROOT);
const failing = knownFailures();

describe('CamIoT corpus', () => {
  it('has at least 150 programs, and every known failure exists', () => {
    expect(programs.length).toBeGreaterThanOrEqual(150);
    const names = new Set(programs.map((p) => relative(ROOT, p)));
    for (const f of failing) expect(names, `known-failures.txt lists ${f}`).toContain(f);
  });

  for (const path of programs) {
    const name = relative(ROOT, path);
    if (failing.has(name)) {
      it(`${name} (known failure)`, () => {
        expect(
          checkProgram(path),
          'this program now passes: remove it from known-failures.txt',
        ).not.toEqual([]);
      });
    } else {
      it(name, () => {
        expect(checkProgram(path)).toEqual([]);
      });
    }
  }
});

describe('CamIoT corpus with --format synchronvm', () => {
  // Decided when the suite is collected: programs that compile to a version-1 image.
  const portable = programs.filter((path) => {
    const name = relative(ROOT, path);
    if (failing.has(name)) return false;
    const source = readFileSync(path, 'utf8');
    const want = readExpectations(source);
    if (want.value === undefined && want.fault === undefined) return false;
    if (want.heapBytes !== undefined) return false; // runs with a non-default configuration
    // Only E0591 ("needs a Sense-VM instruction") excuses a program; any other failure to
    // compile for SynchronVM shows up as a failing test below.
    const v1 = compile(source, path, { format: 'synchronvm' });
    return !v1.diagnostics.some((d) => d.code === 'E0591');
  });

  it('covers a substantial part of the corpus', () => {
    expect(portable.length).toBeGreaterThanOrEqual(50);
  });

  for (const path of portable) {
    it(relative(ROOT, path), () => {
      expect(synchronVmOutcome(path)).toBe('');
    });
  }
});
