/**
 * The back end at the edges of what a program can be: more nested bindings than an ACC/REST
 * operand (u8) can reach, many top-level definitions, and programs deeper than the host stack
 * allows the back end to walk. Each must compile to working code or give a diagnostic — never
 * an internal error.
 */
import { describe, expect, it, vi } from 'vitest';
import { BufferIO } from '../../src/cli/io.js';
import { runProgram } from '../../src/cli/commands/run.js';
import { compile } from '../../src/lang/compile.js';
import { loadVerifiedImage, writeImage } from '../../src/isa/image.js';

function runSource(source: string, format: 'sensevm' | 'synchronvm' = 'sensevm'): string {
  const compiled = compile(source, 'limits.cam', { format });
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (!compiled.program || errors.length > 0)
    return `compile errors: ${errors.map((d) => d.code).join(', ')}`;
  let program = compiled.program;
  if (format === 'synchronvm') {
    // Through the version-1 bytes, so the verifier sees every operand.
    const bytes = writeImage(program, 'synchronvm', 'binary');
    if (!bytes.ok) return 'cannot write';
    const loaded = loadVerifiedImage(bytes.bytes);
    if (!loaded.ok) return `rejected: ${loaded.errors.map((e) => e.message).join('; ')}`;
    program = { ...loaded.program, metadata: compiled.program.metadata };
  }
  const io = new BufferIO();
  const code = runProgram(program, {}, io);
  return code === 0 ? io.stdout.trimEnd().split('\n').pop()! : `exit ${code}: ${io.stderr}`;
}

/** `let x0 = 0 in let x1 = 1 in … in <body>`: every binding one level deeper in env. */
const nestedLets = (n: number, body: string): string =>
  Array.from({ length: n }, (_, i) => `let x${i} = ${i} in `).join('') + body;

describe('environments deeper than an ACC/REST operand', () => {
  it.each([254, 255, 256, 257, 300, 511, 600])(
    'reads the outermost of %i nested bindings (ACC path)',
    (n) => {
      expect(runSource(`main = ${nestedLets(n, `x0 + x${n - 1}`)}`)).toBe(String(n - 1));
    },
  );

  it.each([255, 256, 257, 511, 600])(
    'reads a parameter under %i nested bindings (REST path)',
    (n) => {
      // The parameter `a` is the bare innermost env, reached by FSTs alone.
      const source = `f a = ${nestedLets(n, 'a * 2 + x0')}\nmain = f 21`;
      expect(runSource(source)).toBe('42');
      expect(runSource(source, 'synchronvm')).toBe('42');
    },
  );
});

describe('many top-level definitions', () => {
  it('compiles a chain of 12 000 functions without slowing down with their number', () => {
    // Lowering used to copy the whole top-level scope at every binder: minutes for this.
    const defs = Array.from({ length: 12_000 }, (_, i) =>
      i === 0 ? 'f0 x = x' : `f${i} x = f${i - 1} x + 0 * ${i}`,
    );
    const source = `${defs.join('\n')}\nmain = f300 5`;
    expect(runSource(source)).toBe('5');
  }, 10_000);
});

describe('programs too deep for the back end', () => {
  it('become E0208 instead of an internal error', async () => {
    vi.resetModules();
    vi.doMock('../../src/lang/lower.js', () => ({
      lowerModule: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
      typeDescOf: () => ({ kind: 'unit' }),
    }));
    try {
      const fresh = await import('../../src/lang/compile.js');
      const result = fresh.compile('main = 1', 'deep.cam');
      expect(result.program).toBeUndefined();
      expect(result.diagnostics.map((d) => d.code)).toEqual(['E0208']);
      expect(result.diagnostics[0]!.span.file).toBe('deep.cam');
      const module = {
        file: 'deep.cam',
        decls: [],
      } as unknown as Parameters<typeof fresh.backEndDiagnostics>[0];
      expect(fresh.backEndDiagnostics(module).map((d) => d.code)).toEqual(['E0208']);
    } finally {
      vi.doUnmock('../../src/lang/lower.js');
      vi.resetModules();
    }
  });
});
