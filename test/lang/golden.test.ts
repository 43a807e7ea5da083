/**
 * Golden listings of compiled programs: test/golden/NAME.cam compiles to exactly NAME.s (the
 * disassembly of its Sense-VM image, debug info included). After an intended change to code
 * generation, run `npm run golden` and review the diff of the .s files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../../src/isa/disassemble.js';
import { compile } from '../../src/lang/compile.js';

const dir = new URL('../golden/', import.meta.url).pathname;
const programs = readdirSync(dir)
  .filter((n) => n.endsWith('.cam'))
  .sort();

describe('golden disassembly', () => {
  it('has a handful of programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(5);
  });
  for (const name of programs) {
    it(name, () => {
      const result = compile(readFileSync(join(dir, name), 'utf8'), name);
      expect(result.program, result.diagnostics.map((d) => d.message).join('; ')).toBeDefined();
      const golden = readFileSync(join(dir, name.replace(/\.cam$/, '.s')), 'utf8');
      expect(disassemble(result.program!)).toBe(golden);
    });
  }
});
