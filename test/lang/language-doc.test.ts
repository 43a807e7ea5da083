/**
 * docs/language.md stays true: every ```camiot block compiles without errors or warnings, and a
 * block with an `-- expect: value` line runs and prints that value.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../src/cli/commands/run.js';
import { BufferIO } from '../../src/cli/io.js';
import { compile } from '../../src/lang/compile.js';

const doc = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```camiot\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/language.md examples', () => {
  it('has runnable examples', () => {
    expect(blocks.filter((b) => /-- expect:/.test(b)).length).toBeGreaterThanOrEqual(8);
  });

  blocks.forEach((source, index) => {
    const expected = /-- expect:\s*(.*?)\s*$/m.exec(source)?.[1];
    it(`example ${index + 1}${expected ? ` prints ${expected}` : ' compiles'}`, () => {
      const compiled = compile(source, `language.md#${index + 1}`);
      expect(compiled.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      expect(compiled.program).toBeDefined();
      if (expected === undefined) return;
      const io = new BufferIO();
      expect(runProgram(compiled.program!, {}, io), io.stderr).toBe(0);
      expect(io.stdout.trimEnd().split('\n').pop()).toBe(expected);
    });
  });
});
